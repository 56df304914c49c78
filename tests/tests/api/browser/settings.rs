//! Settings as an admin uses them: the users, a user added (a short password refused under
//! its input first), an API token created (its secret shown once, and it works) and revoked
//! (and it stops working).

use std::time::Duration;

use entity::enums::Role;
use serde_json::json;
use tests::browser::Browser;

use super::{log_in, web_app};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_user_and_creates_and_revokes_a_token() {
    let app = web_app().await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let browser = Browser::start().await.expect("headless Chromium");
    let base = app.base_url.clone();
    let mut secret = String::new();
    let result = async {
        browser.goto(&format!("{base}/login")).await?;
        log_in(&browser, &admin).await?;
        browser.click("nav a[href='/settings']").await?;
        browser
            .wait_for_text("[data-testid=users-table]", &admin.email, WAIT)
            .await?;

        browser
            .fill("[data-testid=user-name]", "Olga Operator")
            .await?;
        browser
            .fill("[data-testid=user-email]", "olga@acme.example")
            .await?;
        browser.fill("[data-testid=user-password]", "short").await?;
        browser
            .select_label("[data-testid=user-role]", "Operator")
            .await?;
        browser.click("[data-testid=add-user-submit]").await?;
        browser
            .wait_for_text("#user-password-error", "8 characters", WAIT)
            .await?;
        browser
            .fill("[data-testid=user-password]", "long enough secret")
            .await?;
        browser.click("[data-testid=add-user-submit]").await?;
        browser.wait_for("[data-testid=user-added]").await?;
        let users = browser
            .wait_for_text("[data-testid=users-table]", "olga@acme.example", WAIT)
            .await?;
        anyhow::ensure!(users.contains("Operator"), "users {users:?}");

        browser
            .fill("[data-testid=token-name]", "nightly-export")
            .await?;
        browser
            .select_label("[data-testid=token-role]", "Viewer")
            .await?;
        browser.click("[data-testid=create-token-submit]").await?;
        secret = browser.text("[data-testid=token-secret]").await?;
        anyhow::ensure!(secret.starts_with("sbt_"), "secret {secret:?}");
        browser
            .wait_for_text("[data-testid=tokens-table]", "nightly-export", WAIT)
            .await?;
        browser.screenshot_for_docs("settings").await?;
        let works = app
            .gql(Some(&secret), "{ viewer { role } }", json!({}))
            .await;
        anyhow::ensure!(works["data"]["viewer"]["role"] == "VIEWER", "{works}");

        browser.click("[data-testid=revoke-token]").await?;
        browser.click("[data-testid=confirm-revoke]").await?;
        browser
            .wait_for_text("[data-testid=token-status]", "Revoked", WAIT)
            .await?;
        anyhow::Ok(())
    }
    .await;
    let outcome = browser.screenshot_on_error("settings", result).await;
    browser.close().await;
    outcome.expect("users and tokens");
    let refused = app
        .gql(Some(&secret), "{ viewer { role } }", json!({}))
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    let login = app.login("olga@acme.example", "long enough secret").await;
    assert!(!login.is_empty());
}
