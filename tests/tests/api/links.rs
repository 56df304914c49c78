//! Linking nodes to services: link, unlink and relink keep history with their actors; the
//! CONFLICT cases; linkedCount and nodes(linked:) follow; createServiceForNode; tenancy and
//! roles. Also the helpers recommend.rs shares (mapped types, nodes with fields).

use entity::enums::Role;
use serde_json::{json, Value};
use server::graphql::ids::Kind;
use tests::{dual_db, gid, gql, Session, TestApp};

dual_db!(
    link_unlink_and_relink_keep_history_with_actors,
    linking_refuses_what_semantics_calls_a_conflict,
    two_racing_links_of_one_node_make_one_link,
    other_organizations_and_viewers_cannot_link,
    create_service_for_node_applies_mapped_values_under_the_input,
);

pub const LINK: &str = "mutation($n: ID!, $s: ID!) { linkNode(nodeId: $n, serviceId: $s) { id linkedAt linkedBy { label user { email } apiToken { name } } unlinkedAt unlinkedBy { label } lastFieldSync { status } node { id linkState } service { id name } } }";
pub const UNLINK: &str =
    "mutation($n: ID!) { unlinkNode(nodeId: $n) { id linkState link { id } } }";
pub const NODE_LINKS: &str = "query($n: ID!) { sourceNode(id: $n) { linkState link { id service { name } } links { totalCount edges { node { id service { name } linkedBy { label } unlinkedAt unlinkedBy { label apiToken { name } } } } } } }";

/// A service type with the given fields (`[{key, label, dataType, …}]`); its id and fields.
pub async fn service_type(app: &TestApp, s: &Session, name: &str, fields: Value) -> Value {
    app.ok(
        s,
        "mutation($n: String!, $f: [ServiceTypeFieldInput!]) { createServiceType(input: {name: $n, fields: $f}) { id fields { id key } } }",
        json!({"n": name, "f": fields}),
    )
    .await["createServiceType"]
        .clone()
}

