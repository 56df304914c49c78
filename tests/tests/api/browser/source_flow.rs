//! Adding a source as a person does: the form with ConnectWise's credential fields, an error
//! beside the input that caused it, Test connection, Save and sync now, the job page following
//! the job live to Succeeded, and its log filtered by level.

use std::time::Duration;

use entity::enums::Role;
use serde_json::json;
use tests::browser::Browser;
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::fakes::faults::FaultPlan;

use super::{log_in, run_jobs, web_app};

/// Long enough for an import of the fake's 20 companies on a loaded machine.
const JOB_TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_adds_a_source_tests_it_and_watches_its_first_sync() {
    let app = web_app().await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let browser = Browser::start().await.expect("headless Chromium");
    let base = app.base_url.clone();
    let mut worker = None;
    let result = async {
        // Time to first render: from navigation start to the login form, as the page saw it.
        browser.goto(&format!("{base}/login")).await?;
        browser.wait_for("[data-testid=login-email]").await?;
        let first_render = browser
            .client()
            .execute("return performance.now();", vec![])
            .await?;
        eprintln!("time to first render of /login: {first_render} ms");
        log_in(&browser, &admin).await?;
        browser.wait_for("[data-testid=sources-empty]").await?;
        browser.click("[data-testid=add-source]").await?;
        browser.wait_for_path("/sources/new").await?;

        browser
            .fill("[data-testid=source-name]", "Main ConnectWise")
            .await?;
        browser
            .select_label("[data-testid=source-provider]", "ConnectWise Manage")
            .await?;
        browser
            .fill("[data-testid=source-base-url]", &fake.base_url())
            .await?;
        let credentials = fake.config.credentials();
        for key in ["companyId", "publicKey", "privateKey", "clientId"] {
            let value = credentials[key].as_str().expect("a credential");
            browser
                .fill(&format!("[data-testid=credential-{key}]"), value)
                .await?;
        }
        // A schedule that is no cron expression: the error appears under the schedule.
        browser
            .fill("[data-testid=source-schedule]", "every night")
            .await?;
        browser.click("[data-testid=save-source]").await?;
        let error = browser
            .wait_for_text("#source-schedule-error", "cron", Duration::from_secs(10))
            .await?;
        anyhow::ensure!(error.contains("0 2 * * *"), "schedule error: {error:?}");
        browser
            .fill("[data-testid=source-schedule]", "0 3 * * *")
            .await?;

        browser.click("[data-testid=test-connection]").await?;
        browser.wait_for(".test-ok").await?;
        browser.screenshot_for_docs("add-source").await?;

        browser.click("[data-testid=save-and-sync]").await?;
        let job_path = browser.wait_for_path_prefix("/jobs/").await?;
        browser
            .wait_for_text(
                "[data-testid=job-status]",
                "Queued",
                Duration::from_secs(10),
            )
            .await?;
        // The page is subscribed before the job runs, so what follows arrives live.
        browser.wait_for(".live.on").await?;
        // Slow answers for a moment, to see (and picture) the job running.
        fake.faults.set(FaultPlan {
            delay_ms: 400,
            ..FaultPlan::default()
        });
        worker = Some(run_jobs(&app));
        browser
            .wait_for_text("[data-testid=job-status]", "Running", JOB_TIMEOUT)
            .await?;
        browser.screenshot_for_docs("job-running").await?;
        fake.faults.set(FaultPlan::default());
        browser
            .wait_for_text("[data-testid=job-status]", "Succeeded", JOB_TIMEOUT)
            .await?;
        anyhow::ensure!(browser.path().await? == job_path, "the page stayed put");
        let counts = browser.text("[data-testid=job-counts]").await?;
        anyhow::ensure!(counts.contains("new"), "counts: {counts:?}");
        browser.wait_for("[data-testid=job-coverage]").await?;
        browser.screenshot_for_docs("job-finished").await?;

        // The log, everything, then warnings and errors only, then everything again.
        browser.wait_for("[data-testid=log-line]").await?;
        let all = browser.count("[data-testid=log-line]").await?;
        let all_text = browser.text("[data-testid=log-count]").await?;
        browser
            .select_label("[data-testid=log-level]", "Errors only")
            .await?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let shown = browser.text("[data-testid=log-count]").await?;
            let other = browser
                .count("[data-testid=log-line]:not([data-level=Error])")
                .await?;
            if shown != all_text && other == 0 {
                break;
            }
            anyhow::ensure!(
                tokio::time::Instant::now() < deadline,
                "the level filter did not apply ({shown:?}, {other} other lines)"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        browser
            .select_label("[data-testid=log-level]", "Everything")
            .await?;
        browser
            .wait_for_text(
                "[data-testid=log-count]",
                &all_text,
                Duration::from_secs(10),
            )
            .await?;
        anyhow::ensure!(
            browser.count("[data-testid=log-line]").await? == all,
            "all lines back"
        );

        // The list shows the source with its outcome.
        browser.click("a[href='/jobs']").await?;
        browser.wait_for("[data-testid=job-card]").await?;
        browser.click("a[href='/sources']").await?;
        browser
            .wait_for_text(
                "[data-testid=source-row]",
                "Succeeded",
                Duration::from_secs(10),
            )
            .await?;
        browser.screenshot_for_docs("sources").await?;
        anyhow::Ok(())
    }
    .await;
    let outcome = browser.screenshot_on_error("add_source", result).await;
    browser.close().await;
    if let Some(worker) = worker {
        worker.abort();
    }
    outcome.expect("adding and syncing a source");
    // What the form sent is what the server keeps.
    let data = app
        .ok(
            &admin,
            "{ sources { edges { node { name provider baseUrl settings { schedule } } } } }",
            json!({}),
        )
        .await;
    let node = &data["sources"]["edges"][0]["node"];
    assert_eq!(node["name"], "Main ConnectWise");
    assert_eq!(node["provider"], "CONNECTWISE_MANAGE");
    assert_eq!(node["settings"]["schedule"], "0 3 * * *");
}
