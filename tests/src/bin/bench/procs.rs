//! The benchmark's child processes: started, killed when dropped, and their memory read from
//! /proc (peak resident set, as the kernel keeps it, plus our own samples).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{bail, Context, Result};

pub struct Child {
    child: std::process::Child,
    /// The largest VmRSS seen, in kB.
    peak_kb: AtomicU64,
}

impl Child {
    pub fn spawn(cmd: &mut std::process::Command) -> Result<Child> {
        let child = cmd
            .stdout(std::process::Stdio::null())
            .spawn()
            .with_context(|| format!("starting {cmd:?}"))?;
        Ok(Child {
            child,
            peak_kb: AtomicU64::new(0),
        })
    }

    fn status_kb(&self, key: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with(key))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    pub fn sample_rss(&self) {
        if let Some(kb) = self.status_kb("VmRSS:") {
            self.peak_kb.fetch_max(kb, Ordering::Relaxed);
        }
    }

    /// The peak resident set: the kernel's high-water mark when it has one.
    pub fn peak_rss_mb(&self) -> f64 {
        let kb = self
            .status_kb("VmHWM:")
            .unwrap_or(0)
            .max(self.peak_kb.load(Ordering::Relaxed));
        kb as f64 / 1024.0
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

pub async fn wait_for_port(port: u16) -> Result<()> {
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("nothing listens on port {port} after a minute")
}
