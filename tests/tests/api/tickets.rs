//! Live tickets (issue #5 part 1) against the ConnectWise fake: lists newest first, filtered and
//! paged with `after`, one ticket, create and update, `ticketMeta`; value mappings on
//! `mappedStatus` and `category`; the company node; the provider's failures in its own words;
//! roles and tenancy. The Syncro side is in `syncro`.
//!
//! The fake (`tests::fakes::connectwise::tickets`) has 40 tickets: ticket `t` for company
//! `(t-1) % 20 + 1`, board `t % 2 + 1`, status `t % 4 + 1` (New, In Progress, Waiting, Closed),
//! type `t % 2 + 1` (Incident, Request), item `t % 2 + 1` (Outlook, VPN), summary "Printer jam",
//! "VPN down", "Email bounces" or "New laptop" by `t % 4`, updated `t` hours after 2026-01-01.

mod rules;
mod syncro;

use entity::enums::Role;
use serde_json::{json, Value};
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::{dual_db, gql, sync, Session, TestApp};

dual_db!(
    connectwise_tickets_list_newest_first_filter_and_page,
    connectwise_tickets_are_read_created_and_updated,
);

pub(crate) const TICKETS: &str = "query($s: ID!, $f: TicketFilter, $first: Int, $after: String) {
  tickets(sourceId: $s, filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id externalId number summary status { externalId name } mappedStatus
      board { externalId name } type { externalId name } item { externalId name } category
      priority { externalId name } company { id externalId type name } companyName contactName
      createdAt updatedAt source { id } } } } }";

pub(crate) const TICKET: &str = "query($s: ID!, $e: String!) { ticket(sourceId: $s, externalId: $e) {
  externalId number summary status { externalId name } mappedStatus priority { externalId name }
  board { name } type { externalId name } category company { externalId type name } companyName contactName } }";

pub(crate) const CREATE: &str = "mutation($s: ID!, $i: CreateTicketInput!) { createTicket(sourceId: $s, input: $i) {
  externalId number summary status { externalId name } priority { externalId name } board { externalId name }
  company { externalId name } companyName } }";

pub(crate) const UPDATE: &str = "mutation($s: ID!, $e: String!, $i: UpdateTicketInput!) { updateTicket(sourceId: $s, externalId: $e, input: $i) {
  externalId summary status { externalId name } priority { externalId name } board { externalId name } } }";

pub(crate) const META: &str = "query($s: ID!) { ticketMeta(sourceId: $s) { boards { externalId name } priorities { externalId name } statuses { externalId name } refreshedAt } }";

