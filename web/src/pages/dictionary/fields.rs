//! A type mapping's field mappings: node field → service field, direction (changed in place),
//! enabled (a checkbox), delete; and a row to add one, picking from the provider's fields of
//! the node type (or any custom field typed in) and the service type's fields.

use super::Shared;
use crate::api::dictionary::{Edit, FieldMapping, TypeMapping};
use crate::api::links::enum_name;
use crate::components::me::Me;
use leptos::prelude::*;

/// Directions: GraphQL name and words.
const DIRECTIONS: [(&str, &str); 3] = [
    ("SOURCE_TO_SERVICE", "Source → service"),
    ("SERVICE_TO_SOURCE", "Service → source"),
    ("BOTH", "Both ways"),
];

/// The table of one type mapping's field mappings, with the add row.
#[component]
pub fn FieldMappings(mapping: TypeMapping, shared: Shared, edit: Callback<Edit>) -> impl IntoView {
    let me = expect_context::<Me>();
    // Labels of the node type's fields, by key.
    let node_fields: Vec<(String, String)> = shared.with_value(|c| {
        c.providers
            .iter()
            .find(|p| enum_name(&p.provider) == enum_name(&mapping.provider))
            .and_then(|p| p.node_types.iter().find(|t| t.name == mapping.node_type))
            .map(|t| {
                t.fields
                    .iter()
                    .map(|f| (f.key.clone(), f.label.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });
    let label_of = {
        let node_fields = node_fields.clone();
        move |key: &str| {
            node_fields
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, l)| l.clone())
                .unwrap_or_else(|| key.to_owned())
        }
    };
    let service_fields: Vec<(String, String)> = mapping
        .service_type
        .fields
        .iter()
        .map(|f| (f.id.clone(), f.label.clone()))
        .collect();
    let rows = mapping
        .field_mappings
        .iter()
        .map(|fm| {
            let node_label = label_of(&fm.node_field);
            view! { <FieldRow fm=fm.clone() node_label edit/> }
        })
        .collect_view();
    let empty = mapping.field_mappings.is_empty();
    view! {
        <table class="fields-table mapping-fields" data-testid="field-mappings">
            <thead>
                <tr>
                    <th scope="col">"Node field"</th>
                    <th scope="col">"Service field"</th>
                    <th scope="col">"Direction"</th>
                    <th scope="col">"Enabled"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {empty.then(|| view! { <tr><td colspan="5" class="muted">"No field mappings yet."</td></tr> })}
                {rows}
            </tbody>
        </table>
        <Show when=move || me.can_operate()>
            <AddField type_mapping=mapping.id.clone() node_fields=node_fields.clone() service_fields=service_fields.clone() edit/>
        </Show>
    }
}

/// One field mapping, editable in place by OPERATOR and ADMIN.
#[component]
fn FieldRow(fm: FieldMapping, node_label: String, edit: Callback<Edit>) -> impl IntoView {
    let me = expect_context::<Me>();
    let current = enum_name(&fm.direction);
    let enabled = fm.enabled;
    let (dir_id, en_id, del_id) = (fm.id.clone(), fm.id.clone(), fm.id.clone());
    let read_only = move || !me.can_operate();
    view! {
        <tr data-testid="field-mapping">
            <td>{node_label}<span class="when">{fm.node_field.clone()}</span></td>
            <td>{fm.service_field.label.clone()}</td>
            <td>
                <select
                    aria-label="Direction"
                    data-testid="field-direction"
                    disabled=read_only
                    on:change=move |ev| edit.run(Edit::UpdateField {
                        id: dir_id.clone(),
                        direction: Some(event_target_value(&ev)),
                        enabled: None,
                    })
                >
                    {DIRECTIONS
                        .iter()
                        .map(|(v, l)| view! { <option value=*v selected=*v == current>{*l}</option> })
                        .collect_view()}
                </select>
            </td>
            <td>
                <input
                    type="checkbox"
                    aria-label="Enabled"
                    data-testid="field-enabled"
                    prop:checked=enabled
                    disabled=read_only
                    on:change=move |ev| edit.run(Edit::UpdateField {
                        id: en_id.clone(),
                        direction: None,
                        enabled: Some(event_target_checked(&ev)),
                    })
                />
            </td>
            <td class="actions">
                <Show when=move || me.can_operate()>
                    <button
                        type="button"
                        class="secondary danger small-button"
                        data-testid="field-delete"
                        on:click={
                            let id = del_id.clone();
                            move |_| edit.run(Edit::DeleteField(id.clone()))
                        }
                    >
                        "Delete"
                    </button>
                </Show>
            </td>
        </tr>
    }
}

/// Node field (a known one, or a custom field typed in), service field, direction → "Add".
#[component]
fn AddField(
    type_mapping: String,
    node_fields: Vec<(String, String)>,
    service_fields: Vec<(String, String)>,
    edit: Callback<Edit>,
) -> impl IntoView {
    let node_field = RwSignal::new(node_fields.first().map(|f| f.0.clone()).unwrap_or_default());
    let service_field = RwSignal::new(
        service_fields
            .first()
            .map(|f| f.0.clone())
            .unwrap_or_default(),
    );
    let direction = RwSignal::new(DIRECTIONS[0].0.to_owned());
    let list_id = format!("node-fields-{type_mapping}");
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        edit.run(Edit::CreateField {
            type_mapping: type_mapping.clone(),
            node_field: node_field.get_untracked().trim().to_owned(),
            service_field: service_field.get_untracked(),
            direction: direction.get_untracked(),
        });
    };
    view! {
        <form class="inline-form" data-testid="add-field-mapping" on:submit=on_submit>
            <label>
                "Node field"
                <input list=list_id.clone() data-testid="new-field-node" bind:value=node_field placeholder="e.g. serialNumber or customFields.Site"/>
                <datalist id=list_id>
                    {node_fields.into_iter().map(|(k, l)| view! { <option value=k>{l}</option> }).collect_view()}
                </datalist>
            </label>
            <label>
                "Service field"
                <select data-testid="new-field-service" on:change=move |ev| service_field.set(event_target_value(&ev))>
                    {service_fields.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Direction"
                <select data-testid="new-field-direction" on:change=move |ev| direction.set(event_target_value(&ev))>
                    {DIRECTIONS.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit" class="secondary" data-testid="add-field-mapping-submit">"Add field"</button>
        </form>
    }
}
