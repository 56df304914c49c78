//! The source form's state: one signal per input, read into a [`Draft`] when sent.

use crate::api::source_form::{self, Draft, EditedSource};
use crate::api::ApiError;
use leptos::prelude::*;

/// What the form's inputs hold, one signal each.
#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub name: RwSignal<String>,
    pub provider: RwSignal<Option<source_form::Provider>>,
    pub base_url: RwSignal<String>,
    /// Credential values by key, as typed.
    pub credentials: RwSignal<Vec<(String, String)>>,
    pub schedule: RwSignal<String>,
    pub timezone: RwSignal<String>,
    pub include_assets_without_serial: RwSignal<bool>,
    pub include_custom_fields: RwSignal<bool>,
    pub auto_sync_fields: RwSignal<bool>,
    pub company_statuses: RwSignal<Vec<String>>,
    pub company_types: RwSignal<Vec<String>>,
    pub configuration_statuses: RwSignal<Vec<String>>,
    pub write_back_fields: RwSignal<Vec<String>>,
    /// The last refusal of a test or save (shown by the input it names).
    pub error: RwSignal<Option<ApiError>>,
}

impl Fields {
    pub fn new(source: Option<&EditedSource>) -> Self {
        let settings = source.map(|s| &s.settings);
        Self {
            name: RwSignal::new(source.map(|s| s.name.clone()).unwrap_or_default()),
            provider: RwSignal::new(None),
            base_url: RwSignal::new(source.map(|s| s.base_url.clone()).unwrap_or_default()),
            credentials: RwSignal::new(Vec::new()),
            schedule: RwSignal::new(
                settings.map_or_else(|| "0 2 * * *".to_owned(), |s| s.schedule.clone()),
            ),
            timezone: RwSignal::new(
                settings.map_or_else(browser_time_zone, |s| s.timezone.clone()),
            ),
            include_assets_without_serial: RwSignal::new(
                settings.is_some_and(|s| s.include_assets_without_serial),
            ),
            include_custom_fields: RwSignal::new(settings.is_some_and(|s| s.include_custom_fields)),
            auto_sync_fields: RwSignal::new(settings.is_some_and(|s| s.auto_sync_fields)),
            company_statuses: RwSignal::new(
                settings
                    .map(|s| s.company_statuses.clone())
                    .unwrap_or_default(),
            ),
            company_types: RwSignal::new(
                settings
                    .map(|s| s.company_types.clone())
                    .unwrap_or_default(),
            ),
            configuration_statuses: RwSignal::new(
                settings
                    .map(|s| s.configuration_statuses.clone())
                    .unwrap_or_default(),
            ),
            write_back_fields: RwSignal::new(
                settings
                    .map(|s| s.write_back_fields.clone())
                    .unwrap_or_default(),
            ),
            error: RwSignal::new(None),
        }
    }

    pub fn draft(&self) -> Draft {
        Draft {
            name: self.name.get_untracked(),
            provider: self.provider.get_untracked(),
            base_url: self.base_url.get_untracked(),
            credentials: self.credentials.get_untracked(),
            schedule: self.schedule.get_untracked(),
            timezone: self.timezone.get_untracked(),
            include_assets_without_serial: self.include_assets_without_serial.get_untracked(),
            include_custom_fields: self.include_custom_fields.get_untracked(),
            auto_sync_fields: self.auto_sync_fields.get_untracked(),
            company_statuses: self.company_statuses.get_untracked(),
            company_types: self.company_types.get_untracked(),
            configuration_statuses: self.configuration_statuses.get_untracked(),
            write_back_fields: self.write_back_fields.get_untracked(),
        }
    }
}

/// The browser's IANA time zone (the default of a new source), else UTC.
fn browser_time_zone() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| "UTC".to_owned())
}
