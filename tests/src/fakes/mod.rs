//! HTTP fakes of the providers, following ../shared/upstream (see docs/CONNECTORS.md §4):
//! real paths, auth, paging, error bodies, and faults a test can switch on. They run on
//! 127.0.0.1 in-process for tests, and in the `fake-providers` binary for the demo and the
//! benchmarks. Data is generated from indexes on demand, so a fake of a million records costs
//! no memory.

pub mod broadworks;
pub mod connectwise;
pub mod edits;
pub mod faults;
pub mod syncro;

pub use faults::Faults;

/// The fault switches of each fake, when they run together.
#[derive(Clone, Default)]
pub struct Switches {
    pub connectwise: Faults,
    pub syncro: Faults,
    pub broadworks: Faults,
}

/// All fakes on one router (their paths do not overlap), as `fake-providers` and the demo run
/// them. Serve it with `into_make_service_with_connect_info::<SocketAddr>()` so Syncro's
/// per-IP limit sees each client.
pub fn all(
    cw: connectwise::Config,
    sy: syncro::Config,
    bw: broadworks::Config,
    switches: &Switches,
) -> axum::Router {
    connectwise::router(cw, switches.connectwise.clone())
        .merge(syncro::router(sy, switches.syncro.clone()))
        .merge(broadworks::router(bw, switches.broadworks.clone()))
}

/// All fakes with their defaults on 127.0.0.1 (a free port); returns their base address.
pub async fn start_all() -> (std::net::SocketAddr, Switches) {
    let switches = Switches::default();
    let app = all(
        connectwise::Config::default(),
        syncro::Config::default(),
        broadworks::Config::default(),
        &switches,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the fakes");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let service = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
        let _ = axum::serve(listener, service).await;
    });
    (addr, switches)
}
