//! Each source's webhook budget, per process: a token bucket of `BURST` deliveries refilled at
//! `PER_SECOND`. Providers send bursts (a bulk edit fires one callback per record), so the
//! bucket is generous; it exists so a leaked URL cannot flood the server or the provider.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

const BURST: f64 = 600.0;
const PER_SECOND: f64 = 100.0;
/// Sources remembered at most; an idle bucket is full, so forgetting one changes nothing.
const TRACKED: usize = 10_000;

#[derive(Clone, Default)]
pub struct Limits {
    buckets: Arc<Mutex<HashMap<i64, (f64, Instant)>>>,
}

impl Limits {
    /// Takes one delivery from the source's budget, or says how many seconds to wait.
    pub fn take(&self, source_id: i64) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= TRACKED && !buckets.contains_key(&source_id) {
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * PER_SECOND < BURST
            });
        }
        let (tokens, at) = buckets.entry(source_id).or_insert((BURST, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * PER_SECOND).min(BURST);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_past_the_budget_waits() {
        let limits = Limits::default();
        for _ in 0..BURST as usize {
            assert!(limits.take(1).is_ok());
        }
        assert_eq!(limits.take(1), Err(1));
        // Another source has its own budget.
        assert!(limits.take(2).is_ok());
    }
}
