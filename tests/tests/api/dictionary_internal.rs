//! The organization's own vocabularies (internalValues / setInternalValues): defaults per kind,
//! cleaning, per-organization lists, and going back to the default.

use entity::enums::Role;
use serde_json::json;
use tests::{dual_db, TestApp};

dual_db!(internal_values_have_defaults_and_are_replaced_cleanly);

const INTERNAL: &str = "query($k: ValueMappingKind!) { internalValues(kind: $k) }";
pub(crate) const SET_INTERNAL: &str =
    "mutation($k: ValueMappingKind!, $v: [String!]!) { setInternalValues(kind: $k, values: $v) }";

async fn internal_values_have_defaults_and_are_replaced_cleanly(app: TestApp) {
    let operator = app.login_as("Acme", Role::Operator).await;
    let statuses = app
        .ok(&operator, INTERNAL, json!({"k": "TICKET_STATUS"}))
        .await;
    assert_eq!(
        statuses["internalValues"],
        json!(["New", "In Progress", "Waiting", "Resolved", "Closed"])
    );
    let hardware = app
        .ok(&operator, INTERNAL, json!({"k": "HARDWARE_TYPE"}))
        .await;
    assert!(hardware["internalValues"]
        .as_array()
        .unwrap()
        .contains(&json!("Laptop")));
    // Trimmed, de-duplicated ignoring case, in the order given.
    let vars = json!({"k": "HARDWARE_TYPE", "v": [" Workstation ", "Server", "workstation", "Network", "SERVER"]});
    let set = app.ok(&operator, SET_INTERNAL, vars).await;
    assert_eq!(
        set["setInternalValues"],
        json!(["Workstation", "Server", "Network"])
    );
    let read = app
        .ok(&operator, INTERNAL, json!({"k": "HARDWARE_TYPE"}))
        .await;
    assert_eq!(read["internalValues"], set["setInternalValues"]);
    // Other kinds and other organizations keep their own lists.
    let statuses_again = app
        .ok(&operator, INTERNAL, json!({"k": "TICKET_STATUS"}))
        .await;
    assert_eq!(statuses_again, statuses);
    let other = app.login_as("Globex", Role::Viewer).await;
    let theirs = app
        .ok(&other, INTERNAL, json!({"k": "HARDWARE_TYPE"}))
        .await;
    assert_eq!(theirs, hardware);
    // An empty value is refused, naming it; nothing changes.
    let (code, body) = app
        .err(
            &operator,
            SET_INTERNAL,
            json!({"k": "HARDWARE_TYPE", "v": ["Desk", "  "]}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "values.1");
    let unchanged = app
        .ok(&operator, INTERNAL, json!({"k": "HARDWARE_TYPE"}))
        .await;
    assert_eq!(unchanged["internalValues"], set["setInternalValues"]);
    // An empty list goes back to the default.
    let reset = app
        .ok(
            &operator,
            SET_INTERNAL,
            json!({"k": "HARDWARE_TYPE", "v": []}),
        )
        .await;
    assert_eq!(reset["setInternalValues"], hardware["internalValues"]);
}
