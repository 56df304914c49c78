//! Importing BroadWorks (OCI-P over SOAP) against its fake: the exact tree of PROVIDERS.md,
//! idempotence, one session per pass (cookie and sessionId constant, distinct per source),
//! truncation at `responseSizeLimit`, each fault class, wrong credentials, and the words of a
//! connection test. `broadworks_fake` holds the fake itself to docs/CONNECTORS.md §4.3.

mod fake;
mod login;
mod passes;

use std::collections::BTreeMap;

use entity::enums::Role;
use serde_json::{json, Value};
use tests::fakes::broadworks::{BroadWorksFake, Config};
use tests::{dual_db, gql, typed_names as names, Session, TestApp};
pub(crate) use tests::{force_sync as force, log_text, sync, sync_job as job};

dual_db!(
    imports_the_exact_broadworks_tree,
    a_second_import_changes_nothing_and_deletions_follow_a_complete_pass,
    shuffled_columns_give_the_same_nodes,
);

async fn source_for(
    app: &TestApp,
    admin: &Session,
    name: &str,
    fake: &BroadWorksFake,
    credentials: Value,
) -> String {
    let input = json!({"input": {"name": name, "provider": "BROADWORKS", "baseUrl": fake.base_url(), "credentials": credentials}});
    app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn node_count(app: &TestApp, admin: &Session, source: &str) -> i64 {
    let q = "query($id: ID!) { source(id: $id) { nodeCount } }";
    app.ok(admin, q, json!({"id": source})).await["source"]["nodeCount"]
        .as_i64()
        .unwrap()
}

/// Every live node of a source: externalId → (type, name, parent's externalId, fields).
async fn nodes(app: &TestApp, admin: &Session, source: &str) -> BTreeMap<String, Value> {
    let q = "query($id: ID!) { source(id: $id) { nodes(first: 500) { edges { node { type name externalId fields parent { externalId } } } } } }";
    let data = app.ok(admin, q, json!({"id": source})).await;
    data["source"]["nodes"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let n = &e["node"];
            let key = format!(
                "{}:{}",
                n["type"].as_str().unwrap(),
                n["externalId"].as_str().unwrap()
            );
            (
                key,
                json!([n["name"], n["parent"]["externalId"], n["fields"]]),
            )
        })
        .collect()
}

