//! The catch-up poll: every `EVERY`, each live, active PSA source with webhooks lists the tickets
//! updated since its last poll (ConnectWise `lastUpdated>[T]`, Syncro `since_updated_at`) and
//! emits what no webhook announced. The ticket marks make the poll and the webhooks one stream:
//! a ticket state either already announced is no second event. Each poll reads from a little
//! before the last one (`OVERLAP`, for clock skew and late commits); the marks drop the repeats.
//!
//! Health: `lastPollAt` is every poll; when a poll finds changes no webhook delivered,
//! `webhookHealthy` turns false with a message saying what to check, until a webhook arrives.

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::enums::{Provider, SourceStatus};
use entity::source;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::task::JoinHandle;

use super::record::{self, Announced, Recorded};
use super::tickets;
use crate::connectors::Ticket;
use crate::state::AppState;

/// How often each source is polled.
pub const EVERY: Duration = Duration::from_secs(180);
/// How far before the last poll each poll reads again.
const OVERLAP: chrono::Duration = chrono::Duration::minutes(2);

/// What one poll of one source did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Polled {
    /// Ticket changes read.
    pub read: usize,
    /// Events emitted: changes no webhook had announced.
    pub missed: usize,
}

/// Polls every due source each `EVERY` until `shutdown`, and prunes old deliveries.
pub fn spawn(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(EVERY);
        loop {
            tokio::select! {
                _ = ticker.tick() => poll_all(&state).await,
                _ = shutdown.changed() => break,
            }
        }
    })
}

async fn poll_all(state: &AppState) {
    let sources = source::Entity::find()
        .filter(source::Column::DeletedAt.is_null())
        .filter(source::Column::Status.eq(SourceStatus::Active))
        .filter(source::Column::Provider.is_in([Provider::ConnectwiseManage, Provider::Syncro]))
        .all(&state.db)
        .await;
    let sources = match sources {
        Ok(s) => s,
        Err(err) => {
            tracing::error!(error = %err, "listing sources to poll failed");
            return;
        }
    };
    for source in sources {
        // Several processes may poll the same source: the marks keep events single.
        if let Err(why) = poll(state, &source).await {
            tracing::warn!(source_id = source.id, reason = %why, "catch-up poll failed");
        }
    }
    if let Err(err) = record::prune(state).await {
        tracing::error!(error = %err, "pruning old webhook deliveries failed");
    }
}

/// One catch-up poll of `source`. The first one only marks where the next starts.
pub async fn poll(state: &AppState, source: &source::Model) -> Result<Polled, String> {
    let now = Utc::now();
    let since = source
        .poll_cursor
        .as_deref()
        .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
        .map(|t| t.with_timezone(&Utc));
    let mut polled = Polled::default();
    if let Some(since) = since {
        let connector = super::connector_for(state, source)?;
        let changed = tickets::changed_since(connector.as_ref(), since - OVERLAP)
            .await
            .map_err(|e| e.message())?;
        polled.read = changed.len();
        for ticket in changed {
            if emit(state, source, since, ticket).await? {
                polled.missed += 1;
            }
        }
    }
    save(state, source, now, &polled).await?;
    Ok(polled)
}

/// Records one ticket the poll read; true when it was an event no webhook had delivered.
async fn emit(
    state: &AppState,
    source: &source::Model,
    since: DateTime<Utc>,
    ticket: Ticket,
) -> Result<bool, String> {
    // Marks have whole seconds (ConnectWise): a ticket made in the second of the last poll
    // counts as new.
    let action = if ticket
        .created_at
        .is_some_and(|at| at > since - chrono::Duration::seconds(1))
    {
        "created"
    } else if ticket.resolved {
        "resolved"
    } else {
        "updated"
    };
    let mark = tickets::mark(&ticket);
    let announced = Announced {
        message_id: format!("poll:ticket:{}:{mark}", ticket.external_id),
        kind: format!("ticket.{action}"),
        external_id: Some(ticket.external_id.clone()),
        payload: tickets::to_json(&ticket),
        ticket_mark: Some(mark),
    };
    match record::record(state, source, announced).await {
        Ok(Recorded::Event(_)) => Ok(true),
        Ok(_) => Ok(false),
        Err(err) => Err(format!("recording a polled ticket failed: {err}")),
    }
}

/// The poll's cursor and the source's health.
async fn save(
    state: &AppState,
    source: &source::Model,
    now: DateTime<Utc>,
    polled: &Polled,
) -> Result<(), String> {
    let mut update = source::Entity::update_many()
        .col_expr(source::Column::LastPollAt, Expr::value(now))
        .col_expr(
            source::Column::PollCursor,
            Expr::value(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
        )
        .filter(source::Column::Id.eq(source.id));
    if polled.missed > 0 {
        let message = format!(
            "The catch-up poll at {} found {} ticket change(s) that no webhook delivered. Check that the provider still posts to this source's webhook URL (and, after rotating the secret, that it has the new one).",
            now.format("%Y-%m-%d %H:%M UTC"),
            polled.missed
        );
        update = update
            .col_expr(source::Column::WebhookHealthy, Expr::value(false))
            .col_expr(source::Column::HealthMessage, Expr::value(message));
    }
    update
        .exec(&state.db)
        .await
        .map_err(|e| format!("saving the poll failed: {e}"))?;
    Ok(())
}
