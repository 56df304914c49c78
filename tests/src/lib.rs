//! Test support: `TestApp` runs the real server on a fresh database (a temporary SQLite file,
//! or a UUID-named PostgreSQL database) on 127.0.0.1:0, with GraphQL and WebSocket helpers.
//! `dual_db!` turns one async test into a SQLite test and a PostgreSQL test.
//!
//! Also here: the browser driver (`browser`) and the providers' HTTP fakes (`fakes`).

// Test code fails by panicking: unwrap and expect are how it says what broke.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
pub mod fakes;
mod fixtures;
pub mod gql;
pub mod live;
pub mod logs;

pub use fixtures::*;

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
