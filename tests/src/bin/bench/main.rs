//! `bench`: the import benchmark of issue #3 (run it with `cargo xtask bench`). For each engine
//! (SQLite, PostgreSQL) and size, it starts the ConnectWise fake and a release `switchboard
//! serve` as their own processes, imports a source of that many nodes through the public API,
//! imports it again unchanged, then measures the raw insert ceiling of the same rows with the
//! same indexes (`ceiling`). It prints one table row per run; figures, not assertions.

mod ceiling;
mod procs;
mod table;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;
use serde_json::{json, Value};

use procs::{free_port, wait_for_port, Child};
use table::Row;

#[derive(Parser)]
struct Args {
    /// The release `switchboard` binary.
    #[arg(long)]
    switchboard: PathBuf,
    /// The release `fake-providers` binary.
    #[arg(long)]
    fake: PathBuf,
    /// Node counts to import (approximate: whole companies of the fixed mix).
    #[arg(long, value_delimiter = ',', default_value = "100000,1000000")]
    nodes: Vec<u64>,
    /// Engines to run: sqlite, postgres.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    engines: Vec<String>,
    /// Runs per engine and size. With more than one, a last row gives each column's median
    /// (the ratio and speed-up are each run's own, then their median) and the highest RSS.
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// An existing PostgreSQL database to create the benchmark database from.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    postgres: String,
}

/// Nodes per company of the fake's mix that the import keeps: 1 company, 1 site, 2 contacts,
/// 5 configurations, an agreement for every 4th company, every 50th company left out (it has
/// neither contact nor configuration).
const NODES_PER_COMPANY: f64 = 9.06;

struct Run {
    nodes: i64,
    import: Duration,
    resync: Duration,
    peak_rss_mb: f64,
    ceiling: Duration,
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = Args::parse();
    // The server runs in a scratch directory, so the binaries are named absolutely.
    args.switchboard = args.switchboard.canonicalize()?;
    args.fake = args.fake.canonicalize()?;
    println!("| engine | nodes | import s | nodes/s | ceiling nodes/s | ratio | peak RSS MB | unchanged re-sync s | speed-up |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for engine in &args.engines {
        for &nodes in &args.nodes {
            let mut rows = Vec::new();
            for _ in 0..args.runs.max(1) {
                let run = one(&args, engine, nodes)
                    .await
                    .with_context(|| format!("{engine} with {nodes} nodes"))?;
                let row = Row::of(&run);
                println!("{}", row.line(engine, run.nodes));
                rows.push((run.nodes, row));
            }
            if rows.len() > 1 {
                let median = Row::median(rows.iter().map(|(_, r)| r).collect());
                let label = format!("{engine} (median of {})", rows.len());
                println!("{}", median.line(&label, rows[0].0));
            }
        }
    }
    Ok(())
}

