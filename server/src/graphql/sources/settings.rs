//! The Source's plain parts: settings (read and patched), the create and update inputs, filter
//! options, the rate-limit budget and health.

use async_graphql::{InputObject, Json, SimpleObject};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::graphql::enums::Provider;
use crate::services::source_settings::{SettingsPatch, SourceSettings};

#[derive(SimpleObject)]
#[graphql(name = "SourceSettings")]
pub struct SourceSettingsObj {
    pub(super) schedule: String,
    pub(super) timezone: String,
    pub(super) include_assets_without_serial: bool,
    pub(super) configuration_statuses: Vec<String>,
    pub(super) company_types: Vec<String>,
    pub(super) company_statuses: Vec<String>,
    pub(super) write_back_fields: Vec<String>,
    pub(super) include_custom_fields: bool,
    pub(super) auto_sync_fields: bool,
    pub(super) ticket_type_level: Option<i32>,
    pub(super) ticket_subtype_level: Option<i32>,
    pub(super) ticket_item_level: Option<i32>,
}

impl From<SourceSettings> for SourceSettingsObj {
    fn from(s: SourceSettings) -> Self {
        SourceSettingsObj {
            schedule: s.schedule,
            timezone: s.timezone,
            include_assets_without_serial: s.include_assets_without_serial,
            configuration_statuses: s.configuration_statuses,
            company_types: s.company_types,
            company_statuses: s.company_statuses,
            write_back_fields: s.write_back_fields,
            include_custom_fields: s.include_custom_fields,
            auto_sync_fields: s.auto_sync_fields,
            ticket_type_level: s.ticket_type_level,
            ticket_subtype_level: s.ticket_subtype_level,
            ticket_item_level: s.ticket_item_level,
        }
    }
}

#[derive(InputObject, Default)]
pub struct SourceSettingsInput {
    pub(super) schedule: Option<String>,
    pub(super) timezone: Option<String>,
    pub(super) include_assets_without_serial: Option<bool>,
    pub(super) configuration_statuses: Option<Vec<String>>,
    pub(super) company_types: Option<Vec<String>>,
    pub(super) company_statuses: Option<Vec<String>>,
    pub(super) write_back_fields: Option<Vec<String>>,
    pub(super) include_custom_fields: Option<bool>,
    pub(super) auto_sync_fields: Option<bool>,
    pub(super) ticket_type_level: async_graphql::MaybeUndefined<i32>,
    pub(super) ticket_subtype_level: async_graphql::MaybeUndefined<i32>,
    pub(super) ticket_item_level: async_graphql::MaybeUndefined<i32>,
}

fn level(v: async_graphql::MaybeUndefined<i32>) -> Option<Option<i32>> {
    match v {
        async_graphql::MaybeUndefined::Undefined => None,
        async_graphql::MaybeUndefined::Null => Some(None),
        async_graphql::MaybeUndefined::Value(l) => Some(Some(l)),
    }
}

impl From<SourceSettingsInput> for SettingsPatch {
    fn from(i: SourceSettingsInput) -> Self {
        SettingsPatch {
            schedule: i.schedule,
            timezone: i.timezone,
            include_assets_without_serial: i.include_assets_without_serial,
            configuration_statuses: i.configuration_statuses,
            company_types: i.company_types,
            company_statuses: i.company_statuses,
            write_back_fields: i.write_back_fields,
            include_custom_fields: i.include_custom_fields,
            auto_sync_fields: i.auto_sync_fields,
            ticket_type_level: level(i.ticket_type_level),
            ticket_subtype_level: level(i.ticket_subtype_level),
            ticket_item_level: level(i.ticket_item_level),
        }
    }
}

#[derive(InputObject)]
pub struct CreateSourceInput {
    pub(super) name: String,
    pub(super) provider: Provider,
    pub(super) base_url: String,
    pub(super) credentials: Json<Value>,
    pub(super) settings: Option<SourceSettingsInput>,
}

#[derive(InputObject)]
pub struct UpdateSourceInput {
    pub(super) name: Option<String>,
    pub(super) base_url: Option<String>,
    pub(super) credentials: Option<Json<Value>>,
    pub(super) settings: Option<SourceSettingsInput>,
}

#[derive(SimpleObject, Default)]
#[graphql(name = "SourceFilterOptions")]
pub struct SourceFilterOptions {
    pub(super) company_statuses: Vec<String>,
    pub(super) company_types: Vec<String>,
    pub(super) configuration_statuses: Vec<String>,
}

#[derive(SimpleObject, Default)]
#[graphql(name = "RateLimitBudget")]
pub struct RateLimitBudget {
    pub(super) limit: Option<i32>,
    pub(super) remaining: Option<i32>,
    pub(super) window_seconds: Option<i32>,
    pub(super) reset_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject)]
#[graphql(name = "SourceHealth")]
pub struct SourceHealth {
    pub(super) last_successful_sync_at: Option<DateTime<Utc>>,
    pub(super) last_event_at: Option<DateTime<Utc>>,
    pub(super) last_poll_at: Option<DateTime<Utc>>,
    pub(super) webhook_healthy: Option<bool>,
    pub(super) rate_limit: Option<RateLimitBudget>,
    pub(super) message: Option<String>,
}
