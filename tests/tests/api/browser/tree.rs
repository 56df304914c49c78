//! The source view as a person uses it: roots paged with "Show more", a node opened to load
//! its children, a child's detail pane, search; then the source's filters edited.

use std::time::Duration;

use entity::enums::Role;
use serde_json::json;
use tests::browser::Browser;
use tests::fakes::connectwise::{Config, ConnectWiseFake};

use super::{log_in, web_app};

/// The tree's top level (roots), not the children of opened nodes.
const ROOTS: &str = "[data-testid=tree] > ul > li";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_browses_a_source_searches_and_edits_its_filters() {
    let app = web_app().await;
    let admin = app.login_as("Acme", Role::Admin).await;
    // More companies than one page of roots (50).
    let fake = ConnectWiseFake::start(Config {
        companies: 60,
        ..Config::default()
    })
    .await;
    let input = json!({"input": {"name": "Fake ConnectWise", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let source = app.ok(&admin, tests::gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let job = tests::sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");

    let browser = Browser::start().await.expect("headless Chromium");
    let base = app.base_url.clone();
    let result = async {
        browser.goto(&format!("{base}/login")).await?;
        log_in(&browser, &admin).await?;
        browser.click("[data-testid=source-link]").await?;
        browser.wait_for_path(&format!("/sources/{source}")).await?;
        browser.wait_for(ROOTS).await?;
        anyhow::ensure!(browser.count(ROOTS).await? == 50, "one page of roots");
        let more = browser.text("[data-testid=tree-more]").await?;
        anyhow::ensure!(more.contains("more"), "more button: {more:?}");
        browser.click("[data-testid=tree-more]").await?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while browser.count(ROOTS).await? <= 50 {
            anyhow::ensure!(tokio::time::Instant::now() < deadline, "no second page");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        // Open the first company: its children load, one of them opens in the detail pane.
        browser.click("[data-testid=tree-toggle]").await?;
        let child = format!("{ROOTS} li [data-testid=tree-node-name]");
        browser.wait_for(&child).await?;
        browser.click(&child).await?;
        browser.wait_for("[data-testid=node-detail]").await?;
        let kind = browser.text("[data-testid=detail-type]").await?;
        anyhow::ensure!(!kind.is_empty(), "the detail shows a type");
        browser.wait_for("[data-testid=detail-fields]").await?;
        browser.screenshot_for_docs("tree-detail").await?;

        // Search by name.
        browser
            .fill("[data-testid=node-search]", "Company 0000007")
            .await?;
        browser.click("[data-testid=node-search-submit]").await?;
        browser
            .wait_for_text(
                "[data-testid=search-count]",
                "1 found",
                Duration::from_secs(10),
            )
            .await?;
        browser.click("[data-testid=tree-node-name]").await?;
        browser
            .wait_for_text(
                "[data-testid=detail-name]",
                "Company 0000007",
                Duration::from_secs(10),
            )
            .await?;
        let external = browser.text("[data-testid=detail-external-id]").await?;
        anyhow::ensure!(external == "7", "external id {external:?}");

        // At phone width the view still works.
        browser.client().set_window_size(390, 844).await?;
        browser.wait_for("[data-testid=node-detail]").await?;
        browser.screenshot("tree-390").await?;
        browser.client().set_window_size(1280, 900).await?;

        // Edit the filters: only active companies.
        browser
            .goto(&format!("{base}/sources/{source}/edit"))
            .await?;
        let active = "[data-testid=filter-company-statuses] input[value=Active]";
        browser.click(active).await?;
        browser.click("[data-testid=save-source]").await?;
        browser.wait_for_path("/sources").await?;
        anyhow::Ok(())
    }
    .await;
    let outcome = browser.screenshot_on_error("tree", result).await;
    browser.close().await;
    outcome.expect("browsing and editing a source");
    let data = app
        .ok(
            &admin,
            "query($id: ID!) { source(id: $id) { hasCredentials settings { companyStatuses } } }",
            json!({"id": source}),
        )
        .await;
    assert_eq!(
        data["source"]["settings"]["companyStatuses"],
        json!(["Active"])
    );
    assert_eq!(data["source"]["hasCredentials"], true, "credentials kept");
}
