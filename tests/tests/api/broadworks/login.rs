//! The BroadWorks connector on its own (no database): both logins — nonce-signed, and plain
//! `LoginRequest22V5` with its fall-back — a small `responseSizeLimit` marking tables
//! incomplete with parents always paged before children, and the words of `testConnection`.

use std::collections::HashSet;

use entity::enums::Role;
use serde_json::{json, Value};
use server::connectors::broadworks::{BroadWorks, LoginMode};
use server::connectors::{Connector, ConnectorError, Net, PageSink, RawNode};
use server::services::source_settings::SourceSettings;
use tests::fakes::broadworks::{BroadWorksFake, Config};
use tests::TestApp;

fn connector(fake: &BroadWorksFake, credentials: &Value) -> BroadWorks {
    BroadWorks::new(
        &fake.base_url(),
        credentials,
        &SourceSettings::default(),
        &Net::default(),
    )
    .unwrap()
}

fn commands(fake: &BroadWorksFake) -> Vec<String> {
    fake.requests()
        .iter()
        .flat_map(|r| r.commands.clone())
        .collect()
}

#[tokio::test]
async fn the_plain_login_is_used_when_asked_and_falls_back_to_the_signed_one() {
    let fake = BroadWorksFake::start(Config::default()).await;
    let creds = fake.config.credentials();
    // Over http the default is the nonce-signed login.
    let words = connector(&fake, &creds).test().await.unwrap();
    assert_eq!(
        words,
        "Connected to BroadWorks as switchboard-admin (login type System, LoginRequest14sp4, nonce-signed)."
    );
    assert_eq!(
        commands(&fake),
        [
            "AuthenticationRequest",
            "LoginRequest14sp4",
            "LogoutRequest"
        ]
    );

    // Plain (what https uses): one request, the password itself.
    fake.clear_requests();
    let plain = connector(&fake, &creds).with_login(LoginMode::Plain);
    let words = plain.test().await.unwrap();
    assert!(
        words.contains("(login type System, LoginRequest22V5)"),
        "{words}"
    );
    assert_eq!(commands(&fake), ["LoginRequest22V5", "LogoutRequest"]);
    assert!(fake.requests()[0]
        .body
        .contains("<password>fake-bw-password</password>"));

    // A wrong password is not tried a second way.
    fake.clear_requests();
    let wrong = json!({"userId": "switchboard-admin", "password": "nope"});
    let err = connector(&fake, &wrong)
        .with_login(LoginMode::Plain)
        .test()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ConnectorError::Unauthorized(w) if w == "[Error 4962] Invalid password"),
        "{err:?}"
    );
    assert_eq!(commands(&fake), ["LoginRequest22V5"]);

    // A server that refuses LoginRequest22V5: the nonce login in the same session.
    let strict = BroadWorksFake::start(Config {
        refuse_plain_login_over_http: true,
        ..Config::default()
    })
    .await;
    let words = connector(&strict, &creds)
        .with_login(LoginMode::Plain)
        .test()
        .await
        .unwrap();
    assert!(words.contains("nonce-signed"), "{words}");
    assert_eq!(
        commands(&strict),
        [
            "LoginRequest22V5",
            "AuthenticationRequest",
            "LoginRequest14sp4",
            "LogoutRequest"
        ]
    );
    let requests = strict.requests();
    assert!(requests
        .iter()
        .all(|r| r.session_id == requests[0].session_id));
}

/// Collects pages, checking each node's parent arrived in an earlier page.
#[derive(Default)]
struct Pages {
    seen: HashSet<(String, String)>,
    nodes: Vec<RawNode>,
}

#[async_trait::async_trait]
impl PageSink for Pages {
    async fn page(&mut self, nodes: Vec<RawNode>) -> anyhow::Result<()> {
        for node in &nodes {
            if let Some((t, id)) = &node.parent {
                assert!(
                    self.seen.contains(&((*t).to_owned(), id.clone())),
                    "{node:?} before its parent"
                );
            }
        }
        for node in nodes {
            self.seen
                .insert((node.node_type.to_owned(), node.external_id.clone()));
            self.nodes.push(node);
        }
        Ok(())
    }

    fn skipped(&mut self, _count: i64) {}
}

