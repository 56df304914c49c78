//! `/sources`: the organization's sources with provider, status, last sync and health.

use crate::api::sources::{
    self, job_status_label, local_time, provider_label, status_label, SourceRow,
};
use crate::components::{error_view::ErrorView, loading::Loading};
use crate::session::Session;
use leptos::prelude::*;

/// How many sources the page asks for (the contract's default page size).
const PAGE_SIZE: i64 = 50;

/// The sources table, or "No sources yet".
#[component]
pub fn SourcesPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let rows = LocalResource::new(move || sources::list(session, PAGE_SIZE));
    view! {
        <div class="page-head">
            <h1>"Sources"</h1>
        </div>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors/> }>
                {move || rows.get().map(|result| result.map(|rows| view! { <SourcesTable rows/> }))}
            </ErrorBoundary>
        </Transition>
    }
}

/// The table itself; on narrow screens each row becomes a card (see style.css).
#[component]
fn SourcesTable(rows: Vec<SourceRow>) -> impl IntoView {
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
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! { <SourceLine row/> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// One source.
#[component]
fn SourceLine(row: SourceRow) -> impl IntoView {
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
