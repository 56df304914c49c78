//! A Cisco BroadWorks OCI-P over SOAP fake (docs/CONNECTORS.md §3, §4.3):
//! `POST /webservice/services/ProvisioningService` takes `processOCIMessage` with any argument
//! element, answers `processOCIMessageResponse/processOCIMessageReturn` (both escaped OCI),
//! 1–15 commands a document with `echo`; `GET …?wsdl` is a static stub. Sessions, logins and
//! the list commands are in `sessions`, the data in `records`, the XML in `xml`.
//!
//! Faults (`super::faults`): 429 with Retry-After, 500 with a SOAP `Fault`, a delay, malformed
//! replies (alternately a cut SOAP envelope and escaped OCI that does not parse), dropped
//! connections, `short_pages` (the next user table comes back with exactly
//! `responseSizeLimit` rows, as when a group has more users than the limit), and deletions
//! (`serviceProviders/{id}`, `groups/{sp}/{group}`, `users/{userId}`, also mid-pass: those
//! scheduled happen once a groups table has been answered). Every request is recorded.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};

use super::faults::{Fault, Faults};

mod records;
mod sessions;
mod xml;

pub use sessions::{signed_password, COOKIE, INVALID_PASSWORD, NOT_LOGGED_IN};

/// The endpoint path, as PROVIDERS.md gives it.
pub const PATH: &str = "/webservice/services/ProvisioningService";

/// What the fake holds and accepts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Service providers and enterprises (odd indexes are enterprises).
    pub service_providers: u64,
    pub groups_per_sp: u64,
    pub users_per_group: u64,
    pub hunt_groups_per_group: u64,
    pub user_id: String,
    pub password: String,
    /// Answer tables in a shuffled column order (clients must map by heading).
    pub shuffle_columns: bool,
    /// Refuse `LoginRequest22V5` (the fake only speaks plain http).
    pub refuse_plain_login_over_http: bool,
    /// The limit a list request without `responseSizeLimit` gets (not documented; none here).
    pub default_response_size_limit: Option<usize>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            service_providers: 4,
            groups_per_sp: 2,
            users_per_group: 3,
            hunt_groups_per_group: 1,
            user_id: "switchboard-admin".into(),
            password: "fake-bw-password".into(),
            shuffle_columns: false,
            refuse_plain_login_over_http: false,
            default_response_size_limit: None,
        }
    }
}

impl Config {
    /// Credentials for `createSource`, as PROVIDERS.md names them.
    pub fn credentials(&self) -> Value {
        json!({"userId": self.user_id, "password": self.password})
    }
}

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub headers: HeaderMap,
    /// The value of the session cookie sent, if any.
    pub cookie: Option<String>,
    /// The OCI document (unescaped), or the raw body when it had none.
    pub body: String,
    pub session_id: Option<String>,
    /// The local `xsi:type` of each command.
    pub commands: Vec<String>,
}

/// A running fake on 127.0.0.1.
pub struct BroadWorksFake {
    pub addr: SocketAddr,
    pub config: Config,
    pub faults: Faults,
    requests: Arc<Mutex<Vec<Recorded>>>,
    _server: tokio::task::JoinHandle<()>,
}

