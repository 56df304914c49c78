//! `/sources`: the organization's sources with provider, status, last sync and its outcome,
//! health (message, rate limit), and per source: Sync now, Edit, Pause/Resume and Delete
//! (confirmed, ADMIN). While a sync is queued or running the page looks again each second,
//! so its outcome appears without a reload.

mod line;

use crate::api::sources::{self, in_progress, SourcePage};
use crate::components::loader::Loader;
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;
use line::SourceLine;

/// How many sources the page shows at first, and how many more each "Show more" adds.
const PAGE_SIZE: i64 = 25;
/// How often the page looks again while a sync is under way.
const POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// The sources table, or "No sources yet".
#[component]
pub fn SourcesPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let shown = RwSignal::new(PAGE_SIZE);
    let page = Loader::new(move || sources::list(session, shown.get(), None));
    Effect::new(move |_| {
        let busy = page.get().is_some_and(|r| {
            r.is_ok_and(|page| {
                page.rows.iter().any(|row| {
                    row.last_job
                        .as_ref()
                        .is_some_and(|j| in_progress(&j.status))
                })
            })
        });
        if busy {
            set_timeout(move || page.refetch(), POLL);
        }
    });
    let refresh = Callback::new(move |()| page.refetch());
    let more = Callback::new(move |()| shown.update(|n| *n = (*n + PAGE_SIZE).min(500)));
    view! {
        <div class="page-head">
            <h1>"Sources"</h1>
            <Show when=move || me.can_operate()>
                <a href="/sources/new" class="button" data-testid="add-source">
                    "Add source"
                </a>
            </Show>
        </div>
        {page.page(move |page| view! { <SourcesTable page refresh more/> })}
    }
}

/// The table itself; on narrow screens each row becomes a card (see style.css).
#[component]
fn SourcesTable(page: SourcePage, refresh: Callback<()>, more: Callback<()>) -> impl IntoView {
    if page.rows.is_empty() {
        return view! {
            <div class="empty" data-testid="sources-empty">
                <p class="empty-title">"No sources yet"</p>
                <p class="muted">
                    "A source connects Switchboard to a provider such as ConnectWise Manage or BroadWorks. "
                    <a href="/sources/new">"Add your first source"</a>
                </p>
            </div>
        }
        .into_any();
    }
    let shown = page.rows.len();
    let has_more = page.next.is_some();
    view! {
        <table class="data-table" data-testid="sources-table">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Provider"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Last sync"</th>
                    <th scope="col">"Health"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>
                {page.rows.into_iter().map(|row| view! { <SourceLine row refresh/> }).collect_view()}
            </tbody>
        </table>
        <div class="list-foot">
            <span class="muted small">{format!("{shown} of {}", page.total)}</span>
            {has_more
                .then(|| {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| more.run(())>
                            "Show more"
                        </button>
                    }
                })}
        </div>
    }
    .into_any()
}