async fn imports_the_exact_broadworks_tree(app: TestApp) {
    let fake = BroadWorksFake::start(Config {
        groups_per_sp: 3,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, "BW", &fake, fake.config.credentials()).await;
    let job = sync(&app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    // 4 service providers and enterprises, 12 groups, 36 users, 12 hunt groups.
    assert_eq!(
        job["stats"],
        json!({"created": 64, "updated": 0, "deleted": 0, "unchanged": 0, "skipped": 0})
    );
    assert_eq!(
        job["coverage"],
        json!([
            {"entity": "service providers and enterprises", "reported": null, "received": 4, "complete": true},
            {"entity": "groups", "reported": null, "received": 12, "complete": true},
            {"entity": "users", "reported": null, "received": 36, "complete": true},
            {"entity": "hunt groups", "reported": null, "received": 12, "complete": true},
        ])
    );
    let q = "query($id: ID!) { source(id: $id) { nodeCount roots(first: 10) { edges { node { type name externalId fields children { edges { node { id type name externalId fields } } } } } } } }";
    let data = app.ok(&admin, q, json!({"id": source})).await;
    let s = &data["source"];
    assert_eq!(s["nodeCount"], 64);
    // Enterprises before service providers; a service provider without a name shows its id.
    assert_eq!(
        names(&s["roots"]),
        [
            "Enterprise:Enterprise 1",
            "Enterprise:Enterprise 3",
            "Service Provider:Service Provider 2",
            "Service Provider:sp4"
        ]
    );
    let ent1 = &s["roots"]["edges"][0]["node"];
    assert_eq!(ent1["externalId"], "ent1");
    assert_eq!(
        ent1["fields"],
        json!({"serviceProviderId": "ent1", "serviceProviderName": "Enterprise 1", "isEnterprise": true})
    );
    assert_eq!(
        s["roots"]["edges"][3]["node"]["fields"]["isEnterprise"],
        false
    );
    // Groups: `sp/group` ids; a group without a name shows that id.
    let groups = &ent1["children"];
    assert_eq!(
        names(groups),
        ["Group:ent1/grp3", "Group:Group 1", "Group:Group 2"]
    );
    let group1 = &groups["edges"][1]["node"];
    assert_eq!(group1["externalId"], "ent1/grp1");
    assert_eq!(
        group1["fields"],
        json!({"groupId": "grp1", "groupName": "Group 1", "userLimit": "25"})
    );
    let q = "query($id: ID!) { sourceNode(id: $id) { children { edges { node { type name externalId fields parent { externalId } } } } } }";
    let members =
        app.ok(&admin, q, json!({"id": group1["id"]})).await["sourceNode"]["children"].clone();
    // Users (a user without first and last name shows the user id), then hunt groups.
    assert_eq!(
        names(&members),
        [
            "User:ent1-grp1-u3@switchboard.test",
            "User:First1 Last1",
            "User:First2 Last2",
            "Hunt Group:Hunt Group 1"
        ]
    );
    let user = &members["edges"][1]["node"];
    assert_eq!(user["externalId"], "ent1-grp1-u1@switchboard.test");
    assert_eq!(user["parent"]["externalId"], "ent1/grp1");
    assert_eq!(
        user["fields"],
        json!({
            "userId": "ent1-grp1-u1@switchboard.test", "lastName": "Last1", "firstName": "First1",
            "department": "", "phoneNumber": "+1-2020000001", "phoneNumberActivated": true,
            "emailAddress": "first1.ent1@switchboard.test", "hiraganaLastName": "", "hiraganaFirstName": "",
            "inTrunkGroup": false, "extension": "1001", "countryCode": "1", "nationalPrefix": "1"
        })
    );
    let hunt = &members["edges"][3]["node"];
    assert_eq!(hunt["externalId"], "ent1-grp1-hg1@switchboard.test");
    assert_eq!(
        hunt["fields"],
        json!({
            "serviceUserId": "ent1-grp1-hg1@switchboard.test", "name": "Hunt Group 1",
            "phoneNumber": "+1-3030000001", "extension": "2001", "department": "",
            "isActive": true, "policy": "Circular"
        })
    );
    // Groups of a service provider hang under it (the id sent in the request).
    let all = nodes(&app, &admin, &source).await;
    assert_eq!(all["Group:sp2/grp1"][1], "sp2");
    assert_eq!(all["User:sp4-grp3-u2@switchboard.test"][1], "sp4/grp3");
    assert_eq!(
        all["Hunt Group:ent3-grp2-hg1@switchboard.test"][1],
        "ent3/grp2"
    );
}

async fn a_second_import_changes_nothing_and_deletions_follow_a_complete_pass(app: TestApp) {
    let fake = BroadWorksFake::start(Config::default()).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = source_for(&app, &admin, "BW", &fake, fake.config.credentials()).await;
    let first = sync(&app, &admin, &source).await;
    assert_eq!(first["stats"]["created"], 44, "{first}");
    let before = nodes(&app, &admin, &source).await;
    let again = sync(&app, &admin, &source).await;
    assert_eq!(again["status"], "SUCCEEDED");
    assert_eq!(
        again["stats"],
        json!({"created": 0, "updated": 0, "deleted": 0, "unchanged": 44, "skipped": 0})
    );
    assert_eq!(nodes(&app, &admin, &source).await, before);
    // Group ent1/grp2 goes away upstream with its 3 users and its hunt group; a user elsewhere too.
    fake.faults.delete("groups/ent1/grp2");
    fake.faults.delete("users/sp2-grp1-u1@switchboard.test");
    let third = sync(&app, &admin, &source).await;
    assert_eq!(third["status"], "SUCCEEDED", "{third}");
    assert_eq!(third["stats"]["deleted"], 6);
    assert_eq!(node_count(&app, &admin, &source).await, 38);
}

async fn shuffled_columns_give_the_same_nodes(app: TestApp) {
    let plain = BroadWorksFake::start(Config::default()).await;
    let shuffled = BroadWorksFake::start(Config {
        shuffle_columns: true,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let a = source_for(&app, &admin, "BW", &plain, plain.config.credentials()).await;
    let b = source_for(
        &app,
        &admin,
        "BW shuffled",
        &shuffled,
        shuffled.config.credentials(),
    )
    .await;
    assert_eq!(sync(&app, &admin, &a).await["status"], "SUCCEEDED");
    assert_eq!(sync(&app, &admin, &b).await["status"], "SUCCEEDED");
    let (a, b) = (nodes(&app, &admin, &a).await, nodes(&app, &admin, &b).await);
    assert_eq!(a.len(), 44);
    assert_eq!(a, b);
}
