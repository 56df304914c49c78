//! Importing ConnectWise into a node tree, against the fake: the exact tree of PROVIDERS.md,
//! idempotence, deletions on a complete pass only, and each fault class.

use entity::enums::Role;
use serde_json::{json, Value};
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::fakes::faults::FaultPlan;
use tests::{dual_db, gql, sync, typed_names as names, Session, TestApp};

dual_db!(
    imports_the_exact_connectwise_tree,
    filters_leave_out_companies_with_their_subtree_and_configurations,
    a_company_with_neither_contact_nor_configuration_is_not_synced,
    a_second_import_changes_nothing_and_deletions_follow_a_complete_pass,
    faults_retry_to_success_or_end_partial_or_failed_without_deleting,
    stalled_and_broken_bodies_are_retried_or_end_partial_without_deleting,
    custom_fields_arrive_only_when_asked_for,
);

async fn source_for(
    app: &TestApp,
    admin: &Session,
    fake: &ConnectWiseFake,
    credentials: Value,
) -> String {
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": credentials}});
    app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn imports_the_exact_connectwise_tree(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 20,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake, fake.config.credentials()).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    // 20 companies, 20 sites, 40 contacts, 80 configurations (the 20 without a serial number
    // are skipped by default), 5 agreements.
    assert_eq!(
        job["stats"],
        json!({"created": 165, "updated": 0, "deleted": 0, "unchanged": 0, "skipped": 20})
    );
    assert!(
        job["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["complete"] == true),
        "{job}"
    );
    assert_eq!(
        job["coverage"][1],
        json!({"entity": "company/companies", "reported": 20, "received": 20, "complete": true})
    );

    // PSA metadata first: 40 statuses, types, boards and board children, priorities.
    assert_eq!(
        job["coverage"][0],
        json!({"entity": "metadata", "reported": null, "received": 40, "complete": true})
    );
    let options = app
        .ok(&admin, "query($id: ID!) { source(id: $id) { filterOptions { companyStatuses companyTypes configurationStatuses } } }", json!({"id": source}))
        .await;
    assert_eq!(
        options["source"]["filterOptions"],
        json!({"companyStatuses": ["Active", "Inactive", "Not Approved"], "companyTypes": ["Customer", "Prospect", "Vendor"], "configurationStatuses": ["Active", "Inactive"]})
    );
    let q = "query($id: ID!) { source(id: $id) { nodeCount lastJob { status } health { lastSuccessfulSyncAt } roots(first: 2) { totalCount edges { node { id type name externalId fields children { edges { node { id type name externalId fields } } } } } } } }";
    let data = app.ok(&admin, q, json!({"id": source})).await;
    let s = &data["source"];
    assert_eq!(s["nodeCount"], 165);
    assert!(s["health"]["lastSuccessfulSyncAt"].is_string());
    assert_eq!(s["roots"]["totalCount"], 20);
    let company = &s["roots"]["edges"][0]["node"];
    assert_eq!(
        (company["name"].as_str(), company["externalId"].as_str()),
        (Some("Company 0000001"), Some("1"))
    );
    assert_eq!(company["fields"]["status.name"], "Active");
    assert_eq!(
        company["fields"]["_info.lastUpdated"],
        "2025-01-01T00:00:01Z"
    );
    assert!(
        company["fields"].get("customFields.Tier").is_none(),
        "custom fields only with includeCustomFields"
    );
    assert!(company["fields"].get("_info").is_none());
    // Company 1: its site, the contact without a site, the configurations without a site.
    assert_eq!(
        names(&company["children"]),
        [
            "Site:Main Office 1",
            "Contact:First2 Last2",
            "Configuration:Firewall-4",
            "Configuration:Workstation-2"
        ]
    );
    let site = company["children"]["edges"][0]["node"]["id"].clone();
    let site_children = app.ok(&admin, "query($id: ID!) { sourceNode(id: $id) { children { edges { node { type name fields parent { type } } } } } }", json!({"id": site})).await;
    let kids = &site_children["sourceNode"]["children"];
    assert_eq!(
        names(kids),
        [
            "Contact:First1 Last1",
            "Configuration:Laptop-3",
            "Configuration:Server-1"
        ]
    );
    let contact = &kids["edges"][0]["node"];
    assert_eq!(contact["fields"]["email"], "first1@c1.example.com");
    assert_eq!(contact["fields"]["phone"], "8135550001");
    assert_eq!(contact["fields"]["company.identifier"], "C0000001");
    assert!(contact["fields"]["communicationItems"].is_array());
    let fourth = app.ok(&admin, "query($id: ID!) { source(id: $id) { nodes(type: \"Agreement\") { totalCount edges { node { parent { name } } } } } }", json!({"id": source})).await;
    assert_eq!(fourth["source"]["nodes"]["totalCount"], 5);
    let parents: Vec<&str> = fourth["source"]["nodes"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["parent"]["name"].as_str().unwrap())
        .collect();
    assert!(
        parents.contains(&"Company 0000004") && parents.len() == 5,
        "{parents:?}"
    );
}

async fn a_second_import_changes_nothing_and_deletions_follow_a_complete_pass(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 20,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake, fake.config.credentials()).await;
    sync(&app, &admin, &source).await;
    let ids_before = entity::source_node::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .len();
    let again = sync(&app, &admin, &source).await;
    assert_eq!(again["status"], "SUCCEEDED");
    assert_eq!(
        again["stats"],
        json!({"created": 0, "updated": 0, "deleted": 0, "unchanged": 165, "skipped": 20})
    );
    assert_eq!(
        entity::source_node::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        ids_before
    );
    // Company 3 goes away upstream with its site, 2 contacts and 5 configurations.
    fake.faults.delete("companies/3");
    let third = sync(&app, &admin, &source).await;
    assert_eq!(third["status"], "SUCCEEDED", "{third}");
    assert_eq!(third["stats"]["deleted"], 8);
    // Each deleted node is named in the log, by type and external id.
    let q = "query($id: ID!) { source(id: $id) { lastJob { logs(first: 100) { edges { node { message nodeType externalId } } } } } }";
    let logs = app.ok(&admin, q, json!({"id": source})).await;
    let mut named: Vec<String> = logs["source"]["lastJob"]["logs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["message"] == "deleted: no longer in the source")
        .map(|e| {
            format!(
                "{}:{}",
                e["node"]["nodeType"].as_str().unwrap(),
                e["node"]["externalId"].as_str().unwrap()
            )
        })
        .collect();
    named.sort();
    assert_eq!(named.len(), 8, "{named:?}");
    assert!(named.contains(&"Company:3".to_owned()), "{named:?}");
    let q = "query($id: ID!) { source(id: $id) { nodeCount nodes(includeDeleted: true) { totalCount } } searchNodes(query: \"Company 0000003\", includeDeleted: true) { edges { node { deletedAt } } } }";
    let data = app.ok(&admin, q, json!({"id": source})).await;
    assert_eq!(data["source"]["nodeCount"], 157);
    assert_eq!(data["source"]["nodes"]["totalCount"], 165);
    assert!(data["searchNodes"]["edges"][0]["node"]["deletedAt"].is_string());
}

use sea_orm::EntityTrait;

async fn faults_retry_to_success_or_end_partial_or_failed_without_deleting(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 20,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake, fake.config.credentials()).await;
    // 429 with Retry-After, a 500, a garbage body and a dropped connection: retried to success.
    fake.faults.set(FaultPlan {
        rate_limited: 1,
        retry_after_seconds: 1,
        server_errors: 1,
        malformed: 1,
        resets: 1,
        ..FaultPlan::default()
    });
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["stats"]["created"], 165);

    // A short page: PARTIAL, and the company deleted upstream meanwhile is not deleted here.
    fake.faults.delete("companies/3");
    fake.faults.set(FaultPlan {
        short_pages: 1,
        ..FaultPlan::default()
    });
    let short = sync(&app, &admin, &source).await;
    assert_eq!(short["status"], "PARTIAL", "{short}");
    assert!(
        short["error"].as_str().unwrap().contains("received"),
        "{short}"
    );
    assert_eq!(short["stats"]["deleted"], 0);
    let count = app
        .ok(
            &admin,
            "query($id: ID!) { source(id: $id) { nodeCount } }",
            json!({"id": source}),
        )
        .await;
    assert_eq!(count["source"]["nodeCount"], 165);

    // Failures past the retries: PARTIAL with the provider's words, nothing deleted. The
    // failures are shared by every request, and a pass's walks run side by side, so there are
    // enough for one request to fail all five tries however they interleave.
    fake.faults.set(FaultPlan {
        server_errors: 30,
        ..FaultPlan::default()
    });
    let down = sync(&app, &admin, &source).await;
    assert_eq!(down["status"], "PARTIAL", "{down}");
    assert!(
        down["error"]
            .as_str()
            .unwrap()
            .contains("An error has occurred"),
        "{down}"
    );
    fake.faults.set(FaultPlan::default());

    // Wrong credentials: FAILED, saying so, nothing deleted.
    let mut wrong = fake.config.credentials();
    wrong["privateKey"] = json!("wrong");
    let bad_source = {
        let input = json!({"input": {"name": "CW wrong", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": wrong}});
        app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let refused = sync(&app, &admin, &bad_source).await;
    assert_eq!(refused["status"], "FAILED", "{refused}");
    assert!(
        refused["error"].as_str().unwrap().contains("credentials"),
        "{refused}"
    );
    let logs = refused["logs"]["edges"].as_array().unwrap();
    assert!(logs.iter().any(|l| l["node"]["level"] == "ERROR"));
}

/// A body that stalls after the headers (the request times out) and a connection reset in
/// the middle of a body: retried to success; past the retries, PARTIAL saying why, with
/// nothing deleted.
async fn stalled_and_broken_bodies_are_retried_or_end_partial_without_deleting(app: TestApp) {
    app.state
        .net
        .set_request_timeout(std::time::Duration::from_millis(1000));
    let fake = ConnectWiseFake::start(Config {
        companies: 20,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake, fake.config.credentials()).await;
    fake.faults.set(FaultPlan {
        stalls: 1,
        broken_bodies: 2,
        ..FaultPlan::default()
    });
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["stats"]["created"], 165);

    // Every answer breaks off: the first list gives up after its retries.
    fake.faults.delete("companies/3");
    fake.faults.set(FaultPlan {
        broken_bodies: 50,
        ..FaultPlan::default()
    });
    let broken = sync(&app, &admin, &source).await;
    assert_eq!(broken["status"], "PARTIAL", "{broken}");
    let error = broken["error"].as_str().unwrap();
    assert!(error.contains("the answer broke off"), "{broken}");
    assert!(
        broken["logs"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["node"]["message"].as_str().unwrap().contains("broke off")),
        "{broken}"
    );
    assert_eq!(broken["stats"]["deleted"], 0);

    // The first list (PSA metadata) stalls on every try: each times out, the pass goes on
    // without it and ends PARTIAL, deleting nothing.
    fake.faults.set(FaultPlan {
        stalls: 5,
        ..FaultPlan::default()
    });
    let stalled = sync(&app, &admin, &source).await;
    assert_eq!(stalled["status"], "PARTIAL", "{stalled}");
    assert!(
        stalled["logs"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["node"]["message"].as_str().unwrap().contains("timed out")),
        "{stalled}"
    );
    assert_eq!(stalled["stats"]["deleted"], 0);
    fake.faults.set(FaultPlan::default());
    let count = app
        .ok(
            &admin,
            "query($id: ID!) { source(id: $id) { nodeCount } }",
            json!({"id": source}),
        )
        .await;
    assert_eq!(count["source"]["nodeCount"], 165);
}

/// `serve --demo` beside the fakes gives the demo organization a source of each faked provider
/// that imports at once (what the README's run command offers a newcomer).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_sources_import_from_the_fakes() {
    let defaults = [
        Config::default().credentials(),
        json!({"apiToken": tests::fakes::syncro::Config::default().token}),
        json!({"userId": tests::fakes::broadworks::Config::default().user_id, "password": tests::fakes::broadworks::Config::default().password}),
    ];
    let seeded: Vec<Value> = server::demo::demo_sources()
        .into_iter()
        .map(|(_, _, _, credentials)| credentials)
        .collect();
    assert_eq!(
        seeded, defaults,
        "the demo uses the fakes' default credentials"
    );
    let app = TestApp::spawn(tests::DbKind::Sqlite).await;
    let (addr, _switches) = tests::fakes::start_all().await;
    let fakes = format!("http://{addr}");
    server::demo::seed(&app.db, &app.state.keys, Some(&fakes))
        .await
        .unwrap();
    server::demo::seed(&app.db, &app.state.keys, Some(&fakes))
        .await
        .unwrap();
    let token = app
        .login(server::demo::DEMO_EMAIL, server::demo::DEMO_PASSWORD)
        .await;
    let demo = Session {
        token,
        email: server::demo::DEMO_EMAIL.into(),
        password: String::new(),
        org: server::demo::DEMO_ORG.into(),
    };
    let list = app
        .ok(
            &demo,
            "{ sources { totalCount edges { node { id name provider } } } }",
            json!({}),
        )
        .await;
    assert_eq!(list["sources"]["totalCount"], 3, "{list}");
    for edge in list["sources"]["edges"].as_array().unwrap() {
        let source = edge["node"]["id"].as_str().unwrap();
        let job = sync(&app, &demo, source).await;
        assert_eq!(job["status"], "SUCCEEDED", "{edge}: {job}");
        assert!(job["stats"]["created"].as_i64().unwrap() > 10, "{job}");
    }
}

/// Testing a connection answers in words a person can act on, before and after saving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_tests_say_what_to_fix() {
    let app = TestApp::spawn(tests::DbKind::Sqlite).await;
    let fake = ConnectWiseFake::start(Config::default()).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let test =
        "mutation($input: CreateSourceInput!) { testConnection(input: $input) { ok message } }";
    let input = |credentials: Value, base: String| json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": base, "credentials": credentials}});
    let ok = app
        .ok(
            &admin,
            test,
            input(fake.config.credentials(), fake.base_url()),
        )
        .await;
    assert_eq!(ok["testConnection"]["ok"], true, "{ok}");
    assert!(ok["testConnection"]["message"]
        .as_str()
        .unwrap()
        .contains("Connected to ConnectWise Manage"));
    let mut wrong = fake.config.credentials();
    wrong["privateKey"] = json!("nope");
    let refused = app.ok(&admin, test, input(wrong, fake.base_url())).await;
    assert_eq!(refused["testConnection"]["ok"], false);
    assert!(
        refused["testConnection"]["message"]
            .as_str()
            .unwrap()
            .contains("refused the credentials"),
        "{refused}"
    );
    assert_eq!(
        app.ok(&admin, "{ sources { totalCount } }", json!({}))
            .await["sources"]["totalCount"],
        0,
        "nothing saved"
    );
    let autotask = json!({"input": {"name": "A", "provider": "AUTOTASK", "baseUrl": "https://webservices5.autotask.net/ATServicesRest/V1.0", "credentials": {"username": "u", "secret": "s", "integrationCode": "c"}}});
    let not_yet = app.ok(&admin, test, autotask).await;
    assert_eq!(not_yet["testConnection"]["ok"], false);
    assert!(
        not_yet["testConnection"]["message"]
            .as_str()
            .unwrap()
            .contains("connector is not built"),
        "{not_yet}"
    );
    let source = source_for(&app, &admin, &fake, fake.config.credentials()).await;
    let saved = app
        .ok(
            &admin,
            "mutation($id: ID!) { testSourceConnection(id: $id) { ok message } }",
            json!({"id": source}),
        )
        .await;
    assert_eq!(saved["testSourceConnection"]["ok"], true, "{saved}");
    let viewer = app.login_as("Acme", Role::Viewer).await;
    assert_eq!(
        app.err(
            &viewer,
            "mutation($id: ID!) { testSourceConnection(id: $id) { ok } }",
            json!({"id": source})
        )
        .await
        .0,
        "FORBIDDEN"
    );
}

/// Company status and type filters leave out whole companies; configuration status and the
/// serial-number rule leave out configurations; names match ignoring case; left out = skipped.
async fn filters_leave_out_companies_with_their_subtree_and_configurations(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 20,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials(),
        "settings": {"companyStatuses": ["active"], "companyTypes": ["CUSTOMER"], "configurationStatuses": ["Active"], "includeAssetsWithoutSerial": true}}});
    let source = app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    let q = "query($id: ID!) { source(id: $id) { roots(first: 50) { totalCount edges { node { name } } } configs: nodes(type: \"Configuration\", first: 500) { edges { node { name fields } } } } }";
    let data = app.ok(&admin, q, json!({"id": source})).await;
    // Inactive (10, 20) and vendor (3, 6, 9, 12, 15, 18) companies are out: 12 remain.
    assert_eq!(data["source"]["roots"]["totalCount"], 12);
    let roots: Vec<&str> = data["source"]["roots"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect();
    assert!(
        !roots.contains(&"Company 0000003") && !roots.contains(&"Company 0000010"),
        "{roots:?}"
    );
    let configs = data["source"]["configs"]["edges"].as_array().unwrap();
    assert!(configs
        .iter()
        .all(|c| c["node"]["fields"]["status.name"] == "Active"));
    assert!(
        configs
            .iter()
            .any(|c| c["node"]["name"].as_str().unwrap().starts_with("Printer")),
        "without serial, when asked for"
    );
    assert!(job["stats"]["skipped"].as_i64().unwrap() > 0);
}

