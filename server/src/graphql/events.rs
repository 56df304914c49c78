//! Live events over graphql-ws: `sourceEvents` (every event of the caller's sources: tickets,
//! customers, invoices …) and `ticketEvents`. Any role may subscribe; a subscriber hears its own
//! organization only (another organization's source id is NOT_FOUND). Each event arrives built
//! once (`events::feed`); a subscriber that fell behind skips ahead and its next ticket event
//! says how many it missed (`lagged`).

use std::sync::{Arc, Mutex};

use async_graphql::{Context, Enum, Json, Object, Subscription, ID};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use serde_json::Value;
use tokio::sync::broadcast::error::RecvError;

use super::ids::{self, Kind};
use super::loaders::one;
use super::sources::SourceObj;
use super::tickets::TicketObj;
use super::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::events::{LiveEvent, Topic};
use crate::services::tickets::TicketView;

pub struct SourceEventObj(Arc<LiveEvent>);

#[Object(name = "SourceEvent")]
impl SourceEventObj {
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<SourceObj> {
        let row = one(&ctx.loaders()?.source, self.0.source_id).await?;
        row.map(SourceObj)
            .ok_or_else(|| ApiError::not_found("source"))
    }
    /// `<record>.<what>`: `ticket.created`, `customer.created`, `company.updated` …
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn external_id(&self) -> Option<&str> {
        self.0.external_id.as_deref()
    }
    /// The record as the provider answered when it was re-fetched (null for deletions).
    async fn payload(&self) -> Json<Value> {
        Json(self.0.payload.clone())
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "TicketEventKind")]
pub enum TicketEventKind {
    Created,
    Updated,
    Resolved,
    Deleted,
}

pub struct TicketEventObj {
    event: Arc<LiveEvent>,
    ticket: Option<Arc<TicketView>>,
    lagged: u64,
}

#[Object(name = "TicketEvent")]
impl TicketEventObj {
    async fn kind(&self) -> TicketEventKind {
        match self.event.ticket_action() {
            Some("created") => TicketEventKind::Created,
            Some("resolved") => TicketEventKind::Resolved,
            Some("deleted") => TicketEventKind::Deleted,
            _ => TicketEventKind::Updated,
        }
    }
    async fn source_id(&self) -> ID {
        ids::encode(Kind::Source, self.event.source_id)
    }
    async fn external_id(&self) -> &str {
        self.event.external_id.as_deref().unwrap_or_default()
    }
    /// The ticket as it was when the event was received; null for DELETED.
    async fn ticket(&self) -> Option<TicketObj> {
        self.ticket.as_ref().map(|t| TicketObj(t.as_ref().clone()))
    }
    async fn at(&self) -> DateTime<Utc> {
        self.event.at
    }
    /// Events this subscriber missed just before this one, being too slow; 0 normally.
    async fn lagged(&self) -> i32 {
        i32::try_from(self.lagged).unwrap_or(i32::MAX)
    }
}

/// Request data of a subscription run once for many subscribers (`http::shapes`): the event
/// behind the answer being made, and how many the run skipped before it, so that a subscriber
/// who fell behind can have that event answered again with its own `lagged`.
#[derive(Clone, Default)]
pub struct EventTap(Arc<Mutex<Option<Tapped>>>);

/// An event and the `lagged` its answer said.
pub type Tapped = (Arc<LiveEvent>, u64);

impl EventTap {
    fn set(&self, event: &Arc<LiveEvent>, lagged: u64) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((event.clone(), lagged));
    }

    /// The event of the latest answer (taken: each answer names its own).
    pub fn take(&self) -> Option<Tapped> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Request data that makes `ticketEvents` answer this one event and end: a shared
/// subscription's answer made again for one subscriber that skipped `lagged` events.
pub struct Replay {
    pub event: Arc<LiveEvent>,
    pub lagged: u64,
}

#[derive(Default)]
pub struct EventSubscription;

