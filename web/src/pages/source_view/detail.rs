//! The detail pane of the source view: one node's name, type, external id, its link (or the
//! ways to link it, [`super::linking`]), place in the tree, first and last seen, and every
//! field (labelled from the provider's node type).

use super::linking::LinkPanel;
use super::Labels;
use crate::api::nodes::{self, value_text, Detail};
use crate::api::sources::local_time;
use crate::api::ApiError;
use crate::components::loader::Loader;
use crate::session::Session;
use leptos::prelude::*;

/// Loads node `id` and shows it; "Close" clears the selection.
#[component]
pub fn DetailPane(id: String, selected: RwSignal<Option<String>>, labels: Labels) -> impl IntoView {
    let session = expect_context::<Session>();
    let node = Loader::new(move || {
        let id = id.clone();
        async move {
            nodes::detail(session, id)
                .await?
                .ok_or_else(|| ApiError::NotFound("this node no longer exists".into()))
        }
    });
    view! {
        {node.page(move |node| view! { <NodeFacts node selected labels/> })}
    }
}

#[component]
fn NodeFacts(node: Detail, selected: RwSignal<Option<String>>, labels: Labels) -> impl IntoView {
    let path = node
        .ancestors
        .iter()
        .map(|a| a.name.clone())
        .collect::<Vec<_>>()
        .join(" › ");
    let fields: Vec<(String, String)> = match &node.fields {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(key, value)| {
                let label = labels
                    .with_value(|l| l.get(&(node.type_.clone(), key.clone())).cloned())
                    .unwrap_or_else(|| key.clone());
                (label, value_text(value))
            })
            .collect(),
        other => vec![("Value".to_owned(), value_text(other))],
    };
    view! {
        <div class="detail" data-testid="node-detail">
            <div class="detail-head">
                <h2 data-testid="detail-name">{node.name.clone()}</h2>
                <button
                    type="button"
                    class="secondary small-button"
                    aria-label="Close the detail"
                    on:click=move |_| selected.set(None)
                >
                    "Close"
                </button>
            </div>
            <LinkPanel id=node.id.clone()/>
            <dl class="facts">
                <dt>"Type"</dt>
                <dd data-testid="detail-type">{node.type_.clone()}</dd>
                <dt>"External id"</dt>
                <dd data-testid="detail-external-id">{node.external_id.clone()}</dd>
                {(!path.is_empty()).then(|| view! { <dt>"In"</dt><dd>{path}</dd> })}
                <dt>"First seen"</dt>
                <dd>{local_time(Some(&node.first_seen_at))}</dd>
                <dt>"Last seen"</dt>
                <dd>{local_time(Some(&node.last_seen_at))}</dd>
                {node
                    .deleted_at
                    .as_ref()
                    .map(|at| view! { <dt>"Deleted"</dt><dd class="warn">{local_time(Some(at))}</dd> })}
            </dl>
            <h3>"Fields"</h3>
            {if fields.is_empty() {
                view! { <p class="muted">"No fields."</p> }.into_any()
            } else {
                view! {
                    <table class="fields-table" data-testid="detail-fields">
                        <tbody>
                            {fields
                                .into_iter()
                                .map(|(label, value)| view! { <tr><th scope="row">{label}</th><td>{value}</td></tr> })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </div>
    }
}
