//! Inserting a page's new nodes in one go. On PostgreSQL the rows travel as one JSON
//! parameter unpacked by `jsonb_to_recordset`: one short statement per page instead of a
//! multi-row `VALUES` binding every value (about 15 a row), which the server must parse and
//! plan and the driver encode one by one. On SQLite, where binds are cheap calls into the same
//! process, multi-row `INSERT`s of `INSERT_CHUNK` rows.

use chrono::{DateTime, Utc};
use entity::prelude::*;
use entity::source_node;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, Set, Statement};
use serde_json::{json, Value};

/// Rows per multi-row INSERT on SQLite (about 15 binds a row stays far under its 32,766).
pub(super) const INSERT_CHUNK: usize = 500;

/// A node the page brings for the first time.
pub(super) struct NewNode {
    pub node_type: String,
    pub type_rank: i32,
    pub external_id: String,
    pub parent_id: Option<i64>,
    pub name: String,
    pub search_text: String,
    pub fields: Value,
    pub content_hash: String,
    /// Flagged deleted upstream: stored with `deleted_at` set.
    pub deleted: bool,
}

/// What every new node of one page shares.
pub(super) struct Common {
    pub organization_id: i64,
    pub source_id: i64,
    pub now: DateTime<Utc>,
    pub job_id: i64,
}

const PG_INSERT: &str = "INSERT INTO source_nodes (organization_id, source_id, node_type, \
    type_rank, external_id, parent_id, name, search_text, fields, content_hash, first_seen_at, \
    last_seen_at, last_seen_job_id, linked, deleted_at) \
    SELECT $1, $2, r.node_type, r.type_rank, r.external_id, r.parent_id, r.name, r.search_text, \
    r.fields, r.content_hash, $3, $3, $4, false, CASE WHEN r.deleted THEN $3 END \
    FROM jsonb_to_recordset($5::jsonb) AS r(node_type text, type_rank integer, \
    external_id text, parent_id bigint, name text, search_text text, fields jsonb, \
    content_hash text, deleted boolean)";

/// Inserts `rows` (moved, never cloned: the fields are the bulk of a page).
pub(super) async fn insert(
    txn: &impl ConnectionTrait,
    common: &Common,
    rows: Vec<NewNode>,
) -> Result<(), sea_orm::DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        let records: Vec<Value> = rows
            .into_iter()
            .map(|n| {
                json!({
                    "node_type": n.node_type, "type_rank": n.type_rank,
                    "external_id": n.external_id, "parent_id": n.parent_id, "name": n.name,
                    "search_text": n.search_text, "fields": n.fields,
                    "content_hash": n.content_hash, "deleted": n.deleted,
                })
            })
            .collect();
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            PG_INSERT,
            [
                common.organization_id.into(),
                common.source_id.into(),
                common.now.into(),
                common.job_id.into(),
                Value::Array(records).into(),
            ],
        ))
        .await?;
        return Ok(());
    }
    let mut rest: Vec<source_node::ActiveModel> = rows
        .into_iter()
        .map(|n| source_node::ActiveModel {
            organization_id: Set(common.organization_id),
            source_id: Set(common.source_id),
            node_type: Set(n.node_type),
            type_rank: Set(n.type_rank),
            search_text: Set(n.search_text),
            external_id: Set(n.external_id),
            parent_id: Set(n.parent_id),
            name: Set(n.name),
            fields: Set(n.fields),
            content_hash: Set(n.content_hash),
            first_seen_at: Set(common.now),
            last_seen_at: Set(common.now),
            last_seen_job_id: Set(Some(common.job_id)),
            linked: Set(false),
            deleted_at: Set(n.deleted.then_some(common.now)),
            ..Default::default()
        })
        .collect();
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(INSERT_CHUNK));
        SourceNode::insert_many(rest).exec(txn).await?;
        rest = tail;
    }
    Ok(())
}

/// Marks the live nodes under node `id` deleted (a node flagged deleted upstream takes its
/// subtree with it, SEMANTICS.md "Node states"); returns how many.
pub(super) async fn delete_subtree(
    txn: &impl ConnectionTrait,
    source_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<u64, sea_orm::DbErr> {
    let backend = txn.get_database_backend();
    let (a, b, c) = match backend {
        DbBackend::Postgres => ("$1", "$2", "$3"),
        _ => ("?1", "?2", "?3"),
    };
    let sql = format!(
        "WITH RECURSIVE under(id) AS ( \
           SELECT id FROM source_nodes WHERE source_id = {a} AND parent_id = {b} \
           UNION ALL \
           SELECT n.id FROM source_nodes n JOIN under u ON n.parent_id = u.id \
           WHERE n.source_id = {a}) \
         UPDATE source_nodes SET deleted_at = {c} \
         WHERE id IN (SELECT id FROM under) AND deleted_at IS NULL"
    );
    let done = txn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [source_id.into(), id.into(), now.into()],
        ))
        .await?;
    Ok(done.rows_affected())
}
