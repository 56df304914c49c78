//! `fake-providers`: the providers' HTTP fakes as one process, for the demo and the benchmarks.
//!
//! `fake-providers --listen 127.0.0.1:9400 --companies 1000` serves, on one port:
//! - ConnectWise Manage under `http://<listen>/v4_6_release/apis/3.0`;
//! - Syncro under `http://<listen>/api/v1` (its per-IP request limit included);
//! - BroadWorks OCI-P under `http://<listen>/webservice/services/ProvisioningService`;
//!
//! each with the default credentials printed on start, and a control endpoint per fake:
//! `POST /_fake/faults/{connectwise|syncro|broadworks}` (and `/_fake/faults` for ConnectWise)
//! with a JSON fault plan (see `tests::fakes::faults::FaultPlan`).

use std::net::SocketAddr;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use clap::Parser;
use tests::fakes::faults::{FaultPlan, Faults};
use tests::fakes::{broadworks, connectwise, syncro, Switches};

// The fake shares the benchmark's two cores with the server: the allocator the server uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:9400")]
    listen: String,
    /// ConnectWise companies to serve (each with 1 site, 2 contacts, 5 configurations).
    #[arg(long, default_value_t = 200)]
    companies: u64,
    /// Syncro customers to serve (each with its contacts and assets).
    #[arg(long, default_value_t = 60)]
    customers: u64,
    /// BroadWorks service providers and enterprises (each with groups, users, hunt groups).
    #[arg(long, default_value_t = 6)]
    service_providers: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let switches = Switches::default();
    let cw = connectwise::Config {
        companies: args.companies,
        ..connectwise::Config::default()
    };
    let sy = syncro::Config {
        customers: args.customers,
        ..syncro::Config::default()
    };
    let bw = broadworks::Config {
        service_providers: args.service_providers,
        ..broadworks::Config::default()
    };
    let control = Router::new()
        .route("/_fake/faults", post(set_connectwise_faults))
        .route("/_fake/faults/{fake}", post(set_faults))
        .with_state(switches.clone());
    let app = tests::fakes::all(cw.clone(), sy.clone(), bw.clone(), &switches).merge(control);
    let listener = tokio::net::TcpListener::bind(&args.listen).await?;
    let addr = listener.local_addr()?;
    println!(
        "ConnectWise fake: http://{addr}/v4_6_release/apis/3.0 credentials {}",
        cw.credentials()
    );
    println!(
        "Syncro fake: http://{addr}/api/v1 credentials {{\"apiToken\":\"{}\"}}",
        sy.token
    );
    println!(
        "BroadWorks fake: http://{addr}{} credentials {{\"userId\":\"{}\",\"password\":\"{}\"}}",
        broadworks::PATH,
        bw.user_id,
        bw.password
    );
    // Syncro's limit is per client IP, so the fake needs to know who connects.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}

async fn set_connectwise_faults(
    State(switches): State<Switches>,
    Json(plan): Json<FaultPlan>,
) -> &'static str {
    switches.connectwise.set(plan);
    "ok"
}

async fn set_faults(
    State(switches): State<Switches>,
    Path(fake): Path<String>,
    Json(plan): Json<FaultPlan>,
) -> (StatusCode, &'static str) {
    let faults: &Faults = match fake.as_str() {
        "connectwise" => &switches.connectwise,
        "syncro" => &switches.syncro,
        "broadworks" => &switches.broadworks,
        _ => return (StatusCode::NOT_FOUND, "no such fake"),
    };
    faults.set(plan);
    (StatusCode::OK, "ok")
}
