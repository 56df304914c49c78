//! The live feed of source events (webhooks, catch-up polls): each event is built once, as an
//! `Arc`, and fanned out through one in-process broadcast per source (and one per organization,
//! for subscribers of every source). Broadcasts are bounded: a subscriber that falls behind
//! skips ahead (tokio's `Lagged`) and never slows the others or grows memory.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::sync::{broadcast, OnceCell};

use crate::services::tickets::TicketView;

/// Events a subscriber may fall behind by before it skips ahead.
const TOPIC_BUFFER: usize = 64;
/// This process's own latest events, kept so its own NOTIFY does not read them again.
const RECENT: usize = 256;

/// One event as every subscriber receives it.
#[derive(Debug, Clone)]
pub struct LiveEvent {
    /// The `webhook_events` row it was recorded as.
    pub id: i64,
    pub org_id: i64,
    pub source_id: i64,
    /// `<record>.<what>`: `ticket.created`, `company.updated`, `invoice.created` …
    pub kind: String,
    pub external_id: Option<String>,
    /// The record as the provider sent it on re-fetch (null for deletions).
    pub payload: Value,
    pub at: DateTime<Utc>,
    /// A ticket event's ticket as the API shows it, dressed once for every subscriber (by the
    /// first one that needs it).
    pub ticket: OnceCell<Option<Arc<TicketView>>>,
}

impl LiveEvent {
    /// `ticket.created` → Some("created") for ticket events.
    pub fn ticket_action(&self) -> Option<&str> {
        self.kind.strip_prefix("ticket.")
    }
}

/// Who listens: subscribers of one source, or of every source of an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    Source(i64),
    Organization(i64),
}

#[derive(Clone, Default)]
pub struct Feed {
    topics: Arc<Mutex<HashMap<Topic, broadcast::Sender<Arc<LiveEvent>>>>>,
    recent: Arc<Mutex<VecDeque<Arc<LiveEvent>>>>,
}

impl Feed {
    pub fn subscribe(&self, topic: Topic) -> broadcast::Receiver<Arc<LiveEvent>> {
        let mut topics = self.topics.lock().unwrap_or_else(|p| p.into_inner());
        topics
            .entry(topic)
            .or_insert_with(|| broadcast::channel(TOPIC_BUFFER).0)
            .subscribe()
    }

    /// How many subscription runs listen to `topic` (subscribers sharing a run count once).
    pub fn listeners(&self, topic: Topic) -> usize {
        let topics = self.topics.lock().unwrap_or_else(|p| p.into_inner());
        topics
            .get(&topic)
            .map_or(0, broadcast::Sender::receiver_count)
    }

    /// Sends one built event to its source's and its organization's subscribers; topics nobody
    /// listens to any more are dropped.
    pub fn fan_out(&self, event: Arc<LiveEvent>) {
        let mut topics = self.topics.lock().unwrap_or_else(|p| p.into_inner());
        for topic in [
            Topic::Source(event.source_id),
            Topic::Organization(event.org_id),
        ] {
            if let Some(sender) = topics.get(&topic) {
                if sender.send(event.clone()).is_err() {
                    topics.remove(&topic);
                }
            }
        }
    }

    /// Keeps an event this process published, until its NOTIFY comes back.
    pub fn remember(&self, event: Arc<LiveEvent>) {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        if recent.len() >= RECENT {
            recent.pop_front();
        }
        recent.push_back(event);
    }

    /// An event this process built already (and forgets it: a NOTIFY comes once).
    pub fn take_recent(&self, id: i64) -> Option<Arc<LiveEvent>> {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        let at = recent.iter().position(|e| e.id == id)?;
        recent.remove(at)
    }
}
