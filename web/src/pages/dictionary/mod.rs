//! `/dictionary`: how providers' records become services. Type mappings (a provider's node
//! type ↔ a service type; add, delete), each with its field mappings ([`fields`]: add, change
//! direction, enable/disable, delete), and a source's value mappings ([`values`]: its external
//! values → the organization's internal values, or "don't sync"). Editing needs OPERATOR.

mod fields;
mod values;

use crate::api::dictionary::{self, Catalog, Edit, TypeMapping, VALUE_KINDS};
use crate::api::links::enum_name;
use crate::api::sources::provider_label;
use crate::components::loader::Loader;
use crate::components::me::Me;
use crate::session::Session;
use fields::FieldMappings;
use leptos::prelude::*;
use values::ValueMappings;

/// The catalog, shared by the sections (read without tracking).
pub(crate) type Shared = StoredValue<Catalog>;

/// The source (id) and kind (GraphQL name) the value section shows.
#[derive(Clone, Copy)]
pub(crate) struct Picks {
    pub source: RwSignal<String>,
    pub kind: RwSignal<String>,
}

/// Loads the mappings and the catalog; reloads them after each edit.
#[component]
pub fn DictionaryPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let version = RwSignal::new(0_u32);
    let error = RwSignal::new(None::<String>);
    let catalog = Loader::new(move || {
        version.track();
        dictionary::load(session)
    });
    let act = Action::new_local(move |edit: &Edit| {
        let edit = edit.clone();
        async move {
            match dictionary::apply(session, edit).await {
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
    // The value section's picks live here: reloading the mappings keeps them.
    let picks = Picks {
        source: RwSignal::new(String::new()),
        kind: RwSignal::new(VALUE_KINDS[0].0.to_owned()),
    };
    view! {
        <div class="page-head">
            <h1>"Dictionary"</h1>
        </div>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="dictionary-error">{e}</p> })}
        {catalog.page(move |catalog| view! { <Mappings catalog edit picks/> })}
    }
}

#[component]
fn Mappings(catalog: Catalog, edit: Callback<Edit>, picks: Picks) -> impl IntoView {
    let me = expect_context::<Me>();
    let mappings = catalog.type_mappings.clone();
    let shared: Shared = StoredValue::new(catalog);
    view! {
        <section class="card section" aria-labelledby="type-mappings-title">
            <h2 id="type-mappings-title">"Type mappings"</h2>
            <p class="muted small">"Which service type a provider's records of a node type become, and how their fields map."</p>
            <Show when=move || me.can_operate()>
                <AddTypeMapping shared edit/>
            </Show>
            {if mappings.is_empty() {
                view! { <p class="muted" data-testid="no-type-mappings">"No type mappings yet."</p> }.into_any()
            } else {
                mappings
                    .into_iter()
                    .map(|mapping| view! { <TypeMappingCard mapping shared edit/> })
                    .collect_view()
                    .into_any()
            }}
        </section>
        <ValueMappings shared picks/>
    }
}

/// Provider, node type, service type → "Add mapping".
#[component]
fn AddTypeMapping(shared: Shared, edit: Callback<Edit>) -> impl IntoView {
    let providers = shared.with_value(|c| {
        c.providers
            .iter()
            .filter(|p| p.available)
            .map(|p| (enum_name(&p.provider), p.label.clone()))
            .collect::<Vec<_>>()
    });
    let types = shared.with_value(|c| {
        c.service_types
            .iter()
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect::<Vec<_>>()
    });
    let provider = RwSignal::new(providers.first().map(|p| p.0.clone()).unwrap_or_default());
    let node_types = move || {
        let wanted = provider.get();
        shared.with_value(|c| {
            c.providers
                .iter()
                .find(|p| enum_name(&p.provider) == wanted)
                .map(|p| {
                    p.node_types
                        .iter()
                        .map(|t| t.name.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let node_type = RwSignal::new(String::new());
    let service_type = RwSignal::new(types.first().map(|t| t.0.clone()).unwrap_or_default());
    // A new provider offers its own node types: pick its first.
    Effect::new(move |_| node_type.set(node_types().first().cloned().unwrap_or_default()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        edit.run(Edit::CreateType {
            provider: provider.get_untracked(),
            node_type: node_type.get_untracked(),
            service_type: service_type.get_untracked(),
        });
    };
    view! {
        <form class="inline-form" data-testid="add-type-mapping" on:submit=on_submit>
            <label>
                "Provider"
                <select data-testid="new-mapping-provider" on:change=move |ev| provider.set(event_target_value(&ev))>
                    {providers.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Node type"
                <select data-testid="new-mapping-node-type" on:change=move |ev| node_type.set(event_target_value(&ev))>
                    {move || node_types().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Service type"
                <select data-testid="new-mapping-service-type" on:change=move |ev| service_type.set(event_target_value(&ev))>
                    {types.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" data-testid="add-type-mapping-submit">"Add mapping"</button>
        </form>
    }
}

/// One type mapping: its title, "Delete" (confirmed), and its field mappings.
#[component]
fn TypeMappingCard(mapping: TypeMapping, shared: Shared, edit: Callback<Edit>) -> impl IntoView {
    let me = expect_context::<Me>();
    let confirming = RwSignal::new(false);
    let title = format!(
        "{} · {} → {}",
        provider_label(&mapping.provider),
        mapping.node_type,
        mapping.service_type.name
    );
    let id = mapping.id.clone();
    let confirm_text = format!("Delete the mapping {title} and its field mappings?");
    view! {
        <article class="mapping" data-testid="type-mapping">
            <div class="mapping-head">
                <h3 data-testid="type-mapping-title">{title.clone()}</h3>
                <Show when=move || me.can_operate() && !confirming.get()>
                    <button type="button" class="secondary danger small-button" on:click=move |_| confirming.set(true)>
                        "Delete"
                    </button>
                </Show>
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog">
                    <p>{confirm_text.clone()}</p>
                    <button type="button" class="danger small-button" on:click={
                        let id = id.clone();
                        move |_| edit.run(Edit::DeleteType(id.clone()))
                    }>"Delete"</button>
                    <button type="button" class="secondary small-button" on:click=move |_| confirming.set(false)>"Keep"</button>
                </div>
            </Show>
            <FieldMappings mapping shared edit/>
        </article>
    }
}
