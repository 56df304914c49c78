//! What the Syncro fake remembers between requests: the request log tests assert on, the
//! per-IP sliding window of the documented 180-a-minute limit, PUT edits, and the "churn"
//! switch that keeps deleting records while a list is being paged.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, e.g. `/api/v1/customers?include_disabled=true&page=1`.
    pub uri: String,
    pub authorization: Option<String>,
}

/// Shared mutable state of one fake (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct Shared {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    requests: Vec<Recorded>,
    /// When each client's recent requests arrived, oldest first.
    windows: HashMap<Option<IpAddr>, VecDeque<Instant>>,
    /// PUT bodies merged over the generated records, by "entity/id".
    edits: HashMap<String, Map<String, Value>>,
    /// (entity key, deletions left): after each page of that list, its first record goes.
    churn: Option<(String, u32)>,
    /// How many 500s have been served (they alternate between an HTML and an empty body).
    server_errors: u64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn record(&self, request: Recorded) {
        self.lock().requests.push(request);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// Counts a request from `ip` against `limit` per `window`; `Err(seconds)` until the
    /// oldest counted request leaves the window when the client is over the limit (a refused
    /// request is not counted, so a client that waits gets through).
    pub fn admit(&self, ip: Option<IpAddr>, limit: u32, window: Duration) -> Result<(), u64> {
        let now = Instant::now();
        let mut inner = self.lock();
        let log = inner.windows.entry(ip).or_default();
        while log
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            log.pop_front();
        }
        if log.len() >= limit as usize {
            let oldest = log.front().copied().unwrap_or(now);
            let wait = (oldest + window).saturating_duration_since(now);
            return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
        }
        log.push_back(now);
        Ok(())
    }

    pub fn edit(&self, key: &str, changes: Map<String, Value>) {
        self.lock()
            .edits
            .entry(key.to_owned())
            .or_default()
            .extend(changes);
    }

    pub fn edits(&self, key: &str) -> Option<Map<String, Value>> {
        self.lock().edits.get(key).cloned()
    }

    pub fn set_churn(&self, entity: &str, times: u32) {
        self.lock().churn = Some((entity.to_owned(), times));
    }

    /// Whether a page of `entity` should now cost it a record (consuming one churn).
    pub fn take_churn(&self, entity: &str) -> bool {
        let mut inner = self.lock();
        match &mut inner.churn {
            Some((e, left)) if e == entity && *left > 0 => {
                *left -= 1;
                true
            }
            _ => false,
        }
    }

    /// True on every other 500: the fake alternates an HTML body and an empty one.
    pub fn next_error_is_html(&self) -> bool {
        let mut inner = self.lock();
        inner.server_errors += 1;
        inner.server_errors % 2 == 1
    }
}
