//! What connectors share across sources in one process: the request budget per provider host
//! (Syncro allows 180 requests a minute per IP, whichever of our sources sends them) and the
//! address guard applied after name resolution (SEMANTICS.md "Upstream hosts").

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use serde_json::{json, Value};

use crate::upstream_url::check_ip;

/// The window every budget counts in.
const WINDOW: Duration = Duration::from_secs(60);

/// How long one upstream request may take, its body included, unless changed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Shared by every connector of one process (cheap to clone).
#[derive(Clone, Default)]
pub struct Net {
    pub block_private: bool,
    budgets: Arc<Mutex<HashMap<String, Arc<Budget>>>>,
    /// `request_timeout` in milliseconds; 0 means `REQUEST_TIMEOUT`.
    timeout_ms: Arc<AtomicU64>,
}

impl Net {
    pub fn new(block_private: bool) -> Net {
        Net {
            block_private,
            ..Net::default()
        }
    }

    /// How long one upstream request may take, its body included: a body that stalls is
    /// given up after this and retried.
    pub fn request_timeout(&self) -> Duration {
        match self.timeout_ms.load(Ordering::Relaxed) {
            0 => REQUEST_TIMEOUT,
            ms => Duration::from_millis(ms),
        }
    }

    /// Changes `request_timeout` for the connectors made from now on (tests shorten it).
    pub fn set_request_timeout(&self, timeout: Duration) {
        self.timeout_ms
            .store(timeout.as_millis() as u64, Ordering::Relaxed);
    }

    /// The budget of `host` (host:port), made with `per_minute` the first time it is asked for.
    pub fn budget(&self, host: &str, per_minute: Option<u32>) -> Arc<Budget> {
        let mut budgets = self.budgets.lock().unwrap_or_else(|p| p.into_inner());
        budgets
            .entry(host.to_owned())
            .or_insert_with(|| Arc::new(Budget::new(per_minute)))
            .clone()
    }

    /// What is left of `host`'s budget, if this process has talked to it.
    pub fn snapshot(&self, host: &str) -> Option<Value> {
        let budgets = self.budgets.lock().unwrap_or_else(|p| p.into_inner());
        budgets.get(host).map(|b| b.snapshot())
    }

    /// A resolver that refuses addresses a source may not reach.
    pub fn resolver(&self) -> Arc<Guard> {
        Arc::new(Guard {
            block_private: self.block_private,
        })
    }
}

/// host:port of a URL, the key of its budget.
pub fn host_key(url: &reqwest::Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// Requests a host accepts per window: a fixed window, plus a pause every sender honours after
/// the host answered 429 with Retry-After.
pub struct Budget {
    limit: Option<u32>,
    state: Mutex<Window>,
}

struct Window {
    started: Instant,
    started_at: DateTime<Utc>,
    used: u32,
    paused_until: Option<Instant>,
}

impl Budget {
    fn new(limit: Option<u32>) -> Budget {
        Budget {
            limit,
            state: Mutex::new(Window {
                started: Instant::now(),
                started_at: Utc::now(),
                used: 0,
                paused_until: None,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Window> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until one more request fits, then counts it.
    pub async fn take(&self) {
        loop {
            let wait = {
                let mut w = self.lock();
                let now = Instant::now();
                if now.duration_since(w.started) >= WINDOW {
                    w.started = now;
                    w.started_at = Utc::now();
                    w.used = 0;
                }
                match w.paused_until.filter(|until| *until > now) {
                    Some(until) => until - now,
                    None if self.limit.is_none_or(|l| w.used < l) => {
                        w.used += 1;
                        return;
                    }
                    None => (w.started + WINDOW).saturating_duration_since(now),
                }
            };
            tokio::time::sleep(wait.max(Duration::from_millis(5))).await;
        }
    }

    /// The host said "not before `seconds`": every sender waits that long.
    pub fn pause(&self, seconds: u64) {
        let until = Instant::now() + Duration::from_secs(seconds);
        let mut w = self.lock();
        if w.paused_until.is_none_or(|p| p < until) {
            w.paused_until = Some(until);
        }
    }

    /// `RateLimitBudget` as JSON (the shape stored in `sources.rate_limit`).
    pub fn snapshot(&self) -> Value {
        let w = self.lock();
        let fresh = w.started.elapsed() >= WINDOW;
        let used = if fresh { 0 } else { w.used };
        let reset_at = if fresh {
            Utc::now()
        } else {
            w.started_at + chrono::Duration::from_std(WINDOW).unwrap_or_default()
        };
        json!({
            "limit": self.limit,
            "remaining": self.limit.map(|l| l.saturating_sub(used)),
            "windowSeconds": WINDOW.as_secs(),
            "resetAt": reset_at.to_rfc3339(),
        })
    }
}

/// Resolves names, then keeps only addresses `check_ip` allows: a public name that resolves to
/// a private address is refused like the address itself.
pub struct Guard {
    block_private: bool,
}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let block_private = self.block_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut refusal = None;
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| match check_ip(a.ip(), block_private) {
                    Ok(()) => true,
                    Err(why) => {
                        refusal = Some(why);
                        false
                    }
                })
                .collect();
            if allowed.is_empty() {
                let why = refusal.unwrap_or_else(|| "the name has no address".into());
                return Err(Box::new(Refused(format!(
                    "{host} resolves to an address that is refused: {why}"
                )))
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// An address the guard refused, found again in reqwest's error chain to tell a person why.
#[derive(Debug)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_budget_waits_for_the_next_window_and_a_pause_holds_everyone() {
        let budget = Budget::new(Some(2));
        budget.take().await;
        budget.take().await;
        assert_eq!(budget.snapshot()["remaining"], 0);
        let blocked = tokio::time::timeout(Duration::from_millis(50), budget.take()).await;
        assert!(blocked.is_err(), "a third request waits for the window");
        let open = Budget::new(None);
        open.pause(1);
        let paused = tokio::time::timeout(Duration::from_millis(50), open.take()).await;
        assert!(paused.is_err(), "a paused host is not sent to");
        assert!(open.snapshot()["limit"].is_null());
    }
}
