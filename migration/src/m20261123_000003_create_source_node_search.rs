//! Substring search on `source_nodes.search_text`.
//!
//! PostgreSQL: a `pg_trgm` GIN index, used by `search_text LIKE '%…%'`.
//! SQLite: the FTS5 table `source_nodes_search` (trigram tokenizer, external content on
//! `source_nodes`, rowid = `source_nodes.id`), kept in step by triggers; query it with
//! `source_nodes_search MATCH '"…"'` (three characters at least) and join on rowid.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::util;

const POSTGRES_UP: &[&str] = &[
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX source_nodes_search_trgm ON source_nodes USING gin (search_text gin_trgm_ops)",
];

/// The extension is left in place: other objects may use it, and dropping it needs rights the
/// application role may lack.
const POSTGRES_DOWN: &[&str] = &["DROP INDEX source_nodes_search_trgm"];

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE source_nodes_search USING fts5(\
        search_text, content='source_nodes', content_rowid='id', tokenize='trigram')",
    // Index whatever rows exist already (none on a fresh database).
    "INSERT INTO source_nodes_search (source_nodes_search) VALUES ('rebuild')",
    "CREATE TRIGGER source_nodes_search_ai AFTER INSERT ON source_nodes BEGIN \
        INSERT INTO source_nodes_search (rowid, search_text) VALUES (new.id, new.search_text); \
    END",
    "CREATE TRIGGER source_nodes_search_ad AFTER DELETE ON source_nodes BEGIN \
        INSERT INTO source_nodes_search (source_nodes_search, rowid, search_text) \
            VALUES ('delete', old.id, old.search_text); \
    END",
    // Imports rewrite rows often; only a changed search_text touches the index.
    "CREATE TRIGGER source_nodes_search_au AFTER UPDATE OF search_text ON source_nodes \
    WHEN old.search_text IS NOT new.search_text BEGIN \
        INSERT INTO source_nodes_search (source_nodes_search, rowid, search_text) \
            VALUES ('delete', old.id, old.search_text); \
        INSERT INTO source_nodes_search (rowid, search_text) VALUES (new.id, new.search_text); \
    END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER source_nodes_search_au",
    "DROP TRIGGER source_nodes_search_ad",
    "DROP TRIGGER source_nodes_search_ai",
    "DROP TABLE source_nodes_search",
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match util::backend(manager)? {
            DbBackend::Postgres => util::exec(manager, POSTGRES_UP).await,
            _ => util::exec(manager, SQLITE_UP).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match util::backend(manager)? {
            DbBackend::Postgres => util::exec(manager, POSTGRES_DOWN).await,
            _ => util::exec(manager, SQLITE_DOWN).await,
        }
    }

    fn use_transaction(&self) -> Option<bool> {
        // All or nothing on SQLite too.
        Some(true)
    }
}
