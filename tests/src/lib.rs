//! Test support: `TestApp` runs the real server on a fresh database (a temporary SQLite file,
//! or a UUID-named PostgreSQL database) on 127.0.0.1:0, with GraphQL and WebSocket helpers.
//! `dual_db!` turns one async test into a SQLite test and a PostgreSQL test.
//!
//! Also here: the browser driver (`browser`) and the providers' HTTP fakes (`fakes`).

// Test code fails by panicking: unwrap and expect are how it says what broke.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
pub mod fakes;
pub mod gql;
pub mod live;
pub mod logs;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};
use server::config::Settings;
use server::crypto::Keys;
use server::startup::Application;
use server::state::AppState;

/// Where PostgreSQL runs on every machine of this project (trust auth).
pub const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// A running server on its own database.
pub struct TestApp {
    pub kind: DbKind,
    pub addr: SocketAddr,
    pub base_url: String,
    pub state: AppState,
    pub db: DatabaseConnection,
    /// The database's URL, for a second "process" on the same database.
    pub url: String,
    /// SQL statements executed so far through the server's connection (the N+1 guard).
    pub statements: Arc<AtomicU64>,
    pub client: reqwest::Client,
    pg_database: Option<String>,
    _dir: Option<TempDir>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// A logged-in person (or a token) of an organization.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub email: String,
    pub password: String,
    pub org: String,
}

impl TestApp {
    pub async fn spawn(kind: DbKind) -> TestApp {
        Self::spawn_with(kind, |_| {}).await
    }

