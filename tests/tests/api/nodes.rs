//! Reading node trees: order, paging, states, filters, substring search, and the N+1 guard.

use entity::enums::Role;
use serde_json::{json, Value};
use server::graphql::ids::Kind;
use tests::{dual_db, gid, TestApp};

dual_db!(
    roots_and_children_come_in_contract_order_and_page,
    deleted_nodes_show_only_on_request,
    search_matches_substrings_case_insensitively_ranked,
    ancestors_filters_and_lookups,
    a_page_of_500_nodes_costs_a_bounded_number_of_statements,
);

fn names(conn: &Value) -> Vec<String> {
    conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Children are ordered by type (PROVIDERS.md order), then name (ignoring case), then
/// external id; cursors page through without gaps or repeats.
async fn roots_and_children_come_in_contract_order_and_page(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let beta = app.insert_node(&source, "Company", "2", "beta", None).await;
    app.insert_node(&source, "Company", "1", "Alpha", None)
        .await;
    app.insert_node(&source, "Company", "3", "alpha", None)
        .await;
    // Mixed types under one parent: Site < Contact < Configuration.
    app.insert_node(&source, "Configuration", "c1", "Laptop", Some(beta.id))
        .await;
    app.insert_node(&source, "Contact", "p2", "Zoe Adams", Some(beta.id))
        .await;
    app.insert_node(&source, "Contact", "p1", "amy Zed", Some(beta.id))
        .await;
    app.insert_node(&source, "Site", "s1", "Main", Some(beta.id))
        .await;
    let roots = app.ok(&admin, "query($id: ID!) { source(id: $id) { nodeCount roots { totalCount edges { node { name externalId } } } } }", json!({"id": source})).await;
    assert_eq!(names(&roots["source"]["roots"]), ["Alpha", "alpha", "beta"]);
    assert_eq!(roots["source"]["nodeCount"], 7);
    let q = "query($id: ID!, $after: String) { sourceNode(id: $id) { childCount children(first: 2, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { name type } } } } }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .ok(
                &admin,
                q,
                json!({"id": gid(Kind::SourceNode, beta.id), "after": after}),
            )
            .await;
        let node = &data["sourceNode"];
        assert_eq!(node["childCount"], 4);
        assert_eq!(node["children"]["totalCount"], 4);
        seen.extend(names(&node["children"]));
        if !node["children"]["pageInfo"]["hasNextPage"]
            .as_bool()
            .unwrap()
        {
            break;
        }
        after = node["children"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, ["Main", "amy Zed", "Zoe Adams", "Laptop"]);
    let typed = app.ok(&admin, "query($id: ID!) { sourceNode(id: $id) { children(type: \"Contact\") { totalCount } } }", json!({"id": gid(Kind::SourceNode, beta.id)})).await;
    assert_eq!(typed["sourceNode"]["children"]["totalCount"], 2);
}

async fn deleted_nodes_show_only_on_request(app: TestApp) {
    use sea_orm::{ActiveModelTrait, Set};
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let gone = app
        .insert_node(&source, "Company", "9", "Gone Inc", None)
        .await;
    let company = app
        .insert_node(&source, "Company", "1", "Here Inc", None)
        .await;
    let site = app
        .insert_node(&source, "Site", "s", "Old site", Some(company.id))
        .await;
    for row in [gone, site] {
        let mut active: entity::source_node::ActiveModel = row.into();
        active.deleted_at = Set(Some(chrono::Utc::now()));
        active.update(&app.db).await.unwrap();
    }
    let q = "query($id: ID!, $d: Boolean) { source(id: $id) { nodeCount roots(includeDeleted: $d) { totalCount } nodes(includeDeleted: $d) { totalCount } } searchNodes(query: \"inc\", includeDeleted: $d) { totalCount } }";
    let live = app.ok(&admin, q, json!({"id": source, "d": false})).await;
    assert_eq!(
        (
            live["source"]["roots"]["totalCount"].clone(),
            live["source"]["nodes"]["totalCount"].clone()
        ),
        (json!(1), json!(1))
    );
    assert_eq!(live["source"]["nodeCount"], 1);
    assert_eq!(live["searchNodes"]["totalCount"], 1);
    let all = app.ok(&admin, q, json!({"id": source, "d": true})).await;
    assert_eq!(
        (
            all["source"]["roots"]["totalCount"].clone(),
            all["source"]["nodes"]["totalCount"].clone()
        ),
        (json!(2), json!(3))
    );
    assert_eq!(all["searchNodes"]["totalCount"], 2);
    let child = app
        .ok(
            &admin,
            "query($id: ID!) { sourceNode(id: $id) { childCount children { totalCount } } }",
            json!({"id": gid(Kind::SourceNode, company.id)}),
        )
        .await;
    assert_eq!(child["sourceNode"]["childCount"], 0);
}

