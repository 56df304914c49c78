//! Headless Chromium for browser tests: starts `/usr/bin/chromedriver` on a free port and
//! drives it with `fantoccini`.
//!
//! ```text
//! let browser = Browser::start().await?;
//! let result = async {
//!     browser.goto(&format!("{}/login", app.address)).await?;
//!     browser.fill("[data-testid=login-email]", "ann@example.com").await?;
//!     browser.click("[data-testid=login-submit]").await?;
//!     browser.wait_for("[data-testid=sources-table]").await?;
//!     anyhow::Ok(())
//! }
//! .await;
//! browser.screenshot_on_error("login_flow", result).await?; // tests/artifacts/login_flow.png
//! browser.close().await;
//! ```
//!
//! `cargo xtask test` installs Chromium and chromedriver when they are missing.

use anyhow::{bail, Context, Result};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where the browser and its driver are installed (Debian's `chromium`, `chromium-driver`).
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long [`Browser::wait_for`] waits by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Flags without which headless Chromium stalls or misbehaves here (shared/design/TOOLCHAIN.md).
const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
];

/// A chromedriver process (with the Chromium it starts) and a WebDriver session on it.
/// Dropping it kills both and removes the browser profile.
pub struct Browser {
    client: Client,
    /// Held for its `Drop`, which stops chromedriver and Chromium.
    _driver: Driver,
}

