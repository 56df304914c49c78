//! Plans, undo, rules, reconciliation and activity as a person uses them, on the plans' world
//! (a ConnectWise source, companies mapped to an Account service type, three linked): review
//! a plan and apply it, undo the job, add a rule (a bad condition first, its error beside it),
//! and read the reconciliation report and the activity chart.

use std::time::Duration;

use serde_json::json;
use tests::browser::Browser;

use super::{log_in, web_app};
use crate::plans::world::world;

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_reviews_and_applies_a_plan_undoes_it_adds_a_rule_and_reads_the_report() {
    let app = web_app().await;
    let w = world(&app, 4, 3).await;
    let browser = Browser::start().await.expect("headless Chromium");
    let base = app.base_url.clone();
    let source_page = format!("{base}/sources/{}", w.source);
    let result = async {
        browser.goto(&format!("{base}/login")).await?;
        log_in(&browser, &w.operator).await?;
        browser.wait_for_path("/sources").await?;

        // Plan: three linked companies, two mapped fields each.
        browser.goto(&source_page).await?;
        browser.click("[data-testid=view-plan]").await?;
        browser.wait_for_path_prefix("/plans/").await?;
        browser
            .wait_for_text("[data-testid=plan-total]", "6 changes", WAIT)
            .await?;
        anyhow::ensure!(
            browser.count("[data-testid=plan-change]").await? == 6,
            "six rows"
        );
        let table = browser.text("[data-testid=plan-changes]").await?;
        anyhow::ensure!(table.contains("8135550002"), "plan shows {table:?}");
        browser.screenshot_for_docs("plan-review").await?;
        browser.click("[data-testid=apply-plan]").await?;
        let applied = browser.wait_for_path_prefix("/jobs/").await?;
        browser
            .wait_for_text("[data-testid=job-status]", "Succeeded", WAIT)
            .await?;

        // Undo it: a new UNDO job; the applied one says it was undone.
        browser.click("[data-testid=undo-job]").await?;
        browser.click("[data-testid=confirm-undo]").await?;
        let deadline = tokio::time::Instant::now() + WAIT;
        while browser.path().await? == applied {
            anyhow::ensure!(tokio::time::Instant::now() < deadline, "no undo job");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        browser
            .wait_for_text("[data-testid=job-status]", "Succeeded", WAIT)
            .await?;
        browser.goto(&format!("{base}{applied}")).await?;
        browser.wait_for("[data-testid=undone-by]").await?;

        // A rule: a condition with an unknown operator is refused next to the condition.
        browser.goto(&source_page).await?;
        browser.click("[data-testid=view-rules]").await?;
        browser.wait_for("[data-testid=no-rules]").await?;
        browser
            .fill("[data-testid=rule-name-input]", "Skip test companies")
            .await?;
        browser
            .select_label("[data-testid=rule-node-type]", "Company")
            .await?;
        browser
            .fill(
                "[data-testid=rule-condition]",
                r#"{"all": [{"field": "name", "op": "like", "value": "Test"}]}"#,
            )
            .await?;
        browser.click("[data-testid=rule-save]").await?;
        browser
            .wait_for_text("[data-testid=rule-condition-error]", "op", WAIT)
            .await?;
        browser
            .fill(
                "[data-testid=rule-condition]",
                r#"{"all": [{"field": "name", "op": "contains", "value": "Test"}]}"#,
            )
            .await?;
        browser.click("[data-testid=rule-save]").await?;
        browser
            .wait_for_text("[data-testid=rule-name]", "1. Skip test companies", WAIT)
            .await?;
        browser.screenshot_for_docs("rules").await?;
        anyhow::Ok(())
    }
    .await;
    let result = match result {
        Ok(()) => {
            // Company 2 deleted upstream: one link is now orphaned.
            w.fake.faults.delete("companies/2");
            w.import(&app).await;
            async {
                browser.goto(&source_page).await?;
                browser.click("[data-testid=view-report]").await?;
                browser
                    .wait_for_text("[data-testid=report-orphaned]", "(1)", WAIT)
                    .await?;
                let unlinked = browser.text("[data-testid=report-unlinked]").await?;
                anyhow::ensure!(unlinked.contains("(1)"), "unlinked: {unlinked:?}");
                let out = browser.text("[data-testid=report-out-of-sync]").await?;
                anyhow::ensure!(out.contains("(2)"), "out of sync: {out:?}");
                let unmapped = browser.text("[data-testid=report-unmapped]").await?;
                anyhow::ensure!(unmapped.contains("Contact"), "unmapped: {unmapped:?}");
                browser.wait_for("[data-testid=activity-bar]").await?;
                let totals = browser.text("[data-testid=activity]").await?;
                anyhow::ensure!(totals.contains("Values synced: 6"), "activity: {totals:?}");
                browser.screenshot_for_docs("reconciliation").await?;
                anyhow::Ok(())
            }
            .await
        }
        Err(e) => Err(e),
    };
    let outcome = browser.screenshot_on_error("plans", result).await;
    browser.close().await;
    outcome.expect("plans, undo, rules and the report");
    let rules = app
        .ok(
            &w.operator,
            "query($s: ID!) { source(id: $s) { rules { name nodeType condition } } }",
            json!({"s": w.source}),
        )
        .await;
    assert_eq!(
        rules["source"]["rules"][0]["condition"]["all"][0]["op"],
        "contains"
    );
}
