//! The billing side: service types and fields, services, validation by type, and the history
//! of every change with its actor.

use entity::enums::Role;
use serde_json::{json, Value};
use tests::{dual_db, gql, Session, TestApp};

dual_db!(
    services_validate_values_by_type_and_constraints,
    every_change_is_recorded_with_its_actor,
    adding_a_field_reaches_existing_services,
    customers_and_services_search_and_page,
);

const SEAT_TYPE: &str = r#"mutation { createServiceType(input: {name: "Seat", fields: [
  {key: "did", label: "DID", dataType: PHONE, required: true},
  {key: "email", label: "Email", dataType: EMAIL},
  {key: "seats", label: "Seats", dataType: NUMBER, defaultValue: 1},
  {key: "active", label: "Active", dataType: BOOLEAN},
  {key: "start", label: "Start", dataType: DATE},
  {key: "plan", label: "Plan", dataType: ENUM, allowedValues: ["Basic", "Pro"]},
  {key: "note", label: "Note", dataType: TEXT, maxLength: 5},
  {key: "serial", label: "Serial", dataType: TEXT, readOnly: true},
  {key: "meta", label: "Meta", dataType: JSON}
]}) { id fields { key dataType required readOnly maxLength allowedValues defaultValue } } }"#;

const CREATE_SERVICE: &str = "mutation($c: ID!, $st: ID!, $f: JSON) { createService(input: {name: \"Seat 1\", customerId: $c, serviceTypeId: $st, effectiveDate: \"2026-02-01\", provider: BROADWORKS, fields: $f}) { id name provider effectiveDate customer { name } serviceType { name } fields { field { key } value } } }";

async fn setup(app: &TestApp, admin: &Session) -> (Value, Value) {
    let st = app.ok(admin, SEAT_TYPE, json!({})).await["createServiceType"].clone();
    let customer = app
        .ok(admin, gql::CREATE_CUSTOMER, json!({"name": "Acme"}))
        .await["createCustomer"]["id"]
        .clone();
    (st, customer)
}

fn value_of(service: &Value, key: &str) -> Value {
    service["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"]["key"] == key)
        .map(|f| f["value"].clone())
        .unwrap()
}

async fn services_validate_values_by_type_and_constraints(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (st, customer) = setup(&app, &admin).await;
    assert_eq!(st["fields"][2]["defaultValue"], 1);
    let vars = |f: Value| json!({"c": customer, "st": st["id"], "f": f});
    let bad = [
        (json!({}), "input.fields.did"),
        (json!({"did": "call me"}), "input.fields.did"),
        (
            json!({"did": "+1 555 0100", "email": "nope"}),
            "input.fields.email",
        ),
        (
            json!({"did": "+1 555 0100", "seats": "many"}),
            "input.fields.seats",
        ),
        (
            json!({"did": "+1 555 0100", "active": "yes"}),
            "input.fields.active",
        ),
        (
            json!({"did": "+1 555 0100", "start": "01/02/2026"}),
            "input.fields.start",
        ),
        (
            json!({"did": "+1 555 0100", "plan": "Gold"}),
            "input.fields.plan",
        ),
        (
            json!({"did": "+1 555 0100", "note": "too long"}),
            "input.fields.note",
        ),
        (
            json!({"did": "+1 555 0100", "colour": "red"}),
            "input.fields.colour",
        ),
    ];
    for (fields, field) in bad {
        let (code, body) = app.err(&admin, CREATE_SERVICE, vars(fields.clone())).await;
        assert_eq!(code, "BAD_USER_INPUT", "{fields}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{fields}: {body}"
        );
    }
    assert_eq!(
        app.ok(&admin, "{ services { totalCount } }", json!({}))
            .await["services"]["totalCount"],
        0,
        "a refused service was half-written"
    );
    let ok = vars(
        json!({"did": "+1 555 0100", "seats": "3", "active": "TRUE", "start": "2026-02-01T23:30:00+00:00", "plan": "pro", "note": "hi", "meta": {"a": [1]}}),
    );
    let svc = app.ok(&admin, CREATE_SERVICE, ok).await["createService"].clone();
    assert_eq!(svc["provider"], "BROADWORKS");
    assert_eq!(svc["effectiveDate"], "2026-02-01");
    assert_eq!(value_of(&svc, "seats"), 3);
    assert_eq!(value_of(&svc, "active"), true);
    assert_eq!(value_of(&svc, "start"), "2026-02-01");
    assert_eq!(value_of(&svc, "plan"), "Pro");
    assert_eq!(value_of(&svc, "meta"), json!({"a": [1]}));
    assert_eq!(value_of(&svc, "email"), Value::Null);
    // Dates are dates.
    let (code, body) = app.err(&admin, "mutation($c: ID!, $st: ID!) { createService(input: {name: \"x\", customerId: $c, serviceTypeId: $st, effectiveDate: \"tomorrow\"}) { id } }", json!({"c": customer, "st": st["id"]})).await;
    assert_eq!(code, "BAD_USER_INPUT", "{body}");
}

