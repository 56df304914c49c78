//! A page's rows against what the source already holds. Into a source that held no nodes when
//! the pass began, a page is inserted whole, without a lookup (`create_all`); the first insert
//! that meets a stored node (a provider that repeats a record across pages, a node a webhook
//! stored meanwhile) is undone and the rest of the pass compares each row with the stored node
//! of its key (`write_against_stored`): unchanged ones (same content hash) are not written,
//! changed ones are updated, new ones inserted.

use std::time::Instant;

use entity::enums::LogLevel;
use entity::prelude::*;
use entity::{source_node, sync_job};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter,
    TransactionTrait,
};

use crate::events::JobChanged;

use super::bulk::{self, Common, NewNode};
use super::journal::Journal;
use super::sink::{Batch, ImportSink, Key, Stats};

/// A committed page's outcome: the job's counts with it, and how many rows it inserted.
pub(super) struct Done {
    pub(super) stats: Stats,
    pub(super) received: i64,
    pub(super) inserted: u64,
}

/// A page's transaction.
pub(super) async fn begin_page(db: &DatabaseConnection) -> anyhow::Result<DatabaseTransaction> {
    let txn = crate::db::begin_write(db).await?;
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // A page lost to a crash before it reached the disk is read again by the resumed
        // job (its counts travel in the same transaction), so its commit need not wait
        // for the WAL flush. A later ordinary commit flushes it anyway.
        use sea_orm::ConnectionTrait;
        txn.execute_unprepared("SET LOCAL synchronous_commit = off")
            .await?;
    }
    Ok(txn)
}

/// Writes the job's counts with a page, and only while this worker still holds the job: a
/// worker presumed dead, whose job another resumed, must not write (the page rolls back).
pub(super) async fn fence(
    txn: &DatabaseTransaction,
    job: (i64, Option<String>),
    stats: &Stats,
    received: i64,
) -> anyhow::Result<()> {
    let held = SyncJob::update_many()
        .col_expr(
            sync_job::Column::Stats,
            Expr::value(serde_json::to_value(stats)?),
        )
        .col_expr(sync_job::Column::ProgressDone, Expr::value(received))
        .filter(sync_job::Column::Id.eq(job.0))
        .filter(sync_job::Column::LeaseOwner.eq(job.1))
        .exec(txn)
        .await?;
    if held.rows_affected == 0 {
        anyhow::bail!("this worker no longer holds the job");
    }
    Ok(())
}