#[Subscription]
impl EventSubscription {
    /// Ticket events of the caller's PSA sources (one source, when given; only tickets of
    /// `boardExternalIds`, when given).
    async fn ticket_events(
        &self,
        ctx: &Context<'_>,
        source_id: Option<ID>,
        board_external_ids: Option<Vec<String>>,
    ) -> Result<impl Stream<Item = TicketEventObj>, ApiError> {
        let topic = topic(ctx, source_id.as_ref()).await?;
        let org = ctx.viewer()?.org_id;
        let state = ctx.state()?.clone();
        let tap = ctx.data_opt::<EventTap>().cloned();
        if let Some(replay) = ctx.data_opt::<Replay>() {
            // Authorised above like any subscription; the event was wanted when it was shared.
            let event = replay.event.clone();
            let lagged = replay.lagged;
            let ticket = event
                .ticket
                .get_or_init(|| crate::webhooks::tickets::view(&state, &event))
                .await
                .clone();
            let once = TicketEventObj {
                event,
                ticket,
                lagged,
            };
            return Ok(futures_util::stream::iter([once]).left_stream());
        }
        let receiver = state.events.feed.subscribe(topic);
        let events = live(receiver, move |e| {
            e.org_id == org
                && e.ticket_action().is_some()
                && board_external_ids.as_ref().is_none_or(|boards| {
                    e.payload
                        .pointer("/board/externalId")
                        .and_then(Value::as_str)
                        .is_some_and(|b| boards.iter().any(|w| w == b))
                })
        });
        Ok(events
            .then(move |(event, lagged)| {
                let state = state.clone();
                let tap = tap.clone();
                async move {
                    if let Some(tap) = tap {
                        tap.set(&event, lagged);
                    }
                    let ticket = event
                        .ticket
                        .get_or_init(|| crate::webhooks::tickets::view(&state, &event))
                        .await
                        .clone();
                    TicketEventObj {
                        event,
                        ticket,
                        lagged,
                    }
                }
            })
            .right_stream())
    }

    /// Events of the caller's sources (one source, when given; only `kinds`, when given).
    async fn source_events(
        &self,
        ctx: &Context<'_>,
        source_id: Option<ID>,
        kinds: Option<Vec<String>>,
    ) -> Result<impl Stream<Item = SourceEventObj>, ApiError> {
        let topic = topic(ctx, source_id.as_ref()).await?;
        let org = ctx.viewer()?.org_id;
        let receiver = ctx.state()?.events.feed.subscribe(topic);
        Ok(live(receiver, move |e| {
            e.org_id == org && kinds.as_ref().is_none_or(|k| k.contains(&e.kind))
        })
        .map(|(event, _)| SourceEventObj(event)))
    }
}

/// The topic a subscription listens to: one source of the caller's, or its organization.
pub async fn topic(ctx: &Context<'_>, source_id: Option<&ID>) -> ApiResult<Topic> {
    let viewer = ctx.viewer()?;
    let Some(id) = source_id else {
        return Ok(Topic::Organization(viewer.org_id));
    };
    let row = ids::parse_arg(Kind::Source, id, "sourceId")?;
    crate::services::sources::get(&ctx.state()?.db, viewer, row)
        .await?
        .ok_or_else(|| ApiError::not_found("source"))?;
    Ok(Topic::Source(row))
}

/// The events of `receiver` that `wanted` keeps, each with how many events were skipped just
/// before it because the subscriber was too slow.
pub fn live<F>(
    receiver: tokio::sync::broadcast::Receiver<Arc<LiveEvent>>,
    wanted: F,
) -> impl Stream<Item = (Arc<LiveEvent>, u64)> + Send
where
    F: Fn(&LiveEvent) -> bool + Send + Sync + 'static,
{
    let wanted = Arc::new(wanted);
    futures_util::stream::unfold((receiver, 0u64), move |(mut rx, mut missed)| {
        let wanted = wanted.clone();
        async move {
            loop {
                match rx.recv().await {
                    Ok(event) if wanted(&event) => return Some(((event, missed), (rx, 0))),
                    Ok(_) => {}
                    Err(RecvError::Lagged(n)) => missed += n,
                    Err(RecvError::Closed) => return None,
                }
            }
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::events::Feed;

    fn event(id: i64) -> Arc<LiveEvent> {
        Arc::new(LiveEvent {
            id,
            org_id: 1,
            source_id: 2,
            kind: "ticket.updated".into(),
            external_id: Some(id.to_string()),
            payload: Value::Null,
            at: Utc::now(),
            ticket: Default::default(),
        })
    }

    #[tokio::test]
    async fn a_subscriber_that_fell_behind_skips_ahead_and_says_how_far() {
        let feed = Feed::default();
        let mut slow = Box::pin(live(feed.subscribe(Topic::Source(2)), |_| true));
        let mut other_org = Box::pin(live(feed.subscribe(Topic::Organization(9)), |_| true));
        for id in 1..=100 {
            feed.fan_out(event(id));
        }
        // The buffer holds the latest 64: the first 36 are skipped, once, and said.
        let (first, lagged) = slow.next().await.unwrap();
        assert_eq!((first.id, lagged), (37, 36));
        let (second, lagged) = slow.next().await.unwrap();
        assert_eq!((second.id, lagged), (38, 0));
        // Nothing reached another organization's topic.
        feed.fan_out(Arc::new(LiveEvent {
            org_id: 9,
            ..(*event(101)).clone()
        }));
        assert_eq!(other_org.next().await.unwrap().0.id, 101);
    }
}
