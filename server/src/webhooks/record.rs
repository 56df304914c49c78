//! A checked, re-fetched record becomes at most one event. In one transaction: a ticket's
//! update mark moves in `ticket_marks` only when it changed (the same state announced by a
//! webhook and found again by the catch-up poll is one event), and the delivery is recorded in
//! `webhook_events` under its message id, whose unique index makes a redelivery — to this
//! process or another — no second event. The event (the payload in the row) is then published:
//! built once here, NOTIFY carrying only its ids to the other processes.

use chrono::Utc;
use entity::{source, ticket_mark, webhook_event};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use crate::events::LiveEvent;
use crate::state::AppState;

/// What a delivery (or the poll) announces, re-fetched.
#[derive(Debug, Clone)]
pub struct Announced {
    /// The provider's message id, or one made from the record's state.
    pub message_id: String,
    /// `<record>.<what>`: `ticket.created`, `company.updated` …
    pub kind: String,
    pub external_id: Option<String>,
    /// The record as re-fetched (null for deletions).
    pub payload: Value,
    /// A ticket's update mark (`_info.lastUpdated`, `updated_at`): no event unless it moved.
    pub ticket_mark: Option<String>,
}

#[derive(Debug)]
pub enum Recorded {
    Event(LiveEvent),
    /// This message was received before.
    Duplicate,
    /// The ticket is in the state an earlier event announced.
    Unchanged,
}

/// Records `announced` for `source` and publishes its event, if it is one.
pub async fn record(
    state: &AppState,
    source: &source::Model,
    announced: Announced,
) -> Result<Recorded, sea_orm::DbErr> {
    let txn = crate::db::begin_write(&state.db).await?;
    let moved = match (&announced.ticket_mark, &announced.external_id) {
        (Some(mark), Some(id)) => mark_moved(&txn, source.id, id, mark).await?,
        _ => true,
    };
    let now = Utc::now();
    let row = webhook_event::ActiveModel {
        source_id: Set(source.id),
        message_id: Set(announced.message_id.clone()),
        received_at: Set(now),
        kind: Set(announced.kind.clone()),
        external_id: Set(announced.external_id.clone()),
        payload: Set(moved.then(|| announced.payload.clone())),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = match row {
        Ok(row) => row,
        Err(err) if crate::error::is_unique_violation(&err) => {
            txn.rollback().await?;
            return Ok(Recorded::Duplicate);
        }
        Err(err) => return Err(err),
    };
    txn.commit().await?;
    if !moved {
        return Ok(Recorded::Unchanged);
    }
    let event = LiveEvent {
        id: row.id,
        org_id: source.organization_id,
        source_id: source.id,
        kind: announced.kind,
        external_id: announced.external_id,
        payload: announced.payload,
        at: now,
        ticket: Default::default(),
    };
    state.events.event_recorded(&state.db, event.clone()).await;
    Ok(Recorded::Event(event))
}

/// Whether a message id was received for the source already (a cheap early answer to
/// redeliveries; `record` is what decides).
pub async fn seen(
    state: &AppState,
    source_id: i64,
    message_id: &str,
) -> Result<bool, sea_orm::DbErr> {
    Ok(webhook_event::Entity::find()
        .filter(webhook_event::Column::SourceId.eq(source_id))
        .filter(webhook_event::Column::MessageId.eq(message_id))
        .one(&state.db)
        .await?
        .is_some())
}

/// Stores the ticket's mark; true when it is new or differs from the stored one.
async fn mark_moved(
    db: &impl ConnectionTrait,
    source_id: i64,
    ticket: &str,
    mark: &str,
) -> Result<bool, sea_orm::DbErr> {
    let mut insert = Query::insert();
    insert
        .into_table(ticket_mark::Entity)
        .columns([
            ticket_mark::Column::SourceId,
            ticket_mark::Column::TicketExternalId,
            ticket_mark::Column::UpdatedMark,
        ])
        .values_panic([source_id.into(), ticket.into(), mark.into()])
        .on_conflict(
            OnConflict::columns([
                ticket_mark::Column::SourceId,
                ticket_mark::Column::TicketExternalId,
            ])
            .update_column(ticket_mark::Column::UpdatedMark)
            // Only a changed mark is written (and returned): same SQL on both databases.
            .action_and_where(Expr::cust(
                "ticket_marks.updated_mark <> excluded.updated_mark",
            ))
            .to_owned(),
        )
        .returning_col(ticket_mark::Column::Id);
    let statement = db.get_database_backend().build(&insert);
    Ok(db.query_one_raw(statement).await?.is_some())
}

/// Every accepted delivery: the source heard from its provider, so its webhooks work.
pub async fn heard(state: &AppState, source_id: i64) {
    let update = source::Entity::update_many()
        .col_expr(source::Column::LastEventAt, Expr::value(Utc::now()))
        .col_expr(source::Column::WebhookHealthy, Expr::value(true))
        .col_expr(
            source::Column::HealthMessage,
            Expr::value(Option::<String>::None),
        )
        .filter(source::Column::Id.eq(source_id))
        .exec(&state.db)
        .await;
    if let Err(err) = update {
        tracing::error!(error = %err, source_id, "recording a webhook's arrival failed");
    }
}

/// Webhook deliveries are kept this long: a redelivery later than that is a new event.
pub const KEPT_DAYS: i64 = 7;

/// Forgets deliveries older than `KEPT_DAYS`.
pub async fn prune(state: &AppState) -> Result<u64, sea_orm::DbErr> {
    let before = Utc::now() - chrono::Duration::days(KEPT_DAYS);
    Ok(webhook_event::Entity::delete_many()
        .filter(webhook_event::Column::ReceivedAt.lt(before))
        .exec(&state.db)
        .await?
        .rows_affected)
}