#[tokio::test]
async fn tables_at_the_response_size_limit_are_incomplete_and_parents_come_first() {
    let fake = BroadWorksFake::start(Config {
        service_providers: 20,
        ..Config::default()
    })
    .await;
    let mut pages = Pages::default();
    let full = connector(&fake, &fake.config.credentials());
    let coverage = full.import(&mut pages).await.unwrap();
    assert!(coverage.iter().all(|c| c.complete), "{coverage:?}");
    // 20 providers in two documents of groups; 40 groups in six of members.
    assert_eq!(pages.nodes.len(), 20 + 40 + 120 + 40);

    let mut pages = Pages::default();
    let limited = connector(&fake, &fake.config.credentials()).with_response_size_limit(3);
    let coverage = limited.import(&mut pages).await.unwrap();
    let incomplete: Vec<&str> = coverage
        .iter()
        .filter(|c| !c.complete)
        .map(|c| c.entity.as_str())
        .collect();
    assert_eq!(incomplete[..3], ["service providers and enterprises", "users", "serviceProviderTable of the system reached responseSizeLimit 3, so rows may be missing"]);
    // Three providers, two groups each (under the limit), three users each (at it).
    assert_eq!(coverage[2].received, 18);
    assert!(incomplete.contains(
        &"userTable of group ent1/grp1 reached responseSizeLimit 3, so rows may be missing"
    ));
    assert_eq!(pages.nodes.len(), 3 + 6 + 18 + 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_imports_at_once_use_two_sessions() {
    let fake = BroadWorksFake::start(Config::default()).await;
    fake.faults.set(tests::fakes::faults::FaultPlan {
        delay_ms: 30,
        ..Default::default()
    });
    let (a, b) = (
        connector(&fake, &fake.config.credentials()),
        connector(&fake, &fake.config.credentials()),
    );
    let (mut pa, mut pb) = (Pages::default(), Pages::default());
    let (ra, rb) = tokio::join!(a.import(&mut pa), b.import(&mut pb));
    assert!(ra
        .unwrap()
        .iter()
        .chain(rb.unwrap().iter())
        .all(|c| c.complete));
    assert_eq!((pa.nodes.len(), pb.nodes.len()), (44, 44));
    super::passes::check_two_sessions(&fake.requests(), &fake.config.password);
}

/// Testing a connection answers in words a person can act on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broadworks_connection_tests_say_what_to_fix() {
    let app = TestApp::spawn(tests::DbKind::Sqlite).await;
    let fake = BroadWorksFake::start(Config::default()).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let test =
        "mutation($input: CreateSourceInput!) { testConnection(input: $input) { ok message } }";
    let input = |credentials: Value| json!({"input": {"name": "BW", "provider": "BROADWORKS", "baseUrl": fake.base_url(), "credentials": credentials}});
    let ok = app.ok(&admin, test, input(fake.config.credentials())).await;
    assert_eq!(ok["testConnection"]["ok"], true, "{ok}");
    assert_eq!(
        ok["testConnection"]["message"],
        "Connected to BroadWorks as switchboard-admin (login type System, LoginRequest14sp4, nonce-signed)."
    );
    let refused = app
        .ok(
            &admin,
            test,
            input(json!({"userId": "switchboard-admin", "password": "nope"})),
        )
        .await;
    assert_eq!(refused["testConnection"]["ok"], false);
    assert_eq!(
        refused["testConnection"]["message"],
        "Cisco BroadWorks refused the credentials ([Error 4962] Invalid password). Check each credential field and try again."
    );
    let create = json!({"input": {"name": "BW", "provider": "BROADWORKS", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let source =
        app.ok(&admin, tests::gql::CREATE_SOURCE, create).await["createSource"]["id"].clone();
    let saved = app
        .ok(
            &admin,
            "mutation($id: ID!) { testSourceConnection(id: $id) { ok message } }",
            json!({"id": source}),
        )
        .await;
    assert_eq!(saved["testSourceConnection"]["ok"], true, "{saved}");
    // The requests went to the fake only, and each test logged out.
    let commands: Vec<String> = fake
        .requests()
        .iter()
        .flat_map(|r| r.commands.clone())
        .collect();
    assert_eq!(
        commands.iter().filter(|c| *c == "LogoutRequest").count(),
        2,
        "{commands:?}"
    );
}