impl Browser {
    /// Starts chromedriver on a free port and opens a headless Chromium session with a
    /// fresh profile.
    pub async fn start() -> Result<Self> {
        let driver = Driver::spawn()?;
        driver.wait_until_listening(Duration::from_secs(15)).await?;
        let profile = driver.profile.to_string_lossy().into_owned();
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| (*a).to_owned()).collect();
        args.push(format!("--user-data-dir={profile}"));
        let capabilities = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            bail!("capabilities are not a JSON object");
        };
        // chromedriver speaks plain HTTP on loopback: no TLS stack is needed (and none pulled in).
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .context("opening a WebDriver session on chromedriver")?;
        Ok(Self {
            client,
            _driver: driver,
        })
    }

    /// The fantoccini client, for anything the helpers below do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Opens a URL.
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client
            .goto(url)
            .await
            .with_context(|| format!("opening {url}"))
    }

    /// The current URL's path, e.g. `/sources`.
    pub async fn path(&self) -> Result<String> {
        Ok(self.client.current_url().await?.path().to_owned())
    }

    /// Waits up to [`DEFAULT_TIMEOUT`] for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.wait_for_within(css, DEFAULT_TIMEOUT).await
    }

    /// Waits up to `timeout` for an element matching `css`.
    pub async fn wait_for_within(&self, css: &str, timeout: Duration) -> Result<Element> {
        self.client
            .wait()
            .at_most(timeout)
            .every(Duration::from_millis(50))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting {timeout:?} for `{css}`"))
    }

    /// Waits until the path is `path` (client-side navigation included).
    pub async fn wait_for_path(&self, path: &str) -> Result<()> {
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        loop {
            let current = self.path().await?;
            if current == path {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("still at {current} after {DEFAULT_TIMEOUT:?}, expected {path}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the path starts with `prefix`; returns the path.
    pub async fn wait_for_path_prefix(&self, prefix: &str) -> Result<String> {
        let deadline = Instant::now() + DEFAULT_TIMEOUT;
        loop {
            let current = self.path().await?;
            if current.starts_with(prefix) {
                return Ok(current);
            }
            if Instant::now() > deadline {
                bail!("still at {current} after {DEFAULT_TIMEOUT:?}, expected {prefix}…");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits up to `timeout` until the text of the element matching `css` contains `needle`;
    /// returns that text.
    pub async fn wait_for_text(
        &self,
        css: &str,
        needle: &str,
        timeout: Duration,
    ) -> Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            // The element may be re-rendered between finding and reading it.
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                bail!("`{css}` did not show {needle:?} within {timeout:?}; it shows {text:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Picks the option labelled `label` of the `<select>` matching `css`.
    pub async fn select_label(&self, css: &str, label: &str) -> Result<()> {
        let select = self.wait_for(css).await?;
        select
            .select_by_label(label)
            .await
            .with_context(|| format!("picking {label:?} in `{css}`"))
    }

    /// Replaces the value of the input matching `css` with `text`.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let input = self.wait_for(css).await?;
        input
            .clear()
            .await
            .with_context(|| format!("clearing `{css}`"))?;
        input
            .send_keys(text)
            .await
            .with_context(|| format!("typing into `{css}`"))
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) -> Result<()> {
        let element = self.wait_for(css).await?;
        element
            .click()
            .await
            .with_context(|| format!("clicking `{css}`"))
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> Result<String> {
        let element = self.wait_for(css).await?;
        element
            .text()
            .await
            .with_context(|| format!("reading `{css}`"))
    }

    /// How many elements match `css` right now (no waiting).
    pub async fn count(&self, css: &str) -> Result<usize> {
        Ok(self.client.find_all(Locator::Css(css)).await?.len())
    }

    /// Saves a PNG of the window to `tests/artifacts/<name>.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(format!("{name}.png"));
        let png = self
            .client
            .screenshot()
            .await
            .context("taking a screenshot")?;
        std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    /// A screenshot for the README: written to `docs/screenshots/<name>.png` when
    /// `SB_WRITE_SCREENSHOTS` is set, else to `tests/artifacts/` like [`Self::screenshot`].
    pub async fn screenshot_for_docs(&self, name: &str) -> Result<PathBuf> {
        if std::env::var_os("SB_WRITE_SCREENSHOTS").is_none() {
            return self.screenshot(name).await;
        }
        let dir = crate::workspace_root().join("docs").join("screenshots");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let path = dir.join(format!("{name}.png"));
        // From the top of the page, where a reader starts.
        self.client
            .execute("window.scrollTo(0, 0);", vec![])
            .await
            .context("scrolling to the top")?;
        let png = self
            .client
            .screenshot()
            .await
            .context("taking a screenshot")?;
        std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    /// Passes `result` through; on an error, first saves a screenshot named `name` and adds
    /// its path to the error.
    pub async fn screenshot_on_error<T>(&self, name: &str, result: Result<T>) -> Result<T> {
        match result {
            Ok(value) => Ok(value),
            Err(error) => match self.screenshot(name).await {
                Ok(path) => Err(error.context(format!("screenshot: {}", path.display()))),
                Err(shot) => Err(error.context(format!("no screenshot ({shot:#})"))),
            },
        }
    }

    /// Ends the session (closing Chromium) and stops chromedriver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        drop(self);
    }
}

/// The chromedriver child, in a process group of its own so that Chromium dies with it.
struct Driver {
    child: Child,
    port: u16,
    /// Chromium's `--user-data-dir` (and chromedriver's log), removed on drop.
    profile: PathBuf,
}

impl Driver {
    fn spawn() -> Result<Self> {
        if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
            bail!("{CHROMEDRIVER} and {CHROMIUM} are needed (cargo xtask test installs them)");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let profile =
            std::env::temp_dir().join(format!("switchboard-chromium-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&profile)?;
        let log = std::fs::File::create(profile.join("chromedriver.log"))?;
        let mut command = Command::new(CHROMEDRIVER);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .with_context(|| format!("starting {CHROMEDRIVER}"))?;
        Ok(Self {
            child,
            port,
            profile,
        })
    }

    async fn wait_until_listening(&self, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            if Instant::now() > deadline {
                bail!(
                    "chromedriver did not listen on port {} within {timeout:?}",
                    self.port
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group (chromedriver and the Chromium it started): its id is chromedriver's.
        // Keep `-s KILL --`: procps-ng 4.0.2 (Debian 12) turns `kill -KILL -<pgid>` into
        // kill(-1, SIGKILL), which kills every process the user may signal.
        #[cfg(unix)]
        if self.child.id() > 1 {
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{}", self.child.id())])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
