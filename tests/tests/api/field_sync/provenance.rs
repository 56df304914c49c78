//! `syncFields` writes each change once, with its provenance (origin SYNC, node, no job, the
//! field mapping, the caller — a person or an API token — as actor), keeps the outcome on the
//! link, and answers CONFLICT, FORBIDDEN and NOT_FOUND as SEMANTICS says.

use entity::enums::{ChangeOrigin, MappingDirection, Role};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use server::graphql::ids::Kind;
use tests::{dual_db, gid, gql, TestApp};

use super::{fixture, set_node_fields, sync_fields, SERVICE, SYNC_FIELDS};

dual_db!(
    each_change_is_written_once_with_its_provenance,
    unlinked_forbidden_and_foreign_nodes_are_refused,
);

async fn each_change_is_written_once_with_its_provenance(app: TestApp) {
    let fields = r#"{key: "name", label: "Name", dataType: TEXT}, {key: "phone", label: "Phone", dataType: PHONE}"#;
    let fx = fixture(&app, fields, json!({})).await;
    let name_map = fx
        .map(
            &app,
            "name",
            "name",
            MappingDirection::SourceToService,
            true,
        )
        .await;
    let phone_map = fx
        .map(
            &app,
            "phone",
            "phone",
            MappingDirection::SourceToService,
            true,
        )
        .await;
    let node_id = fx
        .linked_node(&app, json!({"name": "Acme", "phone": "8135550001"}))
        .await;
    let first = sync_fields(&app, &fx.operator, node_id).await;
    assert_eq!(
        first["name"]["fieldMapping"]["id"],
        gid(Kind::FieldMapping, name_map).as_str()
    );
    assert!(first.values().all(|r| r["status"] == "SYNCED"), "{first:?}");
    // Once per field: the same values again change nothing and record nothing.
    let again = sync_fields(&app, &fx.operator, node_id).await;
    assert!(
        again.values().all(|r| r["status"] == "UNCHANGED"),
        "{again:?}"
    );
    let history = app.ok(&fx.admin, SERVICE, json!({"id": fx.service})).await;
    assert_eq!(history["service"]["history"]["totalCount"], 2);

    // A script changes it next, with an OPERATOR token.
    let token = app
        .ok(
            &fx.admin,
            gql::CREATE_TOKEN,
            json!({"name": "nightly", "role": "OPERATOR"}),
        )
        .await["createApiToken"]
        .clone();
    let script = tests::Session {
        token: token["secret"].as_str().unwrap().to_owned(),
        ..fx.operator.clone()
    };
    set_node_fields(
        &app,
        node_id,
        json!({"name": "Acme Corp", "phone": "8135550001"}),
    )
    .await;
    let third = sync_fields(&app, &script, node_id).await;
    assert_eq!(
        (
            third["name"]["status"].as_str(),
            third["phone"]["status"].as_str()
        ),
        (Some("SYNCED"), Some("UNCHANGED"))
    );

    let data = app.ok(&fx.admin, SERVICE, json!({"id": fx.service})).await;
    let history = &data["service"]["history"];
    assert_eq!(history["totalCount"], 3);
    let node_gid = gid(Kind::SourceNode, node_id);
    let newest = &history["edges"][0]["node"];
    assert_eq!(
        newest,
        &json!({"field": {"key": "name"}, "oldValue": "Acme", "newValue": "Acme Corp", "origin": "SYNC",
                "node": {"id": node_gid}, "job": null,
                "actor": {"label": "token: nightly", "user": null, "apiToken": {"id": token["apiToken"]["id"]}}})
    );
    for edge in &history["edges"].as_array().unwrap()[1..] {
        let change = &edge["node"];
        assert_eq!(change["origin"], "SYNC");
        assert_eq!(change["oldValue"], Value::Null);
        assert_eq!(change["node"]["id"], node_gid);
        assert_eq!(change["job"], Value::Null);
        assert_eq!(change["actor"]["label"], fx.operator.email.as_str());
        assert!(change["actor"]["user"]["id"].is_string());
    }
    // The mapping of each change, and the outcome kept on the link.
    let rows = entity::field_change::Entity::find()
        .filter(entity::field_change::Column::ServiceId.eq(fx.service_id))
        .order_by_asc(entity::field_change::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    let mappings: Vec<(ChangeOrigin, Option<i64>, Option<i64>)> = rows
        .iter()
        .map(|r| (r.origin, r.field_mapping_id, r.node_id))
        .collect();
    assert_eq!(
        mappings,
        [
            (ChangeOrigin::Sync, Some(name_map), Some(node_id)),
            (ChangeOrigin::Sync, Some(phone_map), Some(node_id)),
            (ChangeOrigin::Sync, Some(name_map), Some(node_id)),
        ]
    );
    let link = entity::link::Entity::find()
        .filter(entity::link::Column::NodeId.eq(node_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(link.last_field_sync_at.is_some());
    assert_eq!(
        link.last_field_sync,
        json!([
            {"fieldMappingId": name_map, "nodeField": "name", "serviceFieldKey": "name", "status": "SYNCED", "message": null, "value": "Acme Corp"},
            {"fieldMappingId": phone_map, "nodeField": "phone", "serviceFieldKey": "phone", "status": "UNCHANGED", "message": null, "value": "8135550001"}
        ])
    );
}

async fn unlinked_forbidden_and_foreign_nodes_are_refused(app: TestApp) {
    let fx = fixture(
        &app,
        r#"{key: "name", label: "Name", dataType: TEXT}"#,
        json!({}),
    )
    .await;
    fx.map_same_names(&app).await;
    let unlinked = app
        .insert_node(&fx.source, "Company", "2", "Company 2", None)
        .await;
    let (code, _) = app
        .err(
            &fx.operator,
            SYNC_FIELDS,
            json!({"id": gid(Kind::SourceNode, unlinked.id)}),
        )
        .await;
    assert_eq!(code, "CONFLICT");
    let linked = fx.linked_node(&app, json!({"name": "Acme"})).await;
    let node = json!({"id": gid(Kind::SourceNode, linked)});
    let viewer = app.login_as("Acme", Role::Viewer).await;
    assert_eq!(
        app.err(&viewer, SYNC_FIELDS, node.clone()).await.0,
        "FORBIDDEN"
    );
    let stranger = app.login_as("Globex", Role::Admin).await;
    assert_eq!(
        app.err(&stranger, SYNC_FIELDS, node.clone()).await.0,
        "NOT_FOUND"
    );
    let junk = json!({"id": "not-an-id"});
    assert_eq!(
        app.err(&fx.operator, SYNC_FIELDS, junk).await.0,
        "NOT_FOUND"
    );
    // Nothing was written by the refused calls.
    let data = app.ok(&fx.admin, SERVICE, json!({"id": fx.service})).await;
    assert_eq!(data["service"]["history"]["totalCount"], 0);
    assert_eq!(
        sync_fields(&app, &fx.operator, linked).await["name"]["status"],
        "SYNCED"
    );
}
