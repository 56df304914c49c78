//! The ConnectWise fake's records and metadata lists, derived from ids
//! (docs/CONNECTORS.md §1.3, §1.4).

use chrono::{Duration, TimeZone, Utc};
use serde_json::{json, Value};

use super::Entity;

fn epoch() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

/// When a record of the starting data last changed: one second per id after 2025-01-01 (five
/// million ids stay within 2025), so `lastUpdated>[T]` selects the newest ids. Touched and
/// added records carry the moment of that change instead.
pub(super) fn made_at(id: u64) -> chrono::DateTime<Utc> {
    epoch() + Duration::seconds(id as i64)
}

/// The first id `made_at` puts after `t`.
pub(super) fn first_made_after(t: chrono::DateTime<Utc>) -> u64 {
    let secs = (t - epoch()).num_seconds();
    if secs < 0 {
        1
    } else {
        secs as u64 + 1
    }
}

fn reference(id: u64, name: &str) -> Value {
    json!({"id": id, "name": name})
}

/// When a record changed, and whether a test touched it since the fake started.
#[derive(Debug, Clone, Copy)]
pub(super) struct Change {
    pub(super) at: chrono::DateTime<Utc>,
    pub(super) touched: bool,
}

/// One record as the API returns it (docs/CONNECTORS.md §1.3).
pub(super) fn record(entity: Entity, id: u64, change: Change) -> Value {
    let info = |_: u64| json!({"lastUpdated": change.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), "updatedBy": if change.touched { "touched" } else { "fake" }});
    let co = entity.company_of(id);
    let company_ref =
        json!({"id": co, "identifier": format!("C{co:07}"), "name": format!("Company {co:07}")});
    match entity {
        Entity::Company => json!({
            "id": id, "identifier": format!("C{id:07}"), "name": format!("Company {id:07}"),
            "status": if id.is_multiple_of(10) { reference(2, "Inactive") } else { reference(1, "Active") },
            "types": [if id.is_multiple_of(3) { reference(2, "Vendor") } else { reference(1, "Customer") }],
            "addressLine1": format!("{id} Main Street"), "city": "Tampa", "state": "FL", "zip": "33602",
            "country": reference(1, "United States"), "phoneNumber": format!("813555{:04}", id % 10_000),
            "website": format!("https://c{id}.example.com"), "deletedFlag": false,
            "customFields": [{"id": 1, "caption": "Tier", "type": "Text", "entryMethod": "EntryField", "value": if id.is_multiple_of(2) { "Gold" } else { "Silver" }}],
            "_info": info(id),
        }),
        Entity::Site => json!({
            "id": id, "name": format!("Main Office {id}"), "company": company_ref, "addressLine1": format!("{id} Main Street"),
            "city": "Tampa", "zip": "33602", "phoneNumber": format!("813555{:04}", id % 10_000), "primaryAddressFlag": true,
            "inactiveFlag": false, "_info": info(id),
        }),
        Entity::Contact => {
            let site = if id % 2 == 1 {
                json!({"id": co, "name": format!("Main Office {co}")})
            } else {
                Value::Null
            };
            json!({
                "id": id, "firstName": format!("First{id}"), "lastName": format!("Last{id}"), "company": company_ref, "site": site,
                "title": "Office Manager", "inactiveFlag": false,
                "communicationItems": [
                    {"id": id * 10 + 1, "type": reference(1, "Direct"), "value": format!("813555{:04}", id % 10_000), "defaultFlag": true, "communicationType": "Phone"},
                    {"id": id * 10 + 2, "type": reference(2, "Email"), "value": format!("first{id}@c{co}.example.com"), "defaultFlag": true, "communicationType": "Email"}
                ],
                "_info": info(id),
            })
        }
        Entity::Configuration => {
            let k = (id - 1) % 5 + 1;
            let kinds = ["Server", "Workstation", "Laptop", "Firewall", "Printer"];
            let site = if k % 2 == 1 {
                json!({"id": co, "name": format!("Main Office {co}")})
            } else {
                Value::Null
            };
            json!({
                "id": id, "name": format!("{}-{id}", kinds[(k - 1) as usize]), "type": reference(k, kinds[(k - 1) as usize]),
                "status": if id.is_multiple_of(7) { reference(2, "Inactive") } else { reference(1, "Active") },
                "company": company_ref, "site": site,
                "serialNumber": if k == 5 { Value::Null } else { json!(format!("SN{id:09}")) },
                "modelNumber": format!("M{k}"), "purchaseDate": "2025-03-01T00:00:00Z", "warrantyExpirationDate": "2028-03-01T00:00:00Z",
                "activeFlag": !id.is_multiple_of(7), "_info": info(id),
            })
        }
        Entity::Agreement => json!({
            "id": id, "name": format!("Managed Services {id}"), "type": reference(1, "Managed Services"), "company": company_ref,
            "startDate": "2025-01-01T00:00:00Z", "noEndingDateFlag": true, "cancelledFlag": false, "billAmount": 500.0, "_info": info(id),
        }),
    }
}

/// The PSA metadata lists (docs/CONNECTORS.md §1.4), one small page each.
pub(super) fn metadata(path: &[&str]) -> Option<Value> {
    let named = |names: &[&str]| -> Value {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| json!({"id": i + 1, "name": n}))
            .collect()
    };
    Some(match path {
        ["company", "companies", "statuses"] => named(&["Active", "Inactive", "Not Approved"]),
        ["company", "companies", "types"] => named(&["Customer", "Vendor", "Prospect"]),
        ["company", "configurations", "statuses"] => {
            json!([{"id": 1, "description": "Active"}, {"id": 2, "description": "Inactive"}])
        }
        ["company", "configurations", "types"] => {
            named(&["Server", "Workstation", "Laptop", "Firewall", "Printer"])
        }
        ["finance", "agreements", "types"] => named(&["Managed Services", "Block Time"]),
        ["service", "boards"] => named(&["Help Desk", "Projects"]),
        ["service", "boards", board, "statuses"] => {
            with_board(board, named(&["New", "In Progress", "Waiting", "Closed"]))
        }
        ["service", "boards", board, "types"] => with_board(board, named(&["Incident", "Request"])),
        ["service", "boards", board, "subtypes"] => with_board(board, named(&["Email", "Network"])),
        ["service", "boards", board, "items"] => with_board(board, named(&["Outlook", "VPN"])),
        ["service", "priorities"] => named(&[
            "Priority 1 - Critical",
            "Priority 2 - High",
            "Priority 3 - Normal",
        ]),
        _ => return None,
    })
}

fn with_board(board: &str, mut list: Value) -> Value {
    let id: u64 = board.parse().unwrap_or(0);
    if let Some(items) = list.as_array_mut() {
        for item in items {
            item["board"] =
                json!({"id": id, "name": if id == 1 { "Help Desk" } else { "Projects" }});
        }
    }
    list
}
