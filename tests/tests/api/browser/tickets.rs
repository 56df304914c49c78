//! The ticket board as a person uses it: a ConnectWise source's tickets, a ticket created
//! upstream appearing live (ConnectWise's callback → `ticketEvents` over graphql-ws), opening
//! it and changing its status.

use std::time::Duration;

use entity::enums::Role;
use serde_json::json;
use tests::browser::Browser;

use super::{log_in, web_app};
use crate::tickets::{cw_source, CREATE, TICKET};

const WAIT: Duration = Duration::from_secs(10);
const FIRST_ROW: &str = "[data-testid=ticket-board-table] tbody tr:first-child";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_appears_live_on_the_board_and_its_status_is_changed() {
    let app = web_app().await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let (fake, source) = cw_source(&app, &admin).await;
    let url = app
        .ok(
            &admin,
            "query($id: ID!) { source(id: $id) { webhookUrl } }",
            json!({"id": source}),
        )
        .await["source"]["webhookUrl"]
        .as_str()
        .expect("a webhook URL")
        .to_owned();

    let browser = Browser::start().await.expect("headless Chromium");
    let base = app.base_url.clone();
    let mut created = String::new();
    let result = async {
        browser.goto(&format!("{base}/login")).await?;
        log_in(&browser, &admin).await?;
        browser.wait_for_path("/sources").await?;
        browser.click("a[href='/tickets']").await?;
        browser
            .wait_for_text("[data-testid=ticket-count]", "40 tickets", WAIT)
            .await?;
        browser.wait_for(".live.on").await?;

        // Made in ConnectWise by someone else; its callback reaches the server.
        let vars = json!({"s": source, "i": {"summary": "Phones down in Tampa", "companyExternalId": "3", "boardExternalId": "1"}});
        created = app.ok(&admin, CREATE, vars).await["createTicket"]["externalId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let callbacks = fake.callbacks();
        let id: u64 = created.parse()?;
        let added = callbacks.body("ticket", "added", id, Some(&json!({"id": id})));
        anyhow::ensure!(callbacks.post(&url, &added).await == 204, "callback refused");
        let row = browser
            .wait_for_text(FIRST_ROW, "Phones down in Tampa", WAIT)
            .await?;
        anyhow::ensure!(row.contains("New"), "the live ticket is marked new: {row:?}");

        // Open it and move it on.
        browser
            .click(&format!("{FIRST_ROW} [data-testid=ticket-open]"))
            .await?;
        browser
            .wait_for_text("[data-testid=ticket-title]", "Phones down in Tampa", WAIT)
            .await?;
        browser
            .select_label("[data-testid=ticket-status-select]", "In Progress")
            .await?;
        browser.click("[data-testid=ticket-save]").await?;
        browser
            .wait_for_text(
                &format!("{FIRST_ROW} [data-testid=ticket-status]"),
                "In Progress",
                WAIT,
            )
            .await?;
        browser.screenshot_for_docs("tickets").await?;

        // Phone width: the board is still there, one card per ticket.
        browser.client().set_window_size(390, 844).await?;
        browser.wait_for(FIRST_ROW).await?;
        browser.screenshot("tickets-390").await?;
        browser.client().set_window_size(1280, 900).await?;
        anyhow::Ok(())
    }
    .await;
    let outcome = browser.screenshot_on_error("tickets", result).await;
    browser.close().await;
    outcome.expect("the live ticket board");
    let data = app
        .ok(&admin, TICKET, json!({"s": source, "e": created}))
        .await;
    assert_eq!(data["ticket"]["status"]["name"], "In Progress", "{data}");
}
