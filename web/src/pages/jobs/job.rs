//! `/jobs/:id`: one job, live (its bar, counts and coverage follow `syncJobUpdates`), and its
//! log a page at a time with a level filter. The log is read again when the job ends.

use super::live::{follow_jobs, LiveMark};
use super::undo::UndoJob;
use super::JobCard;
use crate::api::jobs::{self, level_label, Job, LogLevel, LogLine};
use crate::api::sources::local_time;
use crate::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

/// How many log lines one page asks for.
const PAGE_SIZE: i64 = 100;

/// The job page (the route's `:id`).
#[component]
pub fn JobPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let id = params.read().get("id").unwrap_or_default();
        view! { <JobView id/> }
    }
}

#[component]
fn JobView(id: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let job = RwSignal::new(None::<Job>);
    let lines = RwSignal::new(Vec::<LogLine>::new());
    let next = RwSignal::new(None::<String>);
    let total = RwSignal::new(0_i64);
    let level = RwSignal::new(None::<LogLevel>);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let job_id = StoredValue::new(id.clone());
    // Loads a page of the log (from the start when `after` is None) with the job itself.
    let load = move |after: Option<String>| {
        loading.set(true);
        let fresh = after.is_none();
        spawn_local(async move {
            let level = level.get_untracked();
            match jobs::with_log(session, job_id.get_value(), level, PAGE_SIZE, after).await {
                Ok(Some(page)) => {
                    job.set(Some(page.job));
                    lines.update(|l| {
                        if fresh {
                            l.clear();
                        }
                        l.extend(page.lines);
                    });
                    next.set(page.next);
                    total.set(page.total);
                    error.set(None);
                }
                Ok(None) => error.set(Some("This job no longer exists.".to_owned())),
                Err(e) => error.set(Some(e.to_string())),
            }
            loading.set(false);
        });
    };
    load(None);
    let live = follow_jobs(session, Some(id), move |update: Job| {
        let ended = job.with_untracked(|j| j.as_ref().is_some_and(Job::in_progress))
            && !update.in_progress();
        job.set(Some(update));
        if ended {
            load(None);
        }
    });
    let pick_level = move |ev: leptos::ev::Event| {
        level.set(match event_target_value(&ev).as_str() {
            "DEBUG" => Some(LogLevel::Debug),
            "INFO" => Some(LogLevel::Info),
            "WARN" => Some(LogLevel::Warn),
            "ERROR" => Some(LogLevel::Error),
            _ => None,
        });
        load(None);
    };
    view! {
        <div class="page-head">
            <h1>"Sync job"</h1>
            <div class="button-row">
                <LiveMark live/>
                <a href="/jobs" class="button secondary">"All jobs"</a>
            </div>
        </div>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || job.get().map(|job| view! { <JobCard job=job.clone()/> <UndoJob job/> })}
        <section class="card log" aria-labelledby="log-head">
            <div class="log-head">
                <h2 id="log-head">"Log"</h2>
                <label for="log-level" class="inline-label">"Show"</label>
                <select id="log-level" data-testid="log-level" on:change=pick_level>
                    <option value="">"Everything"</option>
                    <option value="INFO">"Info and above"</option>
                    <option value="WARN">"Warnings and errors"</option>
                    <option value="ERROR">"Errors only"</option>
                </select>
                <span class="muted small" data-testid="log-count">
                    {move || format!("{} lines", total.get())}
                </span>
            </div>
            <ol class="log-lines" data-testid="log-lines">
                {move || {
                    lines
                        .get()
                        .into_iter()
                        .map(|line| {
                            let class = format!("log-line {}", level_label(&line.level).to_lowercase());
                            let about = match (&line.node_type, &line.external_id) {
                                (Some(t), Some(x)) => format!("{t} {x}"),
                                (Some(t), None) => t.clone(),
                                (None, Some(x)) => x.clone(),
                                (None, None) => String::new(),
                            };
                            view! {
                                <li class=class data-testid="log-line" data-level=level_label(&line.level)>
                                    <span class="log-at">{local_time(Some(&line.at))}</span>
                                    <span class="log-level">{level_label(&line.level)}</span>
                                    <span class="log-message">{line.message.clone()}</span>
                                    {(!about.is_empty()).then(|| view! { <span class="log-about">{about}</span> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            {move || {
                (!loading.get() && lines.with(Vec::is_empty))
                    .then(|| view! { <p class="muted small">"No log lines at this level."</p> })
            }}
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
        </section>
    }
}
