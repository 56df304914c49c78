//! A Syncro REST v1 fake (docs/CONNECTORS.md §2, §4.2): `Authorization: Bearer <token>` or
//! `?api_key=<token>`, `{"error": …}` 401s, the four lists 25 to a page with `meta` (a switch
//! drops it on assets, as the spec's example does), a page past the end empty, disabled
//! customers only with `include_disabled=true`, `/me`, `/settings`, `/tickets/settings`, PUTs,
//! a real per-IP sliding-window rate limit, every request recorded, and switchable faults.
//!
//! The records and which ids exist are in `records`; what changes between requests in `state`;
//! the routes in `routes`.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use serde_json::{json, Value};

use super::faults::Faults;
pub use state::Recorded;
use state::Shared;

pub mod records;
mod routes;
mod state;
pub mod tickets;

/// What the fake holds and accepts.
#[derive(Debug, Clone)]
pub struct Config {
    pub customers: u64,
    pub leads: u64,
    pub token: String,
    pub subdomain: String,
    /// Requests one client IP may make per `rate_window` (Syncro documents 180 a minute).
    pub rate_limit: u32,
    pub rate_window: Duration,
    /// Whether a 429 carries `Retry-After` (UNVERIFIED for the real API, so both are tested).
    pub retry_after: bool,
    /// Whether `GET /customer_assets` has `meta` (the spec's own example has none).
    pub asset_meta: bool,
    /// List keys ("leads", "assets" …) the token's user has no permission for.
    pub denied: Vec<String>,
    /// Hostile switch: every list request answers `302 Location: <this URL>`.
    pub redirect_to: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            customers: 12,
            leads: 6,
            token: "fake-syncro-token".into(),
            subdomain: "acme".into(),
            rate_limit: 180,
            rate_window: Duration::from_secs(60),
            retry_after: false,
            asset_meta: true,
            denied: Vec::new(),
            redirect_to: None,
        }
    }
}

impl Config {
    /// Credentials for `createSource`, as PROVIDERS.md names them.
    pub fn credentials(&self) -> Value {
        json!({"apiToken": self.token})
    }
}

/// A running fake on 127.0.0.1.
pub struct SyncroFake {
    pub addr: SocketAddr,
    pub config: Config,
    pub faults: Faults,
    shared: Shared,
    _server: tokio::task::JoinHandle<()>,
}

impl SyncroFake {
    pub async fn start(config: Config) -> SyncroFake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake");
        let addr = listener.local_addr().expect("address");
        let faults = Faults::default();
        let shared = Shared::default();
        let app = routes::app(config.clone(), faults.clone(), shared.clone());
        let server = tokio::spawn(async move {
            // Client addresses feed the per-IP rate limit.
            let service = app.into_make_service_with_connect_info::<SocketAddr>();
            let _ = axum::serve(listener, service).await;
        });
        SyncroFake {
            addr,
            config,
            faults,
            shared,
            _server: server,
        }
    }

    /// The base URL a user would copy: `http://<addr>/api/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests()
    }

    /// After each of the next `times` pages of `entity` ("customers", "contacts", "assets",
    /// "leads"), its first record is deleted: `total_entries` keeps moving during a pass.
    pub fn churn(&self, entity: &str, times: u32) {
        self.shared.set_churn(entity, times);
    }
}

/// The fake's routes, all under `/api/v1`, for merging beside other fakes on one port. Serve
/// it with `into_make_service_with_connect_info::<SocketAddr>()` for a per-IP limit; without
/// it every client shares one window.
pub fn router(config: Config, faults: Faults) -> Router {
    // gzip when the client asks for it (docs/CONNECTORS.md §0).
    routes::app(config, faults.clone(), Shared::default())
        .layer(tower_http::compression::CompressionLayer::new())
        // Outside the compression: the body is cut as it goes on the wire.
        .layer(axum::middleware::from_fn_with_state(
            faults,
            super::faults::body_faults,
        ))
}
