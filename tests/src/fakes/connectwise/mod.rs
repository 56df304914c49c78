//! A ConnectWise Manage REST 3.0 fake (docs/CONNECTORS.md §1, §4.1): any codebase segment,
//! Basic `companyId+publicKey:privateKey` plus the `clientId` header, bare-array pages of up
//! to 1000 with `Link` headers (page numbers, or forward-only `pageId`), `conditions` on `id`
//! (`>`, `>=`, `=`, `in`), `lastUpdated` and `company/id`, `/count` honouring them, `fields=`
//! narrowing records, PSA metadata lists, the documented error bodies, and switchable faults.
//! Tests change the data through `Faults`: delete or touch a record, add companies.
//!
//! Records are derived from the company index: per company one site, two contacts (none for
//! every 50th company, which then has no configuration either) and five configurations (the
//! fifth without a serial number); every fourth company has an agreement.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::{json, Value};

use self::data::{served, Entity, View};
use self::lists::{count, list};
use self::records::metadata;
use super::faults::{body_faults, Fault, Faults};

pub mod callbacks;
mod data;
mod lists;
mod records;
pub mod tickets;

/// What the fake holds and accepts.
#[derive(Debug, Clone)]
pub struct Config {
    pub companies: u64,
    pub company_id: String,
    pub public_key: String,
    pub private_key: String,
    pub client_id: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            companies: 20,
            company_id: "acme".into(),
            public_key: "fake-public".into(),
            private_key: "fake-private".into(),
            client_id: "fake-client-id".into(),
        }
    }
}

impl Config {
    /// Credentials for `createSource`, as PROVIDERS.md names them.
    pub fn credentials(&self) -> Value {
        json!({"companyId": self.company_id, "publicKey": self.public_key, "privateKey": self.private_key, "clientId": self.client_id})
    }
}

/// A running fake on 127.0.0.1.
pub struct ConnectWiseFake {
    pub addr: SocketAddr,
    pub config: Config,
    pub faults: Faults,
    _server: tokio::task::JoinHandle<()>,
}

impl ConnectWiseFake {
    pub async fn start(config: Config) -> ConnectWiseFake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake");
        let addr = listener.local_addr().expect("address");
        let faults = Faults::default();
        let app = router(config.clone(), faults.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        ConnectWiseFake {
            addr,
            config,
            faults,
            _server: server,
        }
    }

    /// Signs and posts callbacks whose key URL is this fake's.
    pub fn callbacks(&self) -> callbacks::Callbacks {
        callbacks::Callbacks::new(format!("http://{}", self.addr), self.config.clone())
    }

    /// The base URL a user would copy: `http://<addr>/v4_6_release/apis/3.0`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v4_6_release/apis/3.0", self.addr)
    }
}

#[derive(Clone)]
struct Fake {
    config: Arc<Config>,
    faults: Faults,
    tickets: tickets::Store,
}

pub fn router(config: Config, faults: Faults) -> Router {
    Router::new()
        .route(
            "/{codebase}/apis/3.0/{*rest}",
            get(handle)
                .patch(patch)
                .post(tickets::post)
                .delete(tickets::delete),
        )
        // ConnectWise's own key URLs have an empty segment (`v2025_1//system`, API-NOTES
        // §1.9); the single-slash form is served too.
        .route(
            "/{codebase}//system/callbackkey/index.rails",
            get(callbacks::key),
        )
        .route(
            "/{codebase}/system/callbackkey/index.rails",
            get(callbacks::key),
        )
        .with_state(Fake {
            tickets: tickets::Store::new(config.companies),
            config: Arc::new(config),
            faults: faults.clone(),
        })
        // gzip when the client asks for it (docs/CONNECTORS.md §0), so the connector's
        // decoding is exercised by every import test.
        // At the fastest level: the fake shares the benchmark's cores with the server.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest),
        )
        // Outside the compression: the body is cut as it goes on the wire.
        .layer(axum::middleware::from_fn_with_state(faults, body_faults))
}

type Params = Query<std::collections::HashMap<String, String>>;

async fn handle(
    State(fake): State<Fake>,
    Path((_codebase, rest)): Path<(String, String)>,
    headers: HeaderMap,
    Query(q): Params,
) -> Response {
    fake.faults.wait().await;
    answer(&fake, &rest, &headers, &q)
}

