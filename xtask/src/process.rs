//! Child processes: run-and-check, exit codes, and the provider fakes started beside the demo.

use anyhow::{bail, Context, Result};
use std::ffi::OsStr;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, ExitCode, ExitStatus};
use std::time::{Duration, Instant};

/// Runs a command, failing unless it exits 0.
pub fn run_ok(cmd: &mut Command) -> Result<()> {
    let shown = format!(
        "{} {}",
        cmd.get_program().to_string_lossy(),
        cmd.get_args()
            .map(OsStr::to_string_lossy)
            .collect::<Vec<_>>()
            .join(" ")
    );
    eprintln!("xtask: {shown}");
    let status = cmd
        .status()
        .with_context(|| format!("starting `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// The exit code to leave with, as the child's.
pub fn exit_code(status: ExitStatus) -> ExitCode {
    match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE, // killed by a signal
    }
}

/// A child process killed (and reaped) when dropped.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `127.0.0.1:<port>` nobody listens on right now.
fn free_local_addr() -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.to_string())
}

/// Starts `fake-providers --listen <free addr>` and waits until it listens: `Some((child,
/// base URL))`, or `None` (with a warning) when it exits first or is not up within 10 s.
pub fn start_fakes(bin: &Path) -> Result<Option<(KillOnDrop, String)>> {
    let addr = free_local_addr()?;
    let child = Command::new(bin)
        .args(["--listen", &addr])
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let mut child = KillOnDrop(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(&addr).is_err() {
        if let Some(status) = child.0.try_wait()? {
            eprintln!(
                "xtask: fake-providers exited ({status}) without listening; running without it"
            );
            return Ok(None);
        }
        if Instant::now() > deadline {
            eprintln!(
                "xtask: fake-providers did not listen on {addr} within 10 s; running without it"
            );
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(Some((child, format!("http://{addr}"))))
}
