//! The source's filters as ConnectWise records meet them (SEMANTICS.md "Filters"), and the
//! configuration types the dictionary maps to don't sync (HARDWARE_TYPE to null).

use serde_json::Value;

use super::records::reference;
use crate::services::value_mappings::{is_listed, ExternalValue};

/// The source's filters (SEMANTICS.md "Filters"): names match exactly, ignoring case; an empty
/// list lets everything through.
pub(super) struct Filters {
    pub(super) company_statuses: Vec<String>,
    pub(super) company_types: Vec<String>,
    pub(super) configuration_statuses: Vec<String>,
    pub(super) include_without_serial: bool,
    /// Configuration types left out of the pass (SEMANTICS.md "Node states").
    pub(super) types_not_synced: Vec<ExternalValue>,
}

fn listed(list: &[String], name: Option<&str>) -> bool {
    list.is_empty() || name.is_some_and(|n| list.iter().any(|l| l.eq_ignore_ascii_case(n)))
}

impl Filters {
    pub(super) fn company(&self, r: &Value) -> bool {
        let status = r
            .get("status")
            .and_then(|s| s.get("name"))
            .and_then(Value::as_str);
        let types: Vec<&str> = r
            .get("types")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|t| t.get("name")?.as_str())
            .collect();
        listed(&self.company_statuses, status)
            && (self.company_types.is_empty()
                || types.iter().any(|t| listed(&self.company_types, Some(t))))
    }

    /// A configuration: its status listed, a serial number unless those without are wanted
    /// (missing, empty or white space counts as without), and a type not mapped to don't sync.
    pub(super) fn configuration(&self, r: &Value) -> bool {
        let status = r
            .get("status")
            .and_then(|s| s.get("name"))
            .and_then(Value::as_str);
        let has_serial = r
            .get("serialNumber")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty());
        let type_name = r
            .get("type")
            .and_then(|t| t.get("name"))
            .and_then(Value::as_str);
        let not_synced = is_listed(
            &self.types_not_synced,
            reference(r, "type").as_deref(),
            type_name,
        );
        listed(&self.configuration_statuses, status)
            && (self.include_without_serial || has_serial)
            && !not_synced
    }
}
