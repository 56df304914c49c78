//! Every log line the servers of this test process write, kept in memory so tests can prove
//! that no secret ever reaches a log. `TEST_LOG=1` also prints them.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

static LINES: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(lines) = LINES.get() {
            if let Ok(mut lines) = lines.lock() {
                lines.extend_from_slice(buf);
            }
        }
        if std::env::var_os("TEST_LOG").is_some() {
            std::io::stderr().write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing subscriber once per process (debug for our crates).
pub fn capture() {
    if LINES.set(Mutex::new(Vec::new())).is_ok() {
        let filter =
            tracing_subscriber::EnvFilter::new("info,server=debug,tests=debug,tower_http=debug");
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(|| Capture)
            .with_ansi(false)
            .try_init();
    }
}

/// Everything logged so far.
pub fn all() -> String {
    LINES
        .get()
        .and_then(|l| {
            l.lock()
                .ok()
                .map(|l| String::from_utf8_lossy(&l).into_owned())
        })
        .unwrap_or_default()
}
