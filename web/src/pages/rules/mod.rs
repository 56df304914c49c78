//! `/sources/:id/rules`: a source's sync rules in the order they run, each with its node type,
//! condition, action, params and how many nodes it matched when the rules last ran; move up or
//! down, edit, delete (confirmed); and the form ([`form`]) that creates or edits one.

mod form;

use crate::api::rules::{self, action_label, Edit, Rule, Rules};
use crate::components::loader::Loader;
use crate::components::me::Me;
use crate::session::Session;
use form::RuleForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Loads the rules; reloads them after each edit.
#[component]
pub fn RulesPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let source_id = move || params.read().get("id").unwrap_or_default();
    let version = RwSignal::new(0_u32);
    let error = RwSignal::new(None::<String>);
    let data = Loader::new(move || {
        version.track();
        rules::load(session, source_id())
    });
    // Moves and deletes; the form sends its own edits (to show errors beside its inputs).
    let act = Action::new_local(move |edit: &Edit| {
        let edit = edit.clone();
        async move {
            match rules::apply(session, edit).await {
                Ok(()) => {
                    error.set(None);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let edit = Callback::new(move |e: Edit| {
        act.dispatch_local(e);
    });
    let changed = Callback::new(move |()| version.update(|v| *v += 1));
    view! {
        {data.page(move |rules| view! { <RuleList source_id=source_id() rules edit changed error/> })}
    }
}

#[component]
fn RuleList(
    source_id: String,
    rules: Rules,
    edit: Callback<Edit>,
    changed: Callback<()>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let me = expect_context::<Me>();
    // The rule in the form (None: a new rule).
    let editing = RwSignal::new(None::<Rule>);
    let count = rules.rules.len() as i64;
    let node_types = rules.node_types.clone();
    let source_href = format!("/sources/{source_id}");
    let list = if rules.rules.is_empty() {
        view! { <p class="muted" data-testid="no-rules">"No rules yet: every node is imported and left for you to link."</p> }.into_any()
    } else {
        view! {
            <ol class="rule-list" data-testid="rules">
                {rules
                    .rules
                    .into_iter()
                    .map(|rule| view! { <RuleCard rule count edit editing/> })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <div class="page-head">
            <div>
                <h1>"Sync rules"</h1>
                <p class="muted subtitle"><a href=source_href>{rules.name}</a>" · rules run in order after each import; the first that decides wins"</p>
            </div>
        </div>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="rules-error">{e}</p> })}
        <section class="card section" aria-label="Rules">{list}</section>
        <Show when=move || me.can_operate()>
            <RuleForm source_id=source_id.clone() node_types=node_types.clone() editing changed/>
        </Show>
    }
}

/// One rule: what it does, and its buttons.
#[component]
fn RuleCard(
    rule: Rule,
    count: i64,
    edit: Callback<Edit>,
    editing: RwSignal<Option<Rule>>,
) -> impl IntoView {
    let me = expect_context::<Me>();
    let confirming = RwSignal::new(false);
    let id = StoredValue::new(rule.id.clone());
    let position = rule.position;
    let scope = rule
        .node_type
        .clone()
        .map_or("Every node type".to_owned(), |t| format!("{t} nodes"));
    let params = match &rule.params {
        serde_json::Value::Object(map) if map.is_empty() => None,
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    };
    let matched = format!("Matched {} when the rules last ran", rule.matched_last_run);
    let stored = StoredValue::new(rule.clone());
    view! {
        <li class="rule" data-testid="rule" data-position=position>
            <div class="mapping-head">
                <h3 data-testid="rule-name">{format!("{position}. {}", rule.name)}</h3>
                {(!rule.enabled).then(|| view! { <span class="badge muted">"Off"</span> })}
                <span class="badge info">{action_label(&rule.action)}</span>
            </div>
            <p class="small muted">{scope}" · "<span data-testid="rule-matched">{matched}</span></p>
            <pre class="json" aria-label="Condition">{rule.condition.to_string()}</pre>
            {params.map(|p| view! { <p class="small">"Params: "<code>{p}</code></p> })}
            <Show when=move || me.can_operate()>
                <div class="button-row start">
                    <button type="button" class="secondary small-button" aria-label="Move up" data-testid="rule-up" disabled={position <= 1}
                        on:click=move |_| edit.run(Edit::Move(id.get_value(), position - 1))>"↑ Up"</button>
                    <button type="button" class="secondary small-button" aria-label="Move down" data-testid="rule-down" disabled={position >= count}
                        on:click=move |_| edit.run(Edit::Move(id.get_value(), position + 1))>"↓ Down"</button>
                    <button type="button" class="secondary small-button" data-testid="rule-edit"
                        on:click=move |_| editing.set(Some(stored.get_value()))>"Edit"</button>
                    <button type="button" class="secondary danger small-button" data-testid="rule-delete"
                        on:click=move |_| confirming.set(true)>"Delete"</button>
                </div>
            </Show>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-label="Confirm deletion">
                    <p>"Delete this rule?"</p>
                    <button type="button" class="danger small-button" data-testid="rule-delete-confirm"
                        on:click=move |_| edit.run(Edit::Delete(id.get_value()))>"Delete"</button>
                    <button type="button" class="secondary small-button" on:click=move |_| confirming.set(false)>"Keep"</button>
                </div>
            </Show>
        </li>
    }
}
