//! A source's settings: stored as JSON on the source, defaults as contract.graphql states them,
//! and validation of a partial update (`SourceSettingsInput`).

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SourceSettings {
    pub schedule: String,
    pub timezone: String,
    pub include_assets_without_serial: bool,
    pub configuration_statuses: Vec<String>,
    pub company_types: Vec<String>,
    pub company_statuses: Vec<String>,
    pub write_back_fields: Vec<String>,
    pub include_custom_fields: bool,
    pub auto_sync_fields: bool,
    pub ticket_type_level: Option<i32>,
    pub ticket_subtype_level: Option<i32>,
    pub ticket_item_level: Option<i32>,
    /// Configuration (asset) types mapped to don't sync in the dictionary (HARDWARE_TYPE value
    /// mappings to null). Not a stored setting: the import fills it in before a pass, so the
    /// connectors apply it with the other filters.
    #[serde(skip)]
    pub hardware_types_not_synced: Vec<super::value_mappings::ExternalValue>,
}

impl Default for SourceSettings {
    fn default() -> Self {
        SourceSettings {
            schedule: "0 2 * * *".into(),
            timezone: "UTC".into(),
            include_assets_without_serial: false,
            configuration_statuses: vec![],
            company_types: vec![],
            company_statuses: vec![],
            write_back_fields: vec![],
            include_custom_fields: false,
            auto_sync_fields: true,
            ticket_type_level: None,
            ticket_subtype_level: None,
            ticket_item_level: None,
            hardware_types_not_synced: vec![],
        }
    }
}

/// A partial update: `None` keeps the current value. The three ticket levels are
/// `Some(None)` to clear them.
#[derive(Debug, Clone, Default)]
pub struct SettingsPatch {
    pub schedule: Option<String>,
    pub timezone: Option<String>,
    pub include_assets_without_serial: Option<bool>,
    pub configuration_statuses: Option<Vec<String>>,
    pub company_types: Option<Vec<String>>,
    pub company_statuses: Option<Vec<String>>,
    pub write_back_fields: Option<Vec<String>>,
    pub include_custom_fields: Option<bool>,
    pub auto_sync_fields: Option<bool>,
    pub ticket_type_level: Option<Option<i32>>,
    pub ticket_subtype_level: Option<Option<i32>>,
    pub ticket_item_level: Option<Option<i32>>,
}

impl SourceSettings {
    /// Stored JSON → settings; unknown or missing keys fall back to the defaults.
    pub fn from_json(value: &serde_json::Value) -> SourceSettings {
        serde_json::from_value(value.clone()).unwrap_or_default()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// These settings with `patch` applied and validated; `prefix` names the input in errors
    /// (e.g. `input.settings`).
    pub fn apply(&self, patch: SettingsPatch, prefix: &str) -> ApiResult<SourceSettings> {
        let field = |name: &str| format!("{prefix}.{name}");
        let mut next = self.clone();
        if let Some(schedule) = patch.schedule {
            let schedule = schedule.split_whitespace().collect::<Vec<_>>().join(" ");
            validate_cron(&schedule).map_err(|msg| ApiError::bad_input(field("schedule"), msg))?;
            next.schedule = schedule;
        }
        if let Some(tz) = patch.timezone {
            let tz = tz.trim().to_owned();
            tz.parse::<Tz>().map_err(|_| {
                ApiError::bad_input(
                    field("timezone"),
                    format!("{tz:?} is not an IANA time zone (e.g. Europe/Paris)"),
                )
            })?;
            next.timezone = tz;
        }
        let clean = |list: Vec<String>, name: &str| -> ApiResult<Vec<String>> {
            let mut out: Vec<String> = Vec::new();
            for item in list {
                let item = item.trim().to_owned();
                if item.is_empty() {
                    return Err(ApiError::bad_input(
                        field(name),
                        "empty names are not allowed",
                    ));
                }
                if !out.iter().any(|o| o.eq_ignore_ascii_case(&item)) {
                    out.push(item);
                }
            }
            Ok(out)
        };
        if let Some(v) = patch.configuration_statuses {
            next.configuration_statuses = clean(v, "configurationStatuses")?;
        }
        if let Some(v) = patch.company_types {
            next.company_types = clean(v, "companyTypes")?;
        }
        if let Some(v) = patch.company_statuses {
            next.company_statuses = clean(v, "companyStatuses")?;
        }
        if let Some(v) = patch.write_back_fields {
            next.write_back_fields = clean(v, "writeBackFields")?;
        }
        if let Some(v) = patch.include_assets_without_serial {
            next.include_assets_without_serial = v;
        }
        if let Some(v) = patch.include_custom_fields {
            next.include_custom_fields = v;
        }
        if let Some(v) = patch.auto_sync_fields {
            next.auto_sync_fields = v;
        }
        for (value, target, name) in [
            (
                patch.ticket_type_level,
                &mut next.ticket_type_level,
                "ticketTypeLevel",
            ),
            (
                patch.ticket_subtype_level,
                &mut next.ticket_subtype_level,
                "ticketSubtypeLevel",
            ),
            (
                patch.ticket_item_level,
                &mut next.ticket_item_level,
                "ticketItemLevel",
            ),
        ] {
            if let Some(level) = value {
                if level.is_some_and(|l| !(1..=3).contains(&l)) {
                    return Err(ApiError::bad_input(
                        field(name),
                        "category levels are 1, 2 or 3",
                    ));
                }
                *target = level;
            }
        }
        Ok(next)
    }

    pub fn tz(&self) -> Tz {
        self.timezone.parse().unwrap_or(Tz::UTC)
    }
}

/// A 5-field cron expression (minute hour day-of-month month day-of-week).
pub fn validate_cron(schedule: &str) -> Result<(), String> {
    if schedule.split_whitespace().count() != 5 {
        return Err("a schedule is a 5-field cron expression, e.g. \"0 2 * * *\"".into());
    }
    croner::Cron::new(schedule)
        .parse()
        .map(|_| ())
        .map_err(|e| format!("not a valid cron expression: {e}"))
}
