//! `/sources/:id/report`: what is provisioned but not billed and the reverse. The
//! reconciliation report's four categories — unlinked nodes of mapped types (paged), links
//! whose node was deleted upstream, links whose fields differ, node types without a type
//! mapping — and the source's activity per day ([`activity`]).

mod activity;

use crate::api::report::{self, LinkRow, Report, UnlinkedNode};
use crate::api::sources::local_time;
use crate::components::loader::Loader;
use crate::session::Session;
use activity::ActivityChart;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

/// How many unlinked nodes one page asks for.
const PAGE_SIZE: i64 = 25;

#[component]
pub fn ReportPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let source_id = move || params.read().get("id").unwrap_or_default();
    let data = Loader::new(move || report::reconciliation(session, source_id(), PAGE_SIZE, None));
    view! {
        {data.page(move |report| view! { <ReportView source_id=source_id() report/> })}
    }
}

#[component]
fn ReportView(source_id: String, report: Report) -> impl IntoView {
    let session = expect_context::<Session>();
    let source = StoredValue::new(source_id.clone());
    let unlinked = RwSignal::new(report.unlinked);
    let next = RwSignal::new(report.unlinked_next);
    let error = RwSignal::new(None::<String>);
    let more = move |after: String| {
        spawn_local(async move {
            match report::reconciliation(session, source.get_value(), PAGE_SIZE, Some(after)).await
            {
                Ok(page) => {
                    unlinked.update(|u| u.extend(page.unlinked));
                    next.set(page.unlinked_next);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let source_href = format!("/sources/{source_id}");
    let unmapped = report.unmapped_types;
    view! {
        <div class="page-head">
            <div>
                <h1>"Reconciliation"</h1>
                <p class="muted subtitle">
                    <a href=source_href.clone()>{report.source_name}</a>
                    {format!(" · as of {}", local_time(Some(&report.generated_at)))}
                </p>
            </div>
        </div>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <div class="grid-2 report">
            <section class="card section" aria-labelledby="unlinked-title" data-testid="report-unlinked">
                <h2 id="unlinked-title">{format!("Provisioned, not billed ({})", report.unlinked_total)}</h2>
                <p class="muted small">"Nodes of mapped types with no service linked."</p>
                <ul class="plain-list">
                    {move || unlinked.get().into_iter().map(node_item).collect_view()}
                </ul>
                {(report.unlinked_total == 0).then(|| view! { <p class="muted">"None."</p> })}
                {move || next.get().map(|cursor| view! {
                    <button type="button" class="secondary" on:click=move |_| more(cursor.clone())>"Show more"</button>
                })}
            </section>
            <LinkSection
                title="Billed, no longer provisioned"
                hint="Live links whose node was deleted upstream."
                testid="report-orphaned"
                links=report.orphaned
            />
            <LinkSection
                title="Out of sync"
                hint="Linked services whose mapped fields differ: the next field sync would change them."
                testid="report-out-of-sync"
                links=report.out_of_sync
            />
            <section class="card section" aria-labelledby="unmapped-title" data-testid="report-unmapped">
                <h2 id="unmapped-title">{format!("Node types without a mapping ({})", unmapped.len())}</h2>
                <p class="muted small">"Their nodes are imported but never billed: map them in the "<a href="/dictionary">"dictionary"</a>"."</p>
                <ul class="plain-list">
                    {unmapped.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                </ul>
            </section>
        </div>
        <ActivityChart source_id/>
    }
}

fn node_item(n: UnlinkedNode) -> impl IntoView {
    view! {
        <li data-testid="report-node">
            <span class="node-type">{n.type_}</span>" "{n.name}
        </li>
    }
}

/// One category of links: node → service.
#[component]
fn LinkSection(
    title: &'static str,
    hint: &'static str,
    testid: &'static str,
    links: Vec<LinkRow>,
) -> impl IntoView {
    let heading = format!("{title} ({})", links.len());
    let empty = links.is_empty();
    view! {
        <section class="card section" aria-label=title data-testid=testid>
            <h2>{heading}</h2>
            <p class="muted small">{hint}</p>
            <ul class="plain-list">
                {links
                    .into_iter()
                    .map(|l| view! {
                        <li data-testid="report-link">
                            <span class="node-type">{l.node.type_}</span>" "{l.node.name}" → "
                            <a href=format!("/services/{}", l.service.id)>{l.service.name}</a>
                        </li>
                    })
                    .collect_view()}
            </ul>
            {empty.then(|| view! { <p class="muted">"None."</p> })}
        </section>
    }
}
