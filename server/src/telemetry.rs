//! Logging: one subscriber for the process, filtered by RUST_LOG, written to stderr.
//! Nothing secret is ever a log field (credentials, tokens and passwords never reach tracing).

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber; call once. Later calls (tests) are ignored.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
