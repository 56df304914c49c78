//! The organization's own vocabularies (`internal_values`), one per value-mapping kind: what a
//! PSA's statuses, ticket categories, contract types and hardware types are translated to.
//! An organization that never set a list gets a default one; setting an empty list goes back
//! to the default.
//!
//! The three ticket-category kinds are the three category levels: TICKET_TYPE holds the
//! level 1 categories, TICKET_SUBTYPE level 2 and TICKET_ITEM level 3. Which level a PSA's
//! ticket type, subtype or item maps into is the source's `ticketTypeLevel` /
//! `ticketSubtypeLevel` / `ticketItemLevel` (see `value_mappings::vocabulary_for`).

use entity::enums::{Role, ValueMappingKind};
use entity::internal_value;
use entity::prelude::*;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};

/// The list an organization starts with for `kind`.
pub fn defaults(kind: ValueMappingKind) -> &'static [&'static str] {
    use ValueMappingKind as K;
    match kind {
        K::TicketStatus => &["New", "In Progress", "Waiting", "Resolved", "Closed"],
        // Level 1: the broadest categories.
        K::TicketType => &[
            "Incident",
            "Service Request",
            "Problem",
            "Change",
            "Maintenance",
        ],
        // Level 2: what the ticket is about.
        K::TicketSubtype => &[
            "Hardware", "Software", "Network", "Email", "Security", "Account", "Other",
        ],
        // Level 3: the most specific.
        K::TicketItem => &[
            "Workstation",
            "Server",
            "Printer",
            "Firewall",
            "VPN",
            "Outlook",
            "Password Reset",
            "Other",
        ],
        K::ContractType => &[
            "Managed Services",
            "Block Time",
            "Time and Materials",
            "Project",
            "Warranty",
            "Other",
        ],
        K::HardwareType => &[
            "Desktop",
            "Laptop",
            "Server",
            "Virtual Machine",
            "Network",
            "Firewall",
            "Printer",
            "Phone",
            "Tablet",
            "Storage",
            "Other",
        ],
    }
}

/// The organization's list for `kind`, in its order (the default when it never set one).
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    kind: ValueMappingKind,
) -> ApiResult<Vec<String>> {
    list_of(db, viewer.org_id, kind).await
}

pub(crate) async fn list_of(
    db: &impl ConnectionTrait,
    org_id: i64,
    kind: ValueMappingKind,
) -> ApiResult<Vec<String>> {
    let rows = InternalValue::find()
        .filter(internal_value::Column::OrganizationId.eq(org_id))
        .filter(internal_value::Column::Kind.eq(kind))
        .order_by_asc(internal_value::Column::Position)
        .order_by_asc(internal_value::Column::Id)
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(defaults(kind).iter().map(|v| (*v).to_owned()).collect());
    }
    Ok(rows.into_iter().map(|r| r.value).collect())
}

/// Replaces the organization's list for `kind`: values trimmed, duplicates (ignoring case)
/// dropped after their first appearance, order kept. An empty list restores the default.
/// Value mappings already pointing at a value no longer listed keep it (they are not rewritten
/// behind the operator's back); new mappings must use the new list.
pub async fn set(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    kind: ValueMappingKind,
    values: Vec<String>,
) -> ApiResult<Vec<String>> {
    viewer.require(Role::Operator)?;
    let values = clean(values)?;
    let txn = crate::db::begin_write(db).await?;
    InternalValue::delete_many()
        .filter(internal_value::Column::OrganizationId.eq(viewer.org_id))
        .filter(internal_value::Column::Kind.eq(kind))
        .exec(&txn)
        .await?;
    for (position, value) in values.iter().enumerate() {
        internal_value::ActiveModel {
            organization_id: Set(viewer.org_id),
            kind: Set(kind),
            value: Set(value.clone()),
            position: Set(position as i32),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    list(db, viewer, kind).await
}

fn clean(values: Vec<String>) -> ApiResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let value = value.trim().to_owned();
        if value.is_empty() {
            return Err(ApiError::bad_input(
                format!("values.{i}"),
                "a value cannot be empty",
            ));
        }
        if !out.iter().any(|o| o.to_lowercase() == value.to_lowercase()) {
            out.push(value);
        }
    }
    Ok(out)
}

/// `value` as spelled in `list` (matched ignoring case), if listed.
pub fn find<'a>(list: &'a [String], value: &str) -> Option<&'a str> {
    let wanted = value.trim().to_lowercase();
    list.iter()
        .find(|v| v.to_lowercase() == wanted)
        .map(String::as_str)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn values_are_trimmed_and_deduplicated_ignoring_case_in_order() {
        let cleaned = clean(vec![
            " Laptop ".into(),
            "Server".into(),
            "laptop".into(),
            "Ünit".into(),
            "üNIT".into(),
        ])
        .unwrap();
        assert_eq!(cleaned, ["Laptop", "Server", "Ünit"]);
        assert!(clean(vec!["ok".into(), "  ".into()]).is_err());
    }

    #[test]
    fn find_matches_ignoring_case_and_returns_the_listed_spelling() {
        let list = vec!["In Progress".to_owned(), "Closed".to_owned()];
        assert_eq!(find(&list, " in progress"), Some("In Progress"));
        assert_eq!(find(&list, "Open"), None);
    }
}
