//! Webhooks in, at `Source.webhookUrl` (`/webhooks/<webhook id>/<secret>[/<kind>]`): the source
//! is found by its webhook id and its secret compared in constant time (an unknown source or a
//! wrong secret is 404 and changes nothing); each source has a request budget (429 past it); a
//! paused source's deliveries are answered and dropped. Then the provider's module checks and
//! re-fetches what was announced (`connectwise`, `syncro`) and `record` turns it into one event.
//!
//! `poll` is the catch-up poll for what webhooks missed; `nodes` keeps the tree current from
//! company, contact, configuration and customer events; `keys` caches ConnectWise signing keys.

pub mod connectwise;
mod keys;
mod limit;
pub mod nodes;
pub mod poll;
pub mod record;
pub mod syncro;
pub mod tickets;

use entity::enums::{Provider, SourceStatus};
use entity::source;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use subtle::ConstantTimeEq;

use crate::connectors::{self, Connector};
use crate::crypto::Purpose;
use crate::services::source_settings::SourceSettings;
use crate::state::AppState;

/// Largest webhook body accepted (SEMANTICS "Tickets and events"); larger ones are 413.
pub const MAX_BODY: usize = 256 * 1024;

/// What a delivery came to; the HTTP layer turns it into a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Checked and turned into an event (or found to change nothing).
    Accepted,
    /// A redelivery of a message already received.
    Duplicate,
    /// The source is paused: answered, not acted on.
    Dropped,
    /// No live source has this webhook URL.
    UnknownSource,
    /// The signature does not verify (or cannot be checked): nothing changed.
    BadSignature(String),
    /// The body is not what the provider sends.
    BadRequest(String),
    /// Over the source's webhook budget; retry after this many seconds.
    RateLimited(u64),
    /// The provider could not be asked for the record; the sender should retry.
    Unavailable(String),
}

/// Per-process state of the intake: signing keys and request budgets.
#[derive(Clone, Default)]
pub struct Intake {
    keys: keys::KeyCache,
    limits: limit::Limits,
}

/// One delivery as the HTTP layer received it.
pub struct Delivery<'a> {
    pub webhook_id: &'a str,
    pub secret: &'a str,
    /// The URL's kind suffix, for providers that register one URL per event kind.
    pub suffix: Option<&'a str>,
    pub headers: &'a axum::http::HeaderMap,
    pub body: &'a [u8],
}

pub async fn receive(state: &AppState, delivery: Delivery<'_>) -> Outcome {
    let source = match find(state, delivery.webhook_id, delivery.secret).await {
        Ok(Some(source)) => source,
        Ok(None) => return Outcome::UnknownSource,
        Err(err) => {
            tracing::error!(error = %err, "looking a webhook's source up failed");
            return Outcome::Unavailable("the server could not read its database".into());
        }
    };
    if let Err(wait) = state.webhooks.limits.take(source.id) {
        return Outcome::RateLimited(wait);
    }
    if source.status == SourceStatus::Paused {
        return Outcome::Dropped;
    }
    let outcome = match source.provider {
        Provider::ConnectwiseManage => connectwise::receive(state, &source, &delivery).await,
        Provider::Syncro => syncro::receive(state, &source, &delivery).await,
        _ => Outcome::UnknownSource,
    };
    tracing::info!(source_id = source.id, outcome = ?outcome, "webhook received");
    outcome
}

/// The live source whose webhook URL this is; the secret is compared in constant time.
async fn find(
    state: &AppState,
    webhook_id: &str,
    secret: &str,
) -> Result<Option<source::Model>, sea_orm::DbErr> {
    let Some(source) = source::Entity::find()
        .filter(source::Column::WebhookId.eq(webhook_id))
        .filter(source::Column::DeletedAt.is_null())
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let stored = source
        .webhook_secret_ciphertext
        .as_ref()
        .and_then(|sealed| {
            state
                .keys
                .open(
                    source.organization_id,
                    source.id,
                    Purpose::WebhookSecret,
                    sealed,
                )
                .ok()
        });
    let matches = stored.is_some_and(|s| bool::from(s.as_slice().ct_eq(secret.as_bytes())));
    Ok(matches.then_some(source))
}

/// The source's connector, or why there is none.
pub fn connector_for(
    state: &AppState,
    source: &source::Model,
) -> Result<Box<dyn Connector>, String> {
    let credentials = crate::services::sources::open_credentials(&state.keys, source)
        .ok_or("the source's credentials are missing or unreadable")?;
    let settings = SourceSettings::from_json(&source.settings);
    match connectors::for_source(
        source.provider,
        &source.base_url,
        &credentials,
        &settings,
        &state.net,
    ) {
        Some(Ok(c)) => Ok(c),
        Some(Err(err)) => Err(err.message()),
        None => Err("this provider has no connector".into()),
    }
}

/// A string or number id as text.
pub(crate) fn id_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}
