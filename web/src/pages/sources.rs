//! `/sources`: the organization's sources with provider, status, last sync and health, and a
//! "Sync now" button per source; while a sync is queued or running the page looks again each
//! second, so its outcome appears without a reload.

use crate::api::sources::{
    self, in_progress, job_status_label, local_time, provider_label, status_label, SourceRow,
};
use crate::components::{error_view::ErrorView, loading::Loading};
use crate::session::Session;
use leptos::prelude::*;

/// How many sources the page asks for (the contract's default page size).
const PAGE_SIZE: i64 = 50;
/// How often the page looks again while a sync is under way.
const POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// The sources table, or "No sources yet".
#[component]
pub fn SourcesPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let rows = LocalResource::new(move || sources::list(session, PAGE_SIZE));
    Effect::new(move |_| {
        let busy = rows.get().is_some_and(|r| {
            r.is_ok_and(|rows| {
                rows.iter().any(|row| {
                    row.last_job
                        .as_ref()
                        .is_some_and(|j| in_progress(&j.status))
                })
            })
        });
        if busy {
            set_timeout(move || rows.refetch(), POLL);
        }
    });
    let refresh = Callback::new(move |()| rows.refetch());
    view! {
        <div class="page-head">
            <h1>"Sources"</h1>
        </div>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || {
                    rows.get().map(|result| result.map(|rows| view! { <SourcesTable rows refresh/> }))
                }}
            </ErrorBoundary>
        </Transition>
    }
}

/// The table itself; on narrow screens each row becomes a card (see style.css).
#[component]
fn SourcesTable(rows: Vec<SourceRow>, refresh: Callback<()>) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <div class="empty" data-testid="sources-empty">
                <p class="empty-title">"No sources yet"</p>
                <p class="muted">
                    "A source connects Switchboard to a provider such as ConnectWise Manage or BroadWorks."
                </p>
            </div>
        }
        .into_any();
    }
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
                {rows.into_iter().map(|row| view! { <SourceLine row refresh/> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// One source.
#[component]
fn SourceLine(row: SourceRow, refresh: Callback<()>) -> impl IntoView {
    let session = expect_context::<Session>();
    let busy = row
        .last_job
        .as_ref()
        .is_some_and(|j| in_progress(&j.status));
    let error = RwSignal::new(None::<String>);
    let id = row.id.clone();
    let sync_now = Action::new_local(move |_: &()| {
        let id = id.clone();
        async move {
            match sources::force_sync(session, id).await {
                Ok(()) => {
                    error.set(None);
                    refresh.run(());
                }
                Err(err) => error.set(Some(err.to_string())),
            }
        }
    });
    let label = format!("Sync {} now", row.name);
    let status_class = match row.status {
        sources::SourceStatus::Active => "badge ok",
        _ => "badge muted",
    };
    let (job_text, job_class, finished) = match &row.last_job {
        Some(job) => (
            job_status_label(&job.status),
            job_badge_class(&job.status),
            local_time(job.finished_at.as_ref()),
        ),
        None => ("Never synced".to_owned(), "badge muted", String::new()),
    };
    let health = row.health.message.clone();
    view! {
        <tr data-testid="source-row" data-source-id=row.id.clone()>
            <td data-label="Name" class="name">{row.name.clone()}</td>
            <td data-label="Provider">{provider_label(&row.provider)}</td>
            <td data-label="Status">
                <span class=status_class>{status_label(&row.status)}</span>
            </td>
            <td data-label="Last sync">
                <div>
                    <span class=job_class>{job_text}</span>
                    <span class="when">{finished}</span>
                </div>
            </td>
            <td data-label="Health" class="health">
                {match health {
                    Some(message) => view! { <span class="warn">{message}</span> }.into_any(),
                    None => view! { <span class="muted">"OK"</span> }.into_any(),
                }}
            </td>
            <td data-label="" class="actions">
                <button
                    type="button"
                    data-testid="sync-now"
                    aria-label=label
                    disabled=move || busy || sync_now.pending().get()
                    on:click=move |_| {
                        sync_now.dispatch(());
                    }
                >
                    {if busy { "Syncing…" } else { "Sync now" }}
                </button>
                {move || {
                    error
                        .get()
                        .map(|e| view! { <p class="form-error" data-testid="sync-error" role="alert">{e}</p> })
                }}
            </td>
        </tr>
    }
}

fn job_badge_class(status: &sources::SyncJobStatus) -> &'static str {
    use sources::SyncJobStatus as S;
    match status {
        S::Succeeded => "badge ok",
        S::Partial => "badge warn",
        S::Failed => "badge bad",
        S::Queued | S::Running => "badge info",
        _ => "badge muted",
    }
}
