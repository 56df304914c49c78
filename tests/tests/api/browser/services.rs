//! Services and customers as a person reads them: the list from the nav, search, one
//! service's fields, links and history (origin and actor), and a customer's services.

use std::time::Duration;

use entity::enums::Role;
use serde_json::json;
use tests::browser::Browser;

use super::{log_in, web_app};
use crate::links::{customer, node, service, service_type, LINK};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_finds_a_service_and_reads_its_fields_links_and_history() {
    let app = web_app().await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let fields = json!([{"key": "speed", "label": "Speed (Mbit/s)", "dataType": "NUMBER"}]);
    let st = service_type(&app, &admin, "Internet", fields).await;
    let acme = customer(&app, &admin, "Acme Corp").await;
    let beta = customer(&app, &admin, "Beta Ltd").await;
    let fibre = service(
        &app,
        &admin,
        &acme,
        &st,
        "Fibre 1000",
        json!({"speed": 500}),
    )
    .await;
    service(
        &app,
        &admin,
        &acme,
        &st,
        "Backup line",
        json!({"speed": 20}),
    )
    .await;
    service(
        &app,
        &admin,
        &beta,
        &st,
        "Beta office line",
        json!({"speed": 100}),
    )
    .await;
    let update =
        "mutation($id: ID!, $f: JSON!) { updateServiceFields(serviceId: $id, fields: $f) { id } }";
    app.ok(&admin, update, json!({"id": fibre, "f": {"speed": 1000}}))
        .await;
    let source = app.create_cw_source(&admin, "Main ConnectWise").await;
    let company = node(&app, &source, "Company", "1", "Acme HQ", None, json!({})).await;
    app.ok(&admin, LINK, json!({"n": company, "s": fibre}))
        .await;

    let browser = Browser::start().await.expect("headless Chromium");
    let base = app.base_url.clone();
    let result = async {
        browser.goto(&format!("{base}/login")).await?;
        log_in(&browser, &admin).await?;
        browser.click("nav a[href='/services']").await?;
        browser.wait_for("[data-testid=service-row]").await?;
        anyhow::ensure!(
            browser.count("[data-testid=service-row]").await? == 3,
            "three services"
        );
        browser.fill("[data-testid=list-search]", "Fibre").await?;
        browser.click("[data-testid=list-search-submit]").await?;
        browser
            .wait_for_text("[data-testid=list-count]", "1 of 1", WAIT)
            .await?;
        browser.click("[data-testid=service-link]").await?;
        browser
            .wait_for_text("[data-testid=service-title]", "Fibre 1000", WAIT)
            .await?;
        let fields = browser.text("[data-testid=service-fields]").await?;
        anyhow::ensure!(fields.contains("1000"), "fields {fields:?}");
        let links = browser.text("[data-testid=service-links]").await?;
        anyhow::ensure!(
            links.contains("Acme HQ") && links.contains("Main ConnectWise"),
            "links {links:?}"
        );
        let history = browser
            .wait_for_text("[data-testid=service-history]", "1000", WAIT)
            .await?;
        anyhow::ensure!(
            history.contains("User") && history.contains(&admin.email),
            "history {history:?}"
        );
        browser.screenshot_for_docs("service").await?;

        // A customer's services.
        browser.click("nav a[href='/services']").await?;
        browser.click("[data-testid=tab-customers]").await?;
        browser
            .wait_for_text("[data-testid=customers-table]", "Acme Corp", WAIT)
            .await?;
        browser.fill("[data-testid=list-search]", "Beta").await?;
        browser.click("[data-testid=list-search-submit]").await?;
        browser
            .wait_for_text("[data-testid=list-count]", "1 of 1", WAIT)
            .await?;
        browser.click("[data-testid=customer-link]").await?;
        browser
            .wait_for_text("[data-testid=customer-filter]", "Beta Ltd", WAIT)
            .await?;
        browser
            .wait_for_text("[data-testid=list-count]", "1 of 1", WAIT)
            .await?;
        let table = browser.text("[data-testid=services-table]").await?;
        anyhow::ensure!(table.contains("Beta office line"), "table {table:?}");
        anyhow::Ok(())
    }
    .await;
    let outcome = browser.screenshot_on_error("services", result).await;
    browser.close().await;
    outcome.expect("services and customers");
}
