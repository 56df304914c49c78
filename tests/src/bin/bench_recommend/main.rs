//! `bench-recommend`: the recommendation benchmark of issue #4. On a fresh database per engine
//! it writes 100,000 services (with their field values and recommendation keys, as
//! createService writes them) and 1,000 unlinked nodes, then asks for each node's
//! recommendations through the service layer, timing each call. It prints one table row per
//! engine (BENCHMARKS.md); figures, not assertions. Run it in release mode:
//!
//! `cargo run --release -p tests --bin bench-recommend -- --engines sqlite,postgres`

mod data;
mod load;

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use clap::Parser;
use server::services::recommend;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 100_000)]
    services: usize,
    #[arg(long, default_value_t = 1_000)]
    nodes: usize,
    /// Engines to run: sqlite, postgres.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    engines: Vec<String>,
    /// An existing PostgreSQL database to create the benchmark database from.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    postgres: String,
    /// Also print the names of the slowest nodes, with their times (to study the tail).
    #[arg(long, default_value_t = 0)]
    slowest: usize,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    let data = data::generate(args.services, args.nodes);
    println!("| engine | services | nodes | load s | p50 ms | p90 ms | p99 ms | max ms | with a recommendation | expected one on top |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for engine in &args.engines {
        let dir = std::env::temp_dir().join(format!(
            "switchboard-bench-recommend-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir)?;
        let url = match engine.as_str() {
            "sqlite" => format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
            "postgres" => fresh_postgres(&args.postgres, "switchboard_bench_recommend").await?,
            other => bail!("unknown engine {other}"),
        };
        let db = server::db::connect(&url).await?;
        server::db::migrate(&db, &url).await?;
        let started = Instant::now();
        let loaded = load::load(&db, &data).await?;
        let load_time = started.elapsed();
        let mut times: Vec<Duration> = Vec::with_capacity(loaded.nodes.len());
        let mut named: Vec<(Duration, &str, usize)> = Vec::new();
        let (mut with_any, mut on_top, mut expected) = (0, 0, 0);
        for (node, want) in &loaded.nodes {
            let t = Instant::now();
            let found = recommend::for_node(&db, &loaded.viewer, node, 10)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            times.push(t.elapsed());
            named.push((t.elapsed(), node.name.as_str(), found.len()));
            with_any += usize::from(!found.is_empty());
            if let Some(want) = want {
                expected += 1;
                on_top += usize::from(found.first().is_some_and(|r| want.contains(&r.service.id)));
            }
        }
        times.sort();
        let at = |q: f64| {
            times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0
        };
        println!(
            "| {engine} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {with_any} | {on_top} of {expected} |",
            data.services.len(),
            loaded.nodes.len(),
            load_time.as_secs_f64(),
            at(0.5),
            at(0.9),
            at(0.99),
            at(1.0),
        );
        named.sort_by_key(|n| std::cmp::Reverse(n.0));
        for (took, name, found) in named.iter().take(args.slowest) {
            eprintln!(
                "{engine}: {:.2} ms  {name:?}  ({found} found)",
                took.as_secs_f64() * 1000.0
            );
        }
        db.close().await?;
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// Creates an empty database `name` beside `admin_url`'s and returns its URL.
async fn fresh_postgres(admin_url: &str, name: &str) -> Result<String> {
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(admin_url).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let (base, _) = admin_url
        .rsplit_once('/')
        .ok_or_else(|| anyhow::anyhow!("a database URL has a path"))?;
    Ok(format!("{base}/{name}"))
}