/// The id of a service type field by key.
pub fn field_id(st: &Value, key: &str) -> Value {
    st["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .map(|f| f["id"].clone())
        .unwrap()
}

/// Maps a ConnectWise node type onto a service type, with `(nodeField, serviceFieldKey)` pairs
/// (enabled, source to service), written as the dictionary writes them.
pub async fn map_type(
    app: &TestApp,
    s: &Session,
    node_type: &str,
    st: &Value,
    fields: &[(&str, &str)],
) {
    use entity::enums::{MappingDirection, Provider};
    use sea_orm::{ActiveModelTrait, Set};
    let org = server::services::identity::ensure_organization(&app.db, &s.org)
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let tm = entity::type_mapping::ActiveModel {
        organization_id: Set(org.id),
        provider: Set(Provider::ConnectwiseManage),
        node_type: Set(node_type.into()),
        service_type_id: Set(server::graphql::ids::decode(
            Kind::ServiceType,
            st["id"].as_str().unwrap(),
        )
        .unwrap()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    for (node_field, key) in fields {
        let field = server::graphql::ids::decode(
            Kind::ServiceTypeField,
            field_id(st, key).as_str().unwrap(),
        )
        .unwrap();
        entity::field_mapping::ActiveModel {
            type_mapping_id: Set(tm.id),
            node_field: Set((*node_field).into()),
            service_field_id: Set(field),
            direction: Set(MappingDirection::SourceToService),
            enabled: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
}

pub async fn customer(app: &TestApp, s: &Session, name: &str) -> Value {
    app.ok(s, gql::CREATE_CUSTOMER, json!({"name": name})).await["createCustomer"]["id"].clone()
}

/// A service of `st` for `customer`; its id.
pub async fn service(
    app: &TestApp,
    s: &Session,
    customer: &Value,
    st: &Value,
    name: &str,
    fields: Value,
) -> Value {
    app.ok(
        s,
        "mutation($n: String!, $c: ID!, $st: ID!, $f: JSON) { createService(input: {name: $n, customerId: $c, serviceTypeId: $st, effectiveDate: \"2026-01-01\", fields: $f}) { id } }",
        json!({"n": name, "c": customer, "st": st["id"], "f": fields}),
    )
    .await["createService"]["id"]
        .clone()
}

/// A node with its own fields, as an import writes it; its global id.
pub async fn node(
    app: &TestApp,
    source: &str,
    node_type: &str,
    ext: &str,
    name: &str,
    parent: Option<&str>,
    fields: Value,
) -> String {
    use sea_orm::EntityTrait;
    let source_row = entity::source::Entity::find_by_id(
        server::graphql::ids::decode(Kind::Source, source).unwrap(),
    )
    .one(&app.db)
    .await
    .unwrap()
    .unwrap();
    let new = server::services::nodes::NewNode {
        node_type: node_type.into(),
        external_id: ext.into(),
        name: name.into(),
        parent_id: parent.map(|p| server::graphql::ids::decode(Kind::SourceNode, p).unwrap()),
        fields,
        deleted_at: None,
    };
    let row = server::services::nodes::insert(&app.db, &source_row, new)
        .await
        .unwrap();
    gid(Kind::SourceNode, row.id)
}

/// Marks a node deleted, as an import does when the node disappears upstream.
pub async fn delete_node(app: &TestApp, node: &str) {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let id = server::graphql::ids::decode(Kind::SourceNode, node).unwrap();
    let row = entity::source_node::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: entity::source_node::ActiveModel = row.into();
    active.deleted_at = Set(Some(chrono::Utc::now()));
    active.update(&app.db).await.unwrap();
}

async fn linked_counts(app: &TestApp, s: &Session, source: &str) -> (Value, Value, Value) {
    let data = app
        .ok(
            s,
            "query($id: ID!) { source(id: $id) { linkedCount linked: nodes(linked: true) { totalCount edges { node { name } } } unlinked: nodes(linked: false) { totalCount } } }",
            json!({"id": source}),
        )
        .await;
    let src = &data["source"];
    (
        src["linkedCount"].clone(),
        src["linked"]["totalCount"].clone(),
        src["unlinked"]["totalCount"].clone(),
    )
}

/// Link by a person, unlink by a script, relink: both links stay, newest first, each with who
/// made and ended it; the node, linkedCount, nodes(linked:) and Service.links follow.
async fn link_unlink_and_relink_keep_history_with_actors(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let operator = app.login_as("Acme", Role::Operator).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let acme = node(&app, &source, "Company", "1", "Acme", None, json!({})).await;
    node(&app, &source, "Company", "2", "Beta", None, json!({})).await;
    let st = service_type(&app, &admin, "Internet", json!([])).await;
    let c = customer(&app, &admin, "Acme Corp").await;
    let first = service(&app, &admin, &c, &st, "Fibre 1", json!({})).await;
    let second = service(&app, &admin, &c, &st, "Fibre 2", json!({})).await;
    assert_eq!(
        linked_counts(&app, &admin, &source).await,
        (json!(0), json!(0), json!(2))
    );

    let link = app
        .ok(&operator, LINK, json!({"n": acme, "s": first}))
        .await["linkNode"]
        .clone();
    assert_eq!(link["linkedBy"]["label"], operator.email);
    assert_eq!(link["linkedBy"]["user"]["email"], operator.email);
    assert_eq!(link["unlinkedAt"], Value::Null);
    assert_eq!(link["unlinkedBy"], Value::Null);
    assert_eq!(link["lastFieldSync"], json!([]));
    assert_eq!(link["node"]["linkState"], "LINKED");
    assert_eq!(link["service"]["name"], "Fibre 1");
    assert_eq!(
        linked_counts(&app, &admin, &source).await,
        (json!(1), json!(1), json!(1))
    );
    let by_id = app
        .ok(
            &admin,
            "query($id: ID!) { node(id: $id) { id ... on Link { service { name } } } }",
            json!({"id": link["id"]}),
        )
        .await;
    assert_eq!(by_id["node"]["service"]["name"], "Fibre 1");

    let token = app
        .ok(
            &admin,
            gql::CREATE_TOKEN,
            json!({"name": "relinker", "role": "OPERATOR"}),
        )
        .await["createApiToken"]["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let script = Session {
        token,
        email: String::new(),
        password: String::new(),
        org: "Acme".into(),
    };
    let node_after = app.ok(&script, UNLINK, json!({"n": acme})).await["unlinkNode"].clone();
    assert_eq!(node_after["linkState"], "UNLINKED");
    assert_eq!(node_after["link"], Value::Null);
    assert_eq!(
        linked_counts(&app, &admin, &source).await,
        (json!(0), json!(0), json!(2))
    );

    app.ok(&admin, LINK, json!({"n": acme, "s": second})).await;
    let read = app.ok(&admin, NODE_LINKS, json!({"n": acme})).await["sourceNode"].clone();
    assert_eq!(read["linkState"], "LINKED");
    assert_eq!(read["link"]["service"]["name"], "Fibre 2");
    assert_eq!(read["links"]["totalCount"], 2);
    let edges = read["links"]["edges"].as_array().unwrap();
    assert_eq!(edges[0]["node"]["service"]["name"], "Fibre 2");
    assert_eq!(edges[0]["node"]["unlinkedAt"], Value::Null);
    assert_eq!(edges[1]["node"]["service"]["name"], "Fibre 1");
    assert_eq!(edges[1]["node"]["linkedBy"]["label"], operator.email);
    assert_eq!(edges[1]["node"]["unlinkedBy"]["label"], "token: relinker");
    assert_eq!(
        edges[1]["node"]["unlinkedBy"]["apiToken"]["name"],
        "relinker"
    );
    assert!(edges[1]["node"]["unlinkedAt"].is_string());

    // Paging a node's links: one at a time, newest first.
    let page = app
        .ok(&admin, "query($n: ID!) { sourceNode(id: $n) { links(first: 1) { edges { node { service { name } } } pageInfo { hasNextPage endCursor } } } }", json!({"n": acme}))
        .await["sourceNode"]["links"]
        .clone();
    assert_eq!(page["edges"][0]["node"]["service"]["name"], "Fibre 2");
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let next = app
        .ok(&admin, "query($n: ID!, $a: String) { sourceNode(id: $n) { links(first: 1, after: $a) { edges { node { service { name } } } pageInfo { hasNextPage } } } }", json!({"n": acme, "a": page["pageInfo"]["endCursor"]}))
        .await["sourceNode"]["links"]
        .clone();
    assert_eq!(next["edges"][0]["node"]["service"]["name"], "Fibre 1");
    assert_eq!(next["pageInfo"]["hasNextPage"], false);

    let service_links = app
        .ok(
            &admin,
            "query($s: ID!) { service(id: $s) { links { node { name } unlinkedBy { label } } } }",
            json!({"s": first}),
        )
        .await["service"]["links"]
        .clone();
    assert_eq!(
        service_links,
        json!([{"node": {"name": "Acme"}, "unlinkedBy": {"label": "token: relinker"}}])
    );
}

/// CONFLICT: linking a linked node, unlinking an unlinked one, linking a deleted node or a
/// node of a deleted source, and useRecommendation without a recommendation.
async fn linking_refuses_what_semantics_calls_a_conflict(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let acme = node(&app, &source, "Company", "1", "Acme", None, json!({})).await;
    let gone = node(&app, &source, "Company", "2", "Gone", None, json!({})).await;
    delete_node(&app, &gone).await;
    let st = service_type(&app, &admin, "Internet", json!([])).await;
    let c = customer(&app, &admin, "Acme Corp").await;
    let svc = service(&app, &admin, &c, &st, "Fibre", json!({})).await;

    let (code, _) = app.err(&admin, UNLINK, json!({"n": acme})).await;
    assert_eq!(code, "CONFLICT");
    let (code, _) = app
        .err(
            &admin,
            "mutation($n: ID!) { useRecommendation(nodeId: $n) { id } }",
            json!({"n": acme}),
        )
        .await;
    assert_eq!(code, "CONFLICT");
    app.ok(&admin, LINK, json!({"n": acme, "s": svc})).await;
    let (code, body) = app.err(&admin, LINK, json!({"n": acme, "s": svc})).await;
    assert_eq!(code, "CONFLICT", "{body}");
    let (code, _) = app.err(&admin, LINK, json!({"n": gone, "s": svc})).await;
    assert_eq!(code, "CONFLICT");

    // A deleted source's nodes stay readable but cannot be linked.
    let other = app.create_cw_source(&admin, "Old CW").await;
    let orphan = node(&app, &other, "Company", "9", "Orphan", None, json!({})).await;
    app.ok(
        &admin,
        "mutation($id: ID!) { deleteSource(id: $id) }",
        json!({"id": other}),
    )
    .await;
    let (code, body) = app.err(&admin, LINK, json!({"n": orphan, "s": svc})).await;
    assert_eq!(code, "CONFLICT", "{body}");
    assert_eq!(linked_counts(&app, &admin, &source).await.0, json!(1));
}

/// Two linkNode calls for one node at once: one link, the other call CONFLICT.
async fn two_racing_links_of_one_node_make_one_link(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let acme = node(&app, &source, "Company", "1", "Acme", None, json!({})).await;
    let st = service_type(&app, &admin, "Internet", json!([])).await;
    let c = customer(&app, &admin, "Acme Corp").await;
    let a = service(&app, &admin, &c, &st, "Fibre A", json!({})).await;
    let b = service(&app, &admin, &c, &st, "Fibre B", json!({})).await;
    let (x, y) = tokio::join!(
        app.gql(Some(&admin.token), LINK, json!({"n": acme, "s": a})),
        app.gql(Some(&admin.token), LINK, json!({"n": acme, "s": b})),
    );
    let codes: Vec<Value> = [&x, &y]
        .iter()
        .map(|r| r["errors"][0]["extensions"]["code"].clone())
        .collect();
    assert_eq!(codes.iter().filter(|c| c.is_null()).count(), 1, "{x} {y}");
    assert!(codes.contains(&json!("CONFLICT")), "{x} {y}");
    let read = app.ok(&admin, NODE_LINKS, json!({"n": acme})).await;
    assert_eq!(read["sourceNode"]["links"]["totalCount"], 1);
    assert_eq!(linked_counts(&app, &admin, &source).await.0, json!(1));
}

/// Another organization's nodes and services are NOT_FOUND (its links null); a VIEWER cannot
/// link, unlink or create.
async fn other_organizations_and_viewers_cannot_link(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let viewer = app.login_as("Acme", Role::Viewer).await;
    let rival = app.login_as("Rival", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let acme = node(&app, &source, "Company", "1", "Acme", None, json!({})).await;
    let st = service_type(&app, &admin, "Internet", json!([])).await;
    let c = customer(&app, &admin, "Acme Corp").await;
    let svc = service(&app, &admin, &c, &st, "Fibre", json!({})).await;
    let rival_st = service_type(&app, &rival, "Internet", json!([])).await;
    let rival_c = customer(&app, &rival, "Rival Corp").await;
    let rival_svc = service(&app, &rival, &rival_c, &rival_st, "Fibre", json!({})).await;

    for (session, vars) in [
        (&rival, json!({"n": acme, "s": rival_svc})),
        (&admin, json!({"n": acme, "s": rival_svc})),
        (&admin, json!({"n": "junk", "s": svc})),
    ] {
        let (code, body) = app.err(session, LINK, vars).await;
        assert_eq!(code, "NOT_FOUND", "{body}");
    }
    let (code, _) = app.err(&rival, UNLINK, json!({"n": acme})).await;
    assert_eq!(code, "NOT_FOUND");
    let (code, _) = app.err(&viewer, LINK, json!({"n": acme, "s": svc})).await;
    assert_eq!(code, "FORBIDDEN");
    let link = app.ok(&admin, LINK, json!({"n": acme, "s": svc})).await["linkNode"]["id"].clone();
    let (code, _) = app.err(&viewer, UNLINK, json!({"n": acme})).await;
    assert_eq!(code, "FORBIDDEN");
    let (code, _) = app
        .err(&viewer, "mutation($n: ID!, $c: ID!, $st: ID!) { createServiceForNode(nodeId: $n, input: {customerId: $c, serviceTypeId: $st, effectiveDate: \"2026-01-01\"}) { id } }", json!({"n": acme, "c": c, "st": st["id"]}))
        .await;
    assert_eq!(code, "FORBIDDEN");
    let seen = app
        .ok(
            &rival,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": link}),
        )
        .await;
    assert_eq!(seen["node"], Value::Null);
    let mine = app
        .ok(
            &viewer,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": link}),
        )
        .await;
    assert_eq!(mine["node"]["id"], link);
}

const CREATE_FOR_NODE: &str = "mutation($n: ID!, $input: NewServiceForNodeInput!) { createServiceForNode(nodeId: $n, input: $input) { linkedBy { label } node { linkState } service { name provider customer { name } fields { field { key } value } } } }";

/// createServiceForNode: mapped node values (converted, enabled, source to service) under the
/// input's fields, the node's name and the source's provider by default, validated like
/// createService (errors name the field, nothing half-written), then linked.
async fn create_service_for_node_applies_mapped_values_under_the_input(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let st = service_type(
        &app,
        &admin,
        "Device",
        json!([
            {"key": "serial", "label": "Serial number", "dataType": "TEXT", "readOnly": true},
            {"key": "model", "label": "Model", "dataType": "TEXT", "required": true},
            {"key": "seats", "label": "Seats", "dataType": "NUMBER"},
            {"key": "note", "label": "Note", "dataType": "TEXT"}
        ]),
    )
    .await;
    map_type(
        &app,
        &admin,
        "Configuration",
        &st,
        &[
            ("serialNumber", "serial"),
            ("type.name", "model"),
            ("seatCount", "seats"),
        ],
    )
    .await;
    let c = customer(&app, &admin, "Acme Corp").await;
    let router = node(
        &app,
        &source,
        "Configuration",
        "7",
        "Core router",
        None,
        json!({"serialNumber": "SN-7", "type.name": "MX64", "seatCount": "12"}),
    )
    .await;
    let bare = node(
        &app,
        &source,
        "Configuration",
        "8",
        "Bare box",
        None,
        json!({"serialNumber": "SN-8"}),
    )
    .await;

    let input = json!({"customerId": c, "serviceTypeId": st["id"], "effectiveDate": "2026-03-01", "fields": {"note": "rack 2", "model": "MX65"}});
    let link = app
        .ok(
            &admin,
            CREATE_FOR_NODE,
            json!({"n": router, "input": input}),
        )
        .await["createServiceForNode"]
        .clone();
    assert_eq!(link["node"]["linkState"], "LINKED");
    assert_eq!(link["linkedBy"]["label"], admin.email);
    let svc = &link["service"];
    assert_eq!(svc["name"], "Core router");
    assert_eq!(svc["provider"], "CONNECTWISE_MANAGE");
    assert_eq!(svc["customer"]["name"], "Acme Corp");
    let values: Value = svc["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"]["key"].as_str().unwrap().to_owned(),
                f["value"].clone(),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into();
    assert_eq!(
        values,
        json!({"serial": "SN-7", "model": "MX65", "seats": 12, "note": "rack 2"})
    );

    // Nothing maps "model" for this node and the input leaves it out: the error names it.
    let input = json!({"customerId": c, "serviceTypeId": st["id"], "effectiveDate": "2026-03-01", "name": "Spare", "provider": "SYNCRO"});
    let (code, body) = app
        .err(
            &admin,
            CREATE_FOR_NODE,
            json!({"n": bare, "input": input.clone()}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT", "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "input.fields.model"
    );
    let count = app
        .ok(&admin, "{ services { totalCount } }", json!({}))
        .await["services"]["totalCount"]
        .clone();
    assert_eq!(count, 1, "a refused service was half-written");
    let mut fixed = input;
    fixed["fields"] = json!({"model": "Spare box"});
    let link = app
        .ok(&admin, CREATE_FOR_NODE, json!({"n": bare, "input": fixed}))
        .await["createServiceForNode"]
        .clone();
    assert_eq!(link["service"]["name"], "Spare");
    assert_eq!(link["service"]["provider"], "SYNCRO");

    // A linked node gets no second service.
    let input = json!({"customerId": c, "serviceTypeId": st["id"], "effectiveDate": "2026-03-01", "fields": {"model": "x"}});
    let (code, _) = app
        .err(
            &admin,
            CREATE_FOR_NODE,
            json!({"n": router, "input": input}),
        )
        .await;
    assert_eq!(code, "CONFLICT");
    let count = app
        .ok(&admin, "{ services { totalCount } }", json!({}))
        .await["services"]["totalCount"]
        .clone();
    assert_eq!(count, 2);
}
