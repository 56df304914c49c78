//! The dictionary's type and field mappings: creation, the node types and fields a provider
//! has, convertibility in each direction, uniqueness, roles and tenancy.

use entity::enums::Role;
use serde_json::{json, Value};
use tests::{dual_db, gql, Session, TestApp};

dual_db!(
    type_mappings_are_checked_against_the_provider,
    field_mappings_refuse_pairs_that_never_convert,
    mappings_are_scoped_to_the_organization,
);

const DEVICE_TYPE: &str = r#"mutation { createServiceType(input: {name: "Managed device", fields: [
  {key: "serial", label: "Serial", dataType: TEXT},
  {key: "seats", label: "Seats", dataType: NUMBER},
  {key: "purchased", label: "Purchased", dataType: DATE},
  {key: "phone", label: "Phone", dataType: PHONE}
]}) { id fields { id key } } }"#;

/// A service type and the id of each of its fields by key.
async fn device_type(app: &TestApp, s: &Session) -> (Value, impl Fn(&str) -> Value) {
    let st = app.ok(s, DEVICE_TYPE, json!({})).await["createServiceType"].clone();
    let fields = st["fields"].as_array().unwrap().clone();
    let field = move |key: &str| {
        fields
            .iter()
            .find(|f| f["key"] == key)
            .map(|f| f["id"].clone())
            .unwrap()
    };
    (st["id"].clone(), field)
}

async fn map_type(app: &TestApp, s: &Session, node_type: &str, st: &Value) -> Value {
    let vars = json!({"p": "CONNECTWISE_MANAGE", "t": node_type, "st": st});
    app.ok(s, gql::CREATE_TYPE_MAPPING, vars).await["createTypeMapping"].clone()
}

async fn type_mappings_are_checked_against_the_provider(app: TestApp) {
    let op = app.login_as("Acme", Role::Operator).await;
    let (st, _) = device_type(&app, &op).await;
    let tm = map_type(&app, &op, "Configuration", &st).await;
    assert_eq!(tm["nodeType"], "Configuration");
    assert_eq!(tm["serviceType"]["name"], "Managed device");
    // Many-to-many: the same service type from another node type is fine; the same pair twice is not.
    map_type(&app, &op, "Company", &st).await;
    let vars = json!({"p": "CONNECTWISE_MANAGE", "t": "Configuration", "st": st});
    let (code, _) = app.err(&op, gql::CREATE_TYPE_MAPPING, vars).await;
    assert_eq!(code, "CONFLICT");
    let vars = json!({"p": "CONNECTWISE_MANAGE", "t": "Group", "st": st});
    let (code, body) = app.err(&op, gql::CREATE_TYPE_MAPPING, vars).await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "input.nodeType");
    let vars = json!({"p": "BROADWORKS", "t": "Group", "st": st});
    app.ok(&op, gql::CREATE_TYPE_MAPPING, vars).await;

    let q = "query($p: Provider) { typeMappings(provider: $p) { nodeType provider } }";
    let cw = app.ok(&op, q, json!({"p": "CONNECTWISE_MANAGE"})).await;
    let types: Vec<&str> = cw["typeMappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["nodeType"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Company", "Configuration"]);
    let all = app.ok(&op, q, json!({})).await;
    assert_eq!(all["typeMappings"].as_array().unwrap().len(), 3);
    let node = app
        .ok(
            &op,
            "query($id: ID!) { node(id: $id) { ... on TypeMapping { nodeType } } }",
            json!({"id": tm["id"]}),
        )
        .await;
    assert_eq!(node["node"]["nodeType"], "Configuration");

    let viewer = app.login_as("Acme", Role::Viewer).await;
    let vars = json!({"p": "CONNECTWISE_MANAGE", "t": "Site", "st": st});
    let (code, _) = app.err(&viewer, gql::CREATE_TYPE_MAPPING, vars).await;
    assert_eq!(code, "FORBIDDEN");
}

