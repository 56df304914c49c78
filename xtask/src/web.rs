//! `cargo xtask web`: the wasm build of `web/`, wasm-bindgen (as a library, pinned to web's
//! `wasm-bindgen` version), and the static files, into `web/dist/`.
//!
//! The wasm build gets `--cfg erase_components` added to `RUSTFLAGS` (see [`web_rustflags`]):
//! Leptos then type-erases every component and view, which makes the release .wasm ~15%
//! smaller. The web build has its own target dir, so the native build never sees the flag.
//!
//! wasm-opt is skipped on purpose: Debian's binaryen breaks the .wasm (shared/design/TOOLCHAIN.md).

use crate::process::run_ok;
use crate::tools::{ensure_wasm_target, WASM_TARGET};
use crate::{Profile, Workspace};
use anyhow::{Context, Result};
use std::io::Write;
use std::{fs, time::Instant};

impl Workspace {
    /// `cargo xtask web`: wasm build, wasm-bindgen, static files.
    pub(crate) fn web(&self, profile: Profile) -> Result<()> {
        ensure_wasm_target()?;
        let started = Instant::now();
        let web_target = self.target.join("web");
        let mut build = self.cargo();
        build
            .args([
                "build",
                "--manifest-path",
                "web/Cargo.toml",
                "--target",
                WASM_TARGET,
            ])
            .env("CARGO_TARGET_DIR", &web_target)
            .env("RUSTFLAGS", web_rustflags());
        if profile == Profile::Release {
            build.arg("--release");
        }
        run_ok(&mut build)?;

        let profile_dir = if profile == Profile::Release {
            "release"
        } else {
            "debug"
        };
        let wasm = web_target
            .join(WASM_TARGET)
            .join(profile_dir)
            .join("web.wasm");
        let dist = self.web_dist();
        if dist.exists() {
            fs::remove_dir_all(&dist).with_context(|| format!("removing {}", dist.display()))?;
        }
        fs::create_dir_all(&dist)?;
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&wasm)
            .web(true)?
            .typescript(false)
            // As the CLI's `--target web`: init() fetches web_bg.wasm beside web.js.
            .omit_default_module_path(false)
            .debug(profile == Profile::Debug)
            // DWARF would make a debug build ~70 MB; the name section keeps stack traces readable.
            .keep_debug(false)
            // The function-name section is a third of a release .wasm; panics stay readable
            // without it (console_error_panic_hook prints the message and location).
            .remove_name_section(profile == Profile::Release)
            .remove_producers_section(profile == Profile::Release)
            .generate(&dist)
            .with_context(|| format!("wasm-bindgen on {}", wasm.display()))?;
        for file in ["index.html", "style.css"] {
            let from = self.root.join("web").join(file);
            fs::copy(&from, dist.join(file))
                .with_context(|| format!("copying {}", from.display()))?;
        }

        let out = dist.join("web_bg.wasm");
        let bytes = fs::read(&out).with_context(|| format!("reading {}", out.display()))?;
        let js = fs::metadata(dist.join("web.js"))
            .map(|m| m.len())
            .unwrap_or(0);
        println!(
            "web: {} in {:.1?}: web_bg.wasm {} raw, {} gzipped; web.js {}",
            dist.display(),
            started.elapsed(),
            kb(bytes.len() as u64),
            kb(gzipped_len(&bytes)?),
            kb(js),
        );
        Ok(())
    }
}

/// The caller's `RUSTFLAGS` plus `--cfg erase_components`: Leptos then erases each component's
/// and each `view!`'s type (`AnyView`) instead of monomorphising the whole view tree (2.58 →
/// 2.25 MB of release wasm when it came). It is a cfg, not a cargo feature, in Leptos 0.8.
fn web_rustflags() -> String {
    let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
    if !flags.split_whitespace().any(|f| f == "erase_components") {
        flags.push_str(" --cfg erase_components");
    }
    flags.trim().to_owned()
}

/// The size of `bytes` after gzip -9, what a server sending `Content-Encoding: gzip` roughly saves.
fn gzipped_len(bytes: &[u8]) -> Result<u64> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    Ok(gz.finish()?.len() as u64)
}

/// `12.3 KB (12595 B)`.
fn kb(bytes: u64) -> String {
    format!("{:.1} KB ({bytes} B)", bytes as f64 / 1024.0)
}