/// Company 50 of the fake has a site but neither contact nor configuration: it is left out
/// (counted as skipped), and so is every such company, judged after the other filters.
async fn a_company_with_neither_contact_nor_configuration_is_not_synced(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 60,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, &fake, fake.config.credentials()).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    let q = "query($id: ID!) { source(id: $id) { roots(first: 100) { totalCount } } searchNodes(query: \"Company 0000050\", includeDeleted: true) { totalCount } }";
    let data = app.ok(&admin, q, json!({"id": source})).await;
    assert_eq!(data["source"]["roots"]["totalCount"], 59);
    assert_eq!(
        data["searchNodes"]["totalCount"], 0,
        "never created, not created and deleted"
    );
    // 59 configurations without a serial number (company 50 has none), and company 50.
    assert_eq!(job["stats"]["skipped"], 60);
}

/// `customFields.<caption>` keys appear with `includeCustomFields`, and go again without it.
async fn custom_fields_arrive_only_when_asked_for(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 4,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials(), "settings": {"includeCustomFields": true}}});
    let source = app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let q = "query($id: ID!) { source(id: $id) { roots(first: 1) { edges { node { fields } } } } }";
    let first_company =
        |data: &Value| data["source"]["roots"]["edges"][0]["node"]["fields"].clone();
    assert_eq!(sync(&app, &admin, &source).await["status"], "SUCCEEDED");
    let with = first_company(&app.ok(&admin, q, json!({"id": source})).await);
    assert_eq!(with["customFields.Tier"], "Silver", "{with}");
    let update = "mutation($id: ID!) { updateSource(id: $id, input: {settings: {includeCustomFields: false}}) { id } }";
    app.ok(&admin, update, json!({"id": source})).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED");
    assert_eq!(
        job["stats"]["updated"], 4,
        "each company loses its custom field: {job}"
    );
    let without = first_company(&app.ok(&admin, q, json!({"id": source})).await);
    assert!(without.get("customFields.Tier").is_none(), "{without}");
}
