//! Tickets and the rules around them: `mappedStatus` and `category` through the value
//! mappings; the provider's failures (500, 429) as UPSTREAM_ERROR and RATE_LIMITED in its own
//! words; VIEWER reads but does not write; another organization sees nothing; a switch has no
//! tickets.

use entity::enums::Role;
use serde_json::json;
use tests::fakes::faults::FaultPlan;
use tests::{dual_db, gql, TestApp};

use super::{cw_source, CREATE, META, TICKET, TICKETS, UPDATE};

dual_db!(
    mapped_status_and_category_go_through_the_value_mappings,
    provider_failures_answer_in_the_providers_words,
    viewers_read_other_organizations_see_nothing,
);

const SET: &str = "mutation($s: ID!, $k: ValueMappingKind!, $e: String!, $v: String) { setValueMapping(input: {sourceId: $s, kind: $k, externalId: $e, internalValue: $v}) { internalValue } }";

async fn mapped_status_and_category_go_through_the_value_mappings(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (_fake, source) = cw_source(&app, &admin).await;
    // Ticket types are category level 1, items level 3; subtypes are not used.
    let q = "mutation($id: ID!, $s: SourceSettingsInput!) { updateSource(id: $id, input: {settings: $s}) { id } }";
    let levels = json!({"ticketTypeLevel": 1, "ticketItemLevel": 3});
    app.ok(&admin, q, json!({"id": source, "s": levels})).await;
    for (kind, external, value) in [
        ("TICKET_STATUS", "4", Some("Resolved")),
        ("TICKET_STATUS", "3", None),
        ("TICKET_TYPE", "2", Some("Service Request")),
        ("TICKET_ITEM", "2", Some("Workstation")),
    ] {
        let vars = json!({"s": source, "k": kind, "e": external, "v": value});
        app.ok(&admin, SET, vars).await;
    }
    let read = |e: &str| {
        let vars = json!({"s": source, "e": e});
        let app = &app;
        let admin = &admin;
        async move { app.ok(admin, TICKET, vars).await["ticket"].clone() }
    };
    // Ticket 3: status 4 (Closed → Resolved), type 2 (Request → Service Request), item 2 (VPN
    // → Workstation); the subtype has no level, so it is not a category.
    let t3 = read("3").await;
    assert_eq!(t3["status"]["name"], "Closed");
    assert_eq!(t3["mappedStatus"], "Resolved");
    assert_eq!(t3["category"], json!(["Service Request", "Workstation"]));
    // Ticket 2: status 3 is mapped to don't sync; type 1 and item 1 pass through.
    let t2 = read("2").await;
    assert!(t2["mappedStatus"].is_null(), "{t2}");
    assert_eq!(t2["category"], json!(["Incident", "Outlook"]));
    // Lists dress each ticket the same way.
    let vars = json!({"s": source, "f": {"statusExternalIds": ["4"]}, "first": 3});
    let page = app.ok(&admin, TICKETS, vars).await["tickets"].clone();
    for edge in page["edges"].as_array().unwrap() {
        assert_eq!(edge["node"]["mappedStatus"], "Resolved");
    }
}

async fn provider_failures_answer_in_the_providers_words(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (fake, source) = cw_source(&app, &admin).await;
    // A 500 on every try (the first and four retries).
    fake.faults.set(FaultPlan {
        server_errors: 5,
        ..FaultPlan::default()
    });
    let (code, body) = app.err(&admin, TICKETS, json!({"s": source})).await;
    assert_eq!(code, "UPSTREAM_ERROR");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("An error has occurred."), "{message}");
    assert!(message.contains("ConnectWise"), "{message}");
    // One 500 is retried away.
    fake.faults.set(FaultPlan {
        server_errors: 1,
        ..FaultPlan::default()
    });
    let vars = json!({"s": source, "e": "5"});
    assert_eq!(
        app.ok(&admin, TICKET, vars).await["ticket"]["externalId"],
        "5"
    );
    // 429 past the retries.
    fake.faults.set(FaultPlan {
        rate_limited: 5,
        retry_after_seconds: 0,
        ..FaultPlan::default()
    });
    let (code, body) = app.err(&admin, META, json!({"s": source})).await;
    assert_eq!(code, "RATE_LIMITED");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("Too many requests"), "{message}");
    assert_eq!(body["errors"][0]["extensions"]["retryAfter"], 0);
    // Refused credentials are the provider's failure too, never a login problem of ours.
    fake.faults.set(FaultPlan::default());
    let q =
        "mutation($id: ID!, $c: JSON!) { updateSource(id: $id, input: {credentials: $c}) { id } }";
    let mut wrong = fake.config.credentials();
    wrong["privateKey"] = json!("wrong");
    app.ok(&admin, q, json!({"id": source, "c": wrong})).await;
    let (code, body) = app.err(&admin, TICKETS, json!({"s": source})).await;
    assert_eq!(code, "UPSTREAM_ERROR");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("Authentication failed"), "{message}");
}

async fn viewers_read_other_organizations_see_nothing(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (_fake, source) = cw_source(&app, &admin).await;
    let viewer = app.login_as("Acme", Role::Viewer).await;
    let vars = json!({"s": source, "first": 2});
    assert_eq!(
        app.ok(&viewer, TICKETS, vars).await["tickets"]["totalCount"],
        40
    );
    assert_eq!(
        app.ok(&viewer, TICKET, json!({"s": source, "e": "1"}))
            .await["ticket"]["externalId"],
        "1"
    );
    let create = json!({"s": source, "i": {"summary": "x", "companyExternalId": "1"}});
    assert_eq!(
        app.err(&viewer, CREATE, create.clone()).await.0,
        "FORBIDDEN"
    );
    let update = json!({"s": source, "e": "1", "i": {"summary": "x"}});
    assert_eq!(
        app.err(&viewer, UPDATE, update.clone()).await.0,
        "FORBIDDEN"
    );
    // An operator writes.
    let operator = app.login_as("Acme", Role::Operator).await;
    let done = app.ok(&operator, UPDATE, update.clone()).await;
    assert_eq!(done["updateTicket"]["summary"], "x");

    let other = app.login_as("Other", Role::Admin).await;
    for (query, vars) in [
        (TICKETS, json!({"s": source})),
        (TICKET, json!({"s": source, "e": "1"})),
        (META, json!({"s": source})),
        (CREATE, create),
        (UPDATE, update),
    ] {
        let (code, body) = app.err(&other, query, vars).await;
        assert_eq!(code, "NOT_FOUND", "{body}");
    }

    // A switch has no tickets.
    let input = json!({"input": {"name": "BW", "provider": "BROADWORKS", "baseUrl": "https://bw.example.com/webservice/services/ProvisioningService",
        "credentials": {"userId": "admin", "password": "secret"}}});
    let bw = app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"]["id"].clone();
    let (code, body) = app.err(&admin, TICKETS, json!({"s": bw})).await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "sourceId");
}