    /// Like `spawn`, letting the test adjust the settings first.
    pub async fn spawn_with(kind: DbKind, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        logs::capture();
        let (url, dir, pg_database) = match kind {
            DbKind::Sqlite => {
                let dir = TempDir::new();
                let url = format!("sqlite://{}?mode=rwc", dir.path.join("test.db").display());
                (url, Some(dir), None)
            }
            DbKind::Postgres => {
                let name = format!("sb_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(PG_ADMIN_URL)
                    .await
                    .expect("PostgreSQL at 127.0.0.1:5432");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create database");
                let _ = admin.close().await;
                (
                    format!("postgres://postgres@127.0.0.1:5432/{name}"),
                    None,
                    Some(name),
                )
            }
        };
        let mut settings = Settings::for_database(&url);
        // Tests step the queue themselves (`Worker::try_run_next`); no background workers.
        settings.workers = 0;
        adjust(&mut settings);
        let mut db = server::db::connect(&url).await.expect("connect");
        server::db::migrate(&db, &url).await.expect("migrate");
        let statements = Arc::new(AtomicU64::new(0));
        let counter = statements.clone();
        let trace = std::env::var_os("SB_TRACE_SQL").is_some();
        db.set_metric_callback(move |info| {
            counter.fetch_add(1, Ordering::Relaxed);
            if trace {
                eprintln!(
                    "SQL {:?}: {}",
                    info.elapsed,
                    info.statement.sql.chars().take(160).collect::<String>()
                );
            }
        });
        let app = Application::with_parts(settings, db.clone(), Keys::random())
            .await
            .expect("bind");
        let addr = app.address();
        let state = app.state().clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async {
            let _ = rx.await;
        }));
        TestApp {
            kind,
            addr,
            base_url: format!("http://{addr}"),
            state,
            db,
            url,
            statements,
            client: reqwest::Client::new(),
            pg_database,
            _dir: dir,
            shutdown: Some(tx),
        }
    }

    /// A PostgreSQL-backed app, or `None` (said on stderr) when no PostgreSQL listens on
    /// 127.0.0.1:5432. With `SWITCHBOARD_REQUIRE_POSTGRES` set (CI sets it) an unreachable
    /// PostgreSQL fails the test instead, so nothing is skipped unnoticed.
    pub async fn spawn_postgres_if_reachable() -> Option<TestApp> {
        let reachable = tokio::net::TcpStream::connect("127.0.0.1:5432")
            .await
            .is_ok();
        if !reachable {
            assert!(
                std::env::var_os("SWITCHBOARD_REQUIRE_POSTGRES").is_none(),
                "PostgreSQL is required (SWITCHBOARD_REQUIRE_POSTGRES) but 127.0.0.1:5432 does not answer"
            );
            eprintln!("PostgreSQL not reachable at 127.0.0.1:5432: this test ran on SQLite only");
            return None;
        }
        Some(Self::spawn(DbKind::Postgres).await)
    }

    /// POSTs a GraphQL operation and returns the whole response body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self
            .client
            .post(format!("{}/graphql", self.base_url))
            .json(&json!({"query": query, "variables": variables}));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.expect("request");
        resp.json().await.expect("json body")
    }

    /// `data` of a successful operation; panics with the errors otherwise.
    pub async fn ok(&self, session: &Session, query: &str, variables: Value) -> Value {
        let body = self.gql(Some(&session.token), query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// The first error's `extensions.code` (and the body, for more asserts).
    pub async fn err(&self, session: &Session, query: &str, variables: Value) -> (String, Value) {
        let body = self.gql(Some(&session.token), query, variables).await;
        let code = body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error: {body:#}"))
            .to_owned();
        (code, body)
    }

    /// Creates an organization with a user of `role` and logs in.
    pub async fn login_as(&self, org: &str, role: entity::enums::Role) -> Session {
        let email = format!(
            "{}-{}@example.com",
            format!("{role:?}").to_lowercase(),
            uuid::Uuid::new_v4().simple()
        );
        let password = "correct horse battery".to_owned();
        let org_row = server::services::identity::ensure_organization(&self.db, org)
            .await
            .expect("org");
        server::services::identity::create_user(
            &self.db,
            org_row.id,
            &email,
            "Test User",
            &password,
            role,
        )
        .await
        .expect("user");
        let token = self.login(&email, &password).await;
        Session {
            token,
            email,
            password,
            org: org.to_owned(),
        }
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let body = self
            .gql(
                None,
                "mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}",
                json!({"e": email, "p": password}),
            )
            .await;
        body["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("login failed: {body:#}"))
            .to_owned()
    }

    pub fn statement_count(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://{}{path}", self.addr)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(name) = self.pg_database.take() {
            // Dropping needs async work outside the test's runtime, which is shutting down.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async {
                    if let Ok(admin) = Database::connect(PG_ADMIN_URL).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// A temporary directory removed on drop.
pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new() -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "switchboard-test-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir { path }
    }
}

impl Default for TempDir {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The workspace root (for committed files the tests compare against).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `dual_db!(name)` runs `async fn name(app: TestApp)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! dual_db {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::TestApp::spawn($crate::DbKind::Sqlite).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::TestApp::spawn_postgres_if_reachable().await {
                        super::$name(app).await
                    }
                }
            }
        )*
    };
}

impl TestApp {
    /// Inserts a node into a source (as an import will), returning its row.
    pub async fn insert_node(
        &self,
        source_gid: &str,
        node_type: &str,
        external_id: &str,
        name: &str,
        parent: Option<i64>,
    ) -> entity::source_node::Model {
        use sea_orm::EntityTrait;
        let id = server::graphql::ids::decode(server::graphql::ids::Kind::Source, source_gid)
            .expect("a source id");
        let source = entity::source::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .unwrap()
            .expect("source");
        let node = server::services::nodes::NewNode {
            node_type: node_type.into(),
            external_id: external_id.into(),
            name: name.into(),
            parent_id: parent,
            fields: json!({"id": external_id, "name": name}),
            deleted_at: None,
        };
        server::services::nodes::insert(&self.db, &source, node)
            .await
            .expect("insert node")
    }

    /// Creates a ConnectWise source as `admin` and returns its global id.
    pub async fn create_cw_source(&self, admin: &Session, name: &str) -> String {
        let input = json!({"input": {"name": name, "provider": "CONNECTWISE_MANAGE", "baseUrl": "https://cw.example.com/v4_6_release/apis/3.0", "credentials": gql::cw_credentials()}});
        let data = self.ok(admin, gql::CREATE_SOURCE, input).await;
        data["createSource"]["id"].as_str().expect("id").to_owned()
    }
}

impl TestApp {
    /// An Autotask source (no connector yet): its jobs end at once without any network traffic.
    pub async fn create_offline_source(&self, admin: &Session, name: &str) -> String {
        let input = json!({"input": {"name": name, "provider": "AUTOTASK", "baseUrl": "https://webservices5.autotask.net/ATServicesRest/V1.0", "credentials": {"username": "api@acme.example", "secret": "s3cret", "integrationCode": "CODE"}}});
        let data = self.ok(admin, gql::CREATE_SOURCE, input).await;
        data["createSource"]["id"].as_str().expect("id").to_owned()
    }
}

/// The global id of a row.
pub fn gid(kind: server::graphql::ids::Kind, id: i64) -> String {
    server::graphql::ids::encode(kind, id).0
}

/// What the import tests read of a job.
pub const SYNC_JOB: &str = "query($id: ID!) { syncJob(id: $id) { status error stats { created updated deleted unchanged skipped } coverage { entity reported received complete } logs(level: INFO, first: 500) { edges { node { level message } } } } }";

/// Queues a forced sync of `source` and returns the job's id.
pub async fn force_sync(app: &TestApp, session: &Session, source: &str) -> Value {
    app.ok(
        session,
        "mutation($id: ID!) { forceSync(sourceId: $id) { id } }",
        json!({"id": source}),
    )
    .await["forceSync"]["id"]
        .clone()
}

/// A job as the API reads it (`SYNC_JOB`).
pub async fn sync_job(app: &TestApp, session: &Session, id: &Value) -> Value {
    app.ok(session, SYNC_JOB, json!({"id": id})).await["syncJob"].clone()
}

/// Forces a sync, runs it here with one worker, and returns the job as the API reads it.
pub async fn sync(app: &TestApp, session: &Session, source: &str) -> Value {
    let id = force_sync(app, session, source).await;
    server::sync::worker::Worker::new(app.state.clone(), 0)
        .try_run_next()
        .await
        .expect("run the job");
    sync_job(app, session, &id).await
}

/// `type:name` of each node of a connection, in order.
pub fn typed_names(conn: &Value) -> Vec<String> {
    conn["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["node"]["type"].as_str().unwrap_or_default(),
                e["node"]["name"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// A job's log, one "LEVEL message" line per entry.
pub fn log_text(job: &Value) -> String {
    job["logs"]["edges"]
        .as_array()
        .expect("log edges")
        .iter()
        .map(|l| {
            format!(
                "{} {}\n",
                l["node"]["level"].as_str().unwrap_or_default(),
                l["node"]["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

impl TestApp {
    /// Links a node to a service by writing the rows `linkNode` writes (a live `links` row and
    /// `source_nodes.linked`), for tests of what happens to linked nodes. Returns the link's id.
    pub async fn link_directly(&self, node_id: i64, service_id: i64) -> i64 {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
        let node = entity::source_node::Entity::find_by_id(node_id)
            .one(&self.db)
            .await
            .unwrap()
            .expect("node");
        let link = entity::link::ActiveModel {
            organization_id: Set(node.organization_id),
            node_id: Set(node_id),
            service_id: Set(service_id),
            linked_at: Set(chrono::Utc::now()),
            last_field_sync: Set(json!([])),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("insert link");
        entity::source_node::Entity::update_many()
            .col_expr(entity::source_node::Column::Linked, Expr::value(true))
            .filter(entity::source_node::Column::Id.eq(node_id))
            .exec(&self.db)
            .await
            .expect("mark linked");
        link.id
    }
}
