//! The schema against the public contract, the committed SDL, and the HTTP protocol details
//! (error codes for parse and validation failures, GET, GraphiQL, limits).

use std::process::Command;

use entity::enums::Role;
use serde_json::json;
use tests::{workspace_root, DbKind, TestApp};

/// web/graphql/schema.graphql is what the server serves; regenerate it with
/// `SB_WRITE_SCHEMA=1 cargo test --workspace --test integration the_committed_sdl_is_current`
/// (or `switchboard schema > web/graphql/schema.graphql`).
#[test]
fn the_committed_sdl_is_current() {
    let path = workspace_root().join("web/graphql/schema.graphql");
    if std::env::var_os("SB_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, server::graphql::sdl()).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == server::graphql::sdl(),
        "web/graphql/schema.graphql is stale: run `SB_WRITE_SCHEMA=1 cargo test --workspace --test integration the_committed_sdl_is_current`"
    );
}

/// Everything the schema has of the contract is the contract's (names, arguments, types,
/// interfaces); items still missing are only absences, reported for the issues that add them.
#[test]
fn the_schema_differs_from_the_contract_only_by_absences() {
    let dir = tests::TempDir::new();
    let sdl = dir.path.join("schema.graphql");
    std::fs::write(&sdl, server::graphql::sdl()).unwrap();
    let tool = workspace_root().join("../shared/tools/contract-check");
    let out = Command::new("python3")
        .arg(&tool)
        .arg(&sdl)
        .output()
        .expect("python3 runs contract-check");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(" breaking, "),
        "contract-check did not run: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let absences = [
        "TYPE_REMOVED",
        "FIELD_REMOVED",
        "ARG_REMOVED",
        "VALUE_REMOVED_FROM_ENUM",
    ];
    let different: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("BREAKING") || l.starts_with("dangerous"))
        .filter(|l| {
            !absences
                .iter()
                .any(|a| l.starts_with(&format!("BREAKING {a}:")))
        })
        .collect();
    assert!(
        different.is_empty(),
        "present but different from the contract:\n{}",
        different.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protocol_errors_carry_codes() {
    let app = TestApp::spawn(DbKind::Sqlite).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let (code, _) = app.err(&admin, "{ viewer { role }", json!({})).await;
    assert_eq!(code, "GRAPHQL_PARSE_FAILED");
    let (code, _) = app.err(&admin, "{ viewer { nope } }", json!({})).await;
    assert_eq!(code, "GRAPHQL_VALIDATION_FAILED");
    let deep = format!(
        "{{ sources {{ edges {{ node {{ {} }} }} }} }}",
        "roots { edges { node { children { edges { node { ".repeat(3)
            + "id"
            + &" } } } } } }".repeat(3)
    );
    let (code, body) = app.err(&admin, &deep, json!({})).await;
    assert_eq!(code, "GRAPHQL_VALIDATION_FAILED", "{body}");
    let (code, body) = app
        .err(
            &admin,
            "query($d: Date!) { __typename } mutation { __typename }",
            json!({}),
        )
        .await;
    assert!(code.starts_with("GRAPHQL_"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_queries_run_get_mutations_are_refused_and_graphiql_is_served_to_browsers() {
    let app = TestApp::spawn(DbKind::Sqlite).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let url = format!("{}/graphql", app.base_url);
    let resp = app
        .client
        .get(&url)
        .query(&[("query", "{ viewer { role } }")])
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["data"]["viewer"]["role"], "ADMIN");
    let resp = app
        .client
        .get(&url)
        .query(&[(
            "query",
            "mutation { createCustomer(input: {name: \"x\"}) { id } }",
        )])
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 405);
    let page = app
        .client
        .get(&url)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(page
        .text()
        .await
        .unwrap()
        .to_lowercase()
        .contains("graphiql"));
    let health = app
        .client
        .get(format!("{}/health", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}