fn answer(
    fake: &Fake,
    rest: &str,
    headers: &HeaderMap,
    q: &std::collections::HashMap<String, String>,
) -> Response {
    let store = fake.tickets.clone();
    let fake = fake.view();
    if !authorized(fake.config, headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Authentication failed: check the company id, public key, private key and clientId.",
        );
    }
    match fake.faults.next() {
        Some(Fault::Reset) => std::panic::resume_unwind(Box::new("connection reset by the fake")),
        Some(Fault::RateLimited(secs)) => {
            let mut resp = error(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests",
            );
            resp.headers_mut().insert(header::RETRY_AFTER, secs.into());
            return resp;
        }
        Some(Fault::ServerError) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                "An error has occurred.",
            )
        }
        Some(Fault::Malformed) => {
            return (
                [(header::CONTENT_TYPE, "application/json")],
                "[{\"id\": 1, \"name\": \"trunc",
            )
                .into_response()
        }
        _ => {}
    }
    let path: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let entity = match path.as_slice() {
        ["system", "info"] => return Json(json!({"version": "v2025.1.0", "isCloud": false, "serverTimeZone": "UTC", "cloudRegion": null})).into_response(),
        ["company", "companies"] => Entity::Company,
        ["company", "companies", "count"] => return count(&fake, Entity::Company, q, None),
        ["company", "companies", id] if is_id(id) => return one(&fake, Entity::Company, id),
        ["company", "companies", id, "sites"] => match id.parse::<u64>() {
            Ok(c) if fake.exists(Entity::Company, c) => return list(&fake, Entity::Site, q, headers, rest, Some(c)),
            _ => return not_found(),
        },
        ["service", "tickets", ticket @ ..] => return tickets::get(&store, ticket, q),
        ["company", "contacts"] => Entity::Contact,
        ["company", "contacts", "count"] => return count(&fake, Entity::Contact, q, None),
        ["company", "configurations"] => Entity::Configuration,
        ["company", "configurations", "count"] => return count(&fake, Entity::Configuration, q, None),
        ["company", "configurations", id] if is_id(id) => return one(&fake, Entity::Configuration, id),
        ["finance", "agreements"] => Entity::Agreement,
        ["finance", "agreements", "count"] => return count(&fake, Entity::Agreement, q, None),
        ["finance", "agreements", id] if is_id(id) => return one(&fake, Entity::Agreement, id),
        meta => return metadata(meta).map_or_else(not_found, |v| Json(v).into_response()),
    };
    list(&fake, entity, q, headers, rest, None)
}

/// A path segment that is a record id (the others name metadata lists: `statuses`, `types`).
fn is_id(segment: &str) -> bool {
    segment.parse::<u64>().is_ok()
}

/// `GET {collection}/{id}`.
fn one(fake: &View<'_>, entity: Entity, id: &str) -> Response {
    match id.parse::<u64>() {
        Ok(id) if fake.exists(entity, id) => Json(served(fake, entity, id)).into_response(),
        _ => not_found(),
    }
}

/// `PATCH {collection}/{id}` with a JSON Patch (API-NOTES §1.5): the full updated record, 200.
async fn patch(
    State(state): State<Fake>,
    Path((_codebase, rest)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    if let Some(done) = serde_json::from_slice(&body)
        .ok()
        .filter(|_| authorized(&state.config, &headers))
        .and_then(|document| tickets::patch(&state, &path, &document))
    {
        return done;
    }
    let fake = state.view();
    if !authorized(fake.config, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Authentication failed.",
        );
    }
    let (entity, id) = match path.as_slice() {
        ["company", "companies", id] => (Entity::Company, *id),
        ["company", "contacts", id] => (Entity::Contact, *id),
        ["company", "configurations", id] => (Entity::Configuration, *id),
        ["finance", "agreements", id] => (Entity::Agreement, *id),
        _ => return not_found(),
    };
    let Some(id) = id.parse::<u64>().ok().filter(|id| fake.exists(entity, *id)) else {
        return not_found();
    };
    let document: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "InvalidObject",
                "The request body is not JSON.",
            )
        }
    };
    if let Err(message) = fake
        .faults
        .edits
        .patch(&format!("{}/{id}", entity.key()), &document)
    {
        return error(StatusCode::BAD_REQUEST, "InvalidObject", &message);
    }
    // The data as it stands after this edit (the view above was taken before it).
    Json(served(&state.view(), entity, id)).into_response()
}

fn authorized(config: &Config, headers: &HeaderMap) -> bool {
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!(
            "{}+{}:{}",
            config.company_id, config.public_key, config.private_key
        ))
    );
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let client = headers.get("clientId").and_then(|v| v.to_str().ok());
    auth == Some(expected.as_str()) && client == Some(config.client_id.as_str())
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"code": code, "message": message}))).into_response()
}

fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "ConnectWiseApi",
        "The endpoint does not exist.",
    )
}
