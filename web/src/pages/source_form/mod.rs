//! `/sources/new` and `/sources/:id/edit`: a source's connection (provider, base URL with the
//! provider's hint, its credential fields; secrets are write-only, blank = keep), "Test
//! connection" before saving, and its settings (schedule, time zone, filters, options,
//! write-back fields). "Save" goes back to the list; "Save and sync now" queues a sync and
//! opens the job. An error is shown under the input its `extensions.field` names.

mod fields;
mod sections;

use crate::api::source_form::{self, Draft, EditedSource, ProviderInfo, TestOutcome};
use crate::api::sources::force_sync;
use crate::api::ApiError;
use crate::components::loader::Loader;
use crate::session::Session;
pub(crate) use fields::Fields;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use sections::{ConnectionSection, SettingsSection};

/// Loads the catalog (and, on edit, the source), then shows [`SourceForm`].
#[component]
pub fn SourceFormPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let id = move || params.read().get("id");
    let data = Loader::new(move || {
        let id = id();
        async move {
            let providers = source_form::providers(session).await?;
            let source =
                match id {
                    Some(id) => Some(source_form::source(session, id).await?.ok_or_else(|| {
                        ApiError::NotFound("this source no longer exists".into())
                    })?),
                    None => None,
                };
            Ok::<_, ApiError>((providers, source))
        }
    });
    view! {
        {data.page(|(providers, source)| view! { <SourceForm providers source/> })}
    }
}

/// What the Save buttons do after saving.
#[derive(Clone, Copy, PartialEq)]
enum Then {
    List,
    SyncNow,
}

/// The form itself.
#[component]
fn SourceForm(providers: Vec<ProviderInfo>, source: Option<EditedSource>) -> impl IntoView {
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let fields = Fields::new(source.as_ref());
    let saved_id = source.as_ref().map(|s| s.id.clone());
    // Edit: the source's provider; add: the first one with a connector.
    let initial = match &source {
        Some(s) => providers
            .iter()
            .find(|p| p.provider == reencode_provider(&s.provider)),
        None => providers.iter().find(|p| p.available),
    };
    fields.provider.set(initial.map(|p| p.provider.clone()));

    let tested = RwSignal::new(None::<TestOutcome>);
    let test = Action::new_local({
        let saved_id = saved_id.clone();
        move |draft: &Draft| {
            let (draft, saved_id) = (draft.clone(), saved_id.clone());
            async move {
                fields.error.set(None);
                tested.set(None);
                match source_form::test(session, draft, saved_id).await {
                    Ok(outcome) => tested.set(Some(outcome)),
                    Err(err) => fields.error.set(Some(err)),
                }
            }
        }
    });
    let save = Action::new_local({
        let saved_id = saved_id.clone();
        move |(draft, then): &(Draft, Then)| {
            let (draft, then, saved_id) = (draft.clone(), *then, saved_id.clone());
            let navigate = navigate.clone();
            async move {
                fields.error.set(None);
                let result = async {
                    let id = source_form::save(session, draft, saved_id).await?;
                    Ok::<_, ApiError>(match then {
                        Then::List => "/sources".to_owned(),
                        Then::SyncNow => format!("/jobs/{}", force_sync(session, id).await?),
                    })
                }
                .await;
                match result {
                    Ok(to) => navigate(&to, Default::default()),
                    Err(err) => fields.error.set(Some(err)),
                }
            }
        }
    });
    let busy = move || test.pending().get() || save.pending().get();
    let editing = source.is_some();
    let title = match &source {
        Some(s) => format!("Edit {}", s.name),
        None => "Add source".to_owned(),
    };
    let filter_options = source.as_ref().map(|s| s.filter_options.clone());
    let catalog = StoredValue::new(providers.clone());
    let write_back_options = Signal::derive(move || {
        let provider = fields.provider.get();
        catalog.with_value(|all| {
            all.iter()
                .find(|p| Some(&p.provider) == provider.as_ref())
                .map(write_back_choices)
                .unwrap_or_default()
        })
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !busy() {
            save.dispatch_local((fields.draft(), Then::List));
        }
    };
    // Errors whose field no input shows (or with no field) appear above the buttons.
    let shown_elsewhere = |e: &ApiError| {
        e.field().is_some_and(|f| {
            matches!(
                f,
                "name" | "baseUrl" | "provider" | "settings.schedule" | "settings.timezone"
            ) || f.starts_with("credentials.")
        })
    };
    let form_error = move || {
        fields.error.with(|e| {
            e.as_ref()
                .filter(|e| !shown_elsewhere(e))
                .map(ToString::to_string)
        })
    };
    view! {
        <div class="page-head">
            <h1>{title}</h1>
            <a href="/sources" class="button secondary">"Back to sources"</a>
        </div>
        <form class="card form" on:submit=on_submit data-testid="source-form" novalidate>
            <ConnectionSection fields providers editing/>
            <div class="test-row">
                <button
                    type="button"
                    class="secondary"
                    data-testid="test-connection"
                    disabled=busy
                    on:click=move |_| {
                        test.dispatch_local(fields.draft());
                    }
                >
                    {move || if test.pending().get() { "Testing…" } else { "Test connection" }}
                </button>
                <div aria-live="polite" data-testid="test-result">
                    {move || {
                        tested
                            .get()
                            .map(|t| {
                                let class = if t.ok { "test-ok" } else { "test-bad" };
                                let mark = if t.ok { "✓ " } else { "✗ " };
                                view! { <p class=class>{mark}{t.message}</p> }
                            })
                    }}
                </div>
            </div>
            <SettingsSection fields filter_options write_back_options/>
            {move || {
                form_error()
                    .map(|text| view! { <p class="form-error" role="alert" data-testid="form-error">{text}</p> })
            }}
            <div class="form-buttons">
                <button type="submit" data-testid="save-source" disabled=busy>
                    "Save"
                </button>
                <button
                    type="button"
                    class="secondary"
                    data-testid="save-and-sync"
                    disabled=busy
                    on:click=move |_| {
                        save.dispatch_local((fields.draft(), Then::SyncNow));
                    }
                >
                    "Save and sync now"
                </button>
            </div>
        </form>
    }
}

/// Every field key of the provider's node types once, labelled with the types that have it.
fn write_back_choices(provider: &ProviderInfo) -> Vec<(String, String)> {
    let mut by_key: std::collections::BTreeMap<String, (String, Vec<String>)> = Default::default();
    for node_type in &provider.node_types {
        for field in &node_type.fields {
            let entry = by_key
                .entry(field.key.clone())
                .or_insert_with(|| (field.label.clone(), Vec::new()));
            entry.1.push(node_type.name.clone());
        }
    }
    by_key
        .into_iter()
        .map(|(key, (label, types))| (key, format!("{label} ({})", types.join(", "))))
        .collect()
}

/// The source's `Provider` (of `query SourceSettings`) as `query Providers` types it.
fn reencode_provider(p: &source_form::source_settings::Provider) -> source_form::Provider {
    serde_json::to_value(p)
        .and_then(serde_json::from_value)
        .unwrap_or(source_form::Provider::Other(String::new()))
}
