//! The dictionary's value mappings: options from the metadata an import keeps, set / replace /
//! delete, validation against the source and the vocabularies, roles and tenancy. The
//! vocabularies themselves: `dictionary_internal`; don't sync in imports: `dictionary_dont_sync`.

use entity::enums::Role;
use serde_json::{json, Value};
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::{dual_db, gql, sync, Session, TestApp};

use crate::dictionary_internal::SET_INTERNAL;

dual_db!(
    options_come_from_the_metadata_the_import_keeps,
    mappings_are_set_replaced_and_deleted,
    mappings_refuse_what_the_source_or_the_vocabulary_lacks,
    viewers_read_and_other_organizations_see_nothing,
);

const OPTIONS: &str = "query($s: ID!, $k: ValueMappingKind!) { valueMappingOptions(sourceId: $s, kind: $k) { externalId name parent } }";
const MAPPINGS: &str = "query($s: ID!, $k: ValueMappingKind) { valueMappings(sourceId: $s, kind: $k) { kind externalId externalName internalValue } }";
const SET: &str = "mutation($s: ID!, $k: ValueMappingKind!, $e: String!, $v: String) { setValueMapping(input: {sourceId: $s, kind: $k, externalId: $e, internalValue: $v}) { kind externalId externalName internalValue } }";
pub(crate) const DELETE: &str = "mutation($s: ID!, $k: ValueMappingKind!, $e: String!) { deleteValueMapping(sourceId: $s, kind: $k, externalId: $e) }";

