//! Value mappings: pick a source and a kind; each value the source's last import found is
//! listed with what it maps to: nothing (it passes through as it is), "Don't sync", or one of
//! the organization's internal values. Changing the choice saves it at once.

use super::{Picks, Shared};
use crate::api::dictionary::{self, ValueRow, VALUE_KINDS};
use crate::api::sources::provider_label;
use crate::components::loader::Loader;
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;

/// Choice values of the select that are not internal values.
const PASS: &str = "\u{0}pass";
const SKIP: &str = "\u{0}skip";

/// The section: source and kind pickers, then the values.
#[component]
pub fn ValueMappings(shared: Shared, picks: Picks) -> impl IntoView {
    let session = expect_context::<Session>();
    let sources: Vec<(String, String)> = shared.with_value(|c| {
        c.sources
            .edges
            .iter()
            .map(|e| {
                let s = &e.node;
                (
                    s.id.clone(),
                    format!("{} ({})", s.name, provider_label(&s.provider)),
                )
            })
            .collect()
    });
    let Picks { source, kind } = picks;
    if source.with_untracked(String::is_empty) {
        source.set(sources.first().map(|s| s.0.clone()).unwrap_or_default());
    }
    let (picked_source, picked_kind) = (source.get_untracked(), kind.get_untracked());
    let error = RwSignal::new(None::<String>);
    let data = Loader::new(move || {
        let (source, kind) = (source.get(), kind.get());
        async move {
            if source.is_empty() {
                return Ok((Vec::new(), Vec::new()));
            }
            dictionary::values(session, source, kind).await
        }
    });
    let save = Action::new_local(move |(external, choice): &(String, String)| {
        let mapped = match choice.as_str() {
            PASS => None,
            SKIP => Some(None),
            value => Some(Some(value.to_owned())),
        };
        let external = external.clone();
        async move {
            let result = dictionary::set_value(
                session,
                source.get_untracked(),
                kind.get_untracked(),
                external,
                mapped,
            )
            .await;
            match result {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(e.to_string())),
            }
            data.refetch();
        }
    });
    let table = move || {
        data.get().map(|result| match result {
            Ok((rows, _)) if rows.is_empty() => view! {
                <p class="muted" data-testid="no-values">
                    "This source has no values of this kind (a source that was never imported, or a switch, has none)."
                </p>
            }
            .into_any(),
            Ok((rows, internal)) => view! {
                <table class="fields-table" data-testid="value-mappings">
                    <thead><tr><th scope="col">"Value at the source"</th><th scope="col">"Maps to"</th></tr></thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|row| view! { <ValueLine row internal=internal.clone() save/> })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <section class="card section" aria-labelledby="value-mappings-title">
            <h2 id="value-mappings-title">"Value mappings"</h2>
            <p class="muted small">"What a source's own values (statuses, types) become here. A value with no mapping passes through as it is."</p>
            <div class="inline-form">
                <label>
                    "Source"
                    <select data-testid="value-source" on:change=move |ev| source.set(event_target_value(&ev))>
                        {sources
                            .into_iter()
                            .map(|(v, l)| {
                                let selected = v == picked_source;
                                view! { <option value=v selected=selected>{l}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Kind"
                    <select data-testid="value-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        {VALUE_KINDS
                            .iter()
                            .map(|(v, l)| view! { <option value=*v selected=*v == picked_kind>{*l}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="value-error">{e}</p> })}
            {table}
        </section>
    }
}

/// One external value and its choice.
#[component]
fn ValueLine(
    row: ValueRow,
    internal: Vec<String>,
    save: Action<(String, String), ()>,
) -> impl IntoView {
    let me = expect_context::<Me>();
    let current = match &row.mapped {
        None => PASS.to_owned(),
        Some(None) => SKIP.to_owned(),
        Some(Some(v)) => v.clone(),
    };
    // A mapping to a value since removed from the list is kept, so it stays choosable.
    let mut choices = internal;
    if let Some(Some(v)) = &row.mapped {
        if !choices.contains(v) {
            choices.push(v.clone());
        }
    }
    let external = row.external_id.clone();
    let label = format!("What {} maps to", row.name);
    view! {
        <tr data-testid="value-row">
            <th scope="row">{row.name.clone()}</th>
            <td>
                <select
                    aria-label=label
                    data-testid="value-choice"
                    disabled=move || !me.can_operate()
                    on:change=move |ev| {
                        save.dispatch_local((external.clone(), event_target_value(&ev)));
                    }
                >
                    <option value=PASS selected=current == PASS>"(as it is)"</option>
                    <option value=SKIP selected=current == SKIP>"Don't sync"</option>
                    {choices
                        .into_iter()
                        .map(|v| {
                            let selected = v == current;
                            view! { <option value=v.clone() selected=selected>{v.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </td>
        </tr>
    }
}
