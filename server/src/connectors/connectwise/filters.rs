//! The source's filters as ConnectWise records meet them (SEMANTICS.md "Filters").

use serde_json::Value;

/// The source's filters (SEMANTICS.md "Filters"): names match exactly, ignoring case; an empty
/// list lets everything through.
pub(super) struct Filters {
    pub(super) company_statuses: Vec<String>,
    pub(super) company_types: Vec<String>,
    pub(super) configuration_statuses: Vec<String>,
    pub(super) include_without_serial: bool,
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

    /// A configuration: its status listed, and a serial number unless those without are wanted
    /// (missing, empty or white space counts as without).
    pub(super) fn configuration(&self, r: &Value) -> bool {
        let status = r
            .get("status")
            .and_then(|s| s.get("name"))
            .and_then(Value::as_str);
        let has_serial = r
            .get("serialNumber")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty());
        listed(&self.configuration_statuses, status) && (self.include_without_serial || has_serial)
    }
}
