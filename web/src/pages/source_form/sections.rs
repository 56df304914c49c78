//! The two halves of the source form: the connection (name, provider, base URL, credential
//! fields from `providers`) and the settings (schedule, time zone, filters from
//! `filterOptions`, import options, write-back fields from the provider's node types).

use super::Fields;
use crate::api::source_form::{FilterOptions, ProviderInfo};
use crate::components::{check_group::CheckGroup, field_error::FieldError};
use leptos::prelude::*;

/// Name, provider, base URL and the provider's credential fields.
#[component]
pub fn ConnectionSection(
    fields: Fields,
    providers: Vec<ProviderInfo>,
    editing: bool,
) -> impl IntoView {
    let catalog = StoredValue::new(providers);
    let current = move || {
        let provider = fields.provider.get();
        catalog.with_value(|all| {
            all.iter()
                .find(|p| Some(&p.provider) == provider.as_ref())
                .cloned()
        })
    };
    let hint = move || current().map(|p| p.base_url_hint).unwrap_or_default();
    let options = catalog.with_value(|all| {
        all.iter()
            .enumerate()
            .map(|(i, p)| {
                let label = if p.available {
                    p.label.clone()
                } else {
                    format!("{} (coming soon)", p.label)
                };
                let selected = move || {
                    let provider = fields.provider.get();
                    catalog.with_value(|all| Some(&all[i].provider) == provider.as_ref())
                };
                view! {
                    <option value=i.to_string() disabled=!p.available selected=selected>
                        {label}
                    </option>
                }
            })
            .collect_view()
    });
    let pick = move |ev: leptos::ev::Event| {
        let picked = event_target_value(&ev)
            .parse::<usize>()
            .ok()
            .and_then(|i| catalog.with_value(|all| all.get(i).map(|p| p.provider.clone())));
        fields.provider.set(picked);
        fields.credentials.set(Vec::new());
    };
    let credential_inputs = move || {
        current()
            .map(|p| {
                p.credential_fields
                    .into_iter()
                    .map(|field| {
                        let key = field.key.clone();
                        let id = format!("cred-{key}");
                        let value = {
                            let key = key.clone();
                            move || {
                                fields.credentials.with(|c| {
                                    c.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
                                })
                                .unwrap_or_default()
                            }
                        };
                        let on_input = {
                            let key = key.clone();
                            move |ev: leptos::ev::Event| {
                                let text = event_target_value(&ev);
                                fields.credentials.update(|c| {
                                    c.retain(|(k, _)| *k != key);
                                    c.push((key.clone(), text));
                                });
                            }
                        };
                        let placeholder = if editing {
                            "Leave blank to keep the saved value"
                        } else if field.required {
                            ""
                        } else {
                            "Optional"
                        };
                        let kind = if field.secret { "password" } else { "text" };
                        let error_id = format!("{id}-error");
                        view! {
                            <div>
                                <label for=id.clone()>{field.label.clone()}</label>
                                <input
                                    id=id
                                    type=kind
                                    autocomplete=if field.secret { "new-password" } else { "off" }
                                    placeholder=placeholder
                                    data-testid=format!("credential-{key}")
                                    aria-describedby=error_id.clone()
                                    prop:value=value
                                    on:input=on_input
                                />
                                <FieldError error=fields.error field=format!("credentials.{key}") id=error_id/>
                            </div>
                        }
                    })
                    .collect_view()
            })
    };
    view! {
        <section class="form-section" aria-labelledby="connection-head">
            <h2 id="connection-head">"Connection"</h2>
            <div class="grid-2">
                <div>
                    <label for="source-name">"Name"</label>
                    <input
                        id="source-name"
                        type="text"
                        required
                        placeholder="e.g. Main ConnectWise"
                        data-testid="source-name"
                        aria-describedby="source-name-error"
                        bind:value=fields.name
                    />
                    <FieldError error=fields.error field="name" id="source-name-error"/>
                </div>
                <div>
                    <label for="source-provider">"Provider"</label>
                    <select
                        id="source-provider"
                        data-testid="source-provider"
                        disabled=editing
                        on:change=pick
                    >
                        {options}
                    </select>
                    <FieldError error=fields.error field="provider" id="source-provider-error"/>
                </div>
            </div>
            <label for="source-base-url">"Base URL"</label>
            <input
                id="source-base-url"
                type="url"
                data-testid="source-base-url"
                placeholder=hint
                aria-describedby="source-base-url-hint source-base-url-error"
                bind:value=fields.base_url
            />
            <p class="hint" id="source-base-url-hint">{move || format!("For example {}", hint())}</p>
            <FieldError error=fields.error field="baseUrl" id="source-base-url-error"/>
            <div class="grid-2 credentials">{credential_inputs}</div>
        </section>
    }
}

