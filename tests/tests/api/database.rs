//! The database layer itself: migrations under concurrency, SQLite's mode.

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use tests::{TempDir, PG_ADMIN_URL};

/// Several server processes starting at once on one PostgreSQL database: each migrates, none
/// fails, and every migration is applied exactly once (the advisory lock serialises them).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_starts_migrate_postgres_once() {
    if tokio::net::TcpStream::connect("127.0.0.1:5432")
        .await
        .is_err()
    {
        assert!(
            std::env::var_os("SWITCHBOARD_REQUIRE_POSTGRES").is_none(),
            "PostgreSQL is required"
        );
        return;
    }
    let name = format!("sb_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(PG_ADMIN_URL).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                let db = server::db::connect(&url).await?;
                server::db::migrate(&db, &url).await?;
                db.close().await?;
                anyhow::Ok(())
            })
        })
        .collect();
    for start in starts {
        start
            .await
            .unwrap()
            .expect("a concurrent start failed to migrate");
    }
    let db = server::db::connect(&url).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT COUNT(*) AS n FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap();
    let applied: i64 = row.try_get("", "n").unwrap();
    assert_eq!(applied as usize, migration_count());
    db.close().await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
}

/// SQLite runs in WAL mode with foreign keys on, so readers never wait for the writer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_runs_in_wal_mode() {
    let dir = TempDir::new();
    let url = format!("sqlite://{}?mode=rwc", dir.path.join("wal.db").display());
    let db = server::db::connect(&url).await.unwrap();
    server::db::migrate(&db, &url).await.unwrap();
    let mode = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA journal_mode",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mode.try_get::<String>("", "journal_mode").unwrap(), "wal");
    let fk = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA foreign_keys",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fk.try_get::<i32>("", "foreign_keys").unwrap(), 1);
}

fn migration_count() -> usize {
    use sea_orm_migration::MigratorTrait;
    migration::Migrator::migrations().len()
}
