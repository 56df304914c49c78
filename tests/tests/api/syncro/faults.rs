//! Syncro imports under faults (docs/CONNECTORS.md §0, §2.2, §4 fault table): each fault class
//! is retried to success or ends PARTIAL with the reason, deleting nothing; a record deleted
//! mid-pass restarts its list rather than be skipped; the per-IP limit is waited out.

use std::time::Duration;

use entity::enums::Role;
use serde_json::Value;
use tests::fakes::faults::FaultPlan;
use tests::fakes::syncro::{Config, SyncroFake};
use tests::{dual_db, TestApp};

use super::{node_count, nodes_of, source_for, sync};

dual_db!(
    faults_retry_to_success_or_end_partial_without_deleting,
    a_record_deleted_mid_pass_restarts_the_list_or_ends_partial,
    a_first_import_that_meets_its_own_records_again_counts_each_once,
    the_per_ip_limit_is_waited_out_or_ends_partial,
    assets_without_meta_are_paged_until_an_empty_page,
);

fn asked(fake: &SyncroFake, uri: &str) -> usize {
    fake.requests().iter().filter(|r| r.uri == uri).count()
}

fn logged(job: &Value, words: &str) -> bool {
    job["logs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["node"]["message"].as_str().unwrap().contains(words))
}

async fn faults_retry_to_success_or_end_partial_without_deleting(app: TestApp) {
    let fake = SyncroFake::start(Config::default()).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake).await;
    // A dropped connection, a 429, a 500 with an HTML page, a truncated body, each answer
    // slowed down: the first request is retried until it works.
    fake.faults.set(FaultPlan {
        resets: 1,
        rate_limited: 1,
        retry_after_seconds: 1,
        server_errors: 1,
        malformed: 1,
        delay_ms: 20,
        ..FaultPlan::default()
    });
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["stats"]["created"], 55);
    assert_eq!(
        asked(&fake, "/api/v1/settings"),
        5,
        "four faults, then the answer"
    );
    // The next 500 has an empty body: retried as well.
    fake.faults.set(FaultPlan {
        server_errors: 1,
        ..FaultPlan::default()
    });
    let empty = sync(&app, &admin, &source).await;
    assert_eq!(empty["status"], "SUCCEEDED", "{empty}");
    assert_eq!(empty["stats"]["unchanged"], 55);

    // A short page while customer 3 is gone upstream: PARTIAL, and nothing is deleted.
    fake.faults.delete("customers/3");
    fake.faults.set(FaultPlan {
        short_pages: 1,
        ..FaultPlan::default()
    });
    let short = sync(&app, &admin, &source).await;
    assert_eq!(short["status"], "PARTIAL", "{short}");
    assert!(
        short["error"]
            .as_str()
            .unwrap()
            .contains("contacts: received 9 of 19"),
        "{short}"
    );
    assert!(logged(&short, "received 9 of 19"), "{short}");
    assert_eq!(short["stats"]["deleted"], 0);
    assert_eq!(node_count(&app, &admin, &source).await, 55);

    // 500s past the retries: PARTIAL with the status, nothing deleted.
    fake.faults.set(FaultPlan {
        server_errors: 10,
        ..FaultPlan::default()
    });
    let down = sync(&app, &admin, &source).await;
    assert_eq!(down["status"], "PARTIAL", "{down}");
    let error = down["error"].as_str().unwrap();
    assert!(
        error.contains("500 Internal Server Error") && !error.contains("<html"),
        "{down}"
    );
    assert!(logged(&down, "nothing was deleted"), "{down}");
    assert_eq!(node_count(&app, &admin, &source).await, 55);

    // Once the provider behaves, a complete pass deletes what went away.
    fake.faults.set(FaultPlan::default());
    let healed = sync(&app, &admin, &source).await;
    assert_eq!(healed["status"], "SUCCEEDED", "{healed}");
    assert_eq!(healed["stats"]["deleted"], 5);
}

