//! The dictionary screen as a person uses it: reached from the nav, a type mapping added, a
//! field mapping added, turned both ways and disabled, value mappings chosen for an imported
//! source, the field mapping deleted. The API then reads what the page saved.

use std::time::Duration;

use entity::enums::Role;
use serde_json::{json, Value};
use tests::browser::Browser;
use tests::{Session, TestApp};

use super::{log_in, web_app};
use crate::dictionary_values::imported_cw;
use crate::links::service_type;

const MAPPINGS: &str = "{ typeMappings { nodeType serviceType { name } fieldMappings { nodeField direction enabled } } }";

/// Reads the API until `check` holds for what `query` answers (the page saves in the
/// background), or fails after ten seconds.
async fn until(
    app: &TestApp,
    who: &Session,
    query: &str,
    vars: Value,
    check: impl Fn(&Value) -> bool,
) -> anyhow::Result<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let data = app.ok(who, query, vars.clone()).await;
        if check(&data) {
            return Ok(data);
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "the API never showed it: {data}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_maps_types_fields_and_values_in_the_dictionary() {
    let app = web_app().await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let (_fake, source) = imported_cw(&app, &admin, 5).await;
    let fields = json!([{"key": "serial", "label": "Serial number", "dataType": "TEXT"}]);
    service_type(&app, &admin, "Managed device", fields).await;
    let internal = "mutation { setInternalValues(kind: HARDWARE_TYPE, values: [\"Desktop\", \"Laptop\", \"Server\"]) }";
    app.ok(&admin, internal, json!({})).await;

    let browser = Browser::start().await.expect("headless Chromium");
    let base = app.base_url.clone();
    let result = async {
        browser.goto(&format!("{base}/login")).await?;
        log_in(&browser, &admin).await?;
        browser.click("nav a[href='/dictionary']").await?;
        browser.wait_for("[data-testid=no-type-mappings]").await?;
        browser
            .select_label("[data-testid=new-mapping-provider]", "ConnectWise Manage")
            .await?;
        browser
            .select_label("[data-testid=new-mapping-node-type]", "Configuration")
            .await?;
        browser.click("[data-testid=add-type-mapping-submit]").await?;
        let title = browser
            .wait_for_text("[data-testid=type-mapping-title]", "Configuration", Duration::from_secs(10))
            .await?;
        anyhow::ensure!(title.contains("Managed device"), "title {title:?}");

        browser
            .fill("[data-testid=new-field-node]", "serialNumber")
            .await?;
        browser.click("[data-testid=add-field-mapping-submit]").await?;
        browser.wait_for("[data-testid=field-mapping]").await?;
        browser
            .select_label("[data-testid=field-direction]", "Both ways")
            .await?;
        until(&app, &admin, MAPPINGS, json!({}), |d| {
            d["typeMappings"][0]["fieldMappings"][0]["direction"] == "BOTH"
        })
        .await?;
        browser.click("[data-testid=field-enabled]").await?;
        until(&app, &admin, MAPPINGS, json!({}), |d| {
            d["typeMappings"][0]["fieldMappings"][0]["enabled"] == false
        })
        .await?;

        // Hardware types of the imported source: the first one not synced, the second mapped.
        browser
            .select_label("[data-testid=value-kind]", "Hardware type")
            .await?;
        browser
            .wait_for_text("[data-testid=value-mappings]", "Laptop", Duration::from_secs(10))
            .await?;
        let first = "[data-testid=value-row]:nth-child(1) [data-testid=value-choice]";
        let second = "[data-testid=value-row]:nth-child(2) [data-testid=value-choice]";
        // WebDriver cannot look a label with an apostrophe up: "Don't sync" (the second
        // option) is picked by script, with the change event a person's pick fires.
        browser
            .client()
            .execute(
                "const s = document.querySelector(arguments[0]); s.selectedIndex = 1; s.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![json!(first)],
            )
            .await?;
        let values = "query($s: ID!) { valueMappings(sourceId: $s) { externalName internalValue } }";
        until(&app, &admin, values, json!({"s": source}), |d| {
            d["valueMappings"].as_array().is_some_and(|m| m.len() == 1)
        })
        .await?;
        browser.select_label(second, "Laptop").await?;
        let saved = until(&app, &admin, values, json!({"s": source}), |d| {
            d["valueMappings"].as_array().is_some_and(|m| m.len() == 2)
        })
        .await?;
        let mut pairs: Vec<String> = saved["valueMappings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|m| format!("{} = {}", m["externalName"], m["internalValue"]))
            .collect();
        pairs.sort();
        anyhow::ensure!(
            pairs == ["\"Firewall\" = null", "\"Laptop\" = \"Laptop\""],
            "saved {pairs:?}"
        );
        browser.screenshot_for_docs("dictionary").await?;

        browser.click("[data-testid=field-delete]").await?;
        until(&app, &admin, MAPPINGS, json!({}), |d| {
            d["typeMappings"][0]["fieldMappings"] == json!([])
        })
        .await?;
        anyhow::Ok(())
    }
    .await;
    let outcome = browser.screenshot_on_error("dictionary", result).await;
    browser.close().await;
    outcome.expect("the dictionary screen");
}