/// A ConnectWise source on a fresh fake, imported once.
pub(crate) async fn imported_cw(
    app: &TestApp,
    admin: &Session,
    companies: u64,
) -> (ConnectWiseFake, String) {
    let fake = ConnectWiseFake::start(Config {
        companies,
        ..Config::default()
    })
    .await;
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let source = app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = sync(app, admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    (fake, source)
}

pub(crate) async fn options(app: &TestApp, who: &Session, source: &str, kind: &str) -> Value {
    app.ok(who, OPTIONS, json!({"s": source, "k": kind})).await["valueMappingOptions"].clone()
}

pub(crate) async fn set(
    app: &TestApp,
    who: &Session,
    source: &str,
    kind: &str,
    external: &str,
    value: Option<&str>,
) -> Value {
    let vars = json!({"s": source, "k": kind, "e": external, "v": value});
    app.ok(who, SET, vars).await["setValueMapping"].clone()
}

async fn set_levels(app: &TestApp, admin: &Session, source: &str, settings: Value) {
    let q = "mutation($id: ID!, $s: SourceSettingsInput!) { updateSource(id: $id, input: {settings: $s}) { id } }";
    app.ok(admin, q, json!({"id": source, "s": settings})).await;
}

pub(crate) fn option(id: &str, name: &str, parent: Option<&str>) -> Value {
    json!({"externalId": id, "name": name, "parent": parent})
}

async fn options_come_from_the_metadata_the_import_keeps(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    // Before any import the source has no values to offer.
    let fresh = app.create_cw_source(&admin, "Not imported").await;
    assert_eq!(
        options(&app, &admin, &fresh, "HARDWARE_TYPE").await,
        json!([])
    );

    let (_fake, source) = imported_cw(&app, &admin, 5).await;
    assert_eq!(
        options(&app, &admin, &source, "HARDWARE_TYPE").await,
        json!([
            option("4", "Firewall", None),
            option("3", "Laptop", None),
            option("5", "Printer", None),
            option("1", "Server", None),
            option("2", "Workstation", None),
        ])
    );
    assert_eq!(
        options(&app, &admin, &source, "CONTRACT_TYPE").await,
        json!([
            option("2", "Block Time", None),
            option("1", "Managed Services", None)
        ])
    );
    // Statuses carry their board. The fake repeats status ids on its second board; a mapping
    // is keyed by id, so each id is offered once.
    assert_eq!(
        options(&app, &admin, &source, "TICKET_STATUS").await,
        json!([
            option("4", "Closed", Some("Help Desk")),
            option("2", "In Progress", Some("Help Desk")),
            option("1", "New", Some("Help Desk")),
            option("3", "Waiting", Some("Help Desk")),
        ])
    );
    // Ticket types, subtypes and items are offered once the source gives them a level.
    assert_eq!(
        options(&app, &admin, &source, "TICKET_TYPE").await,
        json!([])
    );
    set_levels(
        &app,
        &admin,
        &source,
        json!({"ticketTypeLevel": 1, "ticketItemLevel": 3}),
    )
    .await;
    assert_eq!(
        options(&app, &admin, &source, "TICKET_TYPE").await,
        json!([
            option("1", "Incident", Some("Help Desk")),
            option("2", "Request", Some("Help Desk"))
        ])
    );
    assert_eq!(
        options(&app, &admin, &source, "TICKET_ITEM").await,
        json!([
            option("1", "Outlook", Some("Help Desk")),
            option("2", "VPN", Some("Help Desk"))
        ])
    );
    assert_eq!(
        options(&app, &admin, &source, "TICKET_SUBTYPE").await,
        json!([])
    );
    // A malformed source id reads as nothing.
    let junk = app
        .ok(&admin, OPTIONS, json!({"s": "nope", "k": "HARDWARE_TYPE"}))
        .await;
    assert_eq!(junk["valueMappingOptions"], json!([]));
}

async fn mappings_are_set_replaced_and_deleted(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let operator = app.login_as("Acme", Role::Operator).await;
    let (_fake, source) = imported_cw(&app, &admin, 5).await;
    // The internal value is matched ignoring case and stored as the vocabulary spells it;
    // the external name comes from the source.
    let laptop = set(
        &app,
        &operator,
        &source,
        "HARDWARE_TYPE",
        "3",
        Some("laptop"),
    )
    .await;
    assert_eq!(
        laptop,
        json!({"kind": "HARDWARE_TYPE", "externalId": "3", "externalName": "Laptop", "internalValue": "Laptop"})
    );
    // Setting again replaces: null is "don't sync".
    let dont = set(&app, &operator, &source, "HARDWARE_TYPE", "3", None).await;
    assert_eq!(dont["internalValue"], Value::Null);
    set(
        &app,
        &operator,
        &source,
        "TICKET_STATUS",
        "2",
        Some("In Progress"),
    )
    .await;
    set(
        &app,
        &operator,
        &source,
        "HARDWARE_TYPE",
        "2",
        Some("Desktop"),
    )
    .await;
    let all = app.ok(&operator, MAPPINGS, json!({"s": source})).await;
    assert_eq!(
        all["valueMappings"],
        json!([
            {"kind": "TICKET_STATUS", "externalId": "2", "externalName": "In Progress", "internalValue": "In Progress"},
            {"kind": "HARDWARE_TYPE", "externalId": "3", "externalName": "Laptop", "internalValue": null},
            {"kind": "HARDWARE_TYPE", "externalId": "2", "externalName": "Workstation", "internalValue": "Desktop"},
        ])
    );
    let hardware = app
        .ok(
            &operator,
            MAPPINGS,
            json!({"s": source, "k": "HARDWARE_TYPE"}),
        )
        .await;
    assert_eq!(hardware["valueMappings"].as_array().unwrap().len(), 2);

    let delete = json!({"s": source, "k": "HARDWARE_TYPE", "e": "3"});
    let deleted = app.ok(&operator, DELETE, delete.clone()).await;
    assert_eq!(deleted["deleteValueMapping"], true);
    let again = app.ok(&operator, DELETE, delete).await;
    assert_eq!(again["deleteValueMapping"], false, "nothing left to delete");
    let left = app
        .ok(
            &operator,
            MAPPINGS,
            json!({"s": source, "k": "HARDWARE_TYPE"}),
        )
        .await;
    assert_eq!(left["valueMappings"][0]["externalId"], "2");
    assert_eq!(left["valueMappings"].as_array().unwrap().len(), 1);

    // A ticket field maps into the vocabulary of the level the source gives it: subtypes at
    // level 1 take the level 1 list (TICKET_TYPE's).
    set_levels(&app, &admin, &source, json!({"ticketSubtypeLevel": 1})).await;
    let subtype = set(
        &app,
        &operator,
        &source,
        "TICKET_SUBTYPE",
        "2",
        Some("incident"),
    )
    .await;
    assert_eq!(subtype["externalName"], "Network");
    assert_eq!(subtype["internalValue"], "Incident");
}

async fn mappings_refuse_what_the_source_or_the_vocabulary_lacks(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (_fake, source) = imported_cw(&app, &admin, 5).await;
    let refused = |kind: &'static str, external: &'static str, value: Option<&'static str>| {
        let vars = json!({"s": source, "k": kind, "e": external, "v": value});
        let app = &app;
        let admin = &admin;
        async move {
            let (code, body) = app.err(admin, SET, vars).await;
            assert_eq!(code, "BAD_USER_INPUT", "{body}");
            (
                body["errors"][0]["extensions"]["field"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                body["errors"][0]["message"].as_str().unwrap().to_owned(),
            )
        }
    };
    let (field, message) = refused("HARDWARE_TYPE", "99", Some("Laptop")).await;
    assert_eq!(field, "input.externalId");
    assert!(message.contains("no hardware type"), "{message}");
    // A contract type's id is not a hardware type's.
    let (field, _) = refused("CONTRACT_TYPE", "5", None).await;
    assert_eq!(field, "input.externalId");
    let (field, message) = refused("HARDWARE_TYPE", "3", Some("Gadget")).await;
    assert_eq!(field, "input.internalValue");
    assert!(message.contains("setInternalValues"), "{message}");
    // No level for ticket types yet: they are not used as a category.
    let (field, message) = refused("TICKET_TYPE", "1", Some("Incident")).await;
    assert_eq!(field, "input.kind");
    assert!(message.contains("ticketTypeLevel"), "{message}");
    // At level 2 a ticket type takes level 2 categories, not level 1 ones.
    set_levels(&app, &admin, &source, json!({"ticketTypeLevel": 2})).await;
    let (field, _) = refused("TICKET_TYPE", "1", Some("Incident")).await;
    assert_eq!(field, "input.internalValue");
    set(&app, &admin, &source, "TICKET_TYPE", "1", Some("Network")).await;
    // Nothing refused was stored.
    let all = app.ok(&admin, MAPPINGS, json!({"s": source})).await;
    assert_eq!(
        all["valueMappings"],
        json!([{"kind": "TICKET_TYPE", "externalId": "1", "externalName": "Incident", "internalValue": "Network"}])
    );
}

async fn viewers_read_and_other_organizations_see_nothing(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let viewer = app.login_as("Acme", Role::Viewer).await;
    let (_fake, source) = imported_cw(&app, &admin, 5).await;
    set(&app, &admin, &source, "HARDWARE_TYPE", "1", Some("Server")).await;
    let read = app.ok(&viewer, MAPPINGS, json!({"s": source})).await;
    assert_eq!(read["valueMappings"][0]["internalValue"], "Server");
    assert_eq!(
        options(&app, &viewer, &source, "HARDWARE_TYPE")
            .await
            .as_array()
            .unwrap()
            .len(),
        5
    );
    let vars = json!({"s": source, "k": "HARDWARE_TYPE", "e": "1", "v": "Desktop"});
    assert_eq!(app.err(&viewer, SET, vars).await.0, "FORBIDDEN");
    let delete = json!({"s": source, "k": "HARDWARE_TYPE", "e": "1"});
    assert_eq!(
        app.err(&viewer, DELETE, delete.clone()).await.0,
        "FORBIDDEN"
    );
    let internal = json!({"k": "HARDWARE_TYPE", "v": ["Box"]});
    assert_eq!(
        app.err(&viewer, SET_INTERNAL, internal).await.0,
        "FORBIDDEN"
    );

    // Another organization's operator: the source reads as empty and cannot be written.
    let other = app.login_as("Globex", Role::Admin).await;
    let theirs = app.ok(&other, MAPPINGS, json!({"s": source})).await;
    assert_eq!(theirs["valueMappings"], json!([]));
    assert_eq!(
        options(&app, &other, &source, "HARDWARE_TYPE").await,
        json!([])
    );
    let vars = json!({"s": source, "k": "HARDWARE_TYPE", "e": "1", "v": "Desktop"});
    assert_eq!(app.err(&other, SET, vars).await.0, "NOT_FOUND");
    assert_eq!(app.err(&other, DELETE, delete).await.0, "NOT_FOUND");
    let still = app.ok(&admin, MAPPINGS, json!({"s": source})).await;
    assert_eq!(still["valueMappings"][0]["internalValue"], "Server");
}
