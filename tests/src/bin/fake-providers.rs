//! `fake-providers`: the providers' HTTP fakes as one process, for the demo and the benchmarks.
//!
//! `fake-providers --listen 127.0.0.1:9400 --companies 1000` serves the ConnectWise fake under
//! `http://<listen>/v4_6_release/apis/3.0` (credentials printed on start), and a control
//! endpoint: `POST /_fake/faults` with a JSON fault plan (see `tests::fakes::faults::FaultPlan`).

use axum::routing::post;
use axum::{extract::State, Json, Router};
use clap::Parser;
use tests::fakes::connectwise::{self, Config};
use tests::fakes::faults::{FaultPlan, Faults};

#[derive(Parser)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9400")]
    listen: String,
    /// How many ConnectWise companies to serve (each with 1 site, 2 contacts, 5 configurations).
    #[arg(long, default_value_t = 200)]
    companies: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let config = Config {
        companies: args.companies,
        ..Config::default()
    };
    let faults = Faults::default();
    let control = Router::new()
        .route("/_fake/faults", post(set_faults))
        .with_state(faults.clone());
    let app = connectwise::router(config.clone(), faults).merge(control);
    let listener = tokio::net::TcpListener::bind(&args.listen).await?;
    let addr = listener.local_addr()?;
    println!(
        "ConnectWise fake: http://{addr}/v4_6_release/apis/3.0 credentials {}",
        config.credentials()
    );
    axum::serve(listener, app).await?;
    Ok(())
}

async fn set_faults(State(faults): State<Faults>, Json(plan): Json<FaultPlan>) -> &'static str {
    faults.set(plan);
    "ok"
}
