//! Faults a test (or the `fake-providers` control endpoint) switches on: each counter fires on
//! that many next requests, then the fake behaves again. Also the changes a test makes to a
//! fake's data (deletions, touched records, added companies) and what the fake served.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::response::Response;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::Deserialize;

/// What to break, and how often.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FaultPlan {
    /// Answer 429 with `Retry-After: retry_after_seconds` this many times.
    pub rate_limited: u32,
    pub retry_after_seconds: u64,
    /// Answer 500 this many times.
    pub server_errors: u32,
    /// Answer a 200 whose body is not JSON this many times.
    pub malformed: u32,
    /// Return a page cut short (half of what it should hold) this many times.
    pub short_pages: u32,
    /// Close the connection without an answer this many times.
    pub resets: u32,
    /// Send the status and headers, then half the body, then stall (longer than any client
    /// waits) this many times: a slow response the client must time out.
    pub stalls: u32,
    /// Send the status and headers and half the body, then drop the connection this many
    /// times: a reset in the middle of a body.
    pub broken_bodies: u32,
    /// Delay every answer by this much.
    pub delay_ms: u64,
    /// Records ("entity/id", e.g. "companies/17") deleted after the first page of a pass.
    pub delete_mid_pass: Vec<String>,
}

/// The fault to apply to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    RateLimited(u64),
    ServerError,
    Malformed,
    Reset,
}

/// A fault applied to an answer's body by `body_faults`, whatever the fake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFault {
    Stall,
    Broken,
}

/// Shared, switchable fault state of one fake, and the upstream edits of its records (which,
/// like deletions, are changes a test makes behind the importer's back).
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Mutex<State>>,
    pub edits: super::edits::Edits,
}

#[derive(Debug, Default)]
struct State {
    plan: FaultPlan,
    deleted: HashSet<String>,
    pending_deletes: Vec<String>,
    /// Records ("contacts/5") changed since they were made, and when.
    touched: HashMap<String, DateTime<Utc>>,
    /// Companies added after the fake started, each with the moment it was added.
    added: Vec<DateTime<Utc>>,
    /// Whole records served per list ("contacts"), and records served narrowed by `fields=`.
    served_whole: HashMap<String, u64>,
    served_narrow: HashMap<String, u64>,
}

impl Faults {
    /// Replaces the plan (and schedules its mid-pass deletions).
    pub fn set(&self, plan: FaultPlan) {
        if let Ok(mut s) = self.inner.lock() {
            s.pending_deletes = plan.delete_mid_pass.clone();
            s.plan = plan;
        }
    }

    /// The fault for the next request, consuming one count.
    pub fn next(&self) -> Option<Fault> {
        let mut s = self.inner.lock().ok()?;
        let p = &mut s.plan;
        if p.resets > 0 {
            p.resets -= 1;
            return Some(Fault::Reset);
        }
        if p.rate_limited > 0 {
            p.rate_limited -= 1;
            return Some(Fault::RateLimited(p.retry_after_seconds));
        }
        if p.server_errors > 0 {
            p.server_errors -= 1;
            return Some(Fault::ServerError);
        }
        if p.malformed > 0 {
            p.malformed -= 1;
            return Some(Fault::Malformed);
        }
        None
    }

    /// The fault for the next answer's body (`break_body`), consuming one count.
    pub fn next_body_fault(&self) -> Option<BodyFault> {
        let mut s = self.inner.lock().ok()?;
        let p = &mut s.plan;
        if p.stalls > 0 {
            p.stalls -= 1;
            return Some(BodyFault::Stall);
        }
        if p.broken_bodies > 0 {
            p.broken_bodies -= 1;
            return Some(BodyFault::Broken);
        }
        None
    }

    /// Whether the next list page is to be cut short (only list requests consume this).
    pub fn take_short_page(&self) -> bool {
        let Ok(mut s) = self.inner.lock() else {
            return false;
        };
        let pending = s.plan.short_pages > 0;
        if pending {
            s.plan.short_pages -= 1;
        }
        pending
    }

    /// Waits out the planned delay of an answer (no timer at all when there is none).
    pub async fn wait(&self) {
        let delay = self
            .inner
            .lock()
            .map(|s| Duration::from_millis(s.plan.delay_ms))
            .unwrap_or_default();
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }

    /// Called after a page is served: scheduled mid-pass deletions happen now.
    pub fn page_served(&self) {
        if let Ok(mut s) = self.inner.lock() {
            let pending = std::mem::take(&mut s.pending_deletes);
            s.deleted.extend(pending);
        }
    }

    /// Deletes a record now ("companies/17").
    pub fn delete(&self, key: &str) {
        if let Ok(mut s) = self.inner.lock() {
            s.deleted.insert(key.to_owned());
        }
    }

