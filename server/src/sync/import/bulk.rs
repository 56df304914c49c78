//! Inserting a page's new nodes in one go, as hand-written SQL: a query builder would copy every
//! row's values (the fields above all) once to build the statement and again to bind it, which
//! cost more than SQLite's own work on the rows. The fields arrive as JSON text, written once by
//! the page (which hashed that same text), and are stored as they are.
//!
//! On PostgreSQL the rows travel as one JSON parameter unpacked by `jsonb_to_recordset`: one
//! short statement per page instead of binding about 15 values a row. On SQLite, where binds are
//! cheap calls into the same process, multi-row `INSERT`s of `INSERT_CHUNK` rows. Their
//! parameters are anonymous (`?`): the driver asks SQLite the name of every parameter, and
//! SQLite finds a numbered one (`?NNN`) by a walk through all of them, which made a 500-row
//! statement quadratic.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// Rows per multi-row INSERT on SQLite (14 binds a row stays far under its 32,766).
pub(super) const INSERT_CHUNK: usize = 500;

/// A node the page brings for the first time.
pub(super) struct NewNode {
    pub node_type: String,
    pub type_rank: i32,
    pub external_id: String,
    pub parent_id: Option<i64>,
    pub name: String,
    pub search_text: String,
    /// The fields as compact JSON (`serde_json::Value::to_string`).
    pub fields_json: String,
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

const COLUMNS: &str = "INSERT INTO source_nodes (organization_id, source_id, node_type, \
    type_rank, external_id, parent_id, name, search_text, fields, content_hash, first_seen_at, \
    last_seen_at, last_seen_job_id, linked, deleted_at)";

const PG_ROWS: &str = " SELECT $1, $2, r.node_type, r.type_rank, r.external_id, r.parent_id, \
    r.name, r.search_text, r.fields, r.content_hash, $3, $3, $4, false, \
    CASE WHEN r.deleted THEN $3 END \
    FROM jsonb_to_recordset($5::jsonb) AS r(node_type text, type_rank integer, \
    external_id text, parent_id bigint, name text, search_text text, content_hash text, \
    deleted boolean, fields jsonb)";

/// Inserts `rows` (copied into the statement: a refused insert leaves them to the caller).
pub(super) async fn insert(
    txn: &impl ConnectionTrait,
    common: &Common,
    rows: &[NewNode],
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let shared: [Value; 4] = [
        common.organization_id.into(),
        common.source_id.into(),
        common.now.into(),
        common.job_id.into(),
    ];
    if txn.get_database_backend() == DbBackend::Postgres {
        let mut values = shared.to_vec();
        values.push(pg_records(rows)?.into());
        let sql = format!("{COLUMNS}{PG_ROWS}");
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await?;
        return Ok(());
    }
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut values = Vec::with_capacity(chunk.len() * PER_ROW);
        for n in chunk {
            values.extend([
                shared[0].clone(),
                shared[1].clone(),
                n.node_type.as_str().into(),
                n.type_rank.into(),
                n.external_id.as_str().into(),
                n.parent_id.into(),
                n.name.as_str().into(),
                n.search_text.as_str().into(),
                n.fields_json.as_str().into(),
                n.content_hash.as_str().into(),
                shared[2].clone(),
                shared[2].clone(),
                shared[3].clone(),
                n.deleted.then_some(common.now).into(),
            ]);
        }
        let count = values.len() / PER_ROW;
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sqlite_sql(count),
            values,
        ))
        .await?;
    }
    Ok(())
}

/// Binds a row takes on SQLite.
const PER_ROW: usize = 14;

/// The SQLite statement for `count` rows; a full chunk's text is built once (and so the
/// driver's statement cache finds it prepared).
fn sqlite_sql(count: usize) -> String {
    fn build(count: usize) -> String {
        let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)";
        let mut sql = format!("{COLUMNS} VALUES {row}");
        for _ in 1..count {
            sql.push_str(", ");
            sql.push_str(row);
        }
        sql
    }
    static FULL: OnceLock<String> = OnceLock::new();
    if count == INSERT_CHUNK {
        FULL.get_or_init(|| build(INSERT_CHUNK)).clone()
    } else {
        build(count)
    }
}

/// The page's rows as one JSON array for `jsonb_to_recordset`, the fields spliced in as the
/// text they already are.
fn pg_records(rows: &[NewNode]) -> Result<String, DbErr> {
    #[derive(serde::Serialize)]
    struct Head<'a> {
        node_type: &'a str,
        type_rank: i32,
        external_id: &'a str,
        parent_id: Option<i64>,
        name: &'a str,
        search_text: &'a str,
        content_hash: &'a str,
        deleted: bool,
    }
    let size = rows.iter().map(|n| n.fields_json.len() + 256).sum();
    let mut out = String::with_capacity(size);
    out.push('[');
    for (i, n) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let head = serde_json::to_string(&Head {
            node_type: &n.node_type,
            type_rank: n.type_rank,
            external_id: &n.external_id,
            parent_id: n.parent_id,
            name: &n.name,
            search_text: &n.search_text,
            content_hash: &n.content_hash,
            deleted: n.deleted,
        })
        .map_err(|e| DbErr::Custom(format!("encoding a page's rows: {e}")))?;
        // `{…}` without its closing brace, then the fields.
        out.push_str(&head[..head.len() - 1]);
        out.push_str(",\"fields\":");
        out.push_str(&n.fields_json);
        out.push('}');
    }
    out.push(']');
    Ok(out)
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
