//! One line of the sources table: the source's status, health and last job, and its actions
//! (Sync now, Edit, Pause/Resume, Delete after a confirmation).

use crate::api::sources::{
    self, in_progress, job_status_label, local_time, provider_label, status_label, SourceRow,
};
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;

/// One source.
#[component]
pub(super) fn SourceLine(row: SourceRow, refresh: Callback<()>) -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let busy = row
        .last_job
        .as_ref()
        .is_some_and(|j| in_progress(&j.status));
    let error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    // Every action of the row: run it, then show its error or reload the list.
    let act = Action::new_local(move |step: &Step| {
        let step = step.clone();
        async move {
            let result = match step {
                Step::Sync(id) => sources::force_sync(session, id).await.map(|_| ()),
                Step::Pause(id, pause) => sources::set_paused(session, id, pause).await,
                Step::Delete(id) => sources::delete(session, id).await,
            };
            match result {
                Ok(()) => {
                    error.set(None);
                    refresh.run(());
                }
                Err(err) => error.set(Some(err.to_string())),
            }
        }
    });
    let pending = act.pending();
    let id = row.id.clone();
    let paused = matches!(row.status, sources::SourceStatus::Paused);
    let status_class = if paused { "badge muted" } else { "badge ok" };
    let (job_text, job_class, finished, outcome) = match &row.last_job {
        Some(job) => (
            job_status_label(&job.status),
            job_badge_class(&job.status),
            local_time(job.finished_at.as_ref()),
            job.error.clone().unwrap_or_else(|| {
                let s = &job.stats;
                if in_progress(&job.status) {
                    String::new()
                } else {
                    format!(
                        "{} new · {} changed · {} deleted{}",
                        s.created,
                        s.updated,
                        s.deleted,
                        if s.failed > 0 {
                            format!(" · {} failed", s.failed)
                        } else {
                            String::new()
                        }
                    )
                }
            }),
        ),
        None => (
            "Never synced".to_owned(),
            "badge muted",
            String::new(),
            String::new(),
        ),
    };
    let job_link = row.last_job.as_ref().map(|j| format!("/jobs/{}", j.id));
    let health = row.health.message.clone();
    let rate = row
        .health
        .rate_limit
        .as_ref()
        .and_then(|r| match (r.remaining, r.limit) {
            (Some(remaining), Some(limit)) => Some(match r.window_seconds {
                Some(w) => format!("Rate limit: {remaining} of {limit} left per {w} s"),
                None => format!("Rate limit: {remaining} of {limit} left"),
            }),
            _ => None,
        });
    let sync_label = format!("Sync {} now", row.name);
    let confirm_text = format!("Delete {}? Its nodes and links go with it.", row.name);
    let view_href = format!("/sources/{id}");
    let edit_href = format!("/sources/{id}/edit");
    let (sync_id, pause_id, delete_id) = (id.clone(), id.clone(), id.clone());
    view! {
        <tr data-testid="source-row" data-source-id=id.clone()>
            <td data-label="Name" class="name">
                <a href=view_href data-testid="source-link">{row.name.clone()}</a>
            </td>
            <td data-label="Provider">{provider_label(&row.provider)}</td>
            <td data-label="Status">
                <span class=status_class data-testid="source-status">{status_label(&row.status)}</span>
            </td>
            <td data-label="Last sync">
                <div>
                    {match job_link {
                        Some(href) => view! { <a href=href class=job_class>{job_text}</a> }.into_any(),
                        None => view! { <span class=job_class>{job_text}</span> }.into_any(),
                    }}
                    <span class="when">{finished}</span>
                    <span class="when">{outcome}</span>
                </div>
            </td>
            <td data-label="Health" class="health">
                {match health {
                    Some(message) => view! { <span class="warn">{message}</span> }.into_any(),
                    None => view! { <span class="muted">"OK"</span> }.into_any(),
                }}
                {rate.map(|r| view! { <span class="when">{r}</span> })}
            </td>
            <td data-label="" class="actions">
                <Show when=move || me.can_operate()>
                    <div class="button-row">
                        <button
                            type="button"
                            data-testid="sync-now"
                            aria-label=sync_label.clone()
                            disabled=move || busy || pending.get()
                            on:click={
                                let id = sync_id.clone();
                                move |_| {
                                    act.dispatch(Step::Sync(id.clone()));
                                }
                            }
                        >
                            {if busy { "Syncing…" } else { "Sync now" }}
                        </button>
                        <a class="button secondary" href=edit_href.clone() data-testid="edit-source">
                            "Edit"
                        </a>
                        <button
                            type="button"
                            class="secondary"
                            data-testid="pause-source"
                            disabled=move || pending.get()
                            on:click={
                                let id = pause_id.clone();
                                move |_| {
                                    act.dispatch(Step::Pause(id.clone(), !paused));
                                }
                            }
                        >
                            {if paused { "Resume" } else { "Pause" }}
                        </button>
                        <Show when=move || me.is_admin()>
                            <button
                                type="button"
                                class="secondary danger"
                                data-testid="delete-source"
                                aria-expanded=move || confirming.get().to_string()
                                on:click=move |_| confirming.set(true)
                            >
                                "Delete"
                            </button>
                        </Show>
                    </div>
                </Show>
                <Show when=move || confirming.get()>
                    <div class="confirm" role="alertdialog" aria-label="Confirm deletion">
                        <p>{confirm_text.clone()}</p>
                        <button
                            type="button"
                            class="danger"
                            data-testid="confirm-delete"
                            on:click={
                                let id = delete_id.clone();
                                move |_| {
                                    confirming.set(false);
                                    act.dispatch(Step::Delete(id.clone()));
                                }
                            }
                        >
                            "Delete source"
                        </button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                            "Cancel"
                        </button>
                    </div>
                </Show>
                {move || {
                    error
                        .get()
                        .map(|e| view! { <p class="form-error" data-testid="sync-error" role="alert">{e}</p> })
                }}
            </td>
        </tr>
    }
}

/// What a row's buttons ask for.
#[derive(Clone)]
enum Step {
    Sync(String),
    /// `true`: pause; `false`: resume.
    Pause(String, bool),
    Delete(String),
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
