//! The GraphQL-over-HTTP audit of the `graphql-http` npm package (`auditServer`), run with a
//! bearer token against a live server: it must report no errors.

use std::process::Command;

use entity::enums::Role;
use tests::{workspace_root, DbKind, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graphql_over_http_audit_reports_no_errors() {
    let app = TestApp::spawn(DbKind::Sqlite).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let dir = workspace_root().join("tests/audit");
    assert!(
        dir.join("node_modules/graphql-http").exists(),
        "run `npm ci` in tests/audit (cargo xtask test does)"
    );
    let url = format!("{}/graphql", app.base_url);
    let out = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("audit.mjs")
            .arg(url)
            .arg(&admin.token)
            .current_dir(dir)
            .output()
    })
    .await
    .unwrap()
    .expect("node runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{text}");
    let summary: serde_json::Value =
        serde_json::from_str(text.lines().last().unwrap_or("{}")).unwrap_or_default();
    assert_eq!(
        summary["error"],
        0,
        "audit errors:\n{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(summary["ok"].as_u64().unwrap_or(0) > 10, "{text}");
}
