//! ConnectWise callbacks (API-NOTES §1.9): `{"Action", "Type", "ID", "MessageId", "Entity"
//! (a JSON string, null on delete), "Metadata": {"key_url"}}`, signed in `x-content-signature`
//! (`keys`). A bad or missing signature, or a key URL on a foreign host, is refused before
//! anything is read or written. A redelivered `MessageId` is no second event. The Entity is
//! often a summary, so a record without its update mark and name is re-fetched by `ID`.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::keys::{allowed, verifies};
use super::record::{self, Announced, Recorded};
use super::{id_text, Delivery, Outcome};
use crate::state::AppState;
use entity::source;

/// The callback types whose records are re-fetched when summarised: (type, collection, node
/// type of the tree). Tickets are always read again, as the ticket they are now.
const TYPES: [(&str, &str, Option<&str>); 3] = [
    ("company", "company/companies", Some("Company")),
    ("contact", "company/contacts", Some("Contact")),
    (
        "configuration",
        "company/configurations",
        Some("Configuration"),
    ),
];

pub async fn receive(state: &AppState, source: &source::Model, delivery: &Delivery<'_>) -> Outcome {
    let Ok(body) = serde_json::from_slice::<Value>(delivery.body) else {
        return Outcome::BadRequest("the body is not JSON".into());
    };
    if let Err(why) = check_signature(state, source, delivery, &body).await {
        tracing::warn!(source_id = source.id, reason = %why, "ConnectWise callback refused");
        return Outcome::BadSignature(why);
    }
    record::heard(state, source.id).await;
    let message_id = body
        .get("MessageId")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| hex::encode(Sha256::digest(delivery.body)));
    match record::seen(state, source.id, &message_id).await {
        Ok(true) => return Outcome::Duplicate,
        Ok(false) => {}
        Err(err) => return Outcome::Unavailable(err.to_string()),
    }
    let kind = body
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let Some(id) = id_text(body.get("ID")) else {
        return Outcome::BadRequest("the callback has no ID".into());
    };
    let action = match body.get("Action").and_then(Value::as_str) {
        Some("added") => "created",
        Some("deleted") => "deleted",
        _ => "updated",
    };
    if kind == "ticket" {
        return super::tickets::announce(state, source, Some(message_id), &id, action).await;
    }
    let known = TYPES.iter().find(|(t, _, _)| *t == kind);
    let entity = body
        .get("Entity")
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
        .filter(Value::is_object);
    let payload = match (action, known, entity) {
        ("deleted", _, _) => Value::Null,
        (_, Some(_), Some(entity)) if complete(&entity) => entity,
        (_, Some((_, collection, _)), _) => match refetch(state, source, collection, &id).await {
            Ok(Some(record)) => record,
            // Gone since: the deletion has its own callback.
            Ok(None) => return Outcome::Accepted,
            Err(why) => return Outcome::Unavailable(why),
        },
        (_, None, entity) => entity.unwrap_or(Value::Null),
    };
    let announced = Announced {
        message_id,
        kind: format!("{kind}.{action}"),
        external_id: Some(id.clone()),
        payload,
        ticket_mark: None,
    };
    match record::record(state, source, announced).await {
        Ok(Recorded::Duplicate) => Outcome::Duplicate,
        Ok(_) => {
            if let Some(node_type) = known.and_then(|(_, _, n)| *n) {
                super::nodes::refresh(state, source, node_type, &id, action == "deleted").await;
            }
            Outcome::Accepted
        }
        Err(err) => Outcome::Unavailable(err.to_string()),
    }
}

/// Verifies `x-content-signature` with the key `Metadata.key_url` names.
async fn check_signature(
    state: &AppState,
    source: &source::Model,
    delivery: &Delivery<'_>,
    body: &Value,
) -> Result<(), String> {
    let signature = delivery
        .headers
        .get("x-content-signature")
        .and_then(|v| v.to_str().ok())
        .ok_or("no x-content-signature header")?;
    let key_url = body
        .pointer("/Metadata/key_url")
        .and_then(Value::as_str)
        .and_then(|u| reqwest::Url::parse(u).ok())
        .ok_or("no usable Metadata.key_url")?;
    if !allowed(&key_url, &source.base_url) {
        return Err(format!(
            "the key URL's host {} is neither the source's nor under myconnectwise.net",
            key_url.host_str().unwrap_or_default()
        ));
    }
    let client_id = crate::services::sources::open_credentials(&state.keys, source)
        .and_then(|c| c.get("clientId").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    let cache = &state.webhooks.keys;
    let key = cache
        .get(&state.net, &source.base_url, &client_id, &key_url, false)
        .await
        .map_err(|e| format!("the signing key could not be read: {e}"))?;
    if verifies(&key, delivery.body, signature) {
        return Ok(());
    }
    // The key may have been rotated since it was cached: ask once more.
    let fresh = cache
        .get(&state.net, &source.base_url, &client_id, &key_url, true)
        .await
        .map_err(|e| format!("the signing key could not be read: {e}"))?;
    if fresh != key && verifies(&fresh, delivery.body, signature) {
        return Ok(());
    }
    Err("the signature does not match the body".into())
}

/// A whole record carries its update mark and a name or summary; a summary does not.
fn complete(entity: &Value) -> bool {
    entity.pointer("/_info/lastUpdated").is_some()
        && ["name", "summary", "firstName", "lastName"]
            .iter()
            .any(|k| entity.get(*k).is_some())
}

async fn refetch(
    state: &AppState,
    source: &source::Model,
    collection: &str,
    id: &str,
) -> Result<Option<Value>, String> {
    let connector = super::connector_for(state, source)?;
    connector
        .fetch_by_id(collection, id)
        .await
        .map_err(|e| e.message())
}
