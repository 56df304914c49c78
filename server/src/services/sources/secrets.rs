//! A source's secrets: its credentials (checked against the provider's keys, sealed on write,
//! opened only for connectors) and its webhook secret and URL.

use entity::enums::Provider;
use entity::source;
use rand::distributions::{Alphanumeric, DistString};
use serde_json::{Map, Value};

use crate::crypto::{Keys, Purpose};
use crate::error::{ApiError, ApiResult};
use crate::providers;

/// The URL a provider posts events to, for providers with webhooks.
pub fn webhook_url(keys: &Keys, public_url: &str, source: &source::Model) -> Option<String> {
    if !providers::spec(source.provider).has_webhooks {
        return None;
    }
    let sealed = source.webhook_secret_ciphertext.as_ref()?;
    let secret = keys
        .open(
            source.organization_id,
            source.id,
            Purpose::WebhookSecret,
            sealed,
        )
        .ok()?;
    let secret = String::from_utf8(secret).ok()?;
    Some(format!(
        "{}/webhooks/{}/{}",
        public_url.trim_end_matches('/'),
        source.webhook_id,
        secret
    ))
}

/// The stored credentials, opened (for connectors only; never for API output).
pub fn open_credentials(keys: &Keys, source: &source::Model) -> Option<Value> {
    let sealed = source.credentials_ciphertext.as_ref()?;
    let plain = keys
        .open(
            source.organization_id,
            source.id,
            Purpose::Credentials,
            sealed,
        )
        .ok()?;
    serde_json::from_slice(&plain).ok()
}

pub(super) fn seal_credentials(
    keys: &Keys,
    org_id: i64,
    active: &source::ActiveModel,
    credentials: &Value,
) -> Vec<u8> {
    let id = *active.id.as_ref();
    keys.seal(
        org_id,
        id,
        Purpose::Credentials,
        credentials.to_string().as_bytes(),
    )
}

pub(super) fn new_webhook_secret(
    keys: &Keys,
    org_id: i64,
    active: &source::ActiveModel,
) -> Vec<u8> {
    let id = *active.id.as_ref();
    let secret = Alphanumeric.sample_string(&mut rand::thread_rng(), 40);
    keys.seal(org_id, id, Purpose::WebhookSecret, secret.as_bytes())
}

pub(super) fn merge_objects(base: Value, patch: &Value) -> Value {
    match (base, patch) {
        (Value::Object(mut base), Value::Object(patch)) => {
            for (k, v) in patch {
                base.insert(k.clone(), v.clone());
            }
            Value::Object(base)
        }
        (_, patch) => patch.clone(),
    }
}

/// Credentials as the provider needs them: an object of non-empty strings with the keys of
/// PROVIDERS.md, nothing else.
pub fn validate_credentials(provider: Provider, value: &Value, field: &str) -> ApiResult<Value> {
    let spec = providers::spec(provider);
    let Value::Object(map) = value else {
        return Err(ApiError::bad_input(
            field,
            "credentials are an object of provider-specific keys",
        ));
    };
    let mut clean = Map::new();
    for (key, v) in map {
        if !spec.credentials.iter().any(|c| c.key == key) {
            let known: Vec<&str> = spec.credentials.iter().map(|c| c.key).collect();
            return Err(ApiError::bad_input(
                format!("{field}.{key}"),
                format!("unknown key; {} takes {}", spec.label, known.join(", ")),
            ));
        }
        match v {
            Value::String(s) if !s.trim().is_empty() => {
                clean.insert(key.clone(), Value::String(s.trim().to_owned()));
            }
            Value::Null => {}
            _ => {
                return Err(ApiError::bad_input(
                    format!("{field}.{key}"),
                    "must be a non-empty string",
                ))
            }
        }
    }
    if provider == Provider::Netsapiens {
        let oauth = ["clientId", "clientSecret", "username", "password"];
        if !clean.contains_key("apiKey") && !oauth.iter().all(|k| clean.contains_key(*k)) {
            let missing = oauth
                .iter()
                .find(|k| !clean.contains_key(**k))
                .copied()
                .unwrap_or("apiKey");
            return Err(ApiError::bad_input(
                format!("{field}.{missing}"),
                "NetSapiens needs apiKey, or clientId, clientSecret, username and password",
            ));
        }
    }
    for c in spec.credentials.iter().filter(|c| c.required) {
        if !clean.contains_key(c.key) {
            return Err(ApiError::bad_input(
                format!("{field}.{}", c.key),
                format!("{} is required", c.label),
            ));
        }
    }
    Ok(Value::Object(clean))
}
