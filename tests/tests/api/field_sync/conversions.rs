//! Every row of the conversion table (SEMANTICS "Field mappings and sync fields"): what
//! converts is SYNCED, what cannot is FAILED with the node's value, an ENUM value outside
//! `allowedValues` is SKIPPED, and only SYNCED values reach the service and its history.

use serde_json::{json, Value};
use tests::{dual_db, TestApp};

use super::{fixture, outcome, sync_fields, values, SERVICE};

dual_db!(every_conversion_syncs_or_fails_as_the_table_says);

async fn every_conversion_syncs_or_fails_as_the_table_says(app: TestApp) {
    let fields = r#"
      {key: "text_n", label: "t", dataType: TEXT}, {key: "text_b", label: "t", dataType: TEXT},
      {key: "text_o", label: "t", dataType: TEXT}, {key: "num_n", label: "n", dataType: NUMBER},
      {key: "num_t", label: "n", dataType: NUMBER}, {key: "num_x", label: "n", dataType: NUMBER},
      {key: "bool_b", label: "b", dataType: BOOLEAN}, {key: "bool_t", label: "b", dataType: BOOLEAN},
      {key: "bool_x", label: "b", dataType: BOOLEAN}, {key: "date_d", label: "d", dataType: DATE},
      {key: "date_x", label: "d", dataType: DATE}, {key: "dt_o", label: "d", dataType: DATETIME},
      {key: "dt_x", label: "d", dataType: DATETIME}, {key: "email_o", label: "e", dataType: EMAIL},
      {key: "email_x", label: "e", dataType: EMAIL}, {key: "phone_o", label: "p", dataType: PHONE},
      {key: "phone_x", label: "p", dataType: PHONE},
      {key: "enum_o", label: "e", dataType: ENUM, allowedValues: ["Gold", "Silver"]},
      {key: "enum_x", label: "e", dataType: ENUM, allowedValues: ["Gold", "Silver"]},
      {key: "json_o", label: "j", dataType: JSON}, {key: "json_t", label: "j", dataType: JSON}"#;
    let fx = fixture(&app, fields, json!({})).await;
    fx.map_same_names(&app).await;
    let node = json!({
        "text_n": 42, "text_b": true, "text_o": {"a": [1]}, "num_n": 7, "num_t": " 12.5 ",
        "num_x": "twelve", "bool_b": false, "bool_t": "TRUE", "bool_x": "yes",
        "date_d": "2025-03-01", "date_x": "March 1st", "dt_o": "2026-01-01T00:01:00Z",
        "dt_x": "2026-01-01T00:01:00", "email_o": "Ann@Example.com", "email_x": "ann at example",
        "phone_o": "+1 (813) 555-0101", "phone_x": "call me", "enum_o": "gold",
        "enum_x": "Bronze", "json_o": {"k": [1, "x"]}, "json_t": "plain"
    });
    let node_id = fx.linked_node(&app, node).await;
    let results = sync_fields(&app, &fx.operator, node_id).await;
    assert_eq!(results.len(), 21);
    let synced = [
        ("text_n", json!("42")),
        ("text_b", json!("true")),
        ("text_o", json!("{\"a\":[1]}")),
        ("num_n", json!(7)),
        ("num_t", json!(12.5)),
        ("bool_b", json!(false)),
        ("bool_t", json!(true)),
        ("date_d", json!("2025-03-01")),
        ("dt_o", json!("2026-01-01T00:01:00+00:00")),
        ("email_o", json!("Ann@Example.com")),
        ("phone_o", json!("+1 (813) 555-0101")),
        ("enum_o", json!("Gold")),
        ("json_o", json!({"k": [1, "x"]})),
        ("json_t", json!("plain")),
    ];
    let stored = values(&app, &fx).await;
    for (key, value) in &synced {
        assert_eq!(
            outcome(&results, key),
            ("SYNCED".into(), value.clone()),
            "{key}"
        );
        assert_eq!(&stored[*key], value, "{key} stored");
    }
    for key in ["num_x", "bool_x", "date_x", "dt_x", "email_x", "phone_x"] {
        let (status, message) = outcome(&results, key);
        assert_eq!(status, "FAILED", "{key}");
        assert!(
            message.as_str().is_some_and(|m| m.contains(" is not ")),
            "{key}: {message}"
        );
        assert_eq!(
            results[key]["value"],
            json!(node_value(key)),
            "{key}: the node's value"
        );
        assert_eq!(stored[key], Value::Null, "{key} left alone");
    }
    assert_eq!(
        outcome(&results, "enum_x"),
        ("SKIPPED".into(), json!("value not allowed"))
    );
    assert_eq!(stored["enum_x"], Value::Null);
    let history = app.ok(&fx.admin, SERVICE, json!({"id": fx.service})).await;
    assert_eq!(history["service"]["history"]["totalCount"], synced.len());
}

/// The node values of the conversion test that fail, by key.
fn node_value(key: &str) -> &'static str {
    match key {
        "num_x" => "twelve",
        "bool_x" => "yes",
        "date_x" => "March 1st",
        "dt_x" => "2026-01-01T00:01:00",
        "email_x" => "ann at example",
        _ => "call me",
    }
}