/// A ConnectWise fake of 20 companies and a source on it, imported (so companies are nodes).
pub(crate) async fn cw_source(app: &TestApp, admin: &Session) -> (ConnectWiseFake, String) {
    let fake = ConnectWiseFake::start(Config::default()).await;
    let name = format!("CW {}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let input = json!({"input": {"name": name, "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let source = app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = sync(app, admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    (fake, source)
}

pub(crate) fn ext_ids(conn: &Value) -> Vec<String> {
    conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["externalId"].as_str().unwrap().to_owned())
        .collect()
}

async fn list(app: &TestApp, who: &Session, source: &str, filter: Value, first: i64) -> Value {
    let vars = json!({"s": source, "f": filter, "first": first});
    app.ok(who, TICKETS, vars).await["tickets"].clone()
}

async fn connectwise_tickets_list_newest_first_filter_and_page(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (_fake, source) = cw_source(&app, &admin).await;

    let first = list(&app, &admin, &source, Value::Null, 15).await;
    assert_eq!(first["totalCount"], 40);
    assert_eq!(first["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["pageInfo"]["hasPreviousPage"], false);
    let ids = ext_ids(&first);
    assert_eq!(ids.len(), 15);
    assert_eq!(ids[0], "40", "newest first: {ids:?}");
    let top = &first["edges"][0]["node"];
    assert_eq!(top["summary"], "Printer jam #40");
    assert_eq!(
        top["board"],
        json!({"externalId": "1", "name": "Help Desk"})
    );
    assert_eq!(top["status"], json!({"externalId": "1", "name": "New"}));
    // Without a mapping the status passes through; no category levels are set.
    assert_eq!(top["mappedStatus"], "New");
    assert_eq!(top["category"], json!([]));
    assert_eq!(top["company"]["externalId"], "20");
    assert_eq!(top["company"]["type"], "Company");
    assert_eq!(top["companyName"], "Company 0000020");
    assert_eq!(top["source"]["id"], source.as_str());
    assert!(top["createdAt"].is_string() && top["updatedAt"].is_string());

    // Paging with `after` walks every ticket once.
    let mut seen = ids;
    let mut after = first["pageInfo"]["endCursor"].clone();
    loop {
        let vars = json!({"s": source, "first": 15, "after": after});
        let page = app.ok(&admin, TICKETS, vars).await["tickets"].clone();
        assert_eq!(page["pageInfo"]["hasPreviousPage"], true);
        seen.extend(ext_ids(&page));
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    let expected: Vec<String> = (1..=40).rev().map(|t| t.to_string()).collect();
    assert_eq!(seen, expected);

    // Filters: boards, statuses, company, search, updated since.
    let on_board = list(
        &app,
        &admin,
        &source,
        json!({"boardExternalIds": ["1"]}),
        50,
    )
    .await;
    assert_eq!(on_board["totalCount"], 20);
    assert!(on_board["edges"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["node"]["board"]["externalId"] == "1"));
    let waiting = list(
        &app,
        &admin,
        &source,
        json!({"statusExternalIds": ["3", "4"]}),
        50,
    )
    .await;
    assert_eq!(waiting["totalCount"], 20);
    let of_company = list(&app, &admin, &source, json!({"companyExternalId": "3"}), 50).await;
    assert_eq!(ext_ids(&of_company), ["23", "3"]);
    let vpn = list(&app, &admin, &source, json!({"search": "vpn"}), 50).await;
    assert_eq!(vpn["totalCount"], 10);
    let recent = json!({"updatedSince": "2026-01-02T12:00:00Z"});
    assert_eq!(
        ext_ids(&list(&app, &admin, &source, recent, 50).await),
        ["40", "39", "38", "37"]
    );
    let combined = json!({"boardExternalIds": ["2"], "search": "VPN"});
    assert_eq!(
        list(&app, &admin, &source, combined, 50).await["totalCount"],
        10
    );

    // A filter value ConnectWise cannot take names the field.
    let vars = json!({"s": source, "f": {"companyExternalId": "x1"}});
    let (code, body) = app.err(&admin, TICKETS, vars).await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert_eq!(
        body["errors"][0]["extensions"]["field"],
        "filter.companyExternalId"
    );
    // `first` is checked like every list's.
    let (code, _) = app
        .err(&admin, TICKETS, json!({"s": source, "first": 501}))
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
}

async fn connectwise_tickets_are_read_created_and_updated(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let (_fake, source) = cw_source(&app, &admin).await;

    let one = app.ok(&admin, TICKET, json!({"s": source, "e": "7"})).await["ticket"].clone();
    assert_eq!(one["summary"], "New laptop #7");
    assert_eq!(one["status"]["name"], "Closed");
    assert_eq!(one["company"]["externalId"], "7");
    assert_eq!(one["contactName"], "First14 Last14");
    let none = app
        .ok(&admin, TICKET, json!({"s": source, "e": "999"}))
        .await;
    assert!(none["ticket"].is_null());

    let meta = app.ok(&admin, META, json!({"s": source})).await["ticketMeta"].clone();
    assert_eq!(meta["boards"].as_array().unwrap().len(), 2);
    assert_eq!(meta["priorities"][0]["name"], "Priority 1 - Critical");
    assert_eq!(meta["statuses"].as_array().unwrap().len(), 8);
    assert!(meta["refreshedAt"].is_string());

    let input = json!({"summary": "  Phones down  ", "companyExternalId": "3", "boardExternalId": "2",
        "statusExternalId": "2", "priorityExternalId": "1", "description": "All desk phones"});
    let made = app
        .ok(&admin, CREATE, json!({"s": source, "i": input}))
        .await["createTicket"]
        .clone();
    assert_eq!(made["externalId"], "41");
    assert_eq!(made["summary"], "Phones down");
    assert_eq!(made["board"]["name"], "Projects");
    assert_eq!(made["status"]["name"], "In Progress");
    assert_eq!(made["priority"]["name"], "Priority 1 - Critical");
    assert_eq!(made["company"]["externalId"], "3");
    let listed = list(&app, &admin, &source, Value::Null, 1).await;
    assert_eq!(listed["totalCount"], 41);
    assert_eq!(ext_ids(&listed), ["41"]);

    let change =
        json!({"summary": "Phones back", "statusExternalId": "4", "priorityExternalId": "3"});
    let vars = json!({"s": source, "e": "41", "i": change});
    let changed = app.ok(&admin, UPDATE, vars).await["updateTicket"].clone();
    assert_eq!(changed["summary"], "Phones back");
    assert_eq!(
        changed["status"],
        json!({"externalId": "4", "name": "Closed"})
    );
    assert_eq!(changed["board"]["name"], "Projects");
    let again = app
        .ok(&admin, TICKET, json!({"s": source, "e": "41"}))
        .await["ticket"]
        .clone();
    assert_eq!(again["priority"]["name"], "Priority 3 - Normal");

    // Bad input names the field; what ConnectWise refuses comes back in its words.
    let bad = [
        (
            json!({"summary": " ", "companyExternalId": "3"}),
            "input.summary",
        ),
        (
            json!({"summary": "x", "companyExternalId": ""}),
            "input.companyExternalId",
        ),
        (
            json!({"summary": "x", "companyExternalId": "3", "statusExternalId": "open"}),
            "input.statusExternalId",
        ),
    ];
    for (input, field) in bad {
        let (code, body) = app
            .err(&admin, CREATE, json!({"s": source, "i": input}))
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
    let input = json!({"summary": "x", "companyExternalId": "999"});
    let (code, body) = app
        .err(&admin, CREATE, json!({"s": source, "i": input}))
        .await;
    assert_eq!(code, "UPSTREAM_ERROR");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("ticket object is invalid"), "{message}");
    assert_eq!(
        list(&app, &admin, &source, Value::Null, 1).await["totalCount"],
        41
    );
    let vars = json!({"s": source, "e": "999", "i": {"summary": "y"}});
    assert_eq!(app.err(&admin, UPDATE, vars).await.0, "NOT_FOUND");
}