impl BroadWorksFake {
    pub async fn start(config: Config) -> BroadWorksFake {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake");
        let addr = listener.local_addr().expect("address");
        let faults = Faults::default();
        let (app, requests) = build(config.clone(), faults.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        BroadWorksFake {
            addr,
            config,
            faults,
            requests,
            _server: server,
        }
    }

    /// The base URL a user would copy.
    pub fn base_url(&self) -> String {
        format!("http://{}{PATH}", self.addr)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn clear_requests(&self) {
        if let Ok(mut r) = self.requests.lock() {
            r.clear();
        }
    }
}

#[derive(Clone)]
pub(crate) struct Fake {
    config: Arc<Config>,
    faults: Faults,
    sessions: Arc<Mutex<sessions::Sessions>>,
    nonces: Arc<AtomicU64>,
    requests: Arc<Mutex<Vec<Recorded>>>,
    malformed: Arc<AtomicU64>,
}

impl Fake {
    fn next_nonce(&self) -> String {
        (1_700_000_000_000 + self.nonces.fetch_add(1, Ordering::SeqCst)).to_string()
    }
}

/// The fake's routes, to merge beside the other fakes on one port.
pub fn router(config: Config, faults: Faults) -> Router {
    // gzip when the client asks for it (docs/CONNECTORS.md §0).
    build(config, faults.clone())
        .0
        .layer(tower_http::compression::CompressionLayer::new())
        // Outside the compression: the body is cut as it goes on the wire.
        .layer(axum::middleware::from_fn_with_state(
            faults,
            super::faults::body_faults,
        ))
}

fn build(config: Config, faults: Faults) -> (Router, Arc<Mutex<Vec<Recorded>>>) {
    let requests = Arc::new(Mutex::new(Vec::new()));
    let fake = Fake {
        config: Arc::new(config),
        faults,
        sessions: Arc::default(),
        nonces: Arc::default(),
        requests: requests.clone(),
        malformed: Arc::default(),
    };
    let router = Router::new()
        .route(PATH, post(handle).get(wsdl))
        .with_state(fake);
    (router, requests)
}

fn cookie_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

fn soap(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn handle(State(fake): State<Fake>, headers: HeaderMap, body: String) -> Response {
    let cookie = cookie_of(&headers);
    let doc = xml::unwrap_call(&body).and_then(|oci| Ok((xml::parse_document(&oci)?, oci)));
    if let Ok(mut log) = fake.requests.lock() {
        log.push(Recorded {
            headers: headers.clone(),
            cookie: cookie.clone(),
            body: doc.as_ref().map_or(body.clone(), |(_, oci)| oci.clone()),
            session_id: doc.as_ref().ok().map(|(d, _)| d.session_id.clone()),
            commands: doc.as_ref().map_or(Vec::new(), |(d, _)| {
                d.commands.iter().map(|c| c.kind.clone()).collect()
            }),
        });
    }
    fake.faults.wait().await;
    match fake.faults.next() {
        Some(Fault::Reset) => std::panic::resume_unwind(Box::new("connection reset by the fake")),
        Some(Fault::RateLimited(secs)) => {
            let mut resp = soap(
                StatusCode::TOO_MANY_REQUESTS,
                xml::fault("Too many requests"),
            );
            resp.headers_mut().insert(header::RETRY_AFTER, secs.into());
            return resp;
        }
        Some(Fault::ServerError) => {
            return soap(
                StatusCode::INTERNAL_SERVER_ERROR,
                xml::fault("Internal server error"),
            )
        }
        Some(Fault::Malformed) => {
            let whole = xml::envelope(
                "<?xml version=\"1.0\"?><BroadsoftDocument protocol=\"OCI\"><sessionId>",
            );
            // Alternately a SOAP envelope cut short and a whole one whose OCI does not parse.
            let body = if fake.malformed.fetch_add(1, Ordering::SeqCst) % 2 == 0 {
                whole[..whole.len() / 2].to_owned()
            } else {
                whole
            };
            return soap(StatusCode::OK, body);
        }
        None => {}
    }
    let (doc, _) = match doc {
        Ok(doc) => doc,
        Err(words) => {
            return soap(
                StatusCode::INTERNAL_SERVER_ERROR,
                xml::fault(&format!("Client error: {words}")),
            )
        }
    };
    let answer = sessions::answer(&fake, cookie.as_deref(), &doc);
    let oci = xml::document(&doc.session_id, &answer.commands);
    let mut resp = soap(StatusCode::OK, xml::envelope(&oci));
    if let Some(value) = answer.set_cookie {
        let set = format!("{COOKIE}={value}; Path=/webservice; HttpOnly");
        if let Ok(v) = set.parse() {
            resp.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    resp
}

/// `GET …?wsdl`: a static stub naming the one operation.
async fn wsdl() -> Response {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
        <wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" \
        targetNamespace=\"urn:com:broadsoft:webservice\">\
        <wsdl:portType name=\"BWProvisioningService\"><wsdl:operation name=\"processOCIMessage\"/>\
        </wsdl:portType></wsdl:definitions>";
    soap(StatusCode::OK, body.into())
}
