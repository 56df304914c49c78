//! ConnectWise callbacks (API-NOTES §1.9), the fake's side: the signing-key endpoint that
//! `Metadata.key_url` names (`GET /{codebase}//system/callbackkey/index.rails?companyName=…&id=…`,
//! with the `clientId` header, answering `{"signing_key": …}`), and `Callbacks`, which builds a
//! callback as ConnectWise sends it (`Entity` a JSON string, null on delete), signs it
//! (`x-content-signature` = base64(HMAC-SHA256(SHA-256(signing key), body))) and posts it.
//!
//! Keys are derived from the fake's private key and the key id, so the endpoint needs no state
//! and a test can rotate to a new key id at will.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{error, Config, Fake};

/// The signing key of `key_id`.
pub fn signing_key(config: &Config, key_id: &str) -> String {
    let digest = Sha256::digest(format!(
        "{}/{}/{key_id}",
        config.company_id, config.private_key
    ));
    hex::encode(&digest[..16])
}

/// `x-content-signature` of `body` under `signing_key`.
pub fn sign(signing_key: &str, body: &[u8]) -> String {
    let key = Sha256::digest(signing_key.as_bytes());
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// `GET /{codebase}/system/callbackkey/index.rails`.
pub(super) async fn key(
    State(fake): State<Fake>,
    headers: HeaderMap,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let client = headers.get("clientId").and_then(|v| v.to_str().ok());
    if client != Some(fake.config.client_id.as_str()) {
        return error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "clientId required",
        );
    }
    match q.get("id").filter(|id| !id.is_empty()) {
        Some(id) => Json(json!({"signing_key": signing_key(&fake.config, id)})).into_response(),
        None => error(StatusCode::NOT_FOUND, "ConnectWiseApi", "No such key."),
    }
}

/// Builds, signs and posts callbacks from a running fake.
#[derive(Clone)]
pub struct Callbacks {
    /// `http://<fake address>`, where the key URL points.
    pub origin: String,
    pub config: Config,
    /// The key id the next callbacks name (change it to rotate the key).
    pub key_id: String,
    client: reqwest::Client,
}

impl Callbacks {
    pub fn new(origin: String, config: Config) -> Callbacks {
        Callbacks {
            origin,
            config,
            key_id: "e17e6674-42f6-4105-9cff-4cd6cb4e62e8".into(),
            client: reqwest::Client::new(),
        }
    }

    /// The key URL callbacks name, in ConnectWise's own form (`v2025_1//system`).
    pub fn key_url(&self) -> String {
        format!(
            "{}/v2025_1//system/callbackkey/index.rails?companyName={}&id={}",
            self.origin, self.config.company_id, self.key_id
        )
    }

    /// A callback body: `kind` "ticket", "company" …; `action` "added", "updated", "deleted".
    pub fn body(&self, kind: &str, action: &str, id: u64, entity: Option<&Value>) -> Value {
        json!({
            "Action": action,
            "CallbackObjectRecId": 26604,
            "CompanyId": self.config.company_id,
            "Entity": entity.map(Value::to_string),
            "FromUrl": "127.0.0.1",
            "ID": id,
            "MemberId": "fake",
            "MessageId": uuid::Uuid::new_v4().to_string(),
            "Metadata": {"key_url": self.key_url()},
            "PartnerId": "61ddc2817bcddc0001c74208",
            "ProductInstanceId": "639c96cab2eb560001dd1324",
            "Type": kind,
        })
    }

    /// The signature ConnectWise would send with `body`.
    pub fn signature(&self, body: &[u8]) -> String {
        sign(&signing_key(&self.config, &self.key_id), body)
    }

    /// Posts `body` signed; returns the status.
    pub async fn post(&self, url: &str, body: &Value) -> u16 {
        let bytes = body.to_string().into_bytes();
        let signature = self.signature(&bytes);
        self.post_raw(url, bytes, Some(&signature)).await
    }

    /// Posts exactly these bytes with this signature header (if any).
    pub async fn post_raw(&self, url: &str, body: Vec<u8>, signature: Option<&str>) -> u16 {
        let mut request = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .body(body);
        if let Some(signature) = signature {
            request = request.header("x-content-signature", signature);
        }
        request
            .send()
            .await
            .expect("post a callback")
            .status()
            .as_u16()
    }
}
