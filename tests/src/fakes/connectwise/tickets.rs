//! The ConnectWise fake's tickets and written records (API-NOTES §1.2–1.7): `service/tickets`
//! listed newest first or by id, narrowed by the `conditions` the connector sends
//! (`board/id in (…)`, `status/id in (…)`, `company/id=N`, `summary contains "…"`,
//! `lastUpdated>[T]`, `id<N`), counted, read, created (`POST`, 201) and patched; companies and
//! contacts created, patched and deleted. Tickets live in memory: 40 to start with, ticket `t`
//! for company `(t-1) % companies + 1`, on board `t % 2 + 1`, status `t % 4 + 1`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};

use super::{authorized, error, not_found, Fake};

const STATUSES: [&str; 4] = ["New", "In Progress", "Waiting", "Closed"];
const PRIORITIES: [&str; 3] = [
    "Priority 1 - Critical",
    "Priority 2 - High",
    "Priority 3 - Normal",
];
const SUMMARIES: [&str; 4] = ["Printer jam", "VPN down", "Email bounces", "New laptop"];
/// Tickets the fake starts with.
pub const TICKETS: u64 = 40;

/// The fake's tickets and the records written to it.
#[derive(Debug, Clone, Default)]
pub struct Store {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    tickets: BTreeMap<u64, Value>,
    /// Companies and contacts created through the API ("companies/100001").
    records: HashMap<String, Value>,
    next_record: u64,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn named(id: u64, names: &[&str]) -> Value {
    json!({"id": id, "name": names[(id as usize - 1) % names.len()]})
}

fn board(id: u64) -> Value {
    json!({"id": id, "name": if id == 1 { "Help Desk" } else { "Projects" }})
}

fn company(id: u64) -> Value {
    json!({"id": id, "identifier": format!("C{id:07}"), "name": format!("Company {id:07}")})
}

fn ticket(t: u64, companies: u64) -> Value {
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::hours(t as i64);
    let co = (t - 1) % companies.max(1) + 1;
    json!({
        "id": t, "summary": format!("{} #{t}", SUMMARIES[(t % 4) as usize]), "recordType": "ServiceTicket",
        "board": board(t % 2 + 1), "status": named(t % 4 + 1, &STATUSES), "priority": named(t % 3 + 1, &PRIORITIES),
        "type": named(t % 2 + 1, &["Incident", "Request"]), "subType": named(1, &["Email", "Network"]),
        "item": named(t % 2 + 1, &["Outlook", "VPN"]), "company": company(co),
        "contact": {"id": co * 2, "name": format!("First{} Last{}", co * 2, co * 2)},
        "contactName": format!("First{} Last{}", co * 2, co * 2), "closedFlag": t % 4 == 3,
        "_info": {"dateEntered": stamp(at), "lastUpdated": stamp(at), "updatedBy": "fake"},
    })
}

impl Store {
    pub fn new(companies: u64) -> Store {
        let store = Store::default();
        store.lock().tickets = (1..=TICKETS).map(|t| (t, ticket(t, companies))).collect();
        store
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The ticket conditions the connector sends, joined by `and`.
#[derive(Default)]
struct Conditions {
    boards: Option<Vec<u64>>,
    statuses: Option<Vec<u64>>,
    company: Option<u64>,
    contains: Option<String>,
    updated_after: Option<DateTime<Utc>>,
    below: Option<u64>,
}

fn id_list(v: &str) -> Result<Vec<u64>, String> {
    v.trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(|n| n.trim().parse().map_err(|_| format!("not an id list: {v}")))
        .collect()
}

fn parse(raw: Option<&String>) -> Result<Conditions, String> {
    let mut c = Conditions::default();
    let Some(raw) = raw else { return Ok(c) };
    for part in raw.split(" and ").map(str::trim) {
        if let Some(v) = part.strip_prefix("board/id in ") {
            c.boards = Some(id_list(v)?);
        } else if let Some(v) = part.strip_prefix("status/id in ") {
            c.statuses = Some(id_list(v)?);
        } else if let Some(v) = part.strip_prefix("company/id=") {
            c.company = Some(v.parse().map_err(|_| format!("bad company: {v}"))?);
        } else if let Some(v) = part.strip_prefix("summary contains ") {
            let v = v.trim().strip_prefix('"').and_then(|v| v.strip_suffix('"'));
            c.contains = Some(
                v.ok_or("unquoted string")?
                    .replace("\\\"", "\"")
                    .to_lowercase(),
            );
        } else if let Some(v) = part.strip_prefix("lastUpdated>") {
            let t = v.trim_start_matches('[').trim_end_matches(']');
            let t = DateTime::parse_from_rfc3339(t).map_err(|_| format!("bad date: {t}"))?;
            c.updated_after = Some(t.with_timezone(&Utc));
        } else if let Some(v) = part.strip_prefix("id<") {
            c.below = Some(v.parse().map_err(|_| format!("bad id: {v}"))?);
        } else {
            return Err(format!("unsupported condition: {part}"));
        }
    }
    Ok(c)
}

fn ref_id(t: &Value, key: &str) -> u64 {
    t.pointer(&format!("/{key}/id"))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

fn matches(t: &Value, c: &Conditions) -> bool {
    let id = t["id"].as_u64().unwrap_or(0);
    let updated = t
        .pointer("/_info/lastUpdated")
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
    c.boards
        .as_ref()
        .is_none_or(|b| b.contains(&ref_id(t, "board")))
        && c.statuses
            .as_ref()
            .is_none_or(|s| s.contains(&ref_id(t, "status")))
        && c.company.is_none_or(|co| ref_id(t, "company") == co)
        && c.contains.as_ref().is_none_or(|needle| {
            t["summary"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase()
                .contains(needle)
        })
        && c.updated_after
            .is_none_or(|after| updated.is_some_and(|u| u > after))
        && c.below.is_none_or(|b| id < b)
}

/// `GET service/tickets[/count|/{id}]` (`rest` is what follows `service/tickets`).
pub(super) fn get(store: &Store, rest: &[&str], q: &HashMap<String, String>) -> Response {
    let inner = store.lock();
    let c = match parse(q.get("conditions")) {
        Ok(c) => c,
        Err(msg) => return error(StatusCode::BAD_REQUEST, "InvalidObject", &msg),
    };
    let mut found: Vec<&Value> = inner.tickets.values().filter(|t| matches(t, &c)).collect();
    match rest {
        ["count"] => Json(json!({"count": found.len()})).into_response(),
        [id] => match id.parse::<u64>().ok().and_then(|id| inner.tickets.get(&id)) {
            Some(t) => Json(t.clone()).into_response(),
            None => not_found(),
        },
        [] => {
            if q.get("orderBy").is_some_and(|o| o.contains("desc")) {
                found.reverse();
            }
            let size: usize = q.get("pageSize").and_then(|v| v.parse().ok()).unwrap_or(25);
            let page: usize = q
                .get("page")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1)
                .max(1);
            let items: Vec<Value> = found
                .into_iter()
                .skip((page - 1) * size)
                .take(size)
                .cloned()
                .collect();
            Json(items).into_response()
        }
        _ => not_found(),
    }
}

/// A board status, priority or board reference given by id, named as the lists name it.
fn resolve(key: &str, value: &Value) -> Value {
    let id = value.get("id").and_then(Value::as_u64).unwrap_or(0);
    match key {
        "status" if (1..=4).contains(&id) => named(id, &STATUSES),
        "priority" if (1..=3).contains(&id) => named(id, &PRIORITIES),
        "board" if (1..=2).contains(&id) => board(id),
        _ => value.clone(),
    }
}

fn invalid(field: &str, message: &str) -> Response {
    let body = json!({"code": "InvalidObject", "message": "ticket object is invalid",
        "errors": [{"code": "InvalidField", "message": message, "resource": "ticket", "field": field}]});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

fn post_ticket(fake: &Fake, body: Value) -> Response {
    let summary = body["summary"].as_str().unwrap_or_default().to_owned();
    if summary.trim().is_empty() {
        return invalid("summary", "The summary field is required.");
    }
    let co = ref_id(&body, "company");
    if co == 0 || co > fake.config.companies {
        return invalid("company", "The company was not found.");
    }
    let mut inner = fake.tickets.lock();
    let id = inner.tickets.keys().next_back().copied().unwrap_or(0) + 1;
    let mut t = ticket(id, fake.config.companies);
    t["summary"] = json!(summary);
    t["company"] = company(co);
    t["status"] = named(1, &STATUSES);
    t["closedFlag"] = json!(false);
    for key in ["board", "status", "priority"] {
        if let Some(v) = body.get(key) {
            t[key] = resolve(key, v);
        }
    }
    let now = stamp(Utc::now());
    t["_info"] = json!({"dateEntered": now, "lastUpdated": now, "updatedBy": "api"});
    inner.tickets.insert(id, t.clone());
    (StatusCode::CREATED, Json(t)).into_response()
}

/// Applies `replace` operations on top-level keys (the ones tickets and records are written by).
fn apply(record: &mut Value, document: &Value) -> Result<(), String> {
    for op in document.as_array().ok_or("a JSON Patch is an array")? {
        let path = op["path"].as_str().ok_or("an operation needs a path")?;
        let key = path.trim_start_matches('/');
        if key.is_empty() || key.contains('/') || op["op"] != "replace" {
            return Err(format!("unsupported operation on {path:?}"));
        }
        record[key] = resolve(key, &op["value"]);
    }
    record["_info"]["lastUpdated"] = json!(stamp(Utc::now()));
    Ok(())
}

/// `PATCH` of a ticket or of a record created here; `None` when it is neither.
pub(super) fn patch(fake: &Fake, path: &[&str], document: &Value) -> Option<Response> {
    let mut inner = fake.tickets.lock();
    let record = match path {
        ["service", "tickets", id] => inner.tickets.get_mut(&id.parse::<u64>().ok()?),
        // Records of the generated data are patched by the fake's own handler.
        ["company", kind @ ("companies" | "contacts"), id] => {
            Some(inner.records.get_mut(&format!("{kind}/{id}"))?)
        }
        _ => return None,
    };
    let Some(record) = record else {
        return Some(not_found());
    };
    Some(match apply(record, document) {
        Ok(()) => Json(record.clone()).into_response(),
        Err(message) => error(StatusCode::BAD_REQUEST, "InvalidObject", &message),
    })
}

/// `POST service/tickets`, `company/companies`, `company/contacts`.
pub(super) async fn post(
    State(fake): State<Fake>,
    Path((_codebase, rest)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !authorized(&fake.config, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Authentication failed.",
        );
    }
    let Ok(body) = serde_json::from_slice::<Value>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "InvalidObject",
            "The request body is not JSON.",
        );
    };
    let (kind, required) = match rest.trim_end_matches('/') {
        "service/tickets" => return post_ticket(&fake, body),
        "company/companies" => ("companies", ["identifier", "name"]),
        "company/contacts" => ("contacts", ["firstName", "firstName"]),
        _ => return not_found(),
    };
    for field in required {
        if body[field].as_str().is_none_or(|v| v.trim().is_empty()) {
            let body = json!({"code": "InvalidObject", "message": format!("{} object is invalid", &kind[..kind.len() - 1]),
                "errors": [{"code": "MissingRequiredField", "message": format!("The {field} field is required."), "field": field}]});
            return (StatusCode::BAD_REQUEST, Json(body)).into_response();
        }
    }
    let mut inner = fake.tickets.lock();
    inner.next_record += 1;
    let id = 100_000 + inner.next_record;
    let mut record = body;
    record["id"] = json!(id);
    if kind == "contacts" {
        let co = ref_id(&record, "company");
        record["company"] = company(co);
    }
    record["_info"] = json!({"lastUpdated": stamp(Utc::now()), "updatedBy": "api"});
    inner.records.insert(format!("{kind}/{id}"), record.clone());
    (StatusCode::CREATED, Json(record)).into_response()
}

/// `DELETE company/companies/{id}` and `company/contacts/{id}`: 204.
pub(super) async fn delete(
    State(fake): State<Fake>,
    Path((_codebase, rest)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if !authorized(&fake.config, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Authentication failed.",
        );
    }
    let path: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let ["company", kind @ ("companies" | "contacts"), id] = path.as_slice() else {
        return not_found();
    };
    let key = format!("{kind}/{id}");
    let created = fake.tickets.lock().records.remove(&key).is_some();
    let entity = if *kind == "companies" {
        super::Entity::Company
    } else {
        super::Entity::Contact
    };
    let generated = id
        .parse::<u64>()
        .is_ok_and(|n| fake.view().exists(entity, n));
    if !created && !generated {
        return not_found();
    }
    fake.faults.delete(&key);
    StatusCode::NO_CONTENT.into_response()
}