impl ImportSink<'_> {
    /// Writes a page's rows in its transaction, with the job's counts, and commits.
    pub(super) async fn write_page(
        &mut self,
        txn: DatabaseTransaction,
        batch: Batch,
    ) -> anyhow::Result<()> {
        let Batch {
            common,
            rows,
            left_out,
        } = batch;
        // Counted into copies and kept only once the page has committed.
        let mut stats = self.stats.clone();
        stats.skipped += left_out;
        let received = self.received + rows.len() as i64;
        let mut journal = Journal::new(common.job_id, common.now);
        let clock = Instant::now();
        let lookups = self.timings.lookups;
        let inserted = if self.fresh && self.create_all(&txn, &common, &rows).await? {
            journal.created_all(&mut stats, &rows);
            rows.len() as u64
        } else {
            self.write_against_stored(&txn, &common, rows, &mut stats, &mut journal)
                .await?
        };
        journal.write(&txn).await?;
        // Less the lookups `write_against_stored` counted itself.
        self.timings.inserts += clock
            .elapsed()
            .saturating_sub(self.timings.lookups - lookups);
        let clock = Instant::now();
        fence(&txn, self.job_key(), &stats, received).await?;
        txn.commit().await?;
        self.timings.commits += clock.elapsed();
        self.committed(Done {
            stats,
            received,
            inserted,
        })
        .await;
        Ok(())
    }

    /// The job and the lease this worker holds it by.
    pub(super) fn job_key(&self) -> (i64, Option<String>) {
        (self.job.id, self.job.lease_owner.clone())
    }

    /// After a page has committed: its counts become the job's, and the job's watchers hear.
    pub(super) async fn committed(&mut self, done: Done) {
        let clock = Instant::now();
        self.inserted_since_analyze += done.inserted;
        self.refresh_statistics();
        self.stats = done.stats;
        self.received = done.received;
        self.events
            .job_changed(self.db, JobChanged::of(self.job))
            .await;
        self.timings.after += clock.elapsed();
        self.timings.pages += 1;
    }

    /// Inserts every row; false, with nothing written, when one of them is already stored
    /// (and from then on the pass looks before it writes).
    pub(super) async fn create_all(
        &mut self,
        txn: &DatabaseTransaction,
        common: &Common,
        rows: &[NewNode],
    ) -> anyhow::Result<bool> {
        // A savepoint, so that a refused insert leaves the page's transaction usable.
        let attempt = txn.begin().await?;
        match bulk::insert(&attempt, common, rows).await {
            Ok(()) => {
                attempt.commit().await?;
                Ok(true)
            }
            Err(err) if crate::error::is_unique_violation(&err) => {
                attempt.rollback().await?;
                self.fresh = false;
                tracing::debug!(
                    job_id = common.job_id,
                    "a page met stored nodes; the pass now looks before it writes"
                );
                Ok(false)
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Writes `rows` against the stored nodes of their keys; returns how many were inserted.
    pub(super) async fn write_against_stored(
        &mut self,
        txn: &DatabaseTransaction,
        common: &Common,
        rows: Vec<NewNode>,
        stats: &mut Stats,
        journal: &mut Journal,
    ) -> anyhow::Result<u64> {
        let clock = std::time::Instant::now();
        let keys: Vec<Key> = rows
            .iter()
            .map(|n| (n.node_type.clone(), n.external_id.clone()))
            .collect();
        let existing = self.find(txn, keys).await?;
        self.timings.lookups += clock.elapsed();
        let (now, job_id) = (common.now, common.job_id);
        let mut inserts = Vec::new();
        // Nodes flagged deleted upstream this page that were live: their subtrees go with them.
        let mut newly_deleted = Vec::new();
        for node in rows {
            let row = existing.get(&(node.node_type.clone(), node.external_id.clone()));
            let Some(row) = row else {
                journal.created(stats, &node);
                inserts.push(node);
                continue;
            };
            // Unchanged: nothing to write (`Presence` remembers it was there).
            if row.content_hash == node.content_hash && row.deleted_at.is_some() == node.deleted {
                continue;
            }
            // A node this job already counted (an earlier attempt wrote it) is not counted again.
            let counted = row.last_seen_job_id == Some(job_id);
            // A flagged node keeps the time it was first found deleted.
            let deleted_at = node.deleted.then(|| row.deleted_at.unwrap_or(now));
            if !counted {
                let (t, id, name) = (&node.node_type, &node.external_id, &node.name);
                if !node.deleted {
                    journal.note(stats, LogLevel::Debug, "updated", t, id, name);
                    stats.updated += 1;
                } else if row.deleted_at.is_none() {
                    let what = "deleted (flagged deleted upstream)";
                    journal.note(stats, LogLevel::Info, what, t, id, name);
                    stats.deleted += 1;
                    newly_deleted.push(row.id);
                }
            }
            let fields: serde_json::Value = serde_json::from_str(&node.fields_json)?;
            SourceNode::update_many()
                .col_expr(
                    source_node::Column::SearchText,
                    Expr::value(node.search_text),
                )
                .col_expr(source_node::Column::Name, Expr::value(node.name))
                .col_expr(source_node::Column::ParentId, Expr::value(node.parent_id))
                .col_expr(source_node::Column::Fields, Expr::value(fields))
                .col_expr(
                    source_node::Column::ContentHash,
                    Expr::value(node.content_hash),
                )
                .col_expr(source_node::Column::DeletedAt, Expr::value(deleted_at))
                .col_expr(source_node::Column::LastSeenAt, Expr::value(now))
                .col_expr(source_node::Column::LastSeenJobId, Expr::value(job_id))
                .filter(source_node::Column::Id.eq(row.id))
                .exec(txn)
                .await?;
        }
        bulk::insert(txn, common, &inserts).await?;
        for id in newly_deleted {
            stats.deleted += bulk::delete_subtree(txn, common.source_id, id, now).await? as i64;
        }
        Ok(inserts.len() as u64)
    }
}