/// The same matches, in the same order, on both databases: exact, then prefix, then substring;
/// name or external id; any case; LIKE wildcards are literal.
async fn search_matches_substrings_case_insensitively_ranked(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    for (ext, name) in [
        ("100", "Acme"),
        ("101", "ACME Holdings"),
        ("102", "Big Acme Corp"),
        ("103", "Nothing here"),
        ("ACME-7", "Seventh"),
        ("104", "Zürich Straße"),
        ("105", "100% Fiber_Co"),
    ] {
        app.insert_node(&source, "Company", ext, name, None).await;
    }
    let q = "query($q: String!, $s: ID) { searchNodes(query: $q, sourceId: $s) { totalCount edges { node { name } } } }";
    let run = |query: &str| {
        let vars = json!({"q": query, "s": source});
        let app = &app;
        let admin = &admin;
        async move { names(&app.ok(admin, q, vars).await["searchNodes"]) }
    };
    assert_eq!(
        run("acme").await,
        ["Acme", "ACME Holdings", "Seventh", "Big Acme Corp"]
    );
    assert_eq!(run("AcMe").await, run("acme").await);
    assert_eq!(run("me h").await, ["ACME Holdings"]);
    assert_eq!(run("cme-").await, ["Seventh"]);
    assert_eq!(run("straße").await, ["Zürich Straße"]);
    assert_eq!(run("ZÜRICH").await, ["Zürich Straße"]);
    assert_eq!(run("0%").await, ["100% Fiber_Co"]);
    assert_eq!(run("r_c").await, ["100% Fiber_Co"]);
    assert_eq!(run("%").await, ["100% Fiber_Co"]);
    assert_eq!(run("zz").await, Vec::<String>::new());
    // Short queries work too (without the trigram index).
    assert_eq!(
        run("10").await,
        [
            "100% Fiber_Co",
            "Acme",
            "ACME Holdings",
            "Big Acme Corp",
            "Nothing here",
            "Zürich Straße"
        ]
    );
    let (code, body) = app
        .err(
            &admin,
            "{ searchNodes(query: \"  \") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        (code.as_str(), &body["errors"][0]["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("query"))
    );
    // Source.nodes(search:) agrees with searchNodes.
    let nodes = app.ok(&admin, "query($id: ID!) { source(id: $id) { nodes(search: \"acme\") { edges { node { name } } } } }", json!({"id": source})).await;
    assert_eq!(
        names(&nodes["source"]["nodes"]),
        ["Acme", "ACME Holdings", "Seventh", "Big Acme Corp"]
    );
    // Paging through search results.
    let page = app.ok(&admin, "query($s: ID) { searchNodes(query: \"acme\", sourceId: $s, first: 2) { pageInfo { endCursor } edges { node { name } } } }", json!({"s": source})).await;
    let after = page["searchNodes"]["pageInfo"]["endCursor"].clone();
    let next = app.ok(&admin, "query($s: ID, $a: String) { searchNodes(query: \"acme\", sourceId: $s, first: 2, after: $a) { edges { node { name } } } }", json!({"s": source, "a": after})).await;
    assert_eq!(names(&next["searchNodes"]), ["Seventh", "Big Acme Corp"]);
}

async fn ancestors_filters_and_lookups(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let company = app.insert_node(&source, "Company", "1", "Acme", None).await;
    let site = app
        .insert_node(&source, "Site", "s1", "HQ", Some(company.id))
        .await;
    let contact = app
        .insert_node(&source, "Contact", "p1", "Ann Lee", Some(site.id))
        .await;
    let q = "query($id: ID!) { sourceNode(id: $id) { name type externalId fields linkState firstSeenAt parent { name } ancestors { name } source { name } } node(id: $id) { id ... on SourceNode { name } } }";
    let data = app
        .ok(&admin, q, json!({"id": gid(Kind::SourceNode, contact.id)}))
        .await;
    let node = &data["sourceNode"];
    assert_eq!(node["ancestors"], json!([{"name": "Acme"}, {"name": "HQ"}]));
    assert_eq!(node["parent"]["name"], "HQ");
    assert_eq!(node["linkState"], "UNLINKED");
    assert_eq!(node["type"], "Contact");
    assert_eq!(node["source"]["name"], "CW");
    assert_eq!(data["node"]["name"], "Ann Lee");
    let f = app.ok(&admin, "query($id: ID!) { source(id: $id) { a: nodes(type: \"Site\") { totalCount } b: nodes(linked: false) { totalCount } c: nodes(linked: true) { totalCount } linkedCount } }", json!({"id": source})).await;
    assert_eq!(
        f["source"],
        json!({"a": {"totalCount": 1}, "b": {"totalCount": 3}, "c": {"totalCount": 0}, "linkedCount": 0})
    );
    // Malformed and wrong-type ids are null, not errors.
    let data = app.ok(&admin, "{ sourceNode(id: \"nope\") { id } source(id: \"U291cmNlTm9kZTox\") { id } node(id: \"!!\") { id } }", json!({})).await;
    assert_eq!(
        data,
        json!({"sourceNode": null, "source": null, "node": null})
    );
}

/// 500 children with their parent, child count and source: a handful of statements, not 1,500.
async fn a_page_of_500_nodes_costs_a_bounded_number_of_statements(app: TestApp) {
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = app.create_cw_source(&admin, "CW").await;
    let company = app.insert_node(&source, "Company", "1", "Acme", None).await;
    for i in 0..500 {
        let site = app
            .insert_node(
                &source,
                "Site",
                &format!("s{i:03}"),
                &format!("Site {i:03}"),
                Some(company.id),
            )
            .await;
        if i % 2 == 0 {
            app.insert_node(
                &source,
                "Contact",
                &format!("c{i:03}"),
                "Someone",
                Some(site.id),
            )
            .await;
        }
    }
    let q = "query($id: ID!) { sourceNode(id: $id) { children(first: 500) { totalCount edges { node { id name childCount parent { name } source { name } ancestors { name } } } } } }";
    let before = app.statement_count();
    let data = app
        .ok(&admin, q, json!({"id": gid(Kind::SourceNode, company.id)}))
        .await;
    let statements = app.statement_count() - before;
    let edges = data["sourceNode"]["children"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 500);
    assert_eq!(edges[0]["node"]["childCount"], 1);
    assert_eq!(edges[1]["node"]["childCount"], 0);
    assert_eq!(edges[499]["node"]["parent"]["name"], "Acme");
    // user lookup, node lookup, count, page, then one batch each for childCount, parent, source.
    assert!(
        statements <= 8,
        "a page of 500 nodes took {statements} SQL statements"
    );
}
