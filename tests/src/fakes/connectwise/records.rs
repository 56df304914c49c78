//! The ConnectWise fake's records and metadata lists, derived from ids
//! (docs/CONNECTORS.md §1.3, §1.4).

use chrono::{Duration, TimeZone, Utc};
use serde_json::{json, Map, Value};

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

/// A record's top-level fields as they are put together: only the `wanted` ones are made at
/// all (a list narrowed by `fields=` is mostly a few of them, and making the rest was most of
/// the fake's work on a light pass).
struct Fields<'a> {
    wanted: Option<&'a [&'a str]>,
    map: Map<String, Value>,
}

impl Fields<'_> {
    fn put(&mut self, key: &str, value: impl FnOnce() -> Value) -> &mut Self {
        if self.wanted.is_none_or(|w| w.contains(&key)) {
            self.map.insert(key.to_owned(), value());
        }
        self
    }
}

/// One record as the API returns it (docs/CONNECTORS.md §1.3), with only the `wanted`
/// top-level fields when they are given.
pub(super) fn record_of(entity: Entity, id: u64, change: Change, wanted: Option<&[&str]>) -> Value {
    let info = || json!({"lastUpdated": change.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), "updatedBy": if change.touched { "touched" } else { "fake" }});
    let co = entity.company_of(id);
    let company_ref =
        || json!({"id": co, "identifier": format!("C{co:07}"), "name": format!("Company {co:07}")});
    let phone = || json!(format!("813555{:04}", id % 10_000));
    let mut f = Fields {
        wanted,
        map: Map::new(),
    };
    f.put("id", || json!(id));
    match entity {
        Entity::Company => f
            .put("identifier", || json!(format!("C{id:07}")))
            .put("name", || json!(format!("Company {id:07}")))
            .put("status", || {
                if id.is_multiple_of(10) {
                    reference(2, "Inactive")
                } else {
                    reference(1, "Active")
                }
            })
            .put("types", || {
                json!([if id.is_multiple_of(3) {
                    reference(2, "Vendor")
                } else {
                    reference(1, "Customer")
                }])
            })
            .put("addressLine1", || json!(format!("{id} Main Street")))
            .put("city", || json!("Tampa"))
            .put("state", || json!("FL"))
            .put("zip", || json!("33602"))
            .put("country", || reference(1, "United States"))
            .put("phoneNumber", phone)
            .put("website", || json!(format!("https://c{id}.example.com")))
            .put("deletedFlag", || json!(false))
            .put("customFields", || json!([{"id": 1, "caption": "Tier", "type": "Text", "entryMethod": "EntryField", "value": if id.is_multiple_of(2) { "Gold" } else { "Silver" }}])),
        Entity::Site => f
            .put("name", || json!(format!("Main Office {id}")))
            .put("company", company_ref)
            .put("addressLine1", || json!(format!("{id} Main Street")))
            .put("city", || json!("Tampa"))
            .put("zip", || json!("33602"))
            .put("phoneNumber", phone)
            .put("primaryAddressFlag", || json!(true))
            .put("inactiveFlag", || json!(false)),
        Entity::Contact => f
            .put("firstName", || json!(format!("First{id}")))
            .put("lastName", || json!(format!("Last{id}")))
            .put("company", company_ref)
            .put("site", || main_office(id % 2 == 1, co))
            .put("title", || json!("Office Manager"))
            .put("inactiveFlag", || json!(false))
            .put("communicationItems", || json!([
                {"id": id * 10 + 1, "type": reference(1, "Direct"), "value": phone(), "defaultFlag": true, "communicationType": "Phone"},
                {"id": id * 10 + 2, "type": reference(2, "Email"), "value": format!("first{id}@c{co}.example.com"), "defaultFlag": true, "communicationType": "Email"}
            ])),
        Entity::Configuration => {
            let k = (id - 1) % 5 + 1;
            let kind = ["Server", "Workstation", "Laptop", "Firewall", "Printer"][(k - 1) as usize];
            f.put("name", || json!(format!("{kind}-{id}")))
                .put("type", || reference(k, kind))
                .put("status", || {
                    if id.is_multiple_of(7) {
                        reference(2, "Inactive")
                    } else {
                        reference(1, "Active")
                    }
                })
                .put("company", company_ref)
                .put("site", || main_office(k % 2 == 1, co))
                .put("serialNumber", || {
                    if k == 5 {
                        Value::Null
                    } else {
                        json!(format!("SN{id:09}"))
                    }
                })
                .put("modelNumber", || json!(format!("M{k}")))
                .put("purchaseDate", || json!("2025-03-01T00:00:00Z"))
                .put("warrantyExpirationDate", || json!("2028-03-01T00:00:00Z"))
                .put("activeFlag", || json!(!id.is_multiple_of(7)))
        }
        Entity::Agreement => f
            .put("name", || json!(format!("Managed Services {id}")))
            .put("type", || reference(1, "Managed Services"))
            .put("company", company_ref)
            .put("startDate", || json!("2025-01-01T00:00:00Z"))
            .put("noEndingDateFlag", || json!(true))
            .put("cancelledFlag", || json!(false))
            .put("billAmount", || json!(500.0)),
    };
    f.put("_info", info);
    Value::Object(f.map)
}

/// The company's main office as a record's `site`, or null.
fn main_office(has: bool, company: u64) -> Value {
    if has {
        json!({"id": company, "name": format!("Main Office {company}")})
    } else {
        Value::Null
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
