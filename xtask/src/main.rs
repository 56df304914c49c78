//! `cargo xtask <command>`: the build steps plain `cargo` cannot express.
//!
//! - `web [--debug]`: builds `web/` for wasm32 (its own target dir, `<target>/web`), runs
//!   wasm-bindgen (the library, pinned to web's `wasm-bindgen` version) into `web/dist/`, and
//!   copies `index.html` and `style.css` beside it. Leptos' `--cfg erase_components` is added to
//!   the wasm build's `RUSTFLAGS`. wasm-opt is skipped on purpose (Debian's is broken, see
//!   shared/design/TOOLCHAIN.md).
//! - `run [-- <server args>]`: `web`, builds the server and the test binaries, starts the
//!   provider fakes when built, then `switchboard serve --demo` serving `web/dist`.
//! - `test [-- <cargo test args>]`: installs what the tests need (wasm target, Chromium and
//!   chromedriver, the npm packages of `tests/audit`), `web`, then `cargo test --workspace`.
//!
//! - `bench [-- <bench args>]`: release builds of the server, the fakes and `bench`
//!   (tests/src/bin/bench), then the import benchmark; it prints a table (BENCHMARKS.md).
//!
//! Paths are resolved from the workspace root, so the commands work from any directory.

mod process;
mod summary;
mod tools;
mod web;

use anyhow::{Context, Result};
use process::{exit_code, run_ok, start_fakes};
use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use tools::{ensure_chromium, ensure_wasm_target};

const USAGE: &str = "usage: cargo xtask <command>
  web [--debug]                 build web/ to web/dist (release unless --debug)
  run [-- <server args>]        web, then the demo server (switchboard serve --demo)
  test [-- <cargo test args>]   prerequisites, web, then cargo test --workspace
  bench [-- <bench args>]       release builds, then the import benchmark (--nodes, --engines)";

fn main() -> Result<ExitCode> {
    let args: Vec<String> = env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("", &[][..]),
    };
    // Everything after `--` goes to the program started last (the server, or cargo test).
    let passthrough: Vec<String> = rest
        .iter()
        .skip_while(|a| *a != "--")
        .skip(1)
        .cloned()
        .collect();
    let flags: Vec<&str> = rest
        .iter()
        .take_while(|a| *a != "--")
        .map(String::as_str)
        .collect();
    let ws = Workspace::locate()?;
    match (command, flags.as_slice()) {
        ("web", []) => ws.web(Profile::Release).map(|()| ExitCode::SUCCESS),
        ("web", ["--debug"]) => ws.web(Profile::Debug).map(|()| ExitCode::SUCCESS),
        ("run", []) => ws.run(&passthrough),
        ("test", []) => ws.test(&passthrough),
        ("bench", []) => ws.bench(&passthrough),
        ("help" | "--help" | "-h", _) => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!("{USAGE}");
            Ok(ExitCode::from(2))
        }
    }
}

/// Which cargo profile the web app is built with.
#[derive(Clone, Copy, PartialEq)]
enum Profile {
    Debug,
    Release,
}

/// The workspace root and the target directory every build uses.
struct Workspace {
    root: PathBuf,
    target: PathBuf,
}

impl Workspace {
    fn locate() -> Result<Self> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .context("xtask has no parent directory")?
            .to_path_buf();
        // Same rule as cargo: $CARGO_TARGET_DIR (relative to the current directory), else <root>/target.
        let target = match env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => env::current_dir()?.join(dir),
            _ => root.join("target"),
        };
        Ok(Self { root, target })
    }

    fn web_dist(&self) -> PathBuf {
        self.root.join("web").join("dist")
    }

    /// `cargo xtask run`: the demo, with the web app and (when built) the provider fakes.
    fn run(&self, server_args: &[String]) -> Result<ExitCode> {
        self.web(Profile::Release)?;
        // The same package set as `cargo xtask test` builds, so the two share one feature
        // resolution and neither recompiles the other's dependencies.
        run_ok(self.cargo().args(["build", "--workspace", "--bins"]))?;
        let bin = self.target.join("debug");
        let mut server = Command::new(bin.join("switchboard"));
        server
            .args(["serve", "--demo"])
            .args(server_args)
            .env("SWITCHBOARD_WEB_DIR", self.web_dist())
            .current_dir(&self.root);

        // The provider fakes (tests/src/bin/fake-providers.rs, `--listen <addr>`) run beside the
        // server; the demo seeding points its sources at SWITCHBOARD_DEMO_FAKES. A fakes binary
        // that exits or does not listen is reported, and the demo runs without it.
        let fakes_bin = bin.join("fake-providers");
        let fakes = if fakes_bin.exists() {
            start_fakes(&fakes_bin)?
        } else {
            None
        };
        if let Some((_, url)) = &fakes {
            server.env("SWITCHBOARD_DEMO_FAKES", url);
            println!("xtask: provider fakes at {url}");
        }
        let status = server
            .status()
            .context("starting the server (target/debug/switchboard)")?;
        drop(fakes); // stops the fakes with the server
        Ok(exit_code(status))
    }

    /// `cargo xtask test`: prerequisites, the web app, then the whole workspace's tests.
    fn test(&self, cargo_test_args: &[String]) -> Result<ExitCode> {
        ensure_wasm_target()?;
        ensure_chromium()?;
        self.ensure_audit_packages()?;
        self.web(Profile::Release)?;
        let mut cmd = self.cargo();
        cmd.args(["test", "--workspace"])
            .args(cargo_test_args)
            .env("SWITCHBOARD_WEB_DIR", self.web_dist())
            // The integration tests wait on databases, sockets and a browser far more than on
            // the CPU: more threads than cores shortens the run.
            .env(
                "RUST_TEST_THREADS",
                env::var("RUST_TEST_THREADS").unwrap_or_else(|_| "6".into()),
            );
        let (status, totals) = summary::run_counting(cmd)?;
        // One closing line for the whole run, after the per-crate ones.
        println!(
            "summary: {} passed, {} failed",
            totals.passed, totals.failed
        );
        Ok(exit_code(status))
    }

    /// `cargo xtask bench`: the import benchmark on release builds.
    fn bench(&self, bench_args: &[String]) -> Result<ExitCode> {
        // Every binary of the workspace: the same selection as `cargo build --release
        // --workspace --bins`, so one release build serves every benchmark (a narrower
        // selection resolves features differently and rebuilds every dependency).
        run_ok(
            self.cargo()
                .args(["build", "--release", "--workspace", "--bins"]),
        )?;
        let bin = self.target.join("release");
        let status = Command::new(bin.join("bench"))
            .arg("--switchboard")
            .arg(bin.join("switchboard"))
            .arg("--fake")
            .arg(bin.join("fake-providers"))
            .args(bench_args)
            .current_dir(&self.root)
            .status()
            .context("starting the benchmark")?;
        Ok(exit_code(status))
    }

    /// `cargo`, as the one running xtask, in the workspace root.
    fn cargo(&self) -> Command {
        let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(&self.root);
        cmd
    }
}
