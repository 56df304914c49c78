//! Another organization's objects behave as if they did not exist: null for lookups, empty
//! lists, NOT_FOUND for mutations — and nothing of theirs changes.

use entity::enums::Role;
use serde_json::{json, Value};
use server::graphql::ids::Kind;
use tests::{dual_db, gid, gql, Session, TestApp};

dual_db!(a_second_organization_sees_and_changes_nothing);

struct World {
    source: String,
    node: String,
    customer: String,
    service_type: String,
    package: String,
    service: String,
    token: String,
    user: String,
}

async fn build_world(app: &TestApp, admin: &Session) -> World {
    let source = app.create_cw_source(admin, "Main CW").await;
    let company = app
        .insert_node(&source, "Company", "1", "Acme Corp", None)
        .await;
    app.insert_node(&source, "Site", "10", "Acme HQ", Some(company.id))
        .await;
    let customer = app
        .ok(admin, gql::CREATE_CUSTOMER, json!({"name": "Acme"}))
        .await["createCustomer"]["id"]
        .clone();
    let st = app
        .ok(admin, "mutation { createServiceType(input: {name: \"Seat\", fields: [{key: \"did\", label: \"DID\", dataType: TEXT}]}) { id } }", json!({}))
        .await["createServiceType"]["id"]
        .clone();
    let package = app.ok(admin, "mutation($st: ID) { createPackage(input: {name: \"Gold\", serviceTypeId: $st}) { id } }", json!({"st": st})).await["createPackage"]["id"].clone();
    let service = app
        .ok(admin, "mutation($c: ID!, $st: ID!) { createService(input: {name: \"Seat 1\", customerId: $c, serviceTypeId: $st, effectiveDate: \"2026-01-01\", fields: {did: \"+15550100\"}}) { id } }", json!({"c": customer, "st": st}))
        .await["createService"]["id"]
        .clone();
    let token = app
        .ok(
            admin,
            gql::CREATE_TOKEN,
            json!({"name": "script", "role": "ADMIN"}),
        )
        .await["createApiToken"]["apiToken"]["id"]
        .clone();
    let users = app.ok(admin, "{ users { id } }", json!({})).await;
    let s = |v: &Value| v.as_str().unwrap().to_owned();
    World {
        source,
        node: gid(Kind::SourceNode, company.id),
        customer: s(&customer),
        service_type: s(&st),
        package: s(&package),
        service: s(&service),
        token: s(&token),
        user: s(&users["users"][0]["id"]),
    }
}

/// Everything the first organization owns, as it reads it.
const SNAPSHOT: &str = "query($s: ID!, $sv: ID!) { sources { totalCount edges { node { name status settings { timezone } webhookUrl deletedAt } } } source(id: $s) { name baseUrl status } customers { totalCount edges { node { name } } } serviceTypes { name fields { key } } packages { name } service(id: $sv) { name fields { value } } apiTokens { revoked } users { email } }";

async fn a_second_organization_sees_and_changes_nothing(app: TestApp) {
    let a = app.login_as("Org A", Role::Admin).await;
    let world = build_world(&app, &a).await;
    let before = app
        .ok(
            &a,
            SNAPSHOT,
            json!({"s": world.source, "sv": world.service}),
        )
        .await;

    let b = app.login_as("Org B", Role::Admin).await;
    // Lists are empty (or hold only B's own rows).
    let lists = app.ok(&b, "{ sources { totalCount } customers { totalCount } services { totalCount } serviceTypes { id } packages { id } apiTokens { id } users { email } }", json!({})).await;
    assert_eq!(lists["sources"]["totalCount"], 0);
    assert_eq!(lists["customers"]["totalCount"], 0);
    assert_eq!(lists["services"]["totalCount"], 0);
    assert_eq!(lists["serviceTypes"], json!([]));
    assert_eq!(lists["packages"], json!([]));
    assert_eq!(lists["apiTokens"], json!([]));
    assert_eq!(lists["users"], json!([{"email": b.email}]));
    let search = app
        .ok(
            &b,
            "{ searchNodes(query: \"acme\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(search["searchNodes"]["totalCount"], 0);

    // Lookups by A's ids are null, never an error.
    let lookups = app
        .ok(&b, "query($s: ID!, $n: ID!, $c: ID!, $sv: ID!) { source(id: $s) { id } sourceNode(id: $n) { id } customer(id: $c) { id } service(id: $sv) { id } }", json!({"s": world.source, "n": world.node, "c": world.customer, "sv": world.service}))
        .await;
    assert_eq!(
        lookups,
        json!({"source": null, "sourceNode": null, "customer": null, "service": null})
    );
    for id in [
        &world.source,
        &world.node,
        &world.customer,
        &world.service_type,
        &world.package,
        &world.service,
        &world.token,
        &world.user,
    ] {
        let data = app
            .ok(
                &b,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({"id": id}),
            )
            .await;
        assert!(data["node"].is_null(), "node({id}) leaked");
    }

    // Mutations naming A's ids are NOT_FOUND.
    let mutations: Vec<(&str, Value)> = vec![
        ("mutation($id: ID!) { updateSource(id: $id, input: {name: \"hijack\"}) { id } }", json!({"id": world.source})),
        ("mutation($id: ID!) { deleteSource(id: $id) }", json!({"id": world.source})),
        ("mutation($id: ID!) { pauseSource(id: $id) { id } }", json!({"id": world.source})),
        ("mutation($id: ID!) { resumeSource(id: $id) { id } }", json!({"id": world.source})),
        ("mutation($id: ID!) { rotateWebhookSecret(sourceId: $id) { id } }", json!({"id": world.source})),
        ("mutation($id: ID!) { revokeApiToken(id: $id) { id } }", json!({"id": world.token})),
        ("mutation($id: ID!) { addServiceTypeField(serviceTypeId: $id, input: {key: \"x\", label: \"X\", dataType: TEXT}) { id } }", json!({"id": world.service_type})),
        ("mutation($id: ID!) { createPackage(input: {name: \"P\", serviceTypeId: $id}) { id } }", json!({"id": world.service_type})),
        ("mutation($id: ID!) { updateServiceFields(serviceId: $id, fields: {did: \"+15550199\"}) { id } }", json!({"id": world.service})),
    ];
    for (query, vars) in mutations {
        let (code, body) = app.err(&b, query, vars).await;
        assert_eq!(code, "NOT_FOUND", "{query}: {body}");
    }
    // createService with A's customer, then with B's customer and A's type.
    let own_customer = app
        .ok(&b, gql::CREATE_CUSTOMER, json!({"name": "B corp"}))
        .await["createCustomer"]["id"]
        .clone();
    let create = "mutation($c: ID!, $st: ID!) { createService(input: {name: \"S\", customerId: $c, serviceTypeId: $st, effectiveDate: \"2026-01-01\"}) { id } }";
    assert_eq!(
        app.err(
            &b,
            create,
            json!({"c": world.customer, "st": world.service_type})
        )
        .await
        .0,
        "NOT_FOUND"
    );
    assert_eq!(
        app.err(
            &b,
            create,
            json!({"c": own_customer, "st": world.service_type})
        )
        .await
        .0,
        "NOT_FOUND"
    );
    // A source name used by A is free in B.
    app.create_cw_source(&b, "Main CW").await;

    let after = app
        .ok(
            &a,
            SNAPSHOT,
            json!({"s": world.source, "sv": world.service}),
        )
        .await;
    assert_eq!(before, after, "the first organization's data changed");
}
