//! `bench-events`: the live-event benchmark of issue #5. It starts the fakes and a release
//! `switchboard serve` as their own processes (open-file limits raised), creates a ConnectWise
//! source, then for each subscriber count opens that many graphql-ws subscribers in this
//! process and posts a stream of signed ConnectWise callbacks to the source's webhook URL. It
//! prints, per count: delivery latency from the webhook POST to each subscriber (p50, p99,
//! max), the time for an event to reach its last subscriber (p50, max), events lost, and the
//! server's resident memory per subscriber. Figures, not assertions. Run it in release mode:
//!
//! `cargo build --release -p server -p tests --bin switchboard --bin fake-providers --bin bench-events`
//! `target/release/bench-events --switchboard target/release/switchboard --fake target/release/fake-providers`

mod server;
mod subscribers;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use serde_json::json;
use tests::fakes::connectwise::callbacks::Callbacks;

/// Open files this process and the server need (a socket per subscriber, and some).
const FILES: u64 = 12_000;

#[derive(Parser)]
pub struct Args {
    /// The release `switchboard` binary; without it, this binary serves as the server (the
    /// same library, through `as-switchboard`).
    #[arg(long)]
    switchboard: Option<PathBuf>,
    /// The release `fake-providers` binary.
    #[arg(long)]
    fake: PathBuf,
    /// Subscriber counts to run, in order.
    #[arg(long, value_delimiter = ',', default_value = "1,100,1000,10000")]
    subscribers: Vec<usize>,
    /// Webhooks posted per run.
    #[arg(long, default_value_t = 50)]
    events: usize,
    /// Pause between two webhooks, in milliseconds.
    #[arg(long, default_value_t = 100)]
    interval_ms: u64,
    /// The subscription every subscriber runs (`$s` is the source's id).
    #[arg(
        long,
        default_value = "subscription($s: ID) { ticketEvents(sourceId: $s) { kind externalId lagged at ticket { summary } } }"
    )]
    query: String,
}

// The server's allocator, for its memory figures when this binary serves.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<()> {
    if std::env::args().nth(1).as_deref() == Some("as-switchboard") {
        let argv = std::iter::once("switchboard".to_owned()).chain(std::env::args().skip(2));
        let code = ::server::cli::run_args(argv).await?;
        anyhow::ensure!(
            code == std::process::ExitCode::SUCCESS,
            "switchboard failed"
        );
        return Ok(());
    }
    let mut args = Args::parse();
    if server::raise_open_files(FILES)? {
        return Ok(());
    }
    args.switchboard = match args.switchboard {
        Some(path) => Some(path.canonicalize()?),
        None => None,
    };
    args.fake = args.fake.canonicalize()?;
    let running = server::Running::start(&args).await?;
    println!("| subscribers | events | p50 ms | p99 ms | max ms | to last p50 ms | to last max ms | lost | server RSS per subscriber KB |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for &n in &args.subscribers {
        let row = run(&args, &running, n)
            .await
            .with_context(|| format!("{n} subscribers"))?;
        println!("{row}");
    }
    Ok(())
}

/// One subscriber count: connect, warm up, post, measure, disconnect.
async fn run(args: &Args, running: &server::Running, n: usize) -> Result<String> {
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_before = running.server_rss_kb();
    let variables = json!({"s": running.source});
    let subs = subscribers::open(running.addr, &running.token, &args.query, variables, n).await?;
    // Subscribing has no answer: the warm-up event, posted until every subscriber has it, says
    // all are listening.
    let callbacks = Callbacks::new(running.fake_origin.clone(), Default::default());
    loop {
        let warm_up = post(&callbacks, running).await?;
        if subs.wait_all(warm_up, Duration::from_secs(5)).await {
            break;
        }
    }
    let rss_after = running.server_rss_kb();
    let mut sent = Vec::with_capacity(args.events);
    for _ in 0..args.events {
        let (id, at) = post_timed(&callbacks, running).await?;
        sent.push((id, at));
        tokio::time::sleep(Duration::from_millis(args.interval_ms)).await;
    }
    if let Some((last, _)) = sent.last() {
        subs.wait_all(*last, Duration::from_secs(60)).await;
    }
    let received = subs.close().await;
    let stats = subscribers::Stats::of(&sent, &received, n);
    let per_subscriber = rss_after.saturating_sub(rss_before) as f64 / n as f64;
    Ok(format!(
        "| {n} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {:.1} |",
        args.events,
        stats.p50,
        stats.p99,
        stats.max,
        stats.last_p50,
        stats.last_max,
        stats.lost,
        per_subscriber
    ))
}

/// Creates a ticket in the ConnectWise fake (through the API) and posts its signed callback;
/// returns the ticket's id.
async fn post(callbacks: &Callbacks, running: &server::Running) -> Result<u64> {
    Ok(post_timed(callbacks, running).await?.0)
}

/// Like `post`, with the moment the callback was sent.
async fn post_timed(callbacks: &Callbacks, running: &server::Running) -> Result<(u64, Instant)> {
    let created = running
        .call(
            "mutation($s: ID!) { createTicket(sourceId: $s, input: {summary: \"Benchmark ticket\", companyExternalId: \"1\"}) { externalId } }",
            json!({"s": running.source}),
        )
        .await?;
    let id: u64 = created["createTicket"]["externalId"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .context("no ticket id")?;
    let body = callbacks.body("ticket", "added", id, None);
    let at = Instant::now();
    let status = callbacks.post(&running.webhook_url, &body).await;
    anyhow::ensure!(status == 204, "the webhook answered {status}");
    Ok((id, at))
}
