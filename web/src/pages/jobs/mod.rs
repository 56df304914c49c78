//! `/jobs`: the sync job queue and history, newest first, kept current by the
//! `syncJobUpdates` subscription (progress bars move as the server reports), with counts,
//! coverage and a Cancel button for queued and running jobs. `job` is one job's page.

pub mod job;
pub(crate) mod live;
mod undo;

use crate::api::jobs::{self, enum_words, Job};
use crate::api::sources::local_time;
use crate::components::{job_bar::JobBar, me::Me};
use crate::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use live::{follow_jobs, LiveMark};

/// How many jobs one page asks for.
const PAGE_SIZE: i64 = 25;

/// The list, with "Show more" and the live mark.
#[component]
pub fn JobsPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let list = RwSignal::new(Vec::<Job>::new());
    let next = RwSignal::new(None::<String>);
    let total = RwSignal::new(0_i64);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let load = move |after: Option<String>| {
        loading.set(true);
        spawn_local(async move {
            match jobs::list(session, None, PAGE_SIZE, after).await {
                Ok(page) => {
                    list.update(|l| {
                        for job in page.jobs {
                            if !l.iter().any(|j| j.id == job.id) {
                                l.push(job);
                            }
                        }
                    });
                    next.set(page.next);
                    total.set(page.total);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            loading.set(false);
        });
    };
    load(None);
    // A job seen live replaces its row; a new one goes on top.
    let live = follow_jobs(session, None, move |job: Job| {
        list.update(|l| match l.iter_mut().find(|j| j.id == job.id) {
            Some(row) => *row = job,
            None => {
                l.insert(0, job);
                total.update(|t| *t += 1);
            }
        });
    });
    view! {
        <div class="page-head">
            <h1>"Sync jobs"</h1>
            <LiveMark live/>
        </div>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || {
            (!loading.get() && list.with(Vec::is_empty))
                .then(|| {
                    view! {
                        <div class="empty" data-testid="jobs-empty">
                            <p class="empty-title">"No sync jobs yet"</p>
                            <p class="muted">"Jobs appear here when a source syncs, on its schedule or by Sync now."</p>
                        </div>
                    }
                })
        }}
        <div class="job-list" data-testid="job-list">
            <For
                each=move || list.get()
                key=|job| (job.id.clone(), format!("{:?}{}{:?}", job.status, job.progress.done, job.finished_at))
                children=move |job| view! { <JobCard job/> }
            />
        </div>
        <div class="list-foot">
            <span class="muted small">{move || format!("{} of {}", list.with(Vec::len), total.get())}</span>
            {move || {
                (!loading.get())
                    .then(|| next.get())
                    .flatten()
                    .map(|cursor| {
                        view! {
                            <button type="button" class="secondary" on:click=move |_| load(Some(cursor.clone()))>
                                "Show more"
                            </button>
                        }
                    })
            }}
        </div>
    }
}

/// One job in the list: what and where, its bar, counts, coverage, when; Cancel.
#[component]
pub fn JobCard(job: Job) -> impl IntoView {
    let me = expect_context::<Me>();
    let session = expect_context::<Session>();
    let error = RwSignal::new(None::<String>);
    let cancel = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            if let Err(e) = jobs::cancel(session, id).await {
                error.set(Some(e.to_string()));
            }
        }
    });
    let cancellable = job.in_progress();
    let id = job.id.clone();
    let (card_id, href) = (id.clone(), format!("/jobs/{id}"));
    let title = format!("{} of {}", enum_words(&job.kind), job.source.name);
    let when = match (&job.finished_at, &job.started_at) {
        (Some(at), _) => format!("Finished {}", local_time(Some(at))),
        (None, Some(at)) => format!("Started {}", local_time(Some(at))),
        _ => format!("Queued {}", local_time(Some(&job.queued_at))),
    };
    let s = &job.stats;
    let counts = format!(
        "{} new · {} changed · {} deleted · {} unchanged · {} skipped · {} failed",
        s.created, s.updated, s.deleted, s.unchanged, s.skipped, s.failed
    );
    let coverage = coverage_text(&job);
    let job_error = job.error.clone();
    view! {
        <article class="card job-card" data-testid="job-card" data-job-id=card_id>
            <div class="job-head">
                <a href=href class="job-title" data-testid="job-link">{title}</a>
                <span class="muted small">{format!("{} · {when}", enum_words(&job.trigger))}</span>
            </div>
            <JobBar job=job.clone()/>
            <p class="small" data-testid="job-counts">{counts}</p>
            {(!coverage.is_empty()).then(|| view! { <p class="small muted" data-testid="job-coverage">{coverage}</p> })}
            {job_error.map(|e| view! { <p class="form-error" data-testid="job-error">{e}</p> })}
            <Show when=move || cancellable && me.can_operate()>
                <button
                    type="button"
                    class="secondary small-button"
                    data-testid="cancel-job"
                    disabled=move || cancel.pending().get()
                    on:click={
                        let id = id.clone();
                        move |_| {
                            cancel.dispatch(id.clone());
                        }
                    }
                >
                    "Cancel"
                </button>
            </Show>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </article>
    }
}

/// "Companies 40/40 ✓ · Configurations 12 of ? …": what each entity kind received of what
/// the provider reported.
pub fn coverage_text(job: &Job) -> String {
    job.coverage
        .iter()
        .map(|c| {
            let of = c.reported.map_or_else(|| "?".to_owned(), |r| r.to_string());
            let mark = if c.complete { " ✓" } else { "" };
            format!("{} {}/{of}{mark}", c.entity, c.received)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
