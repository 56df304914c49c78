//! Sources: defaults, validation naming the field, write-only credentials sealed per source,
//! unique names, soft delete, pause/resume, webhook secret rotation.

use entity::enums::Role;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;
use server::graphql::ids::{self, Kind};
use tests::{dual_db, gql, TestApp};

dual_db!(
    a_new_source_has_the_contract_defaults,
    bad_input_names_the_field,
    credentials_are_write_only_and_never_logged,
    a_ciphertext_copied_to_another_source_does_not_open,
    names_are_unique_among_live_sources,
    delete_is_soft_and_pause_resume_toggle,
    a_new_host_needs_its_credentials,
    rotating_the_webhook_secret_changes_the_url,
    providers_list_all_eight,
);

async fn a_new_source_has_the_contract_defaults(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": "https://cw.example.com/v4_6_release/apis/3.0/", "credentials": gql::cw_credentials()}});
    let data = app.ok(&admin, gql::CREATE_SOURCE, input).await;
    let s = &data["createSource"];
    assert_eq!(s["status"], "ACTIVE");
    assert_eq!(s["hasCredentials"], true);
    assert_eq!(s["baseUrl"], "https://cw.example.com/v4_6_release/apis/3.0");
    assert_eq!(
        s["settings"],
        json!({"schedule": "0 2 * * *", "timezone": "UTC", "autoSyncFields": true, "companyTypes": []})
    );
    let url = s["webhookUrl"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/webhooks/", app.base_url)),
        "{url}"
    );
    let full = app
        .ok(&admin, "query($id: ID!) { source(id: $id) { settings { includeAssetsWithoutSerial configurationStatuses companyStatuses writeBackFields includeCustomFields ticketTypeLevel ticketSubtypeLevel ticketItemLevel } nodeCount linkedCount nodeTypes { name parentTypes } health { lastSuccessfulSyncAt webhookHealthy message } filterOptions { companyTypes } createdAt } }", json!({"id": s["id"]}))
        .await;
    let src = &full["source"];
    assert_eq!(
        src["settings"],
        json!({"includeAssetsWithoutSerial": false, "configurationStatuses": [], "companyStatuses": [], "writeBackFields": [], "includeCustomFields": false, "ticketTypeLevel": null, "ticketSubtypeLevel": null, "ticketItemLevel": null})
    );
    assert_eq!(src["nodeCount"], 0);
    assert_eq!(
        src["nodeTypes"][0],
        json!({"name": "Company", "parentTypes": []})
    );
    assert_eq!(
        src["nodeTypes"][2],
        json!({"name": "Contact", "parentTypes": ["Site", "Company"]})
    );
}