async fn one(args: &Args, engine: &str, nodes: u64) -> Result<Run> {
    let companies = (nodes as f64 / NODES_PER_COMPANY).ceil() as u64;
    let dir = std::env::temp_dir().join(format!("switchboard-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let database_url = match engine {
        "sqlite" => {
            let file = dir.join(format!("bench-{nodes}.db"));
            for suffix in ["", "-wal", "-shm", ".jwt-secret", ".credentials-key"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
            format!("sqlite://{}?mode=rwc", file.display())
        }
        "postgres" => ceiling::fresh_postgres(&args.postgres, "switchboard_bench").await?,
        other => bail!("unknown engine {other}"),
    };

    let fake_port = free_port()?;
    let _fake = Child::spawn(std::process::Command::new(&args.fake).args([
        "--listen",
        &format!("127.0.0.1:{fake_port}"),
        "--companies",
        &companies.to_string(),
    ]))?;
    wait_for_port(fake_port).await?;

    let env = |cmd: &mut std::process::Command| {
        // Fixed benchmark-only keys (PostgreSQL needs them; SQLite would use key files).
        cmd.env("DATABASE_URL", &database_url)
            .env(
                "SWITCHBOARD_JWT_SECRET",
                "YmVuY2htYXJrLWp3dC1zZWNyZXQtb2YtMzItYnl0ZXMhIQ==",
            )
            .env(
                "SWITCHBOARD_CREDENTIALS_KEY",
                "YmVuY2htYXJrLWNyZWRlbnRpYWxzLWtleS0zMmJ5dGU=",
            )
            .env("SWITCHBOARD_WORKERS", "1")
            .env(
                "RUST_LOG",
                std::env::var("BENCH_SERVER_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .current_dir(&dir);
    };
    let mut create = std::process::Command::new(&args.switchboard);
    create.args([
        "user",
        "create",
        "--org",
        "Bench",
        "--email",
        "bench@example.com",
        "--password",
        "bench-password-1",
        "--role",
        "admin",
    ]);
    env(&mut create);
    let status = create.status()?;
    if !status.success() {
        bail!("switchboard user create failed");
    }
    let port = free_port()?;
    let mut serve = std::process::Command::new(&args.switchboard);
    serve
        .arg("serve")
        .env("SWITCHBOARD_LISTEN", format!("127.0.0.1:{port}"));
    env(&mut serve);
    let server = Child::spawn(&mut serve)?;
    wait_for_port(port).await?;

    let api = Api::login(port).await?;
    let base = format!("http://127.0.0.1:{fake_port}/v4_6_release/apis/3.0");
    let credentials = json!({"companyId": "acme", "publicKey": "fake-public", "privateKey": "fake-private", "clientId": "fake-client-id"});
    let source = api
        .call(
            "mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }",
            json!({"input": {"name": "Bench", "provider": "CONNECTWISE_MANAGE", "baseUrl": base, "credentials": credentials, "settings": {"includeAssetsWithoutSerial": true}}}),
        )
        .await?["createSource"]["id"]
        .as_str()
        .context("no source id")?
        .to_owned();

    let (import, stats) = api.sync(&source, &server).await?;
    let created = stats["created"].as_i64().unwrap_or_default();
    let (resync, again) = api.sync(&source, &server).await?;
    if again["created"] != 0 || again["updated"] != 0 {
        bail!("the unchanged re-sync changed nodes: {again}");
    }
    let peak_rss_mb = server.peak_rss_mb();
    drop(server);

    let ceiling = ceiling::measure(&database_url).await?;
    if engine == "sqlite" {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(Run {
        nodes: created,
        import,
        resync,
        peak_rss_mb,
        ceiling,
    })
}

/// The GraphQL API as the benchmark's one user.
struct Api {
    client: reqwest::Client,
    url: String,
    token: String,
}

impl Api {
    async fn login(port: u16) -> Result<Api> {
        let mut api = Api {
            client: reqwest::Client::new(),
            url: format!("http://127.0.0.1:{port}/graphql"),
            token: String::new(),
        };
        let data = api
            .call(
                "mutation { login(email: \"bench@example.com\", password: \"bench-password-1\") { token } }",
                json!({}),
            )
            .await?;
        api.token = data["login"]["token"]
            .as_str()
            .context("no token")?
            .to_owned();
        Ok(api)
    }

    async fn call(&self, query: &str, variables: Value) -> Result<Value> {
        let body: Value = self
            .client
            .post(&self.url)
            .bearer_auth(&self.token)
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await?
            .json()
            .await?;
        if let Some(errors) = body.get("errors") {
            bail!("GraphQL errors: {errors}");
        }
        Ok(body["data"].clone())
    }

    /// Forces a sync and waits for it, sampling the server's memory; returns its time and stats.
    async fn sync(&self, source: &str, server: &Child) -> Result<(Duration, Value)> {
        let started = Instant::now();
        let job = self
            .call(
                "mutation($id: ID!) { forceSync(sourceId: $id) { id } }",
                json!({"id": source}),
            )
            .await?["forceSync"]["id"]
            .clone();
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            server.sample_rss();
            let data = self
                .call(
                    "query($id: ID!) { syncJob(id: $id) { status error startedAt finishedAt stats { created updated unchanged deleted } } }",
                    json!({"id": job}),
                )
                .await?;
            let job = &data["syncJob"];
            match job["status"].as_str() {
                // The job's own time, from claim to finish (the API's timestamps).
                Some("SUCCEEDED") => {
                    let at = |key: &str| {
                        job[key]
                            .as_str()
                            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    };
                    let took = match (at("startedAt"), at("finishedAt")) {
                        (Some(a), Some(b)) => (b - a).to_std().unwrap_or_default(),
                        _ => started.elapsed(),
                    };
                    return Ok((took, job["stats"].clone()));
                }
                Some("QUEUED" | "RUNNING") => {}
                _ => bail!("the sync did not succeed: {job}"),
            }
        }
    }
}