/// Schedule, time zone, filters, import options and write-back fields.
#[component]
pub fn SettingsSection(
    fields: Fields,
    /// The values the source's imports have seen (`None` for a source not saved yet).
    filter_options: Option<FilterOptions>,
    /// `(key, label)` of every field of the provider's node types, for write-back.
    write_back_options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let pairs = |values: Vec<String>| {
        values
            .into_iter()
            .map(|v| (v.clone(), v))
            .collect::<Vec<_>>()
    };
    let empty = if filter_options.is_some() {
        "None seen yet: sync the source once, then pick here."
    } else {
        "Available once the source is saved and synced."
    };
    let options = filter_options.unwrap_or(FilterOptions {
        company_statuses: vec![],
        company_types: vec![],
        configuration_statuses: vec![],
    });
    view! {
        <section class="form-section" aria-labelledby="settings-head">
            <h2 id="settings-head">"Sync settings"</h2>
            <div class="grid-2">
                <div>
                    <label for="source-schedule">"Schedule (cron)"</label>
                    <input
                        id="source-schedule"
                        type="text"
                        data-testid="source-schedule"
                        aria-describedby="source-schedule-hint source-schedule-error"
                        bind:value=fields.schedule
                    />
                    <p class="hint" id="source-schedule-hint">
                        "Minute hour day month weekday, e.g. 0 2 * * * for every night at 2:00."
                    </p>
                    <FieldError error=fields.error field="settings.schedule" id="source-schedule-error"/>
                </div>
                <div>
                    <label for="source-timezone">"Time zone"</label>
                    <input
                        id="source-timezone"
                        type="text"
                        data-testid="source-timezone"
                        aria-describedby="source-timezone-hint source-timezone-error"
                        bind:value=fields.timezone
                    />
                    <p class="hint" id="source-timezone-hint">"An IANA name, e.g. Europe/Amsterdam or UTC."</p>
                    <FieldError error=fields.error field="settings.timezone" id="source-timezone-error"/>
                </div>
            </div>
            <h3>"Filters"</h3>
            <div class="grid-3">
                <CheckGroup
                    legend="Company statuses"
                    options=pairs(options.company_statuses)
                    selected=fields.company_statuses
                    testid="filter-company-statuses"
                    empty=empty
                />
                <CheckGroup
                    legend="Company types"
                    options=pairs(options.company_types)
                    selected=fields.company_types
                    testid="filter-company-types"
                    empty=empty
                />
                <CheckGroup
                    legend="Configuration statuses"
                    options=pairs(options.configuration_statuses)
                    selected=fields.configuration_statuses
                    testid="filter-configuration-statuses"
                    empty=empty
                />
            </div>
            <p class="hint">"Nothing picked in a group means no filter: everything is imported."</p>
            <h3>"Options"</h3>
            <label class="check">
                <input type="checkbox" data-testid="opt-assets-without-serial" bind:checked=fields.include_assets_without_serial/>
                <span>"Import assets without a serial number"</span>
            </label>
            <label class="check">
                <input type="checkbox" data-testid="opt-custom-fields" bind:checked=fields.include_custom_fields/>
                <span>"Import custom fields"</span>
            </label>
            <label class="check">
                <input type="checkbox" data-testid="opt-auto-sync" bind:checked=fields.auto_sync_fields/>
                <span>"Sync fields to linked services after each import"</span>
            </label>
            <h3>"Write-back"</h3>
            {move || {
                view! {
                    <CheckGroup
                        legend="Fields written back to the provider"
                        options=write_back_options.get()
                        selected=fields.write_back_fields
                        testid="write-back-fields"
                        empty="This provider has no fields to write back."
                    />
                }
            }}
        </section>
    }
}
