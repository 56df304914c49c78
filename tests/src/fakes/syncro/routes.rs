//! The Syncro fake's request handling: record, delay, rate limit, auth, faults, then the route
//! (docs/CONNECTORS.md §4.2). Lists page 25 at a time by `page`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use super::records::{self, Entity};
use super::state::{Recorded, Shared};
use super::Config;
use crate::fakes::faults::{Fault, Faults};

/// "Each 'page' contains 25 results" (SY-SPEC parameter descriptions).
const PER_PAGE: usize = 25;
const NOT_AUTHORIZED: &str =
    "Not authorized. Please ask account admin to update your group permissions.";

#[derive(Clone)]
struct Fake {
    config: Arc<Config>,
    faults: Faults,
    shared: Shared,
    tickets: super::tickets::Store,
}

pub(super) fn app(config: Config, faults: Faults, shared: Shared) -> Router {
    Router::new()
        .route("/api/v1/{*rest}", any(handle))
        .with_state(Fake {
            tickets: super::tickets::Store::new(config.customers),
            config: Arc::new(config),
            faults,
            shared,
        })
}

fn status_json(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

fn not_found() -> Response {
    status_json(StatusCode::NOT_FOUND, json!({"message": "Not found"}))
}

async fn handle(State(fake): State<Fake>, req: Request) -> Response {
    let method = req.method().clone();
    let uri = req.uri().clone();
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    fake.shared.record(Recorded {
        method: method.to_string(),
        uri: uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        authorization: authorization.clone(),
    });
    fake.faults.wait().await;
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let Err(wait) = fake
        .shared
        .admit(ip, fake.config.rate_limit, fake.config.rate_window)
    {
        return too_many(&fake, wait);
    }
    let q: HashMap<String, String> = Query::try_from_uri(&uri)
        .map(|Query(q)| q)
        .unwrap_or_default();
    let bearer = authorization
        .as_deref()
        .and_then(|a| a.strip_prefix("Bearer "));
    let token = bearer.or(q.get("api_key").map(String::as_str));
    if token != Some(fake.config.token.as_str()) {
        return status_json(
            StatusCode::UNAUTHORIZED,
            json!({"error": "Invalid API token: it is wrong, expired or revoked."}),
        );
    }
    match fake.faults.next() {
        Some(Fault::Reset) => std::panic::resume_unwind(Box::new("connection reset by the fake")),
        Some(Fault::RateLimited(secs)) => return too_many(&fake, secs),
        Some(Fault::ServerError) => {
            let body = if fake.shared.next_error_is_html() {
                "<html><body><h1>We're sorry, but something went wrong.</h1></body></html>"
            } else {
                ""
            };
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/html")],
                body,
            )
                .into_response();
        }
        Some(Fault::Malformed) => {
            return (
                [(header::CONTENT_TYPE, "application/json")],
                "{\"customers\":[{\"id\":1,\"firstname\":\"Wal",
            )
                .into_response()
        }
        None => {}
    }
    let rest = uri
        .path()
        .trim_start_matches("/api/v1/")
        .trim_end_matches('/');
    let path: Vec<&str> = rest.split('/').collect();
    match (method, path.as_slice()) {
        (Method::GET, ["me"]) => Json(me(&fake.config)).into_response(),
        (Method::GET, ["settings"]) => Json(records::settings()).into_response(),
        (Method::GET, ["tickets", "settings"]) => Json(records::ticket_settings()).into_response(),
        (m, p) if super::tickets::handles(&m, p) => {
            let body = axum::body::to_bytes(req.into_body(), 1 << 20)
                .await
                .unwrap_or_default();
            let ctx = super::tickets::Ctx {
                store: &fake.tickets,
                faults: &fake.faults,
                config: &fake.config,
                shared: &fake.shared,
            };
            super::tickets::answer(&ctx, &m, p, &q, &body)
        }
        (Method::GET, [list]) => match Entity::from_path(list) {
            Some(entity) => list_page(&fake, entity, &q),
            None => not_found(),
        },
        (Method::GET, [list, id]) => match (Entity::from_path(list), id.parse::<u64>()) {
            (Some(entity), Ok(id)) if exists(&fake, entity, id) => {
                wrapped(entity, current(&fake, entity, id))
            }
            _ => not_found(),
        },
        (Method::PUT, [list, id]) => match (Entity::from_path(list), id.parse::<u64>()) {
            (Some(entity), Ok(id)) => {
                let body = axum::body::to_bytes(req.into_body(), 1 << 20)
                    .await
                    .unwrap_or_default();
                put(&fake, entity, id, &body)
            }
            _ => not_found(),
        },
        _ => not_found(),
    }
}

fn too_many(fake: &Fake, retry_after: u64) -> Response {
    let mut resp = status_json(
        StatusCode::TOO_MANY_REQUESTS,
        json!({"error": "Rate limit exceeded: 180 requests per minute per IP address."}),
    );
    if fake.config.retry_after {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, retry_after.into());
    }
    resp
}