async fn field_mappings_refuse_pairs_that_never_convert(app: TestApp) {
    let op = app.login_as("Acme", Role::Operator).await;
    let (st, field) = device_type(&app, &op).await;
    let tm = map_type(&app, &op, "Configuration", &st).await;
    let company = map_type(&app, &op, "Company", &st).await;
    let vars = json!({"p": "NETSAPIENS", "t": "User", "st": st});
    let ns = app.ok(&op, gql::CREATE_TYPE_MAPPING, vars).await["createTypeMapping"].clone();
    let map = |tm: &Value, nf: &str, sf: Value, d: Value| json!({"tm": tm["id"], "nf": nf, "sf": sf, "d": d});

    let fm = app
        .ok(
            &op,
            gql::CREATE_FIELD_MAPPING,
            map(&tm, "serialNumber", field("serial"), Value::Null),
        )
        .await["createFieldMapping"]
        .clone();
    assert_eq!(fm["direction"], "SOURCE_TO_SERVICE");
    assert_eq!(fm["enabled"], true);
    assert_eq!(fm["serviceField"]["key"], "serial");
    // A date-time becomes a date, and a date is written back as midnight in the source's zone.
    app.ok(
        &op,
        gql::CREATE_FIELD_MAPPING,
        map(&tm, "purchaseDate", field("purchased"), json!("BOTH")),
    )
    .await;
    // The same service field twice in one type mapping.
    let (code, _) = app
        .err(
            &op,
            gql::CREATE_FIELD_MAPPING,
            map(&tm, "name", field("serial"), Value::Null),
        )
        .await;
    assert_eq!(code, "CONFLICT");

    let refused = [
        // A JSON list can never be a number.
        (&company, "types", "seats", Value::Null, "input.nodeField"),
        // An enum node field feeds a number, but a number never becomes one of its values.
        (
            &ns,
            "voicemail-enabled",
            "seats",
            json!("BOTH"),
            "input.direction",
        ),
        // Unknown node field.
        (&tm, "colour", "phone", Value::Null, "input.nodeField"),
    ];
    for (tm, nf, sf, d, path) in refused {
        let (code, body) = app
            .err(&op, gql::CREATE_FIELD_MAPPING, map(tm, nf, field(sf), d))
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{nf}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"], path,
            "{nf}: {body}"
        );
    }
    let (_, body) = app
        .err(
            &op,
            gql::CREATE_FIELD_MAPPING,
            map(&company, "types", field("seats"), Value::Null),
        )
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("can never become a number"), "{message}");

    // Custom fields are accepted as text; a field of another service type is not.
    app.ok(
        &op,
        gql::CREATE_FIELD_MAPPING,
        map(
            &company,
            "customFields.Region",
            field("serial"),
            Value::Null,
        ),
    )
    .await;
    let (other_st, other_field) = {
        let q = r#"mutation { createServiceType(input: {name: "Other", fields: [{key: "x", label: "X", dataType: TEXT}]}) { id fields { id } } }"#;
        let st = app.ok(&op, q, json!({})).await["createServiceType"].clone();
        (st["id"].clone(), st["fields"][0]["id"].clone())
    };
    assert_ne!(other_st, st);
    let (code, body) = app
        .err(
            &op,
            gql::CREATE_FIELD_MAPPING,
            map(&tm, "name", other_field, Value::Null),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "input.serviceFieldId"
    );

    let q = "{ typeMappings { nodeType fieldMappings { nodeField serviceField { key } } } }";
    let data = app.ok(&op, q, json!({})).await;
    let config = data["typeMappings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["nodeType"] == "Configuration")
        .unwrap()
        .clone();
    let pairs: Vec<String> = config["fieldMappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}>{}",
                f["nodeField"].as_str().unwrap(),
                f["serviceField"]["key"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(pairs, ["serialNumber>serial", "purchaseDate>purchased"]);
}

async fn mappings_are_scoped_to_the_organization(app: TestApp) {
    let acme = app.login_as("Acme", Role::Operator).await;
    let (st, field) = device_type(&app, &acme).await;
    let tm = map_type(&app, &acme, "Configuration", &st).await;
    let other = app.login_as("Globex", Role::Admin).await;
    let data = app.ok(&other, "{ typeMappings { id } }", json!({})).await;
    assert_eq!(data["typeMappings"], json!([]));
    let node = app
        .ok(
            &other,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({"id": tm["id"]}),
        )
        .await;
    assert_eq!(node["node"], Value::Null);
    let vars = json!({"tm": tm["id"], "nf": "serialNumber", "sf": field("serial"), "d": null});
    let (code, _) = app.err(&other, gql::CREATE_FIELD_MAPPING, vars).await;
    assert_eq!(code, "NOT_FOUND");
    let vars = json!({"p": "CONNECTWISE_MANAGE", "t": "Company", "st": st});
    let (code, _) = app.err(&other, gql::CREATE_TYPE_MAPPING, vars).await;
    assert_eq!(code, "NOT_FOUND");
}
