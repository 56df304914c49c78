//! The raw insert ceiling: the rows an import just wrote, written again under a copy of their
//! source (so into the same table with the same indexes, FTS and trigram included) the fastest
//! plain way each engine has: multi-row INSERTs in one transaction on SQLite, COPY on
//! PostgreSQL. Only the writing is timed, not the reading of the rows.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use entity::prelude::*;
use entity::{source, source_node};
use sea_orm::sqlx::postgres::PgPoolCopyExt;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, DatabaseConnection, DbBackend,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

const READ_CHUNK: u64 = 5000;
/// As the import's INSERT chunk.
const INSERT_CHUNK: usize = 500;

/// Creates an empty database `name` beside `admin_url`'s and returns its URL.
pub async fn fresh_postgres(admin_url: &str, name: &str) -> Result<String> {
    let admin = Database::connect(admin_url).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let (base, _) = admin_url
        .rsplit_once('/')
        .context("a database URL has a path")?;
    Ok(format!("{base}/{name}"))
}

pub async fn measure(database_url: &str) -> Result<Duration> {
    let db = Database::connect(database_url).await?;
    let original = Source::find()
        .order_by_asc(source::Column::Id)
        .one(&db)
        .await?
        .context("no source")?;
    let mut copy: source::ActiveModel = original.clone().into();
    copy.id = sea_orm::ActiveValue::NotSet;
    copy.name = Set(format!("{} ceiling", original.name));
    copy.webhook_id = Set(format!("{}-ceiling", original.webhook_id));
    let copy = copy.insert(&db).await?;
    let offset: i64 = SourceNode::find()
        .select_only()
        .column_as(source_node::Column::Id.max(), "max")
        .into_tuple::<Option<i64>>()
        .one(&db)
        .await?
        .flatten()
        .unwrap_or_default();
    // Rows are read on a connection of their own while the other one writes.
    let reader = Database::connect(database_url).await?;
    let mut rows = Rows {
        db: &reader,
        source: original.id,
        last: 0,
    };
    let shift = |r: source_node::Model| source_node::Model {
        id: r.id + offset,
        parent_id: r.parent_id.map(|p| p + offset),
        source_id: copy.id,
        ..r
    };
    let mut spent = Duration::ZERO;
    if db.get_database_backend() == DbBackend::Postgres {
        // The rows are written out as CSV first, untimed; then the whole COPY is timed from its
        // start to the server's answer. (Timing only the sends, with the next chunk read from
        // the database in between, left out the server's work on each chunk while the next
        // was read: the ceiling came out too fast.)
        // Removed with its directory on every way out.
        let dir = tests::TempDir::new();
        let path = dir.path.join("ceiling.csv");
        {
            let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
            while let Some(chunk) = rows.next().await? {
                let mut csv = String::new();
                for r in chunk.into_iter().map(shift) {
                    csv_row(&mut csv, &r);
                }
                file.write_all(csv.as_bytes())?;
            }
            file.flush()?;
        }
        let pool = db.get_postgres_connection_pool();
        let t = Instant::now();
        let mut sink = pool
            .copy_in_raw(
                "COPY source_nodes (id, organization_id, source_id, node_type, type_rank, \
                 external_id, parent_id, parent_ref, name, search_text, fields, content_hash, \
                 first_seen_at, last_seen_at, last_seen_job_id, deleted_at, linked) \
                 FROM STDIN WITH (FORMAT csv)",
            )
            .await?;
        let mut file = std::fs::File::open(&path)?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            sink.send(&buf[..n]).await?;
        }
        sink.finish().await?;
        spent = t.elapsed();
    } else {
        let t = Instant::now();
        let txn = db.begin().await?;
        spent += t.elapsed();
        while let Some(chunk) = rows.next().await? {
            let models: Vec<source_node::ActiveModel> =
                chunk.into_iter().map(|r| shift(r).into()).collect();
            let t = Instant::now();
            for part in models.chunks(INSERT_CHUNK) {
                SourceNode::insert_many(part.to_vec()).exec(&txn).await?;
            }
            spent += t.elapsed();
        }
        let t = Instant::now();
        txn.commit().await?;
        spent += t.elapsed();
    }
    Ok(spent)
}

/// A source's nodes in id order, a chunk at a time.
struct Rows<'a> {
    db: &'a DatabaseConnection,
    source: i64,
    last: i64,
}

impl Rows<'_> {
    async fn next(&mut self) -> Result<Option<Vec<source_node::Model>>> {
        let chunk = SourceNode::find()
            .filter(source_node::Column::SourceId.eq(self.source))
            .filter(source_node::Column::Id.gt(self.last))
            .order_by_asc(source_node::Column::Id)
            .limit(READ_CHUNK)
            .all(self.db)
            .await?;
        Ok(chunk.last().map(|r| r.id).map(|last| {
            self.last = last;
            chunk
        }))
    }
}

/// One row in PostgreSQL's CSV: NULL is an unquoted empty field, text is always quoted.
fn csv_row(out: &mut String, r: &source_node::Model) {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let opt = |v: Option<String>| v.unwrap_or_default();
    let fields = [
        r.id.to_string(),
        r.organization_id.to_string(),
        r.source_id.to_string(),
        quote(&r.node_type),
        r.type_rank.to_string(),
        quote(&r.external_id),
        opt(r.parent_id.map(|p| p.to_string())),
        opt(r.parent_ref.as_deref().map(quote)),
        quote(&r.name),
        quote(&r.search_text),
        quote(&r.fields.to_string()),
        quote(&r.content_hash),
        r.first_seen_at.to_rfc3339(),
        r.last_seen_at.to_rfc3339(),
        opt(r.last_seen_job_id.map(|j| j.to_string())),
        opt(r.deleted_at.map(|d| d.to_rfc3339())),
        r.linked.to_string(),
    ];
    out.push_str(&fields.join(","));
    out.push('\n');
}
