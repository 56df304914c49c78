//! PostgreSQL's first import writes two pages at once. There a page's `INSERT` is most of a
//! first import's time, and one backend runs it on one core while the other waits; so the next
//! page is looked up and inserted on a second connection while the one before it is still
//! being written. Pages still commit in their order: a page's transaction takes the job's
//! counts from the page before once that has committed, and rolls back if it did not.
//!
//! Two pages overlap only when the later one names no parent among the earlier one's nodes (its
//! lookup could not see them yet) and shares no node with it (its insert would wait for the
//! other's commit, which waits for it); and only into a source that was empty when the pass
//! began: a page that meets a stored node rolls back, and is written again in order, looking
//! before it writes, like every page after it.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use sea_orm::{DatabaseTransaction, DbBackend};
use tokio::sync::oneshot;

use super::bulk;
use super::journal::Journal;
use super::pipe::AbortOnDrop;
use super::sink::{Admitted, Batch, ImportSink, Key, Stats};
use super::write::{begin_page, fence, Done};

/// The job's counts (and nodes received) once a page has committed, for the page after it.
/// Dropped unsent when the page did not commit.
type Totals = (Stats, i64);

/// The page being written beside the writer.
pub(super) struct Ahead {
    /// Its nodes' keys: a page that names one as a parent, or holds one, waits for it.
    keys: HashSet<Key>,
    task: AbortOnDrop<anyhow::Result<Written>>,
    /// Its counts once it has committed, for the page after it.
    after: Option<oneshot::Receiver<Totals>>,
}

/// How a page written ahead ended.
enum Written {
    /// With the time its insert and its commit took.
    Committed(Done, Duration, Duration),
    /// Rolled back, to be written again in order: it met a stored node, or the page before it
    /// did not commit.
    Again(Batch),
}

/// The counts a page starts from: known, or the page before's once it commits.
enum Prior {
    Known(Totals),
    Pending(oneshot::Receiver<Totals>),
}

impl ImportSink<'_> {
    /// Whether pages are written ahead: on PostgreSQL, into a source that was empty.
    pub(super) fn writes_ahead(&self) -> bool {
        self.fresh && self.db.get_database_backend() == DbBackend::Postgres
    }

    /// Starts writing this page beside the one before, then waits for that one.
    pub(super) async fn page_ahead(&mut self, page: Admitted) -> anyhow::Result<()> {
        if let Some(ahead) = &self.ahead {
            let mut depends = page.parents.iter().chain(page.nodes.keys());
            if depends.any(|k| ahead.keys.contains(k)) {
                self.settle().await?;
            }
        }
        // That page may have met a stored node: from then on, pages look before they write.
        if !self.writes_ahead() {
            return self.page_now(page).await;
        }
        let clock = Instant::now();
        let txn = begin_page(self.db).await?;
        let keys: HashSet<Key> = page.nodes.keys().cloned().collect();
        let batch = self.batch(&txn, page, clock).await?;
        let mut before = self.ahead.take();
        let prior = match before.as_mut().and_then(|b| b.after.take()) {
            Some(after) => Prior::Pending(after),
            None => Prior::Known((self.stats.clone(), self.received)),
        };
        let (tell, after) = oneshot::channel();
        let job = self.job_key();
        let this = Ahead {
            keys,
            task: AbortOnDrop(tokio::spawn(write(txn, batch, job, prior, tell))),
            after: Some(after),
        };
        let Some(before) = before else {
            self.ahead = Some(this);
            return Ok(());
        };
        let first = before.task.join().await?;
        if let Written::Again(_) = first {
            // This page started from counts that never came: it rolls back too, and both
            // are written again, in order.
            let second = this.task.join().await?;
            self.land(first).await?;
            return self.land(second).await;
        }
        self.land(first).await?;
        self.ahead = Some(this);
        Ok(())
    }

    /// Waits for the page being written ahead, if any, and takes in its outcome. A pass ends
    /// with it: until then its last page may still be being written.
    pub async fn settle(&mut self) -> anyhow::Result<()> {
        match self.ahead.take() {
            Some(ahead) => {
                let written = ahead.task.join().await?;
                self.land(written).await
            }
            None => Ok(()),
        }
    }

    async fn land(&mut self, written: Written) -> anyhow::Result<()> {
        match written {
            Written::Committed(done, inserts, commits) => {
                self.timings.inserts += inserts;
                self.timings.commits += commits;
                self.committed(done).await;
                Ok(())
            }
            Written::Again(batch) => {
                self.fresh = false;
                let txn = begin_page(self.db).await?;
                self.write_page(txn, batch).await
            }
        }
    }
}

/// Inserts a page's rows, then, once the page before has committed, its log lines and the
/// job's counts, and commits.
async fn write(
    txn: DatabaseTransaction,
    batch: Batch,
    job: (i64, Option<String>),
    prior: Prior,
    tell: oneshot::Sender<Totals>,
) -> anyhow::Result<Written> {
    let clock = Instant::now();
    let met_stored = match bulk::insert(&txn, &batch.common, &batch.rows).await {
        Ok(()) => false,
        Err(err) if crate::error::is_unique_violation(&err) => true,
        Err(err) => return Err(err.into()),
    };
    let inserts = clock.elapsed();
    let totals = match prior {
        Prior::Known(totals) => Some(totals),
        Prior::Pending(after) => after.await.ok(),
    };
    let Some((mut stats, received)) = totals.filter(|_| !met_stored) else {
        txn.rollback().await?;
        return Ok(Written::Again(batch));
    };
    let clock = Instant::now();
    stats.skipped += batch.left_out;
    let mut journal = Journal::new(batch.common.job_id, batch.common.now);
    journal.created_all(&mut stats, &batch.rows);
    journal.write(&txn).await?;
    let received = received + batch.rows.len() as i64;
    fence(&txn, job, &stats, received).await?;
    txn.commit().await?;
    // The page after it may be waiting; it may also be gone (the pass failed).
    let _ = tell.send((stats.clone(), received));
    let done = Done {
        stats,
        received,
        inserted: batch.rows.len() as u64,
    };
    Ok(Written::Committed(done, inserts, clock.elapsed()))
}
