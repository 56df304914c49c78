//! Opening the database and migrating it.
//!
//! SQLite runs in WAL mode with a busy timeout and foreign keys on, so the API, the workers and
//! a second process can share the file. On PostgreSQL, migrations run under an advisory lock so
//! several processes starting at once apply them exactly once.

use std::time::Duration;

use anyhow::Context;
use migration::Migrator;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use sea_orm_migration::MigratorTrait;

/// An arbitrary, fixed key for `pg_advisory_lock`: "switchboard migrations".
const MIGRATION_LOCK_KEY: i64 = 0x5357_4244_4d49_4752;

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    connect_for_workers(url, 0).await
}

/// Like [`connect`], for a process running `workers` sync workers. On PostgreSQL a first import
/// holds two connections for its pages (`sync::import::ahead`) and briefly a third for reads,
/// so the pool grows with the workers, leaving the API, the heartbeats and the events theirs.
pub async fn connect_for_workers(url: &str, workers: usize) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        options
            .max_connections(8)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(30))
                    .foreign_keys(true)
            });
    } else {
        let size = 16.max(3 * workers as u32 + 10);
        options.max_connections(size).min_connections(1);
    }
    Database::connect(options)
        .await
        .with_context(|| format!("connecting to {}", redact(url)))
}

/// Applies pending migrations; safe when several processes start at once.
pub async fn migrate(db: &DatabaseConnection, url: &str) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Migrator::up(db, None).await.context("migrating");
    }
    // A session-level advisory lock must be taken, used and released on one connection.
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .max_connections(1)
        .min_connections(1);
    let single = Database::connect(options)
        .await
        .with_context(|| format!("connecting to {}", redact(url)))?;
    let sql = |verb: &str| {
        Statement::from_string(
            DbBackend::Postgres,
            format!("SELECT {verb}({MIGRATION_LOCK_KEY})"),
        )
    };
    single
        .execute_raw(sql("pg_advisory_lock"))
        .await
        .context("taking the migration lock")?;
    let result = Migrator::up(&single, None).await;
    let _ = single.execute_raw(sql("pg_advisory_unlock")).await;
    let _ = single.close().await;
    result.context("migrating")
}

/// The URL without a password, for logs and errors.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}{}@{}", &url[..scheme + 3], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// `begin_write` whose reads must still hold when it commits (a plan's hash checked against the
/// data, an undo's "nothing moved since"). SQLite's write lock taken at BEGIN already gives
/// that; PostgreSQL runs it SERIALIZABLE, so a concurrent writer makes it fail with a
/// serialization error, which the API answers as CONFLICT (see `ApiError::from(DbErr)`).
pub async fn begin_serializable<T>(db: &T) -> Result<T::Transaction, sea_orm::DbErr>
where
    T: sea_orm::TransactionTrait + sea_orm::ConnectionTrait,
{
    use sea_orm::{DbBackend, IsolationLevel, SqliteTransactionMode, TransactionOptions};
    let isolation_level =
        (db.get_database_backend() == DbBackend::Postgres).then_some(IsolationLevel::Serializable);
    db.begin_with_options(TransactionOptions {
        isolation_level,
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Starts a transaction that will write. On SQLite it takes the write lock at BEGIN
/// (IMMEDIATE), so it waits out the busy timeout behind another writer instead of failing with
/// SQLITE_BUSY when a read turns into a write; PostgreSQL ignores the mode.
pub async fn begin_write<T: sea_orm::TransactionTrait>(
    db: &T,
) -> Result<T::Transaction, sea_orm::DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
