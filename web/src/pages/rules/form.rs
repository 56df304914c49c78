//! The rule form: name, on/off, node type, action, the condition and params as JSON. Text
//! that is not JSON is caught here; the server's BAD_USER_INPUT (which names the part, e.g.
//! `input.condition.any.1.op`) is shown under the input it is about.

use crate::api::rules::{self, action_name, Draft, Edit, Rule, ACTIONS};
use crate::api::ApiError;
use crate::session::Session;
use leptos::prelude::*;
use serde_json::Value;

/// What a new rule's condition starts as: a shape to edit.
const EXAMPLE: &str = r#"{"all": [{"field": "name", "op": "contains", "value": "test"}]}"#;

/// Creates a rule, or saves `editing` when set; `changed` runs after a save.
#[component]
pub fn RuleForm(
    source_id: String,
    node_types: Vec<String>,
    editing: RwSignal<Option<Rule>>,
    changed: Callback<()>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let name = RwSignal::new(String::new());
    let enabled = RwSignal::new(true);
    let node_type = RwSignal::new(String::new());
    let action = RwSignal::new(ACTIONS[0].0.to_owned());
    let condition = RwSignal::new(EXAMPLE.to_owned());
    let params = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    // Filled from the rule picked with "Edit"; emptied for a new one.
    Effect::new(move |_| match editing.get() {
        Some(rule) => {
            name.set(rule.name);
            enabled.set(rule.enabled);
            node_type.set(rule.node_type.unwrap_or_default());
            action.set(action_name(&rule.action));
            condition.set(rule.condition.to_string());
            params.set(match rule.params {
                Value::Null => String::new(),
                Value::Object(m) if m.is_empty() => String::new(),
                p => p.to_string(),
            });
            error.set(None);
        }
        None => {
            name.set(String::new());
            enabled.set(true);
            node_type.set(String::new());
            condition.set(EXAMPLE.to_owned());
            params.set(String::new());
        }
    });
    let source = StoredValue::new(source_id);
    let save = Action::new_local(move |_: &()| {
        let draft = read(name, enabled, node_type, condition, params, action);
        let rule = editing.get_untracked().map(|r| r.id);
        async move {
            let draft = match draft {
                Ok(draft) => draft,
                Err(e) => {
                    error.set(Some(e));
                    return;
                }
            };
            let edit = match rule {
                Some(id) => Edit::Update(id, draft),
                None => Edit::Create(source.get_value(), draft),
            };
            match rules::apply(session, edit).await {
                Ok(()) => {
                    error.set(None);
                    editing.set(None);
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(());
    };
    // The error under one input: those naming `field` or a part of it.
    let under = move |field: &'static str| {
        move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|e| {
                        e.field()
                            .is_some_and(|f| f == field || f.starts_with(&format!("{field}.")))
                    })
                    .map(ToString::to_string)
            })
        }
    };
    // Anything not about one input goes under the form.
    let general = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| !matches!(e.field(), Some(f) if ["name", "nodeType", "condition", "params"].iter().any(|k| f == *k || f.starts_with(&format!("{k}.")))))
                .map(ToString::to_string)
        })
    };
    let types = node_types;
    view! {
        <form class="card form" data-testid="rule-form" on:submit=on_submit aria-labelledby="rule-form-title">
            <h2 id="rule-form-title">{move || if editing.with(Option::is_some) { "Edit rule" } else { "New rule" }}</h2>
            <div class="grid-2">
                <label>
                    "Name"
                    <input type="text" data-testid="rule-name-input" aria-describedby="rule-name-error" bind:value=name/>
                    <span class="field-error" id="rule-name-error" role="alert">{under("name")}</span>
                </label>
                <label>
                    "Node type"
                    <select data-testid="rule-node-type" aria-describedby="rule-type-error" prop:value=move || node_type.get() on:change=move |ev| node_type.set(event_target_value(&ev))>
                        <option value="">"Every node type"</option>
                        {types.into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                    </select>
                    <span class="field-error" id="rule-type-error" role="alert">{under("nodeType")}</span>
                </label>
                <label>
                    "Action"
                    <select data-testid="rule-action" prop:value=move || action.get() on:change=move |ev| action.set(event_target_value(&ev))>
                        {ACTIONS.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                    </select>
                </label>
                <label class="check inline">
                    <input type="checkbox" data-testid="rule-enabled" bind:checked=enabled/>
                    <span>"On"</span>
                </label>
            </div>
            <label>
                "Condition (JSON: {\"all\" or \"any\": [{\"field\", \"op\", \"value\"}, …]})"
                <textarea rows="4" class="json" data-testid="rule-condition" aria-describedby="rule-condition-error" bind:value=condition></textarea>
                <span class="field-error" id="rule-condition-error" role="alert" data-testid="rule-condition-error">{under("condition")}</span>
            </label>
            <label>
                "Params (JSON, optional: {\"minScore\": 0.8}, {\"fieldKey\": …, \"value\": …})"
                <textarea rows="2" class="json" data-testid="rule-params" aria-describedby="rule-params-error" bind:value=params></textarea>
                <span class="field-error" id="rule-params-error" role="alert">{under("params")}</span>
            </label>
            <p class="form-error" role="alert">{general}</p>
            <div class="button-row start">
                <button type="submit" data-testid="rule-save" disabled=move || save.pending().get()>
                    {move || if editing.with(Option::is_some) { "Save rule" } else { "Add rule" }}
                </button>
                <Show when=move || editing.with(Option::is_some)>
                    <button type="button" class="secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
                </Show>
            </div>
        </form>
    }
}

/// The form as a draft, or the BAD_USER_INPUT naming the text that is not JSON.
fn read(
    name: RwSignal<String>,
    enabled: RwSignal<bool>,
    node_type: RwSignal<String>,
    condition: RwSignal<String>,
    params: RwSignal<String>,
    action: RwSignal<String>,
) -> Result<Draft, ApiError> {
    let json = |text: String, field: &str| {
        serde_json::from_str::<Value>(&text).map_err(|e| ApiError::BadUserInput {
            field: Some(format!("input.{field}")),
            message: format!("This is not JSON: {e}."),
        })
    };
    let params = params.get_untracked();
    let node_type = node_type.get_untracked();
    Ok(Draft {
        name: name.get_untracked().trim().to_owned(),
        enabled: enabled.get_untracked(),
        node_type: (!node_type.is_empty()).then_some(node_type),
        condition: json(condition.get_untracked(), "condition")?,
        action: action.get_untracked(),
        params: if params.trim().is_empty() {
            None
        } else {
            Some(json(params, "params")?)
        },
    })
}
