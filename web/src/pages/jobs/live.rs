//! Live job updates for the jobs pages: the `syncJobUpdates` subscription, held as long as
//! the page is shown, and the "Live" mark saying whether it is connected.

use crate::api::jobs::{sync_job_updates, Job, SyncJobUpdates, UpdateData};
use crate::api::ws;
use crate::session::Session;
use leptos::prelude::*;

/// Subscribes (to one job when `job_id` is given) and calls `on_job` with each update until the
/// calling component is cleaned up. Returns whether the socket is live.
pub fn follow_jobs(
    session: Session,
    job_id: Option<String>,
    on_job: impl Fn(Job) + 'static,
) -> RwSignal<bool> {
    let live = RwSignal::new(false);
    let Some(token) = session.token() else {
        return live;
    };
    let subscription = ws::subscribe::<SyncJobUpdates, UpdateData>(
        token,
        sync_job_updates::Variables {
            source_id: None,
            job_id,
        },
        move |data| on_job(data.sync_job_updates),
        move |up| live.set(up),
    );
    // Dropped (closing the socket) when the page's owner is cleaned up.
    StoredValue::new_local(subscription);
    live
}

/// "● Live" while updates arrive, "Reconnecting…" otherwise.
#[component]
pub fn LiveMark(live: RwSignal<bool>) -> impl IntoView {
    view! {
        <span class="live" class:on=move || live.get() data-testid="live-mark" aria-live="polite">
            {move || if live.get() { "● Live" } else { "○ Connecting…" }}
        </span>
    }
}
