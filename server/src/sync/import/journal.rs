//! The job log's lines about single records: each node an import creates, updates or stores as
//! deleted is named (node type, external id, name), up to `LOGGED_CHANGES` a job, then one
//! line says how many more there were, so a million-node import logs a bounded amount. Lines go
//! in with their page's transaction: a page that rolls back logs nothing. Created and updated
//! nodes are DEBUG lines (the detail under the INFO summary); a node deleted because the
//! provider flags it so is INFO, like the deletions after a complete pass.

use chrono::{DateTime, Utc};
use entity::enums::LogLevel;
use entity::prelude::*;
use entity::sync_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use super::bulk::NewNode;
use super::sink::Stats;

/// Changed nodes named one by one in a job's log.
pub(super) const LOGGED_CHANGES: i64 = 1_000;

/// A page's lines, written with the page.
pub(super) struct Journal {
    job_id: i64,
    at: DateTime<Utc>,
    lines: Vec<sync_log::ActiveModel>,
}

/// The changes a job has counted so far: a change is named while this is under the cap. The
/// counts are exact across a resumed job (a node is counted once), so the cap holds too.
fn changes(stats: &Stats) -> i64 {
    stats.created + stats.updated + stats.deleted
}

impl Journal {
    pub(super) fn new(job_id: i64, at: DateTime<Utc>) -> Journal {
        Journal {
            job_id,
            at,
            lines: Vec::new(),
        }
    }

    /// Names one change (`what`: "created", "updated", …) unless the job named enough.
    /// Call it before the change is counted in `stats`.
    pub(super) fn note(
        &mut self,
        stats: &Stats,
        level: LogLevel,
        what: &str,
        node_type: &str,
        external_id: &str,
        name: &str,
    ) {
        if changes(stats) >= LOGGED_CHANGES {
            return;
        }
        self.lines.push(sync_log::ActiveModel {
            job_id: Set(self.job_id),
            at: Set(self.at),
            level: Set(level),
            message: Set(format!("{what}: {name}")),
            node_type: Set(Some(node_type.to_owned())),
            external_id: Set(Some(external_id.to_owned())),
            ..Default::default()
        });
    }

    /// Counts and names a node `create_all` inserted: created, or stored as deleted when the
    /// provider flags it so.
    pub(super) fn created(&mut self, stats: &mut Stats, node: &NewNode) {
        let (t, id, name) = (&node.node_type, &node.external_id, &node.name);
        if node.deleted {
            let what = "stored as deleted (flagged deleted upstream)";
            self.note(stats, LogLevel::Info, what, t, id, name);
            stats.deleted += 1;
        } else {
            self.note(stats, LogLevel::Debug, "created", t, id, name);
            stats.created += 1;
        }
    }

    /// Counts and names every row of a page `create_all` inserted.
    pub(super) fn created_all(&mut self, stats: &mut Stats, rows: &[NewNode]) {
        rows.iter().for_each(|n| self.created(stats, n));
    }

    pub(super) async fn write(self, txn: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
        if !self.lines.is_empty() {
            SyncLog::insert_many(self.lines)
                .exec_without_returning(txn)
                .await?;
        }
        Ok(())
    }
}

/// After the pass: how many changes the log did not name, if any.
pub(super) async fn summary(
    db: &impl ConnectionTrait,
    job_id: i64,
    stats: &Stats,
) -> Result<(), sea_orm::DbErr> {
    let unnamed = changes(stats) - LOGGED_CHANGES;
    if unnamed <= 0 {
        return Ok(());
    }
    sync_log::ActiveModel {
        job_id: Set(job_id),
        at: Set(Utc::now()),
        level: Set(LogLevel::Info),
        message: Set(format!(
            "{unnamed} more nodes created, updated or flagged deleted (not listed one by one)"
        )),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
