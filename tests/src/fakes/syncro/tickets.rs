//! The Syncro fake's tickets and written records (SY-SPEC `/tickets`, `/customers`,
//! `/contacts`, `/leads`): `GET /tickets` newest first, 25 to a page, `meta` with only
//! `total_pages` and `page` as the spec's example has it, narrowed by `customer_id`, `query`,
//! `status` and `since_updated_at`; `GET`/`PUT /tickets/{id}` and `POST /tickets` answering
//! `{"ticket": …}`, 422 `{"success": false, "error": …}` for a ticket without subject or
//! customer; `POST` of customers, contacts and leads; `GET` of one customer, contact or lead;
//! `DELETE` of customers and contacts (leads have none). Tickets live in memory: 30 to start
//! with, ticket `t` for customer `(t-1) % customers + 1`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};

use super::records::{self, Entity};
use super::state::Shared;
use super::Config;
use crate::fakes::faults::Faults;

const STATUSES: [&str; 4] = ["New", "In Progress", "Resolved", "Waiting on Customer"];
const PROBLEMS: [&str; 3] = ["Virus", "Hardware", "Software"];
/// Tickets the fake starts with.
pub const TICKETS: u64 = 30;
const PER_PAGE: usize = 25;

/// The fake's tickets and the records created through it.
#[derive(Debug, Clone, Default)]
pub struct Store {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    tickets: BTreeMap<u64, Value>,
    records: HashMap<String, Value>,
    next_record: u64,
}

impl Store {
    pub fn new(customers: u64) -> Store {
        let store = Store::default();
        store.lock().tickets = (1..=TICKETS).map(|t| (t, ticket(t, customers))).collect();
        store
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn ticket(t: u64, customers: u64) -> Value {
    let at = Utc
        .with_ymd_and_hms(2026, 2, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::hours(t as i64);
    let c = (t - 1) % customers.max(1) + 1;
    let status = STATUSES[(t % 4) as usize];
    json!({
        "id": t, "number": 1000 + t, "subject": format!("{} problem #{t}", PROBLEMS[(t % 3) as usize]),
        "created_at": stamp(at), "updated_at": stamp(at), "customer_id": c,
        "customer_business_then_name": records::customer(c)["business_then_name"], "due_date": null,
        "resolved_at": if status == "Resolved" { json!(stamp(at)) } else { Value::Null },
        "problem_type": PROBLEMS[(t % 3) as usize], "status": status,
        "priority": if t.is_multiple_of(2) { "2 Normal" } else { "1 High" }, "ticket_type_id": null,
        "properties": {}, "user_id": null, "contact_id": null, "contact_fullname": format!("Contact {}", c * 2),
        "tag_list": [], "comments": [],
    })
}

fn unprocessable(message: &str) -> Response {
    let body = json!({"success": false, "error": message, "message": message});
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"message": "Not found"}))).into_response()
}

/// What a route needs of the fake.
pub(super) struct Ctx<'a> {
    pub store: &'a Store,
    pub faults: &'a Faults,
    pub config: &'a Config,
    pub shared: &'a Shared,
}

/// Whether this file answers `method` on a path starting with `first`.
pub(super) fn handles(method: &Method, path: &[&str]) -> bool {
    matches!(
        (method, path),
        (_, ["tickets", ..])
            | (&Method::POST, ["customers" | "contacts" | "leads"])
            | (
                &Method::DELETE | &Method::GET,
                ["customers" | "contacts" | "leads", _]
            )
    )
}

pub(super) fn answer(
    ctx: &Ctx<'_>,
    method: &Method,
    path: &[&str],
    q: &HashMap<String, String>,
    body: &[u8],
) -> Response {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    match (method, path) {
        (&Method::GET, ["tickets"]) => list(ctx, q),
        (&Method::GET, ["tickets", id]) => match ctx
            .store
            .lock()
            .tickets
            .get(&id.parse::<u64>().unwrap_or(0))
        {
            Some(t) => Json(json!({"ticket": t})).into_response(),
            None => not_found(),
        },
        (&Method::POST, ["tickets"]) => create_ticket(ctx, body),
        (&Method::PUT, ["tickets", id]) => update_ticket(ctx, id.parse().unwrap_or(0), body),
        (&Method::POST, [list]) => create_record(ctx, list, body),
        (&Method::GET, [list, id]) => one_record(ctx, list, id),
        (&Method::DELETE, [list, id]) => delete_record(ctx, list, id),
        _ => not_found(),
    }
}

fn list(ctx: &Ctx<'_>, q: &HashMap<String, String>) -> Response {
    let inner = ctx.store.lock();
    let since = q
        .get("since_updated_at")
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
    let needle = q.get("query").map(|s| s.to_lowercase());
    let found: Vec<&Value> = inner
        .tickets
        .values()
        .rev()
        .filter(|t| {
            q.get("customer_id").is_none_or(|c| {
                t["customer_id"].as_u64().map(|id| id.to_string()).as_ref() == Some(c)
            }) && q.get("status").is_none_or(|s| t["status"] == s.as_str())
                && needle.as_ref().is_none_or(|n| {
                    t["subject"]
                        .as_str()
                        .unwrap_or_default()
                        .to_lowercase()
                        .contains(n)
                })
                && since.is_none_or(|since| {
                    t["updated_at"]
                        .as_str()
                        .and_then(|u| DateTime::parse_from_rfc3339(u).ok())
                        .is_some_and(|u| u > since)
                })
        })
        .collect();
    let page: usize = q
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let items: Vec<&Value> = found
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .copied()
        .collect();
    let pages = found.len().div_ceil(PER_PAGE).max(1);
    Json(json!({"tickets": items, "meta": {"total_pages": pages, "page": page}})).into_response()
}