async fn a_record_deleted_mid_pass_restarts_the_list_or_ends_partial(app: TestApp) {
    // 30 customers and 60 leads: two pages of customers and contacts, three of leads (churn
    // takes one lead a page, so the list must stay longer than a page throughout).
    let fake = SyncroFake::start(Config {
        customers: 30,
        leads: 60,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake).await;
    // Contact 1 goes once the first contacts page is served: page 2 then reports one entry
    // fewer and the list is read again from page 1, so no survivor is skipped.
    fake.faults.set(FaultPlan {
        delete_mid_pass: vec!["contacts/1".into()],
        ..FaultPlan::default()
    });
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(
        asked(&fake, "/api/v1/contacts?page=1"),
        3,
        "walk, its restart, the pass"
    );
    let contacts = nodes_of(&app, &admin, &source, "Contact").await;
    let mut ids: Vec<u64> = contacts.iter().map(|(id, _)| id.parse().unwrap()).collect();
    ids.sort_unstable();
    // Contact c belongs to customer ⌈c/2⌉; customers 5, 10 … have none.
    let expected: Vec<u64> = (2..=60u64).filter(|c| c.div_ceil(2) % 5 != 0).collect();
    assert_eq!(ids, expected, "every contact but the deleted one");
    let before = node_count(&app, &admin, &source).await;

    // Leads keep disappearing while they are paged: after 3 restarts the list is incomplete,
    // the job PARTIAL, and the leads deleted upstream meanwhile are not deleted here.
    fake.churn("leads", 20);
    let moving = sync(&app, &admin, &source).await;
    assert_eq!(moving["status"], "PARTIAL", "{moving}");
    assert!(
        moving["error"]
            .as_str()
            .unwrap()
            .contains("leads: received"),
        "{moving}"
    );
    assert_eq!(asked(&fake, "/api/v1/leads?page=1"), 1 + 4);
    assert_eq!(moving["stats"]["deleted"], 0);
    assert_eq!(node_count(&app, &admin, &source).await, before);
    assert!(
        fake.requests().len() < 120,
        "{} requests",
        fake.requests().len()
    );
}

async fn a_first_import_that_meets_its_own_records_again_counts_each_once(app: TestApp) {
    // Leads have no walk before the pass: when lead 1 goes after the first page, the pass
    // itself reads the list again from page 1, and so sends records it already wrote into a
    // source that was empty when it began. The writer, which inserts such a source's pages
    // without looking first, meets its own rows and goes on comparing with them instead.
    let fake = SyncroFake::start(Config {
        customers: 30,
        leads: 60,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake).await;
    fake.churn("leads", 1);
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(
        asked(&fake, "/api/v1/leads?page=1"),
        2,
        "the pass and its restart"
    );
    let stored = node_count(&app, &admin, &source).await;
    assert_eq!(
        job["stats"]["created"], stored,
        "each node counted once: {job}"
    );
    assert_eq!(job["stats"]["updated"], 0, "{job}");
    assert_eq!(job["stats"]["unchanged"], 0, "{job}");

    // The next import finds everything as it left it.
    let again = sync(&app, &admin, &source).await;
    assert_eq!(again["status"], "SUCCEEDED", "{again}");
    assert_eq!(again["stats"]["created"], 0, "{again}");
    assert_eq!(again["stats"]["updated"], 0, "{again}");
}

async fn the_per_ip_limit_is_waited_out_or_ends_partial(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    // 4 requests a second with Retry-After: the import waits as told and completes.
    let paced = SyncroFake::start(Config {
        rate_limit: 4,
        rate_window: Duration::from_secs(1),
        retry_after: true,
        ..Config::default()
    })
    .await;
    let source = source_for(&app, &admin, &paced).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["stats"]["created"], 55);
    assert!(
        paced.requests().len() > 10,
        "some requests were answered 429"
    );

    // 3 a minute without Retry-After: the retries run out, PARTIAL, saying why.
    let strict = SyncroFake::start(Config {
        rate_limit: 3,
        ..Config::default()
    })
    .await;
    let source = source_for(&app, &admin, &strict).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "PARTIAL", "{job}");
    assert!(
        job["error"].as_str().unwrap().contains("rate limiting"),
        "{job}"
    );
}

/// The spec's own `/customer_assets` example has no `meta`: the list is paged until an empty
/// page (not stopped at the first short one), and its coverage has no reported count.
async fn assets_without_meta_are_paged_until_an_empty_page(app: TestApp) {
    let fake = SyncroFake::start(Config {
        asset_meta: false,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["stats"]["created"], 55);
    assert_eq!(
        job["coverage"][3],
        serde_json::json!({"entity": "customer_assets", "reported": null, "received": 32, "complete": true})
    );
    // 32 assets: pages 1 and 2 hold them, page 3 is the empty one (walk and pass).
    assert_eq!(asked(&fake, "/api/v1/customer_assets?page=3"), 2);
}
