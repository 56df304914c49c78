//! Tickets in events. A ticket event's payload is the connector's `Ticket` as JSON (the same
//! shape from a webhook's re-fetch and from the catch-up poll, whatever the provider), read
//! back for `ticketEvents`. Its mark is the ticket's update time plus a digest of that JSON, so
//! the same state found twice is one event, and two changes within one second (ConnectWise
//! marks have whole seconds) are two.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use std::sync::Arc;

use entity::source;
use sea_orm::EntityTrait;

use super::record::{self, Announced, Recorded};
use super::Outcome;
use crate::connectors::tickets::TicketRef;
use crate::connectors::{Connector, ConnectorError, Ticket, TicketQuery};
use crate::events::LiveEvent;
use crate::services::tickets::TicketView;
use crate::state::AppState;

/// Tickets read per page by the poll, and pages at most per poll.
const PAGE: usize = 100;
const PAGES: usize = 50;

fn reference(r: &Option<TicketRef>) -> Value {
    match r {
        Some(r) => json!({"externalId": r.external_id, "name": r.name}),
        None => Value::Null,
    }
}

fn read_ref(v: &Value, key: &str) -> Option<TicketRef> {
    let r = v.get(key)?;
    Some(TicketRef {
        external_id: r.get("externalId")?.as_str()?.to_owned(),
        name: r.get("name")?.as_str()?.to_owned(),
    })
}

/// A ticket as an event's payload.
pub fn to_json(t: &Ticket) -> Value {
    json!({
        "externalId": t.external_id,
        "number": t.number,
        "summary": t.summary,
        "status": reference(&t.status),
        "priority": reference(&t.priority),
        "board": reference(&t.board),
        "type": reference(&t.ticket_type),
        "subtype": reference(&t.subtype),
        "item": reference(&t.item),
        "companyExternalId": t.company,
        "companyName": t.company_name,
        "contactName": t.contact_name,
        "createdAt": t.created_at,
        "updatedAt": t.updated_at,
        "resolved": t.resolved,
    })
}

/// An event's payload as the ticket it was made from.
pub fn from_json(v: &Value) -> Option<Ticket> {
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let time = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
    };
    Some(Ticket {
        external_id: text("externalId")?,
        number: text("number"),
        summary: text("summary").unwrap_or_default(),
        status: read_ref(v, "status"),
        priority: read_ref(v, "priority"),
        board: read_ref(v, "board"),
        ticket_type: read_ref(v, "type"),
        subtype: read_ref(v, "subtype"),
        item: read_ref(v, "item"),
        company: text("companyExternalId"),
        company_name: text("companyName"),
        contact_name: text("contactName"),
        created_at: time("createdAt"),
        updated_at: time("updatedAt"),
        resolved: v.get("resolved").and_then(Value::as_bool) == Some(true),
    })
}

/// What tells one state of a ticket from another.
pub fn mark(t: &Ticket) -> String {
    let digest = Sha256::digest(to_json(t).to_string().as_bytes());
    let at = t
        .updated_at
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default();
    format!("{at}#{}", hex::encode(&digest[..8]))
}

/// The tickets updated after `since`, as the provider lists them (newest first).
pub async fn changed_since(
    connector: &dyn Connector,
    since: DateTime<Utc>,
) -> Result<Vec<Ticket>, ConnectorError> {
    let mut out = Vec::new();
    let mut after = None;
    for _ in 0..PAGES {
        let page = connector
            .tickets(&TicketQuery {
                updated_since: Some(since),
                after,
                first: PAGE,
                ..TicketQuery::default()
            })
            .await?;
        after = page.tickets.last().map(|(position, _)| *position);
        out.extend(page.tickets.into_iter().map(|(_, t)| t));
        if !page.has_next || after.is_none() {
            break;
        }
    }
    Ok(out)
}

/// A ticket a webhook announced (`action`: created, updated, resolved, deleted): read again
/// and recorded, unless it is in the state an earlier event gave. `message_id` is the
/// provider's; without one (Syncro) the ticket's mark stands in.
pub async fn announce(
    state: &AppState,
    source: &source::Model,
    message_id: Option<String>,
    id: &str,
    action: &str,
) -> Outcome {
    let (payload, mark, action) = if action == "deleted" {
        (Value::Null, "deleted".to_owned(), "deleted")
    } else {
        let connector = match super::connector_for(state, source) {
            Ok(c) => c,
            Err(why) => return Outcome::Unavailable(why),
        };
        match connector.ticket(id).await {
            Ok(Some(ticket)) => {
                let action = match action {
                    "updated" if ticket.resolved => "resolved",
                    other => other,
                };
                (to_json(&ticket), mark(&ticket), action)
            }
            // Not there (any more): nothing to announce; a deletion has its own webhook.
            Ok(None) => return Outcome::Accepted,
            Err(err) => return Outcome::Unavailable(err.message()),
        }
    };
    let announced = Announced {
        message_id: message_id.unwrap_or_else(|| format!("ticket:{id}:{mark}")),
        kind: format!("ticket.{action}"),
        external_id: Some(id.to_owned()),
        payload,
        ticket_mark: Some(mark),
    };
    match record::record(state, source, announced).await {
        Ok(Recorded::Duplicate) => Outcome::Duplicate,
        Ok(_) => Outcome::Accepted,
        Err(err) => Outcome::Unavailable(err.to_string()),
    }
}

/// A ticket event's ticket as the API shows it (value mappings, company node), or None for a
/// deletion or a payload that is no ticket.
pub async fn view(state: &AppState, event: &LiveEvent) -> Option<Arc<TicketView>> {
    let ticket = from_json(&event.payload)?;
    let source = source::Entity::find_by_id(event.source_id)
        .one(&state.db)
        .await
        .ok()??;
    match crate::services::tickets::dress(&state.db, Arc::new(source), vec![ticket]).await {
        Ok(mut views) => views.pop().map(Arc::new),
        Err(err) => {
            tracing::error!(error = %err.message(), event_id = event.id, "dressing an event's ticket failed");
            None
        }
    }
}