fn create_ticket(ctx: &Ctx<'_>, body: Value) -> Response {
    let subject = body["subject"].as_str().unwrap_or_default();
    if subject.trim().is_empty() {
        return unprocessable("Subject can't be blank");
    }
    let customer = body["customer_id"].as_u64().unwrap_or(0);
    if customer == 0 || customer > ctx.config.customers {
        return unprocessable("Customer must exist");
    }
    let mut inner = ctx.store.lock();
    let id = inner.tickets.keys().next_back().copied().unwrap_or(0) + 1;
    let mut t = ticket(id, ctx.config.customers);
    let now = stamp(Utc::now());
    t["subject"] = json!(subject);
    t["customer_id"] = json!(customer);
    t["customer_business_then_name"] = records::customer(customer)["business_then_name"].clone();
    t["status"] = json!("New");
    t["resolved_at"] = Value::Null;
    t["created_at"] = json!(now);
    t["updated_at"] = json!(now);
    for key in ["status", "priority", "problem_type"] {
        if let Some(v) = body.get(key).filter(|v| v.is_string()) {
            t[key] = v.clone();
        }
    }
    inner.tickets.insert(id, t.clone());
    Json(json!({"ticket": t})).into_response()
}

fn update_ticket(ctx: &Ctx<'_>, id: u64, body: Value) -> Response {
    let mut inner = ctx.store.lock();
    let Some(t) = inner.tickets.get_mut(&id) else {
        return not_found();
    };
    if body
        .get("subject")
        .is_some_and(|s| s.as_str().is_none_or(|s| s.trim().is_empty()))
    {
        return unprocessable("Subject can't be blank");
    }
    for key in ["subject", "status", "priority", "problem_type"] {
        if let Some(v) = body.get(key) {
            t[key] = v.clone();
        }
    }
    t["updated_at"] = json!(stamp(Utc::now()));
    Json(json!({"ticket": t})).into_response()
}

fn create_record(ctx: &Ctx<'_>, list: &str, body: Value) -> Response {
    let Some(mut record) = body.as_object().cloned() else {
        return unprocessable("Body is not a JSON object");
    };
    let text = |k: &str| {
        record
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let (key, wrap) = match list {
        "customers" => {
            if text("business_name").is_empty()
                && text("firstname").is_empty()
                && text("lastname").is_empty()
            {
                return unprocessable("Business name or a first or last name is required");
            }
            let full = format!("{} {}", text("firstname"), text("lastname"))
                .trim()
                .to_owned();
            let then = if text("business_name").is_empty() {
                full.clone()
            } else {
                text("business_name")
            };
            record.insert("fullname".into(), json!(full));
            record.insert("business_then_name".into(), json!(then));
            ("customers", Some("customer"))
        }
        "contacts" => {
            if record.get("customer_id").and_then(Value::as_u64).is_none() {
                return unprocessable("Customer must exist");
            }
            ("contacts", None)
        }
        _ => ("leads", Some("lead")),
    };
    let mut inner = ctx.store.lock();
    inner.next_record += 1;
    let id = 50_000 + inner.next_record;
    let now = stamp(Utc::now());
    record.insert("id".into(), json!(id));
    record.insert("created_at".into(), json!(now));
    record.insert("updated_at".into(), json!(now));
    let record = Value::Object(record);
    inner.records.insert(format!("{key}/{id}"), record.clone());
    match wrap {
        Some(w) => {
            let mut wrapped = serde_json::Map::new();
            wrapped.insert(w.to_owned(), record);
            Json(Value::Object(wrapped)).into_response()
        }
        None => Json(record).into_response(),
    }
}

fn entity(list: &str) -> Option<Entity> {
    Entity::from_path(list).filter(|e| *e != Entity::Asset)
}

/// A generated record that is still there (deletions are the faults' overlay).
fn generated(ctx: &Ctx<'_>, entity: Entity, id: u64) -> bool {
    entity.generated(id, ctx.config.customers, ctx.config.leads)
        && !ctx.faults.is_deleted(&format!("{}/{id}", entity.key()))
}

fn one_record(ctx: &Ctx<'_>, list: &str, id: &str) -> Response {
    let (Some(entity), Ok(n)) = (entity(list), id.parse::<u64>()) else {
        return not_found();
    };
    if let Some(r) = ctx
        .store
        .lock()
        .records
        .get(&format!("{}/{n}", entity.key()))
    {
        return Json(r.clone()).into_response();
    }
    if !generated(ctx, entity, n) {
        return not_found();
    }
    let mut record = records::record(entity, n, ctx.config.customers);
    if let (Some(edits), Some(map)) = (
        ctx.shared.edits(&format!("{}/{n}", entity.key())),
        record.as_object_mut(),
    ) {
        map.extend(edits);
    }
    Json(record).into_response()
}

fn delete_record(ctx: &Ctx<'_>, list: &str, id: &str) -> Response {
    let (Some(entity), Ok(n)) = (entity(list), id.parse::<u64>()) else {
        return not_found();
    };
    if entity == Entity::Lead {
        return not_found();
    }
    let key = format!("{}/{n}", entity.key());
    let created = ctx.store.lock().records.remove(&key).is_some();
    if !created && !generated(ctx, entity, n) {
        return not_found();
    }
    ctx.faults.delete(&key);
    match entity {
        Entity::Customer => {
            Json(json!({"message": "Customer was deleted from the system."})).into_response()
        }
        _ => StatusCode::OK.into_response(),
    }
}
