//! N graphql-ws subscribers in this process, each a task that records when every event
//! (by its external id) reached it; and the figures made of those times.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Result;
use futures_util::StreamExt;
use serde_json::Value;
use tests::live::Subscriber;
use tokio::task::JoinSet;

/// How many subscribers connect at once.
const CONNECTING: usize = 200;

/// How many subscribers have each event. Readers share the lock; only an event's first
/// arrival takes it for writing.
#[derive(Default)]
struct Counts(RwLock<HashMap<u64, AtomicUsize>>);

impl Counts {
    fn add(&self, id: u64) {
        {
            let counts = self.0.read().unwrap_or_else(|p| p.into_inner());
            if let Some(count) = counts.get(&id) {
                count.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
        let mut counts = self.0.write().unwrap_or_else(|p| p.into_inner());
        counts
            .entry(id)
            .or_default()
            .fetch_add(1, Ordering::Relaxed);
    }

    fn get(&self, id: u64) -> usize {
        let counts = self.0.read().unwrap_or_else(|p| p.into_inner());
        counts.get(&id).map_or(0, |c| c.load(Ordering::Relaxed))
    }
}

pub struct Subscribers {
    tasks: JoinSet<Vec<(u64, Instant)>>,
    /// How many subscribers have each event.
    counts: Arc<Counts>,
    n: usize,
    stop: tokio::sync::watch::Sender<bool>,
}

pub async fn open(
    addr: SocketAddr,
    token: &str,
    query: &str,
    variables: Value,
    n: usize,
) -> Result<Subscribers> {
    let counts: Arc<Counts> = Arc::default();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut connecting = JoinSet::new();
    for i in 0..n {
        if connecting.len() >= CONNECTING {
            if let Some(done) = connecting.join_next().await {
                tasks_spawn(&mut tasks, done?, &counts, &stopped);
            }
        }
        let (token, query, variables) = (token.to_owned(), query.to_owned(), variables.clone());
        connecting.spawn(async move {
            let mut sub = Subscriber::connect(addr, &token).await;
            sub.subscribe(&i.to_string(), &query, variables).await;
            sub
        });
    }
    while let Some(done) = connecting.join_next().await {
        tasks_spawn(&mut tasks, done?, &counts, &stopped);
    }
    Ok(Subscribers {
        tasks,
        counts,
        n,
        stop,
    })
}

fn tasks_spawn(
    tasks: &mut JoinSet<Vec<(u64, Instant)>>,
    mut sub: Subscriber,
    counts: &Arc<Counts>,
    stopped: &tokio::sync::watch::Receiver<bool>,
) {
    let counts = counts.clone();
    let mut stopped = stopped.clone();
    tasks.spawn(async move {
        let mut got = Vec::new();
        // No pings of its own, as the reference graphql-ws client: the server pings, and
        // tungstenite answers while the socket is read.
        loop {
            let message = tokio::select! {
                m = sub.socket.next() => m,
                _ = stopped.changed() => break,
            };
            let Some(Ok(tokio_tungstenite::tungstenite::Message::Text(text))) = message else {
                match message {
                    Some(Ok(_)) => continue,
                    _ => break,
                }
            };
            let at = Instant::now();
            let Some(id) = external_id(&text) else {
                continue;
            };
            got.push((id, at));
            counts.add(id);
        }
        got
    });
}

/// The external id of an event message (`{"type":"next","payload":{"data":{…{"externalId"}}}}`).
/// A scan, not a parse: the client shares the machine's cores with the server, so it does as
/// little as it can per frame and the figures stay the server's.
fn external_id(text: &str) -> Option<u64> {
    const NEXT: &str = r#""type":"next""#;
    const KEY: &str = r#""externalId":""#;
    if !text.get(..40).unwrap_or(text).contains(NEXT) {
        return None;
    }
    let start = text.find(KEY)? + KEY.len();
    let rest = &text[start..];
    rest[..rest.find('"')?].parse().ok()
}

impl Subscribers {
    /// Waits until every subscriber has event `id`, or `within` passed; true if all have it.
    pub async fn wait_all(&self, id: u64, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            let have = self.counts.get(id);
            if have >= self.n {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// Stops every subscriber (closing its socket) and returns what each received.
    pub async fn close(mut self) -> Vec<Vec<(u64, Instant)>> {
        let _ = self.stop.send(true);
        let mut all = Vec::with_capacity(self.n);
        while let Some(done) = self.tasks.join_next().await {
            if let Ok(got) = done {
                all.push(got);
            }
        }
        all
    }
}

/// Delivery figures in milliseconds.
pub struct Stats {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub last_p50: f64,
    pub last_max: f64,
    pub lost: usize,
}

impl Stats {
    pub fn of(sent: &[(u64, Instant)], received: &[Vec<(u64, Instant)>], n: usize) -> Stats {
        let sent: HashMap<u64, Instant> = sent.iter().copied().collect();
        let mut all = Vec::new();
        let mut last: HashMap<u64, f64> = HashMap::new();
        for got in received {
            for (id, at) in got {
                let Some(start) = sent.get(id) else { continue };
                let ms = at.saturating_duration_since(*start).as_secs_f64() * 1000.0;
                all.push(ms);
                let slot = last.entry(*id).or_insert(0.0);
                *slot = slot.max(ms);
            }
        }
        let expected = sent.len() * n;
        let lost = expected.saturating_sub(all.len());
        let mut last: Vec<f64> = last.into_values().collect();
        Stats {
            p50: quantile(&mut all, 0.5),
            p99: quantile(&mut all, 0.99),
            max: quantile(&mut all, 1.0),
            last_p50: quantile(&mut last, 0.5),
            last_max: quantile(&mut last, 1.0),
            lost,
        }
    }
}

fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[((values.len() as f64 * q) as usize).min(values.len() - 1)]
}
