//! The link part of the detail pane. A linked node shows its service (with a link to the
//! service's page), who linked it and when, "Sync fields" with what happened to each mapped
//! field, and "Unlink". An unlinked node shows the ways to link it ([`super::link_pick`]).

use super::link_pick::LinkPicker;
use super::LinkMarks;
use crate::api::links::{self, Change, FieldOutcome, LiveLink};
use crate::api::nodes::value_text;
use crate::api::sources::local_time;
use crate::components::loader::Loader;
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;

/// Loads node `id`'s link and shows it, or the ways to link it; reads it again after each
/// link or unlink.
#[component]
pub fn LinkPanel(id: String) -> impl IntoView {
    let session = expect_context::<Session>();
    // Bumped after each change: the link is read again.
    let version = RwSignal::new(0_u32);
    let error = RwSignal::new(None::<String>);
    let node = StoredValue::new(id);
    let marks = use_context::<LinkMarks>();
    let state = Loader::new(move || {
        version.track();
        links::linking(session, node.get_value())
    });
    let act = Action::new_local(move |change: &Change| {
        let change = change.clone();
        async move {
            error.set(None);
            let linked = change != Change::Unlink;
            match links::change(session, node.get_value(), change).await {
                Ok(()) => {
                    if let Some(marks) = marks {
                        marks.0.update(|m| {
                            m.insert(node.get_value(), linked);
                        });
                    }
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let run = Callback::new(move |change: Change| {
        act.dispatch_local(change);
    });
    let busy = Signal::derive(move || act.pending().get());
    let body = move || {
        state.get().map(|result| match result {
            Ok(linking) => match linking.link {
                Some(link) => view! { <Linked node=node.get_value() link run busy/> }.into_any(),
                None => view! {
                    <p class="link-state unlinked" data-testid="detail-link">"● Not linked"</p>
                    <LinkPicker
                        node=node.get_value()
                        provider=linking.provider
                        node_type=linking.node_type
                        run
                        busy
                    />
                }
                .into_any(),
            },
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <div class="link-panel" data-testid="link-panel">
            {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="link-error">{e}</p> })}
            {body}
        </div>
    }
}

/// A linked node: its service, "Sync fields", "Unlink", and the last field sync.
#[component]
fn Linked(
    node: String,
    link: LiveLink,
    run: Callback<Change>,
    busy: Signal<bool>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let outcomes = RwSignal::new(link.last_sync.clone());
    let sync_error = RwSignal::new(None::<String>);
    let sync = Action::new_local(move |node: &String| {
        let node = node.clone();
        async move {
            sync_error.set(None);
            match links::sync_fields(session, node).await {
                Ok(results) => outcomes.set(results),
                Err(e) => sync_error.set(Some(e.to_string())),
            }
        }
    });
    let by = link
        .linked_by
        .map(|by| format!(" by {by}"))
        .unwrap_or_default();
    let since = format!("Linked {}{by}", local_time(Some(&link.linked_at)));
    let href = format!("/services/{}", link.service.id);
    view! {
        <p class="link-state linked" data-testid="detail-link">
            "✓ Linked to "
            <a href=href data-testid="linked-service">{link.service.name.clone()}</a>
        </p>
        <p class="muted small">{link.service.detail.clone()}" · "{since}</p>
        <Show when=move || me.can_operate()>
            <div class="button-row start">
                <button
                    type="button"
                    class="small-button"
                    data-testid="sync-fields"
                    disabled=move || sync.pending().get()
                    on:click={
                        let node = node.clone();
                        move |_| {
                            sync.dispatch_local(node.clone());
                        }
                    }
                >
                    {move || if sync.pending().get() { "Syncing…" } else { "Sync fields" }}
                </button>
                <button
                    type="button"
                    class="secondary danger small-button"
                    data-testid="unlink"
                    disabled=move || busy.get()
                    on:click=move |_| run.run(Change::Unlink)
                >
                    "Unlink"
                </button>
            </div>
        </Show>
        {move || sync_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || view! { <Outcomes outcomes=outcomes.get()/> }}
    }
}

/// What the last field sync did to each mapped field.
#[component]
fn Outcomes(outcomes: Vec<FieldOutcome>) -> impl IntoView {
    if outcomes.is_empty() {
        return view! { <p class="muted small" data-testid="field-sync-empty">"No field sync yet."</p> }
            .into_any();
    }
    view! {
        <h3>"Field sync"</h3>
        <table class="fields-table" data-testid="field-sync">
            <tbody>
                {outcomes
                    .into_iter()
                    .map(|o| {
                        let class = match o.status.as_str() {
                            "SYNCED" => "badge ok",
                            "UNCHANGED" => "badge muted",
                            "SKIPPED" => "badge warn",
                            _ => "badge bad",
                        };
                        let value = o.value.as_ref().map(value_text).unwrap_or_else(|| "—".into());
                        let why = o.message.clone().unwrap_or_default();
                        view! {
                            <tr data-testid="field-outcome">
                                <th scope="row">{format!("{} → {}", o.node_field, o.service_field)}</th>
                                <td>
                                    <span class=class>{crate::api::jobs::enum_words(&o.status)}</span>
                                    " "
                                    {value}
                                    {(!why.is_empty()).then(|| view! { <span class="when">{why}</span> })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