/// updateServiceFields writes only what changed, each change with origin USER and its actor
/// (a person or a token); a bad key writes nothing.
async fn every_change_is_recorded_with_its_actor(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (st, customer) = setup(&app, &admin).await;
    let svc = app
        .ok(
            &admin,
            CREATE_SERVICE,
            json!({"c": customer, "st": st["id"], "f": {"did": "+1 555 0100"}}),
        )
        .await["createService"]["id"]
        .clone();
    let update =
        "mutation($id: ID!, $f: JSON!) { updateServiceFields(serviceId: $id, fields: $f) { id } }";
    app.ok(
        &admin,
        update,
        json!({"id": svc, "f": {"did": "+1 555 0199", "seats": 1}}),
    )
    .await;
    let token = app
        .ok(
            &admin,
            gql::CREATE_TOKEN,
            json!({"name": "billing-script", "role": "OPERATOR"}),
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
    app.ok(&script, update, json!({"id": svc, "f": {"plan": "Basic"}}))
        .await;
    let (code, _) = app
        .err(
            &script,
            update,
            json!({"id": svc, "f": {"plan": "Pro", "nope": 1}}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    let history = app
        .ok(&admin, "query($id: ID!) { service(id: $id) { history { totalCount edges { node { field { key } oldValue newValue origin actor { label user { email } apiToken { name } } at } } } } }", json!({"id": svc}))
        .await;
    let edges = history["service"]["history"]["edges"].as_array().unwrap();
    let changes: Vec<(String, Value, Value, String)> = edges
        .iter()
        .map(|e| {
            let n = &e["node"];
            (
                n["field"]["key"].as_str().unwrap().to_owned(),
                n["oldValue"].clone(),
                n["newValue"].clone(),
                n["actor"]["label"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Newest first: the token's change, the person's change of did (seats was already 1), creation.
    assert_eq!(
        changes[0],
        (
            "plan".into(),
            Value::Null,
            json!("Basic"),
            "token: billing-script".into()
        )
    );
    assert_eq!(
        changes[1],
        (
            "did".into(),
            json!("+1 555 0100"),
            json!("+1 555 0199"),
            admin.email.clone()
        )
    );
    assert!(edges.iter().all(|e| e["node"]["origin"] == "USER"));
    assert_eq!(
        edges[0]["node"]["actor"]["apiToken"]["name"],
        "billing-script"
    );
    assert_eq!(
        edges[1]["node"]["actor"]["user"]["email"],
        admin.email.as_str()
    );
    // Creation recorded did and the seats default.
    assert_eq!(history["service"]["history"]["totalCount"], 4);
}

async fn adding_a_field_reaches_existing_services(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (st, customer) = setup(&app, &admin).await;
    let svc = app
        .ok(
            &admin,
            CREATE_SERVICE,
            json!({"c": customer, "st": st["id"], "f": {"did": "+1 555 0100"}}),
        )
        .await["createService"]["id"]
        .clone();
    let add = "mutation($id: ID!, $input: ServiceTypeFieldInput!) { addServiceTypeField(serviceTypeId: $id, input: $input) { fields { key } } }";
    let (code, _) = app.err(&admin, add, json!({"id": st["id"], "input": {"key": "region", "label": "Region", "dataType": "TEXT", "required": true}})).await;
    assert_eq!(code, "CONFLICT");
    let (code, _) = app
        .err(
            &admin,
            add,
            json!({"id": st["id"], "input": {"key": "did", "label": "again", "dataType": "TEXT"}}),
        )
        .await;
    assert_eq!(code, "CONFLICT");
    app.ok(&admin, add, json!({"id": st["id"], "input": {"key": "region", "label": "Region", "dataType": "TEXT", "required": true, "defaultValue": "EU"}})).await;
    let data = app
        .ok(
            &admin,
            "query($id: ID!) { service(id: $id) { fields { field { key } value } } }",
            json!({"id": svc}),
        )
        .await;
    assert_eq!(value_of(&data["service"], "region"), "EU");
}

async fn customers_and_services_search_and_page(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    for name in ["Zeta", "alpha", "Beta", "Alphabet"] {
        app.ok(&admin, gql::CREATE_CUSTOMER, json!({"name": name}))
            .await;
    }
    let q = "query($s: String, $a: String) { customers(search: $s, first: 2, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }";
    let first = app.ok(&admin, q, json!({"s": null, "a": null})).await;
    let names = |v: &Value| {
        v["customers"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&first), ["alpha", "Alphabet"]);
    let second = app
        .ok(
            &admin,
            q,
            json!({"s": null, "a": first["customers"]["pageInfo"]["endCursor"]}),
        )
        .await;
    assert_eq!(names(&second), ["Beta", "Zeta"]);
    assert_eq!(second["customers"]["pageInfo"]["hasNextPage"], false);
    let found = app.ok(&admin, q, json!({"s": "ALPH", "a": null})).await;
    assert_eq!(found["customers"]["totalCount"], 2);
}
