//! Recommendations (SEMANTICS.md): mapped types only, scored 0..1 with reasons, below 0.5
//! hidden, ties by service id; none for linked or deleted nodes; a service another node of the
//! same type links is left out; useRecommendation checks the service the caller saw.

use entity::enums::Role;
use serde_json::{json, Value};
use tests::{dual_db, Session, TestApp};

use crate::links::{customer, delete_node, map_type, node, service, service_type, LINK};

dual_db!(
    the_same_name_beats_a_similar_one_and_weak_matches_are_hidden,
    equal_identifiers_recommend_whatever_the_name,
    a_linked_parent_points_at_its_customer,
    linked_and_deleted_nodes_have_none_and_taken_services_are_left_out,
    use_recommendation_links_the_top_one_the_caller_saw,
);

const RECS: &str = "query($n: ID!, $first: Int) { sourceNode(id: $n) { recommendations(first: $first) { service { id name customer { name } } score reasons } } }";

async fn recs(app: &TestApp, s: &Session, node: &str) -> Vec<Value> {
    app.ok(s, RECS, json!({"n": node})).await["sourceNode"]["recommendations"]
        .as_array()
        .unwrap()
        .clone()
}

fn names(recs: &[Value]) -> Vec<&str> {
    recs.iter()
        .map(|r| r["service"]["name"].as_str().unwrap())
        .collect()
}

struct Setup {
    admin: Session,
    source: String,
    st: Value,
    acme: Value,
    other: Value,
}

/// A ConnectWise source whose Company and Configuration map onto "Line" (phone, serial).
async fn setup(app: &TestApp) -> Setup {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let st = service_type(
        app,
        &admin,
        "Line",
        json!([
            {"key": "phone", "label": "Phone number", "dataType": "PHONE"},
            {"key": "serial", "label": "Serial number", "dataType": "TEXT"}
        ]),
    )
    .await;
    map_type(app, &admin, "Company", &st, &[("phoneNumber", "phone")]).await;
    map_type(
        app,
        &admin,
        "Configuration",
        &st,
        &[("serialNumber", "serial")],
    )
    .await;
    let acme = customer(app, &admin, "Acme Corp").await;
    let other = customer(app, &admin, "Other Corp").await;
    Setup {
        admin,
        source,
        st,
        acme,
        other,
    }
}

