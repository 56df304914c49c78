//! The web app in a real headless Chromium, against a server started here, clicked through
//! as a person would. A failure saves a screenshot under tests/artifacts/.
//!
//! - here: logging in and out, session expiry, Sync now on the list;
//! - `source_flow`: adding a source, testing it, Save and sync now, the job finishing live,
//!   its log filtered by level;
//! - `tree`: the source view (tree, paging, search, detail pane) and editing filters;
//! - `linking`: recommendations, Use, Sync fields, Unlink, link by search, Create service;
//! - `dictionary`: type, field and value mappings;
//! - `services`: services and customers, a service's fields, links and history;
//! - `settings`: users and API tokens;
//! - `tickets`: the live ticket board, a ticket's status changed;
//! - `plans`: a plan reviewed and applied, its job undone, a rule added, the reconciliation
//!   report and the activity chart.
//!
//! `SB_WRITE_SCREENSHOTS=1` writes the README's screenshots to docs/screenshots/.

mod dictionary;
mod linking;
mod plans;
mod services;
mod settings;
mod source_flow;
mod tickets;
mod tree;

use std::time::Duration;

use entity::enums::Role;
use serde_json::json;
use server::sync::worker::{Outcome, Worker};
use tests::browser::Browser;
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::{workspace_root, DbKind, Session, TestApp};

/// A server for the built web app.
pub(crate) async fn web_app() -> TestApp {
    assert!(
        workspace_root().join("web/dist/index.html").exists(),
        "build the web app first: cargo xtask web (cargo xtask test does)"
    );
    TestApp::spawn(DbKind::Sqlite).await
}

/// Log in (a wrong password first), see the sources, survive a reload, get sent back to the
/// login page when the stored session is no longer valid, log out; at desktop and phone widths.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_logs_in_sees_sources_and_logs_out() {
    let app = web_app().await;
    let admin = app.login_as("Acme", Role::Admin).await;
    app.create_cw_source(&admin, "Main ConnectWise").await;
    let browser = Browser::start().await.expect("headless Chromium");
    let base = app.base_url.clone();
    let result = async {
        browser.goto(&format!("{base}/")).await?;
        browser.wait_for_path("/login").await?;
        browser
            .fill("[data-testid=login-email]", &admin.email)
            .await?;
        browser
            .fill("[data-testid=login-password]", "not my password")
            .await?;
        browser.click("[data-testid=login-submit]").await?;
        browser.wait_for("[data-testid=login-error]").await?;
        let error = browser.text("[data-testid=login-error]").await?;
        anyhow::ensure!(
            error.contains("Wrong email or password"),
            "login error said {error:?}"
        );

        browser
            .fill("[data-testid=login-password]", &admin.password)
            .await?;
        browser.click("[data-testid=login-submit]").await?;
        browser.wait_for_path("/sources").await?;
        browser.wait_for("[data-testid=source-row]").await?;
        anyhow::ensure!(
            browser.count("[data-testid=source-row]").await? == 1,
            "one source row"
        );
        let table = browser.text("[data-testid=sources-table]").await?;
        anyhow::ensure!(table.contains("Main ConnectWise"), "table shows {table:?}");
        let email = browser.text("[data-testid=viewer-email]").await?;
        anyhow::ensure!(email.contains(&admin.email), "nav shows {email:?}");
        browser.screenshot("sources-1280").await?;

        // A reload keeps the session.
        browser.goto(&format!("{base}/sources")).await?;
        browser.wait_for("[data-testid=source-row]").await?;

        // Phone width: the list is still there.
        browser.client().set_window_size(390, 844).await?;
        browser.wait_for("[data-testid=source-row]").await?;
        browser.screenshot("sources-390").await?;
        browser.client().set_window_size(1280, 900).await?;

        // A stored token the server no longer accepts: back to the login page, no stack trace.
        let stored = json!({"token": "expired.or.revoked", "expires_at": "2999-01-01T00:00:00Z"})
            .to_string();
        browser
            .client()
            .execute(
                "localStorage.setItem('switchboard.session', arguments[0]);",
                vec![json!(stored)],
            )
            .await?;
        browser.goto(&format!("{base}/sources")).await?;
        browser.wait_for_path("/login").await?;

        // Log in again and log out.
        log_in(&browser, &admin).await?;
        browser.wait_for("[data-testid=nav-logout]").await?;
        browser.click("[data-testid=nav-logout]").await?;
        browser.wait_for_path("/login").await?;
        anyhow::Ok(())
    }
    .await;
    let outcome = browser.screenshot_on_error("login_flow", result).await;
    browser.close().await;
    outcome.expect("the login flow");
}

/// "Sync now" on a source pointing at the ConnectWise fake: the row shows the sync under way,
/// then its outcome, without a reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_syncs_a_source_and_sees_it_finish() {
    let app = web_app().await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let input = json!({"input": {"name": "Fake ConnectWise", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    app.ok(&admin, tests::gql::CREATE_SOURCE, input).await;
    // The test's server runs no workers of its own: one here takes the job once it is queued.
    let state = app.state.clone();
    let worker = tokio::spawn(async move {
        let worker = Worker::new(state, 0);
        loop {
            if let Ok(Outcome::Ran(_)) = worker.try_run_next().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let browser = Browser::start().await.expect("headless Chromium");
    let base = app.base_url.clone();
    let result = async {
        browser.goto(&format!("{base}/login")).await?;
        log_in(&browser, &admin).await?;
        browser.wait_for("[data-testid=source-row]").await?;
        let row = browser.text("[data-testid=source-row]").await?;
        anyhow::ensure!(row.contains("Never synced"), "before: {row:?}");
        browser.click("[data-testid=sync-now]").await?;
        // The page looks again each second while the job is queued or running.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let row = browser.text("[data-testid=source-row]").await?;
            if row.contains("Succeeded") {
                break;
            }
            anyhow::ensure!(
                tokio::time::Instant::now() < deadline,
                "the row never showed the outcome: {row:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        browser.screenshot("synced-1280").await?;
        anyhow::Ok(())
    }
    .await;
    let outcome = browser.screenshot_on_error("sync_now", result).await;
    browser.close().await;
    worker.abort();
    outcome.expect("sync now");
}

/// Runs queued jobs with one worker of its own (the test's server runs none) until aborted.
pub(crate) fn run_jobs(app: &TestApp) -> tokio::task::JoinHandle<()> {
    let state = app.state.clone();
    tokio::spawn(async move {
        let worker = Worker::new(state, 0);
        loop {
            if !matches!(worker.try_run_next().await, Ok(Outcome::Ran(_))) {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    })
}

/// Fills the login form as `person` and submits it.
pub(crate) async fn log_in(browser: &Browser, person: &Session) -> anyhow::Result<()> {
    browser
        .fill("[data-testid=login-email]", &person.email)
        .await?;
    browser
        .fill("[data-testid=login-password]", &person.password)
        .await?;
    browser.click("[data-testid=login-submit]").await
}
