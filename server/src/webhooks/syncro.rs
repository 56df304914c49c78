//! Syncro notification webhooks (API-NOTES §2.6): `{"attributes": {…}, "text", "link"}`,
//! unsigned. Anyone holding the URL could send one, so a body is only a hint: the record is
//! re-fetched by `attributes.id` and only what the provider answers becomes an event. The kind
//! comes from the URL's suffix (one URL per notification: `…/ticket-created`), else from the
//! shape of the hint; a ticket's action is checked against the re-fetched record.

use serde_json::Value;

use super::record::{self, Announced, Recorded};
use super::{id_text, Delivery, Outcome};
use crate::state::AppState;
use entity::source;

/// (URL suffix, record kind, collection, action).
pub const SUFFIXES: [(&str, &str, &str, &str); 7] = [
    ("ticket-created", "ticket", "tickets", "created"),
    ("ticket-updated", "ticket", "tickets", "updated"),
    ("ticket-resolved", "ticket", "tickets", "resolved"),
    ("customer-created", "customer", "customers", "created"),
    ("invoice", "invoice", "invoices", "created"),
    ("payment", "payment", "payments", "created"),
    ("rmm-alert", "rmm_alert", "rmm_alerts", "created"),
];

pub async fn receive(state: &AppState, source: &source::Model, delivery: &Delivery<'_>) -> Outcome {
    let Ok(body) = serde_json::from_slice::<Value>(delivery.body) else {
        return Outcome::BadRequest("the body is not JSON".into());
    };
    let attributes = body.get("attributes").unwrap_or(&Value::Null);
    let (kind, collection, action) = match delivery.suffix {
        Some(suffix) => match SUFFIXES.iter().find(|(s, ..)| *s == suffix) {
            Some((_, kind, collection, action)) => (*kind, *collection, Some(*action)),
            None => return Outcome::UnknownSource,
        },
        None => match guess(attributes) {
            Some((kind, collection)) => (kind, collection, None),
            None => {
                return Outcome::BadRequest("the hint names no record Switchboard knows".into())
            }
        },
    };
    let Some(id) = id_text(attributes.get("id")) else {
        return Outcome::BadRequest("the hint has no attributes.id".into());
    };
    record::heard(state, source.id).await;
    if kind == "ticket" {
        return super::tickets::announce(state, source, None, &id, action.unwrap_or("updated"))
            .await;
    }
    let connector = match super::connector_for(state, source) {
        Ok(c) => c,
        Err(why) => return Outcome::Unavailable(why),
    };
    let record = match connector.fetch_by_id(collection, &id).await {
        Ok(Some(record)) => record,
        // Not there: the hint was wrong (or forged), so nothing happens.
        Ok(None) => return Outcome::Accepted,
        Err(err) => return Outcome::Unavailable(err.message()),
    };
    let updated = record
        .get("updated_at")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let action = action.unwrap_or(if record.get("created_at") == record.get("updated_at") {
        "created"
    } else {
        "updated"
    });
    let announced = Announced {
        message_id: format!("syncro:{kind}:{id}:{updated}"),
        kind: format!("{kind}.{action}"),
        external_id: Some(id.clone()),
        ticket_mark: None,
        payload: record,
    };
    match record::record(state, source, announced).await {
        Ok(Recorded::Duplicate) => Outcome::Duplicate,
        Ok(_) => {
            if kind == "customer" {
                super::nodes::refresh(state, source, "Customer", &id, false).await;
            }
            Outcome::Accepted
        }
        Err(err) => Outcome::Unavailable(err.to_string()),
    }
}

/// The record a hint without a suffix is about, by its attributes.
fn guess(attributes: &Value) -> Option<(&'static str, &'static str)> {
    let has = |k: &str| attributes.get(k).is_some();
    Some(if has("subject") && has("number") {
        ("ticket", "tickets")
    } else if has("computer_name") || has("formatted_output") {
        ("rmm_alert", "rmm_alerts")
    } else if has("payment_amount") {
        ("payment", "payments")
    } else if has("is_paid") || has("total") {
        ("invoice", "invoices")
    } else if has("business_then_name") || has("firstname") {
        ("customer", "customers")
    } else {
        return None;
    })
}
