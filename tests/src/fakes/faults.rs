//! Faults a test (or the `fake-providers` control endpoint) switches on: each counter fires on
//! that many next requests, then the fake behaves again.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

    pub fn delay(&self) -> Duration {
        self.inner
            .lock()
            .map(|s| Duration::from_millis(s.plan.delay_ms))
            .unwrap_or_default()
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

    pub fn is_deleted(&self, key: &str) -> bool {
        self.inner
            .lock()
            .map(|s| s.deleted.contains(key))
            .unwrap_or(false)
    }
}
