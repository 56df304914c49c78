//! Linking in the source view's detail pane as a person does it: a node's recommendation with
//! its score and reasons, "Use", "Sync fields" with each field's outcome, "Unlink", linking by
//! a service search; and for a node with no match, "Create service".

use std::time::Duration;

use entity::enums::Role;
use serde_json::json;
use tests::browser::Browser;

use super::{log_in, web_app};
use crate::links::{customer, map_type, node, service, service_type};

/// The second root of the tree (roots sort by type, then name).
const SECOND: &str = "[data-testid=tree] > ul > li:nth-child(2) [data-testid=tree-node-name]";
/// The link mark of the first root.
const FIRST_MARK: &str = "[data-testid=tree] > ul > li:nth-child(1) [data-testid=link-mark]";
const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_links_a_node_syncs_its_fields_and_creates_a_service_for_another() {
    let app = web_app().await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "Main ConnectWise").await;
    let fields = json!([{"key": "serial", "label": "Serial number", "dataType": "TEXT"}]);
    let st = service_type(&app, &admin, "Managed device", fields).await;
    map_type(
        &app,
        &admin,
        "Configuration",
        &st,
        &[("serialNumber", "serial")],
    )
    .await;
    let acme = customer(&app, &admin, "Acme Corp").await;
    service(
        &app,
        &admin,
        &acme,
        &st,
        "Core Router",
        json!({"serial": "OLD-1"}),
    )
    .await;
    let router = json!({"name": "Core Router", "serialNumber": "SN-100"});
    node(
        &app,
        &source,
        "Configuration",
        "1",
        "Core Router",
        None,
        router,
    )
    .await;
    let phone = json!({"name": "Zebra Phone", "serialNumber": "ZP-7"});
    node(
        &app,
        &source,
        "Configuration",
        "2",
        "Zebra Phone",
        None,
        phone,
    )
    .await;

    let browser = Browser::start().await.expect("headless Chromium");
    let base = app.base_url.clone();
    let result = async {
        browser.goto(&format!("{base}/login")).await?;
        log_in(&browser, &admin).await?;
        browser.click("[data-testid=source-link]").await?;
        browser.click("[data-testid=tree-node-name]").await?;
        let top = browser
            .wait_for_text("[data-testid=recommendation]", "Name equal", WAIT)
            .await?;
        anyhow::ensure!(top.contains("Core Router"), "recommendation: {top:?}");
        let score = browser.text("[data-testid=recommendation-score]").await?;
        anyhow::ensure!(score == "90%", "score {score:?}");
        browser.screenshot_for_docs("link-recommendations").await?;

        // "Use" links the top one; "Sync fields" writes the node's serial number.
        browser
            .click("[data-testid=recommendation] [data-testid=link-action]")
            .await?;
        browser
            .wait_for_text("[data-testid=detail-link]", "Linked to Core Router", WAIT)
            .await?;
        // The tree's mark follows.
        browser.wait_for_text(FIRST_MARK, "✓", WAIT).await?;
        browser.click("[data-testid=sync-fields]").await?;
        let outcome = browser
            .wait_for_text("[data-testid=field-outcome]", "Synced", WAIT)
            .await?;
        anyhow::ensure!(outcome.contains("SN-100"), "field outcome {outcome:?}");
        browser.screenshot_for_docs("link-field-sync").await?;

        // Unlink, then link again by searching the services.
        browser.click("[data-testid=unlink]").await?;
        browser
            .wait_for_text("[data-testid=detail-link]", "Not linked", WAIT)
            .await?;
        browser.fill("[data-testid=service-search]", "Core").await?;
        browser.click("[data-testid=service-search-submit]").await?;
        browser
            .click("[data-testid=service-result] [data-testid=link-action]")
            .await?;
        browser
            .wait_for_text("[data-testid=detail-link]", "Linked to Core Router", WAIT)
            .await?;

        // Nothing matches the phone: create a service of the mapped type for it.
        browser.click(SECOND).await?;
        browser
            .wait_for_text("[data-testid=no-match]", "No match found", WAIT)
            .await?;
        browser.click("[data-testid=create-service]").await?;
        browser
            .wait_for("[data-testid=create-service-form]")
            .await?;
        browser
            .select_label("[data-testid=new-service-customer]", "Acme Corp")
            .await?;
        browser.click("[data-testid=create-service-submit]").await?;
        browser
            .wait_for_text("[data-testid=detail-link]", "Linked to Zebra Phone", WAIT)
            .await?;
        anyhow::Ok(())
    }
    .await;
    let outcome = browser.screenshot_on_error("linking", result).await;
    browser.close().await;
    outcome.expect("linking in the detail pane");
    // The new service took the phone's mapped serial number.
    let data = app
        .ok(
            &admin,
            "{ services(search: \"Zebra\") { edges { node { serviceType { name } fields { field { key } value } links { node { name } } } } } }",
            json!({}),
        )
        .await;
    let created = &data["services"]["edges"][0]["node"];
    assert_eq!(created["serviceType"]["name"], "Managed device");
    assert_eq!(created["fields"][0]["value"], "ZP-7", "{created}");
    assert_eq!(created["links"][0]["node"]["name"], "Zebra Phone");
}
