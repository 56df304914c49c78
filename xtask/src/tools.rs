//! Prerequisites installed on demand: the wasm32 target, Chromium with chromedriver, and the
//! npm packages of `tests/audit`.

use crate::process::run_ok;
use crate::Workspace;
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;

/// The one target the web app is built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

impl Workspace {
    /// `npm ci` in tests/audit (the GraphQL-over-HTTP audit) unless already installed.
    pub(crate) fn ensure_audit_packages(&self) -> Result<()> {
        let audit = self.root.join("tests").join("audit");
        if !audit.join("package.json").exists() || audit.join("node_modules").exists() {
            return Ok(());
        }
        let verb = if audit.join("package-lock.json").exists() {
            "ci"
        } else {
            "install"
        };
        run_ok(Command::new("npm").arg(verb).current_dir(&audit))
    }
}

/// Adds the wasm32 target with rustup when it is missing.
pub fn ensure_wasm_target() -> Result<()> {
    let Ok(out) = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
    else {
        eprintln!("xtask: rustup not found; assuming the {WASM_TARGET} target is installed");
        return Ok(());
    };
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    run_ok(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// Installs Chromium and chromedriver with apt when missing (root only).
pub fn ensure_chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .context("running id -u")?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        bail!(
            "{CHROMIUM} and {CHROMEDRIVER} are needed: apt-get install -y chromium chromium-driver"
        );
    }
    run_ok(Command::new("apt-get").arg("update"))?;
    run_ok(Command::new("apt-get").args(["install", "-y", "chromium", "chromium-driver"]))
}
