//! The import's reads of the stored tree: a page's known nodes, which of an incremental
//! pass's walked ids are live, and after a complete pass the live nodes it did not find; and
//! the PostgreSQL statistics those reads are planned by.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::enums::LogLevel;
use entity::prelude::*;
use entity::{source_node, sync_log};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::bulk::INSERT_CHUNK;
use super::presence::Ids;
use super::sink::{ImportSink, Key, Known};

/// Rows a job inserts before it first refreshes PostgreSQL's statistics (then each doubling).
const ANALYZE_AFTER: u64 = 5_000;

/// Live keys read per step.
const KEY_SCAN: u64 = 10_000;
/// Deleted nodes named one by one in a job's log; past this the log says how many more.
const LOGGED_DELETIONS: usize = 1_000;

impl ImportSink<'_> {
    /// PostgreSQL plans the key lookups by its table statistics, which autovacuum refreshes
    /// only now and then: during a large first import they still describe a nearly empty
    /// table, and the lookups degrade into scans of every node of a type. So the import
    /// refreshes them itself each time the table has doubled.
    pub(super) fn refresh_statistics(&mut self) {
        use sea_orm::ConnectionTrait;
        if self.db.get_database_backend() != sea_orm::DbBackend::Postgres
            || self.inserted_since_analyze < ANALYZE_AFTER.max(self.analyzed_at)
        {
            return;
        }
        // In the background: it takes no lock that writes wait for, and the writer need not
        // wait for it either (the next pages are planned by the old statistics meanwhile).
        let db = self.db.clone();
        tokio::spawn(async move {
            if let Err(err) = db.execute_unprepared("ANALYZE source_nodes").await {
                tracing::warn!(error = %err, "refreshing the nodes' statistics failed");
            }
        });
        self.analyzed_at += self.inserted_since_analyze;
        self.inserted_since_analyze = 0;
    }

    /// Notes whether the source holds no node at all (deleted ones included), so that its
    /// first import inserts pages without looking for stored nodes first.
    pub async fn note_if_empty(&mut self) -> anyhow::Result<()> {
        let any: Option<i64> = SourceNode::find()
            .select_only()
            .column(source_node::Column::Id)
            .filter(source_node::Column::SourceId.eq(self.source.id))
            .into_tuple()
            .one(self.db)
            .await?;
        self.fresh = any.is_none();
        Ok(())
    }

    /// The source's nodes with these (type, external id) keys.
    pub(super) async fn find(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        keys: Vec<Key>,
    ) -> anyhow::Result<HashMap<Key, Known>> {
        let mut by_type: HashMap<String, Vec<String>> = HashMap::new();
        for (t, id) in keys {
            by_type.entry(t).or_default().push(id);
        }
        let mut out = HashMap::new();
        for (node_type, ids) in by_type {
            for chunk in ids.chunks(INSERT_CHUNK) {
                // Only what the comparison needs: the fields stay in the database.
                let rows = SourceNode::find()
                    .select_only()
                    .columns([
                        source_node::Column::Id,
                        source_node::Column::NodeType,
                        source_node::Column::ExternalId,
                        source_node::Column::ContentHash,
                        source_node::Column::LastSeenJobId,
                        source_node::Column::DeletedAt,
                    ])
                    .filter(source_node::Column::SourceId.eq(self.source.id))
                    .filter(source_node::Column::NodeType.eq(node_type.as_str()))
                    .filter(source_node::Column::ExternalId.is_in(chunk.to_vec()))
                    .into_model::<Known>()
                    .all(txn)
                    .await?;
                out.extend(
                    rows.into_iter()
                        .map(|r| ((r.node_type.clone(), r.external_id.clone()), r)),
                );
            }
        }
        Ok(out)
    }

    /// Every live node of `node_type`, as a set of external ids (8 bytes each when numeric):
    /// what an incremental pass checks its walked ids against, and where the deletions after a
    /// pass are looked for. Reading the type's keys once in index order costs far less than
    /// probing the walked ids a chunk at a time (a pass that walks a list walks about all of it).
    pub(super) async fn live_ids(&self, node_type: &str) -> anyhow::Result<Ids> {
        let mut ids = Ids::default();
        let mut last = String::new();
        loop {
            // The next `KEY_SCAN` keys after `last`, deleted or not, in the order of the unique
            // key: the key alone answers, so no table row is read (asking for `deleted_at` here
            // visited a million rows at random on SQLite, most of a re-sync's time).
            let chunk: Vec<String> = self
                .keys(node_type)
                .filter(source_node::Column::ExternalId.gt(last.as_str()))
                .order_by_asc(source_node::Column::ExternalId)
                .limit(KEY_SCAN)
                .into_tuple()
                .all(self.db)
                .await?;
            let Some(end) = chunk.last() else { break };
            // The deleted ones among them, from their own small partial index.
            let deleted: HashSet<String> = self
                .keys(node_type)
                .filter(source_node::Column::ExternalId.gt(last.as_str()))
                .filter(source_node::Column::ExternalId.lte(end.as_str()))
                .filter(source_node::Column::DeletedAt.is_not_null())
                .into_tuple::<String>()
                .all(self.db)
                .await?
                .into_iter()
                .collect();
            chunk
                .iter()
                .filter(|ext| !deleted.contains(*ext))
                .for_each(|ext| ids.add(ext));
            last = chunk.into_iter().next_back().unwrap_or_default();
        }
        ids.seal();
        Ok(ids)
    }

    /// The external ids of this source's nodes of `node_type`, as a query to narrow.
    fn keys(&self, node_type: &str) -> sea_orm::Select<SourceNode> {
        SourceNode::find()
            .select_only()
            .column(source_node::Column::ExternalId)
            .filter(source_node::Column::SourceId.eq(self.source.id))
            .filter(source_node::Column::NodeType.eq(node_type))
    }

    /// After a complete pass: every live node it did not find is gone upstream. The live keys
    /// of a type an incremental pass checked its walked ids against are in memory already
    /// (`present`); any other type's are read now, the same way. The candidates are the keys
    /// the pass did not find, each checked once more in the database: a webhook may have
    /// deleted one since the keys were read. Nodes stored after that read were found, or came
    /// from a webhook, and are left alone.
    pub async fn mark_unseen_deleted(&mut self) -> anyhow::Result<()> {
        // Into a source that was empty, a pass that never met a stored node wrote every node
        // the source holds (a node a webhook stored meanwhile is upstream too): none is unseen.
        if self.fresh {
            return Ok(());
        }
        let mut gone = Gone {
            now: Utc::now(),
            logged: 0,
            total: 0,
        };
        for node_type in self.spec.node_types.iter().map(|t| t.name) {
            let live = match self.live.remove(node_type) {
                Some(live) => live,
                None => self.live_ids(node_type).await?,
            };
            let unseen: Vec<String> = live
                .iter()
                .filter(|ext| !self.presence.contains(node_type, ext))
                .collect();
            drop(live);
            for chunk in unseen.chunks(INSERT_CHUNK) {
                let still: Vec<(i64, String)> = SourceNode::find()
                    .select_only()
                    .columns([source_node::Column::Id, source_node::Column::ExternalId])
                    .filter(source_node::Column::SourceId.eq(self.source.id))
                    .filter(source_node::Column::NodeType.eq(node_type))
                    .filter(source_node::Column::ExternalId.is_in(chunk.to_vec()))
                    .filter(source_node::Column::DeletedAt.is_null())
                    .into_tuple()
                    .all(self.db)
                    .await?;
                self.delete(node_type, still, &mut gone).await?;
            }
        }
        let unnamed = gone.total - gone.logged;
        if gone.logged == LOGGED_DELETIONS && unnamed > 0 {
            sync_log::ActiveModel {
                job_id: Set(self.job.id),
                at: Set(gone.now),
                level: Set(LogLevel::Info),
                message: Set(format!(
                    "{unnamed} more nodes deleted (not listed one by one)"
                )),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
        }
        Ok(())
    }

    /// Marks these nodes, (id, external id), deleted, naming them in the log up to
    /// `LOGGED_DELETIONS` per job.
    async fn delete(
        &mut self,
        node_type: &str,
        unseen: Vec<(i64, String)>,
        gone: &mut Gone,
    ) -> anyhow::Result<()> {
        // A person reading the log sees which records went, by type and external id.
        let named: Vec<sync_log::ActiveModel> = unseen
            .iter()
            .take(LOGGED_DELETIONS.saturating_sub(gone.logged))
            .map(|(_, ext)| sync_log::ActiveModel {
                job_id: Set(self.job.id),
                at: Set(gone.now),
                level: Set(LogLevel::Info),
                message: Set("deleted: no longer in the source".into()),
                node_type: Set(Some(node_type.to_owned())),
                external_id: Set(Some(ext.clone())),
                ..Default::default()
            })
            .collect();
        gone.logged += named.len();
        if !named.is_empty() {
            SyncLog::insert_many(named)
                .exec_without_returning(self.db)
                .await?;
        }
        let ids: Vec<i64> = unseen.iter().map(|(id, _)| *id).collect();
        for part in ids.chunks(INSERT_CHUNK) {
            SourceNode::update_many()
                .col_expr(source_node::Column::DeletedAt, Expr::value(gone.now))
                .filter(source_node::Column::Id.is_in(part.to_vec()))
                .exec(self.db)
                .await?;
        }
        self.stats.deleted += ids.len() as i64;
        gone.total += ids.len();
        Ok(())
    }
}

/// The deletions of one job so far.
struct Gone {
    now: chrono::DateTime<Utc>,
    logged: usize,
    total: usize,
}