fn me(config: &Config) -> Value {
    let read = |key: &str| json!({"read": !config.denied.iter().any(|d| d == key), "write": true, "delete": false});
    json!({
        "user_token": "3746f72b-9852-4d1a-84e9-eedb5c50abcd", "user_email": "tech@acme.example", "user_name": "Joe Tech",
        "user_id": 1, "admin": false, "can_use_app": true, "two_factor_required": false, "subdomain": config.subdomain,
        "default_location": null, "enable_multi_locations": false, "locations_allowed": [],
        "permissions": {"customer": read("customers"), "asset": read("assets"), "ticket": read("tickets"),
            "invoice": read("invoices"), "payment": read("payments")},
    })
}

/// Whether record `id` of `entity` exists now: generated, not deleted, and (for contacts and
/// assets) its customer not deleted either.
fn exists(fake: &Fake, entity: Entity, id: u64) -> bool {
    let c = &fake.config;
    if !entity.generated(id, c.customers, c.leads)
        || fake.faults.is_deleted(&format!("{}/{id}", entity.key()))
    {
        return false;
    }
    match (entity, entity.customer_of(id, c.customers)) {
        (Entity::Contact | Entity::Asset, Some(customer)) => {
            !fake.faults.is_deleted(&format!("customers/{customer}"))
        }
        _ => true,
    }
}

fn current(fake: &Fake, entity: Entity, id: u64) -> Value {
    current_record(&fake.config, &fake.shared, entity, id)
}

/// Record `id` as generated, with the edits made to it since.
pub(super) fn current_record(config: &Config, shared: &Shared, entity: Entity, id: u64) -> Value {
    let mut record = records::record(entity, id, config.customers);
    if let (Some(edits), Some(map)) = (
        shared.edits(&format!("{}/{id}", entity.key())),
        record.as_object_mut(),
    ) {
        map.extend(edits);
    }
    record
}

fn list_page(fake: &Fake, entity: Entity, q: &HashMap<String, String>) -> Response {
    if fake.config.denied.iter().any(|d| d == entity.key()) {
        return status_json(StatusCode::UNAUTHORIZED, json!({"error": NOT_AUTHORIZED}));
    }
    if let Some(target) = &fake.config.redirect_to {
        return (StatusCode::FOUND, [(header::LOCATION, target.clone())]).into_response();
    }
    let page: usize = q
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let with_disabled = q.get("include_disabled").map(String::as_str) == Some("true");
    let of_customer: Option<u64> = q.get("customer_id").and_then(|c| c.parse().ok());
    let max = entity.max_id(fake.config.customers, fake.config.leads);
    let visible = |id: &u64| {
        exists(fake, entity, *id)
            && (entity != Entity::Customer || with_disabled || !id.is_multiple_of(6))
            && of_customer.is_none_or(|c| entity.customer_of(*id, fake.config.customers) == Some(c))
    };
    let total = (1..=max).filter(visible).count();
    let mut items: Vec<Value> = (1..=max)
        .filter(visible)
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|id| current(fake, entity, id))
        .collect();
    if fake.faults.take_short_page() {
        items.truncate(items.len() / 2);
    }
    let mut body = json!({ entity.key(): items });
    if entity != Entity::Asset || fake.config.asset_meta {
        body["meta"] = json!({"total_pages": total.div_ceil(PER_PAGE), "total_entries": total, "per_page": PER_PAGE, "page": page});
    }
    fake.faults.page_served();
    if fake.shared.take_churn(entity.key()) {
        if let Some(first) = (1..=max).find(|id| exists(fake, entity, *id)) {
            fake.faults.delete(&format!("{}/{first}", entity.key()));
        }
    }
    Json(body).into_response()
}

/// `PUT /<list>/{id}`: merges the body's top-level keys over the record; contacts and assets
/// require `name` (SY-SPEC).
fn put(fake: &Fake, entity: Entity, id: u64, body: &[u8]) -> Response {
    if !exists(fake, entity, id) {
        return not_found();
    }
    let Ok(Value::Object(mut changes)) = serde_json::from_slice::<Value>(body) else {
        return status_json(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"success": false, "message": ["Body is not a JSON object"]}),
        );
    };
    let named = changes
        .get("name")
        .and_then(Value::as_str)
        .is_some_and(|n| !n.trim().is_empty());
    if matches!(entity, Entity::Contact | Entity::Asset) && !named {
        return status_json(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"success": false, "message": ["Name can't be blank"]}),
        );
    }
    changes.remove("id");
    changes.insert(
        "updated_at".into(),
        json!(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
    );
    fake.shared
        .edit(&format!("{}/{id}", entity.key()), Map::clone(&changes));
    wrapped(entity, current(fake, entity, id))
}

/// One record as `GET`/`PUT /<list>/{id}` answer it: customers and leads wrapped
/// (`{"customer": …}`), contacts and assets bare (SY-SPEC examples and schemas).
fn wrapped(entity: Entity, record: Value) -> Response {
    match entity {
        Entity::Customer => Json(json!({"customer": record})).into_response(),
        Entity::Lead => Json(json!({"lead": record})).into_response(),
        Entity::Contact | Entity::Asset => Json(record).into_response(),
    }
}
