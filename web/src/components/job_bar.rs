//! A job's progress bar with its counts, as the jobs list and a job's page show it.

use crate::api::jobs::{status_class, status_label, Job};
use leptos::prelude::*;

/// Status badge, bar (indeterminate while the total is unknown) and "done of total".
#[component]
pub fn JobBar(job: Job) -> impl IntoView {
    let fraction = job.fraction();
    let running = job.in_progress();
    let finished_ok = !running && job.error.is_none();
    let percent = match (fraction, finished_ok) {
        (Some(f), _) => (f * 100.0).round() as i64,
        (None, true) => 100,
        (None, false) => 0,
    };
    let width = format!("width: {percent}%");
    let counts = match job.progress.total {
        Some(total) => format!("{} of {total}", job.progress.done),
        None => format!("{} so far", job.progress.done),
    };
    let bar_class = if running && fraction.is_none() {
        "bar indeterminate"
    } else {
        "bar"
    };
    view! {
        <div class="job-bar" data-testid="job-bar" data-status=status_label(&job.status)>
            <span class=status_class(&job.status) data-testid="job-status">
                {status_label(&job.status)}
            </span>
            <div
                class=bar_class
                role="progressbar"
                aria-label="Progress"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=percent
            >
                <div class="fill" style=width></div>
            </div>
            <span class="muted small">{counts}</span>
        </div>
    }
}