/// The same normalised name scores above a similar one; an unrelated name and a service of an
/// unmapped type are not shown; `first` limits and is checked like every list's.
async fn the_same_name_beats_a_similar_one_and_weak_matches_are_hidden(app: TestApp) {
    let s = setup(&app).await;
    let similar = service(
        &app,
        &s.admin,
        &s.acme,
        &s.st,
        "Acme Plumbng Ltd",
        json!({}),
    )
    .await;
    let exact = service(&app, &s.admin, &s.acme, &s.st, "Acme Plumbing", json!({})).await;
    service(
        &app,
        &s.admin,
        &s.acme,
        &s.st,
        "Bluewater Dental",
        json!({}),
    )
    .await;
    service(&app, &s.admin, &s.acme, &s.st, "Acme Dental", json!({})).await;
    let unmapped = service_type(&app, &s.admin, "Unmapped", json!([])).await;
    service(
        &app,
        &s.admin,
        &s.acme,
        &unmapped,
        "Acme Plumbing",
        json!({}),
    )
    .await;
    let company = node(
        &app,
        &s.source,
        "Company",
        "1",
        "ACME Plumbing, Inc.",
        None,
        json!({}),
    )
    .await;

    let found = recs(&app, &s.admin, &company).await;
    assert_eq!(
        names(&found),
        vec!["Acme Plumbing", "Acme Plumbng Ltd"],
        "{found:#?}"
    );
    assert_eq!(found[0]["service"]["id"], exact);
    assert_eq!(found[0]["score"], 0.9);
    assert_eq!(found[0]["reasons"], json!(["Name equal"]));
    assert_eq!(found[1]["service"]["id"], similar);
    let score = found[1]["score"].as_f64().unwrap();
    assert!((0.5..0.9).contains(&score), "{score}");
    let reason = found[1]["reasons"][0].as_str().unwrap();
    assert!(
        reason.starts_with("Name 0.9") && reason.ends_with(" similar"),
        "{reason}"
    );

    let one = app
        .ok(&s.admin, RECS, json!({"n": company, "first": 1}))
        .await;
    assert_eq!(
        one["sourceNode"]["recommendations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let (code, body) = app
        .err(&s.admin, RECS, json!({"n": company, "first": 501}))
        .await;
    assert_eq!(
        (code.as_str(), &body["errors"][0]["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("first"))
    );

    // Nothing alike: an empty list ("No match found").
    let lonely = node(
        &app,
        &s.source,
        "Company",
        "2",
        "Zebra Logistics",
        None,
        json!({}),
    )
    .await;
    assert!(recs(&app, &s.admin, &lonely).await.is_empty());
}

/// A serial number (letters and digits, any case) or a phone number (by digits) in common
/// recommends a service whatever its name; the same name twice ties by service id.
async fn equal_identifiers_recommend_whatever_the_name(app: TestApp) {
    let s = setup(&app).await;
    service(
        &app,
        &s.admin,
        &s.other,
        &s.st,
        "Closet router",
        json!({"serial": "sn-00042"}),
    )
    .await;
    service(
        &app,
        &s.admin,
        &s.other,
        &s.st,
        "Spare router",
        json!({"serial": "SN-00043"}),
    )
    .await;
    let device = node(
        &app,
        &s.source,
        "Configuration",
        "c1",
        "MX64 at HQ",
        None,
        json!({"serialNumber": "SN 00042"}),
    )
    .await;
    let found = recs(&app, &s.admin, &device).await;
    assert_eq!(names(&found), vec!["Closet router"], "{found:#?}");
    assert_eq!(found[0]["reasons"], json!(["Serial number equal"]));
    assert_eq!(found[0]["score"], 0.9);

    let line = service(
        &app,
        &s.admin,
        &s.other,
        &s.st,
        "Main line",
        json!({"phone": "555 010 0199"}),
    )
    .await;
    let company = node(
        &app,
        &s.source,
        "Company",
        "1",
        "Globex",
        None,
        json!({"phoneNumber": "+1 (555) 010-0199"}),
    )
    .await;
    let found = recs(&app, &s.admin, &company).await;
    assert_eq!(found[0]["service"]["id"], line);
    assert_eq!(found[0]["reasons"], json!(["Phone number matches"]));

    // Ties break by service id.
    let first = service(&app, &s.admin, &s.acme, &s.st, "Initech", json!({})).await;
    let second = service(&app, &s.admin, &s.other, &s.st, "Initech", json!({})).await;
    let initech = node(&app, &s.source, "Company", "2", "Initech", None, json!({})).await;
    let found = recs(&app, &s.admin, &initech).await;
    let ids: Vec<&Value> = found.iter().map(|r| &r["service"]["id"]).collect();
    assert_eq!(ids, vec![&first, &second]);
    assert_eq!(found[0]["score"], found[1]["score"]);
}

/// A site whose parent company is linked to a service of customer X: X's service ranks first,
/// saying why; the same name for another customer follows with the name alone.
async fn a_linked_parent_points_at_its_customer(app: TestApp) {
    let s = setup(&app).await;
    let site_type = service_type(&app, &s.admin, "Site plan", json!([])).await;
    map_type(&app, &s.admin, "Site", &site_type, &[]).await;
    let company_service = service(&app, &s.admin, &s.acme, &s.st, "Acme HQ", json!({})).await;
    let theirs = service(
        &app,
        &s.admin,
        &s.other,
        &site_type,
        "Main Office",
        json!({}),
    )
    .await;
    let ours = service(
        &app,
        &s.admin,
        &s.acme,
        &site_type,
        "Main Office",
        json!({}),
    )
    .await;
    let hinted = service(
        &app,
        &s.admin,
        &s.acme,
        &site_type,
        "Warehouse plan",
        json!({}),
    )
    .await;
    let company = node(&app, &s.source, "Company", "1", "Acme", None, json!({})).await;
    let site = node(
        &app,
        &s.source,
        "Site",
        "s1",
        "Main Office",
        Some(&company),
        json!({}),
    )
    .await;
    assert_eq!(
        names(&recs(&app, &s.admin, &site).await),
        vec!["Main Office", "Main Office"]
    );
    app.ok(&s.admin, LINK, json!({"n": company, "s": company_service}))
        .await;

    let found = recs(&app, &s.admin, &site).await;
    assert_eq!(found[0]["service"]["id"], ours, "{found:#?}");
    assert_eq!(
        found[0]["reasons"],
        json!(["Name equal", "Parent company is linked to this customer"])
    );
    assert!(found[0]["score"].as_f64().unwrap() > 0.9);
    assert_eq!(found[1]["service"]["id"], theirs);
    assert_eq!(found[1]["reasons"], json!(["Name equal"]));
    // The customer alone (0.4) is not enough to be shown.
    assert!(
        !found.iter().any(|r| r["service"]["id"] == hinted),
        "{found:#?}"
    );
}

/// Linked and deleted nodes have no recommendations; a service that another node of the same
/// type links is left out, while a link from a node of another type does not count.
async fn linked_and_deleted_nodes_have_none_and_taken_services_are_left_out(app: TestApp) {
    let s = setup(&app).await;
    let svc = service(
        &app,
        &s.admin,
        &s.acme,
        &s.st,
        "Acme",
        json!({"serial": "AC-1"}),
    )
    .await;
    let one = node(&app, &s.source, "Company", "1", "Acme", None, json!({})).await;
    let two = node(&app, &s.source, "Company", "2", "Acme", None, json!({})).await;
    let gone = node(&app, &s.source, "Company", "3", "Acme", None, json!({})).await;
    delete_node(&app, &gone).await;
    assert!(recs(&app, &s.admin, &gone).await.is_empty());
    assert_eq!(names(&recs(&app, &s.admin, &two).await), vec!["Acme"]);

    // A Configuration linking it leaves it to the companies.
    let device = node(
        &app,
        &s.source,
        "Configuration",
        "c1",
        "Acme",
        None,
        json!({"serialNumber": "ac-1"}),
    )
    .await;
    app.ok(&s.admin, LINK, json!({"n": device, "s": svc})).await;
    assert!(
        recs(&app, &s.admin, &device).await.is_empty(),
        "a linked node"
    );
    assert_eq!(names(&recs(&app, &s.admin, &two).await), vec!["Acme"]);

    app.ok(&s.admin, LINK, json!({"n": one, "s": svc})).await;
    assert!(recs(&app, &s.admin, &one).await.is_empty(), "a linked node");
    assert!(
        recs(&app, &s.admin, &two).await.is_empty(),
        "taken by another company"
    );
}

const USE: &str = "mutation($n: ID!, $s: ID) { useRecommendation(nodeId: $n, serviceId: $s) { service { id } node { linkState } } }";

/// useRecommendation links the top recommendation when it is the one the caller saw (or when
/// the caller names none); a stale serviceId is CONFLICT and links nothing.
async fn use_recommendation_links_the_top_one_the_caller_saw(app: TestApp) {
    let s = setup(&app).await;
    let operator = app.login_as("Acme", Role::Operator).await;
    let similar = service(&app, &s.admin, &s.acme, &s.st, "Acme Plumbng", json!({})).await;
    let company = node(
        &app,
        &s.source,
        "Company",
        "1",
        "Acme Plumbing",
        None,
        json!({}),
    )
    .await;
    let other = node(
        &app,
        &s.source,
        "Company",
        "2",
        "Acme Plumbing",
        None,
        json!({}),
    )
    .await;
    assert_eq!(
        recs(&app, &operator, &company).await[0]["service"]["id"],
        similar
    );
    // A better one arrives after the caller looked.
    let exact = service(&app, &s.admin, &s.acme, &s.st, "Acme Plumbing", json!({})).await;
    let (code, _) = app
        .err(&operator, USE, json!({"n": company, "s": similar}))
        .await;
    assert_eq!(code, "CONFLICT");
    let (code, _) = app
        .err(&operator, USE, json!({"n": company, "s": "not-an-id"}))
        .await;
    assert_eq!(code, "CONFLICT");
    let link = app
        .ok(&operator, USE, json!({"n": company, "s": exact}))
        .await["useRecommendation"]
        .clone();
    assert_eq!(link["service"]["id"], exact);
    assert_eq!(link["node"]["linkState"], "LINKED");
    let (code, _) = app
        .err(&operator, USE, json!({"n": company, "s": exact}))
        .await;
    assert_eq!(code, "CONFLICT", "already linked");
    // Without a serviceId: whatever is on top now (the exact one is taken by a Company).
    let link = app.ok(&operator, USE, json!({"n": other})).await["useRecommendation"].clone();
    assert_eq!(link["service"]["id"], similar);
}