/// Each bad part of a request answers BAD_USER_INPUT with `extensions.field` naming it, and
/// nothing is created.
async fn bad_input_names_the_field(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let base = json!({"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": "https://cw.example.com/v4_6_release/apis/3.0", "credentials": gql::cw_credentials()});
    let cases = [
        (
            json!({"settings": {"schedule": "every day"}}),
            "input.settings.schedule",
        ),
        (
            json!({"settings": {"schedule": "61 2 * * *"}}),
            "input.settings.schedule",
        ),
        (
            json!({"settings": {"timezone": "Mars/Olympus"}}),
            "input.settings.timezone",
        ),
        (
            json!({"settings": {"ticketTypeLevel": 4}}),
            "input.settings.ticketTypeLevel",
        ),
        (
            json!({"credentials": {"companyId": "a", "publicKey": "b", "clientId": "c"}}),
            "input.credentials.privateKey",
        ),
        (
            json!({"credentials": {"companyId": "a", "publicKey": "b", "privateKey": "p", "clientId": "c", "token": "x"}}),
            "input.credentials.token",
        ),
        (json!({"credentials": "not an object"}), "input.credentials"),
        (json!({"baseUrl": "ftp://cw.example.com"}), "input.baseUrl"),
        (json!({"baseUrl": "not a url"}), "input.baseUrl"),
        (
            json!({"baseUrl": "http://169.254.169.254/latest"}),
            "input.baseUrl",
        ),
        (json!({"name": "   "}), "input.name"),
    ];
    for (patch, field) in cases {
        let mut input = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            input[k] = v.clone();
        }
        let (code, body) = app
            .err(&admin, gql::CREATE_SOURCE, json!({"input": input}))
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{patch}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{patch}: {body}"
        );
    }
    let (code, body) = app
        .err(&admin, "{ sources(first: 501) { totalCount } }", json!({}))
        .await;
    assert_eq!(
        (code.as_str(), &body["errors"][0]["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("first"))
    );
    let (code, body) = app
        .err(&admin, "{ sources(first: -1) { totalCount } }", json!({}))
        .await;
    assert_eq!(
        (code.as_str(), &body["errors"][0]["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("first"))
    );
    let (code, body) = app
        .err(
            &admin,
            "{ sources(after: \"bm90IGEgY3Vyc29y\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        (code.as_str(), &body["errors"][0]["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("after"))
    );
    let data = app
        .ok(&admin, "{ sources { totalCount } }", json!({}))
        .await;
    assert_eq!(data["sources"]["totalCount"], 0);
}

/// Credentials go in, never come out (no field, no error, no log line), and are stored sealed.
async fn credentials_are_write_only_and_never_logged(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let secret = format!("priv-{}", uuid::Uuid::new_v4().simple());
    let creds =
        json!({"companyId": "acme", "publicKey": "pub", "privateKey": secret, "clientId": "cid"});
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": "https://cw.example.com/v4_6_release/apis/3.0", "credentials": creds}});
    let body = app.gql(Some(&admin.token), gql::CREATE_SOURCE, input).await;
    assert!(!body.to_string().contains(&secret));
    let id = body["data"]["createSource"]["id"].clone();
    // A failing update that carries the secret does not echo it either.
    let bad = json!({"id": id, "input": {"credentials": {"privateKey": secret, "bogus": secret}}});
    let body = app.gql(Some(&admin.token), "mutation($id: ID!, $input: UpdateSourceInput!) { updateSource(id: $id, input: $input) { id } }", bad).await;
    assert!(!body.to_string().contains(&secret), "{body}");
    let everything = app.gql(Some(&admin.token), "query($id: ID!) { source(id: $id) { id name baseUrl hasCredentials webhookUrl settings { schedule } } sources { edges { node { id } } } }", json!({"id": id})).await;
    assert!(!everything.to_string().contains(&secret));
    let row = entity::source::Entity::find_by_id(
        ids::decode(Kind::Source, id.as_str().unwrap()).unwrap(),
    )
    .one(&app.db)
    .await
    .unwrap()
    .unwrap();
    let sealed = row.credentials_ciphertext.clone().unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains(&secret));
    assert_eq!(
        server::services::sources::open_credentials(&app.state.keys, &row).unwrap()["privateKey"],
        secret.as_str()
    );
    let logs = tests::logs::all();
    assert!(!logs.contains(&secret), "a credential reached the log");
    assert!(
        !logs.contains(&admin.password),
        "a password reached the log"
    );
    assert!(!logs.contains(&admin.token), "a token reached the log");
}

/// Sealed credentials are bound to their organization and source.
async fn a_ciphertext_copied_to_another_source_does_not_open(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let a = app.create_cw_source(&admin, "A").await;
    let b = app.create_cw_source(&admin, "B").await;
    let find = |gid: String| {
        let db = app.db.clone();
        async move {
            entity::source::Entity::find_by_id(ids::decode(Kind::Source, &gid).unwrap())
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let (row_a, row_b) = (find(a).await, find(b).await);
    assert!(server::services::sources::open_credentials(&app.state.keys, &row_b).is_some());
    let mut active: entity::source::ActiveModel = row_b.into();
    active.credentials_ciphertext = Set(row_a.credentials_ciphertext.clone());
    let row_b = active.update(&app.db).await.unwrap();
    assert!(server::services::sources::open_credentials(&app.state.keys, &row_b).is_none());
    // The same row under another organization does not open either.
    let mut moved = row_a.clone();
    moved.organization_id += 1000;
    assert!(server::services::sources::open_credentials(&app.state.keys, &moved).is_none());
    // Nor with another server's key.
    assert!(
        server::services::sources::open_credentials(&server::crypto::Keys::random(), &row_a)
            .is_none()
    );
}

async fn names_are_unique_among_live_sources(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let id = app.create_cw_source(&admin, "Main").await;
    let input = json!({"input": {"name": "main", "provider": "SYNCRO", "baseUrl": "https://acme.syncromsp.com/api/v1", "credentials": {"apiToken": "t"}}});
    assert_eq!(
        app.err(&admin, gql::CREATE_SOURCE, input.clone()).await.0,
        "CONFLICT"
    );
    app.ok(
        &admin,
        "mutation($id: ID!) { deleteSource(id: $id) }",
        json!({"id": id}),
    )
    .await;
    app.ok(&admin, gql::CREATE_SOURCE, input).await;
}

async fn delete_is_soft_and_pause_resume_toggle(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let id = app.create_cw_source(&admin, "Main").await;
    app.insert_node(&id, "Company", "1", "Acme Corp", None)
        .await;
    let search = "{ searchNodes(query: \"acme\") { totalCount } }";
    assert_eq!(
        app.ok(&admin, search, json!({})).await["searchNodes"]["totalCount"],
        1
    );
    let paused = app
        .ok(
            &admin,
            "mutation($id: ID!) { pauseSource(id: $id) { status } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(paused["pauseSource"]["status"], "PAUSED");
    let resumed = app
        .ok(
            &admin,
            "mutation($id: ID!) { resumeSource(id: $id) { status } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(resumed["resumeSource"]["status"], "ACTIVE");
    let deleted = app
        .ok(
            &admin,
            "mutation($id: ID!) { deleteSource(id: $id) }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(deleted["deleteSource"], id.as_str());
    let data = app
        .ok(
            &admin,
            "query($id: ID!) { sources { totalCount } source(id: $id) { name deletedAt } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(data["sources"]["totalCount"], 0);
    assert_eq!(data["source"]["name"], "Main");
    assert!(data["source"]["deletedAt"].is_string());
    // The deleted source leaves searches; its own tree stays readable for its history.
    assert_eq!(
        app.ok(&admin, search, json!({})).await["searchNodes"]["totalCount"],
        0
    );
    let tree = app
        .ok(
            &admin,
            "query($id: ID!) { source(id: $id) { roots { totalCount } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(tree["source"]["roots"]["totalCount"], 1);
    assert_eq!(
        app.err(
            &admin,
            "mutation($id: ID!) { pauseSource(id: $id) { status } }",
            json!({"id": id})
        )
        .await
        .0,
        "NOT_FOUND"
    );
    assert_eq!(
        app.err(
            &admin,
            "mutation($id: ID!) { deleteSource(id: $id) }",
            json!({"id": id})
        )
        .await
        .0,
        "NOT_FOUND"
    );
}

/// Moving a source to another host without credentials is refused, so secrets meant for one
/// host are never sent to another; the same host keeps them.
async fn a_new_host_needs_its_credentials(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let id = app.create_cw_source(&admin, "Main").await;
    let update = "mutation($id: ID!, $input: UpdateSourceInput!) { updateSource(id: $id, input: $input) { baseUrl hasCredentials } }";
    let (code, body) = app.err(&admin, update, json!({"id": id, "input": {"baseUrl": "https://evil.example.net/v4_6_release/apis/3.0"}})).await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "input.credentials"
    );
    app.ok(
        &admin,
        update,
        json!({"id": id, "input": {"baseUrl": "https://cw.example.com/v2025_1/apis/3.0"}}),
    )
    .await;
    let moved = app.ok(&admin, update, json!({"id": id, "input": {"baseUrl": "https://other.example.net/v4_6_release/apis/3.0", "credentials": gql::cw_credentials()}})).await;
    assert_eq!(
        moved["updateSource"]["baseUrl"],
        "https://other.example.net/v4_6_release/apis/3.0"
    );
}

async fn rotating_the_webhook_secret_changes_the_url(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let id = app.create_cw_source(&admin, "Main").await;
    let q = "query($id: ID!) { source(id: $id) { webhookUrl } }";
    let before = app.ok(&admin, q, json!({"id": id})).await["source"]["webhookUrl"].clone();
    let rotated = app
        .ok(
            &admin,
            "mutation($id: ID!) { rotateWebhookSecret(sourceId: $id) { webhookUrl } }",
            json!({"id": id}),
        )
        .await;
    assert_ne!(before, rotated["rotateWebhookSecret"]["webhookUrl"]);
    assert!(!tests::logs::all().contains(
        rotated["rotateWebhookSecret"]["webhookUrl"]
            .as_str()
            .unwrap()
    ));
}

/// All eight providers, with PROVIDERS.md's credential keys, none available before its connector.
async fn providers_list_all_eight(app: TestApp) {
    let viewer = app.login_as("Acme", Role::Viewer).await;
    let data = app.ok(&viewer, "{ providers { provider label credentialFields { key secret required } nodeTypes { name } hasTickets available } }", json!({})).await;
    let list = data["providers"].as_array().unwrap();
    assert_eq!(list.len(), 8);
    let cw = list
        .iter()
        .find(|p| p["provider"] == "CONNECTWISE_MANAGE")
        .unwrap();
    let keys: Vec<&str> = cw["credentialFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["companyId", "publicKey", "privateKey", "clientId"]);
    let names: Vec<&str> = cw["nodeTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Company", "Site", "Contact", "Configuration", "Agreement"]
    );
    // A provider is available once its connector is built.
    let built = ["CONNECTWISE_MANAGE", "SYNCRO", "BROADWORKS"];
    assert!(list
        .iter()
        .all(|p| p["available"] == built.contains(&p["provider"].as_str().unwrap())));
    let bw = list.iter().find(|p| p["provider"] == "BROADWORKS").unwrap();
    assert_eq!(bw["hasTickets"], false);
}
