//! ConnectWise callback signatures (API-NOTES §1.9): `x-content-signature` is
//! base64(HMAC-SHA256(key = SHA-256(signing key), raw body)); the signing key is what
//! `GET <Metadata.key_url>` answers (`{"signing_key": …}`). The key URL comes from the body, so
//! before it is fetched its host must be the source's own (same origin as the base URL) or a
//! host under myconnectwise.net over https; it is fetched through the connectors' HTTP path (no
//! redirects, the address guard) and cached by key, so a callback costs no request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use reqwest::Url;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::connectors::{budget_key, http::Upstream, Net};

/// How long a fetched key is trusted before it is fetched again.
const TTL: Duration = Duration::from_secs(3600);
/// Keys kept at most (one per ConnectWise key id in use).
const KEPT: usize = 1000;

#[derive(Clone, Default)]
pub struct KeyCache {
    keys: Arc<Mutex<HashMap<String, (String, Instant)>>>,
}

/// Whether `key_url` may be fetched for a source whose base URL is `base_url`.
pub fn allowed(key_url: &Url, base_url: &str) -> bool {
    let Ok(base) = Url::parse(base_url) else {
        return false;
    };
    if key_url.origin() == base.origin() {
        return true;
    }
    let host = key_url.host_str().unwrap_or_default().to_ascii_lowercase();
    key_url.scheme() == "https"
        && key_url.port().is_none()
        && (host == "myconnectwise.net" || host.ends_with(".myconnectwise.net"))
}

/// Whether `signature` (the header's base64) signs `body` with `signing_key`.
pub fn verifies(signing_key: &str, body: &[u8], signature: &str) -> bool {
    let Ok(expected) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    let key = Sha256::digest(signing_key.as_bytes());
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

impl KeyCache {
    /// The signing key behind `key_url`: cached, or fetched when `fresh` or unknown.
    pub async fn get(
        &self,
        net: &Net,
        base_url: &str,
        client_id: &str,
        key_url: &Url,
        fresh: bool,
    ) -> Result<String, String> {
        let id = cache_key(key_url);
        if !fresh {
            let keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
            if let Some((key, at)) = keys.get(&id) {
                if at.elapsed() < TTL {
                    return Ok(key.clone());
                }
            }
        }
        let origin = key_url.origin().ascii_serialization();
        let budget = budget_key(entity::enums::Provider::ConnectwiseManage, base_url);
        let http = Upstream::new(net, &origin, &budget, None).map_err(|e| e.message())?;
        let (answer, _) = http
            .json(|client| {
                client
                    .get(key_url.clone())
                    .header("clientId", client_id)
                    .header("Accept", "application/json")
            })
            .await
            .map_err(|e| e.message())?;
        let key = answer
            .get("signing_key")
            .and_then(Value::as_str)
            .filter(|k| !k.is_empty())
            .ok_or("the key URL answered no signing_key")?
            .to_owned();
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        if keys.len() >= KEPT {
            keys.retain(|_, (_, at)| at.elapsed() < TTL);
            if keys.len() >= KEPT {
                keys.clear();
            }
        }
        keys.insert(id, (key.clone(), Instant::now()));
        Ok(key)
    }
}

/// Keys are named by the URL's host and `id` parameter (the whole URL when it has none).
fn cache_key(key_url: &Url) -> String {
    let id = key_url
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case("id"))
        .map(|(_, v)| v.into_owned());
    match id {
        Some(id) => format!("{}#{id}", key_url.host_str().unwrap_or_default()),
        None => key_url.as_str().to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn key_urls_on_the_source_host_or_myconnectwise_only() {
        let base = "https://cw.acme.example/v4_6_release/apis/3.0";
        assert!(allowed(
            &url("https://cw.acme.example/v2025_1//system/callbackkey/index.rails?id=1"),
            base
        ));
        assert!(allowed(
            &url(
                "https://sandbox-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?id=1"
            ),
            base
        ));
        assert!(!allowed(&url("https://evil.example/key?id=1"), base));
        assert!(!allowed(
            &url("https://myconnectwise.net.evil.example/key"),
            base
        ));
        assert!(!allowed(&url("http://na.myconnectwise.net/key"), base));
        assert!(!allowed(&url("https://cw.acme.example:8443/key"), base));
    }

    #[test]
    fn signatures_are_hmac_sha256_under_the_hashed_key() {
        let body = br#"{"ID":1}"#;
        let key = Sha256::digest(b"signing");
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(body);
        let signature = STANDARD.encode(mac.finalize().into_bytes());
        assert!(verifies("signing", body, &signature));
        assert!(!verifies("other", body, &signature));
        assert!(!verifies("signing", b"{}", &signature));
        assert!(!verifies("signing", body, "not base64!"));
    }
}