    /// Brings a deleted record back as it was ("companies/17").
    pub fn restore(&self, key: &str) {
        if let Ok(mut s) = self.inner.lock() {
            s.deleted.remove(key);
        }
    }

    /// No record deleted, touched or edited: every record is as the data makes it, and a
    /// request may skip looking each one up.
    pub fn is_quiet(&self) -> bool {
        let untouched = self
            .inner
            .lock()
            .map(|s| s.deleted.is_empty() && s.touched.is_empty())
            .unwrap_or(false);
        untouched && self.edits.is_empty()
    }

    pub fn is_deleted(&self, key: &str) -> bool {
        self.inner
            .lock()
            .map(|s| s.deleted.contains(key))
            .unwrap_or(false)
    }
}

/// How long a stalled body waits before it would go on: far beyond any client's timeout.
const STALL: Duration = Duration::from_secs(3600);

/// How long a broken body waits after its first half before the connection drops.
const BREAK_AFTER: Duration = Duration::from_millis(50);

/// Middleware of every fake: breaks the body of the next answers as `stalls` and
/// `broken_bodies` ask (`break_body`).
pub async fn body_faults(
    axum::extract::State(faults): axum::extract::State<Faults>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let fault = faults.next_body_fault();
    let response = next.run(request).await;
    break_body(fault, response).await
}

/// An answer with a stalled or broken body: its status
/// and headers go out, then the first half of its body, then a stall or a dropped connection.
/// Any other fault leaves the answer as it is.
async fn break_body(fault: Option<BodyFault>, response: Response) -> Response {
    let Some(fault) = fault else {
        return response;
    };
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    // The length is no longer known: the body goes out chunked.
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let stall = fault == BodyFault::Stall;
    let rest = futures_util::stream::once(async move {
        // Long enough for the headers and the first half to go out before the break.
        tokio::time::sleep(if stall { STALL } else { BREAK_AFTER }).await;
        Err::<axum::body::Bytes, _>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "connection reset by the fake",
        ))
    });
    let stream = futures_util::stream::once(async move { Ok(half) }).chain(rest);
    Response::from_parts(parts, Body::from_stream(stream))
}

/// Changes to a fake's data, and counts of what it served.
impl Faults {
    /// Changes a record now ("contacts/5"): it gets a new `_info.lastUpdated`.
    pub fn touch(&self, key: &str) {
        if let Ok(mut s) = self.inner.lock() {
            s.touched.insert(key.to_owned(), Utc::now());
        }
    }

    /// When a record was touched, if it was.
    pub fn touched(&self, key: &str) -> Option<DateTime<Utc>> {
        self.inner.lock().ok()?.touched.get(key).copied()
    }

    /// Adds `n` companies now, each with its records (ConnectWise).
    pub fn add_companies(&self, n: usize) {
        if let Ok(mut s) = self.inner.lock() {
            let now = Utc::now();
            s.added.extend(std::iter::repeat_n(now, n));
        }
    }

    /// When each added company was added, in order.
    pub fn added(&self) -> Vec<DateTime<Utc>> {
        self.inner
            .lock()
            .map(|s| s.added.clone())
            .unwrap_or_default()
    }

    /// Counts `n` records of `list` served, whole or narrowed by `fields=`.
    pub fn served(&self, list: &str, n: usize, narrowed: bool) {
        if let Ok(mut s) = self.inner.lock() {
            let map = if narrowed {
                &mut s.served_narrow
            } else {
                &mut s.served_whole
            };
            *map.entry(list.to_owned()).or_default() += n as u64;
        }
    }

    /// Whole records of `list` served since the last `reset_served`.
    pub fn served_whole(&self, list: &str) -> u64 {
        self.inner
            .lock()
            .ok()
            .and_then(|s| s.served_whole.get(list).copied())
            .unwrap_or(0)
    }

    /// Records of `list` served narrowed by `fields=` since the last `reset_served`.
    pub fn served_narrow(&self, list: &str) -> u64 {
        self.inner
            .lock()
            .ok()
            .and_then(|s| s.served_narrow.get(list).copied())
            .unwrap_or(0)
    }

    pub fn reset_served(&self) {
        if let Ok(mut s) = self.inner.lock() {
            s.served_whole.clear();
            s.served_narrow.clear();
        }
    }
}

impl Faults {
    /// Ids of the touched records of one list ("contacts").
    pub fn touched_ids(&self, list: &str) -> Vec<u64> {
        let prefix = format!("{list}/");
        self.inner
            .lock()
            .map(|s| {
                s.touched
                    .keys()
                    .filter_map(|k| k.strip_prefix(&prefix)?.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}
