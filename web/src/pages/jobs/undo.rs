//! "Undo this job" on a finished job's page: every value the job changed goes back and the
//! links it made end, as an UNDO job (which the page then opens). A value changed again since
//! makes the server refuse (CONFLICT); the refusal is shown in words beside the button.

use crate::api::jobs::Job;
use crate::api::plans;
use crate::api::ApiError;
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The undo control for `job`: a link to its UNDO job once undone, the button (confirmed)
/// while it may be undone, nothing otherwise.
#[component]
pub fn UndoJob(job: Job) -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let navigate = use_navigate();
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    if let Some(undo) = job.undone_by {
        return view! {
            <p class="muted" data-testid="undone-by">
                "This job was undone: " <a href=format!("/jobs/{}", undo.id)>"see the undo job"</a>
            </p>
        }
        .into_any();
    }
    if job.in_progress() || job.kind == "UNDO" {
        return ().into_any();
    }
    let id = StoredValue::new(job.id);
    let undo = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            error.set(None);
            confirming.set(false);
            match plans::undo(session, id.get_value()).await {
                Ok(undo) => navigate(&format!("/jobs/{undo}"), Default::default()),
                Err(ApiError::Conflict(why)) => error.set(Some(format!(
                    "This job cannot be undone: a value it wrote was changed again since ({why})."
                ))),
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    view! {
        <Show when=move || me.can_operate()>
            <div class="actions" data-testid="undo-panel">
                <Show when=move || !confirming.get()>
                    <button type="button" class="secondary" data-testid="undo-job" on:click=move |_| confirming.set(true)>
                        "Undo this job"
                    </button>
                </Show>
                <Show when=move || confirming.get()>
                    <div class="confirm" role="alertdialog" aria-label="Confirm undo">
                        <p>"Put back every value this job changed and end the links it made?"</p>
                        <button type="button" class="danger" data-testid="confirm-undo" disabled=move || undo.pending().get() on:click=move |_| { undo.dispatch(()); }>
                            "Undo"
                        </button>
                        <button type="button" class="secondary" on:click=move |_| confirming.set(false)>"Keep"</button>
                    </div>
                </Show>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="undo-error">{e}</p> })}
            </div>
        </Show>
    }
    .into_any()
}
