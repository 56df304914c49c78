//! The import's page writer: each page of `RawNode`s is written in one transaction — new nodes
//! inserted in bulk, changed ones updated, unchanged ones (same content hash) not written at
//! all, only remembered in `Presence` — together with the job's running counts, fenced by the
//! job's lease so a worker that lost its job cannot write. A resumed job re-reads the pass from
//! the start: nodes an earlier attempt of the same job already wrote are not counted twice.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::{source, sync_job};
use sea_orm::{DatabaseConnection, DatabaseTransaction};

use crate::connectors::{PageSink, RawNode};
use crate::events::Events;
use crate::providers::ProviderSpec;
use crate::services::nodes::{content_hash_of_text, search_text};
use crate::services::rules::{NodeView, RuleSet};

use super::ahead::Ahead;
use super::bulk::{Common, NewNode};
pub use super::counts::{Stats, Timings};
use super::presence::{Ids, Presence};
use super::write::begin_page;

pub struct ImportSink<'a> {
    pub(super) db: &'a DatabaseConnection,
    pub(super) events: &'a Events,
    pub(super) source: &'a source::Model,
    pub(super) spec: &'static ProviderSpec,
    pub(super) job: &'a sync_job::Model,
    pub stats: Stats,
    /// Nodes received by this attempt.
    pub received: i64,
    pub(super) presence: Presence,
    /// Per type an incremental pass checked its walked ids against (`present`), the keys of
    /// its live nodes as the first check read them: the deletion scan's candidates too.
    pub(super) live: HashMap<&'static str, Ids>,
    /// Rows inserted since the table's statistics were last refreshed, and the size then.
    pub(super) inserted_since_analyze: u64,
    pub(super) analyzed_at: u64,
    /// The source's rules: records a SKIP rule matches are left out, with their subtrees.
    pub rules: RuleSet,
    /// Records each SKIP rule left out of this pass.
    pub skipped_by_rule: HashMap<i64, i64>,
    skipped_keys: HashSet<Key>,
    /// Records of this attempt's pass flagged deleted upstream (never created nor updated).
    pub(super) flagged: i64,
    /// The source held no nodes when the pass began: pages are inserted without looking for
    /// stored nodes first, until an insert meets one (`create_all`).
    pub(super) fresh: bool,
    pub timings: Timings,
    /// The page being written beside the writer (`ahead`).
    pub(super) ahead: Option<Ahead>,
}

impl<'a> ImportSink<'a> {
    /// A sink for `job`, carrying on from what an earlier attempt of it committed.
    pub fn new(
        state: &'a crate::state::AppState,
        source: &'a source::Model,
        spec: &'static ProviderSpec,
        job: &'a sync_job::Model,
    ) -> ImportSink<'a> {
        let mut stats: Stats = serde_json::from_value(job.stats.clone()).unwrap_or_default();
        // The pass runs again from its start: what it filters and finds unchanged is counted
        // again (created and updated nodes carry this job's id, so they are not).
        stats.skipped = 0;
        stats.unchanged = 0;
        ImportSink {
            db: &state.db,
            events: &state.events,
            source,
            spec,
            job,
            stats,
            received: 0,
            presence: Presence::default(),
            live: HashMap::new(),
            inserted_since_analyze: 0,
            analyzed_at: 0,
            rules: RuleSet::default(),
            skipped_by_rule: HashMap::new(),
            skipped_keys: HashSet::new(),
            flagged: 0,
            fresh: false,
            timings: Timings::default(),
            ahead: None,
        }
    }
}

pub(super) type Key = (String, String);

/// What a page needs to know of a node already stored.
#[derive(Debug, sea_orm::FromQueryResult)]
pub(super) struct Known {
    pub(super) id: i64,
    pub(super) node_type: String,
    pub(super) external_id: String,
    pub(super) content_hash: String,
    pub(super) last_seen_job_id: Option<i64>,
    pub(super) deleted_at: Option<chrono::DateTime<Utc>>,
}

#[async_trait::async_trait]
impl PageSink for ImportSink<'_> {
    fn skipped(&mut self, count: i64) {
        self.stats.skipped += count;
    }

    async fn present(
        &mut self,
        node_type: &'static str,
        external_ids: Vec<String>,
    ) -> anyhow::Result<Vec<String>> {
        // A list's walked ids arrive in chunks: its stored keys are read once, at its first
        // chunk (or earlier, on `expect`). A node the pass writes later is missing from them:
        // at worst it is sent whole once more, and found unchanged.
        self.expect(&[node_type]).await?;
        let live = &self.live[node_type];
        let mut missing = Vec::new();
        for id in external_ids {
            self.presence.add(node_type, &id);
            if !live.contains(&id) {
                missing.push(id);
            }
        }
        Ok(missing)
    }

    async fn expect(&mut self, node_types: &[&'static str]) -> anyhow::Result<()> {
        for &node_type in node_types {
            if !self.live.contains_key(node_type) {
                let ids = self.live_ids(node_type).await?;
                self.live.insert(node_type, ids);
            }
        }
        Ok(())
    }

    async fn page(&mut self, nodes: Vec<RawNode>) -> anyhow::Result<()> {
        let page = self.admit(nodes);
        if self.writes_ahead() {
            return self.page_ahead(page).await;
        }
        self.page_now(page).await
    }
}

/// A page's records as the writer takes them in.
pub(super) struct Admitted {
    /// One per (type, external id).
    pub(super) nodes: HashMap<Key, RawNode>,
    /// The keys of the parents they name.
    pub(super) parents: Vec<Key>,
    /// Records of the page a SKIP rule left out.
    pub(super) left_out: i64,
}

/// A page's rows, ready to write, with what they share.
pub(super) struct Batch {
    pub(super) common: Common,
    pub(super) rows: Vec<NewNode>,
    /// Records of the page a SKIP rule left out.
    pub(super) left_out: i64,
}

impl ImportSink<'_> {
    /// Writes a page at once, in its own transaction.
    pub(super) async fn page_now(&mut self, page: Admitted) -> anyhow::Result<()> {
        let clock = std::time::Instant::now();
        let txn = begin_page(self.db).await?;
        let batch = self.batch(&txn, page, clock).await?;
        self.write_page(txn, batch).await
    }

    /// The page's records, one per (type, external id) even if a provider repeats one within
    /// a page, less those a SKIP rule leaves out (counted), and the parents they name.
    fn admit(&mut self, nodes: Vec<RawNode>) -> Admitted {
        let mut unique: HashMap<Key, RawNode> = HashMap::new();
        let mut left_out = 0;
        for node in nodes {
            let key = (node.node_type.to_owned(), node.external_id.clone());
            if self.left_out_by_rule(&node, &key) {
                left_out += 1;
                continue;
            }
            unique.insert(key, node);
        }
        let parents = unique
            .values()
            .filter_map(|n| {
                n.parent
                    .as_ref()
                    .map(|(t, id)| ((*t).to_owned(), id.clone()))
            })
            .collect();
        Admitted {
            nodes: unique,
            parents,
            left_out,
        }
    }

    /// The page's rows: parents resolved to their stored ids (parents arrive in earlier
    /// pages), fields written as JSON once and hashed. `clock` started with the lookups.
    pub(super) async fn batch(
        &mut self,
        txn: &DatabaseTransaction,
        page: Admitted,
        clock: std::time::Instant,
    ) -> anyhow::Result<Batch> {
        let Admitted {
            nodes: unique,
            parents,
            left_out,
        } = page;
        let parents = self.find(txn, parents).await?;
        self.timings.lookups += clock.elapsed();
        let clock = std::time::Instant::now();
        let rows: Vec<NewNode> = unique
            .into_values()
            .map(|node| {
                let parent_id = node
                    .parent
                    .as_ref()
                    .and_then(|(t, id)| parents.get(&((*t).to_owned(), id.clone())))
                    .map(|p| p.id);
                // The fields are written as JSON once: hashed, and stored as that same text.
                let fields_json = node.fields.to_string();
                self.presence.add(node.node_type, &node.external_id);
                if node.deleted {
                    self.flagged += 1;
                }
                NewNode {
                    type_rank: self.spec.type_rank(node.node_type),
                    search_text: search_text(&node.name, &node.external_id),
                    content_hash: content_hash_of_text(&node.name, parent_id, &fields_json),
                    node_type: node.node_type.to_owned(),
                    external_id: node.external_id,
                    parent_id,
                    name: node.name,
                    fields_json,
                    deleted: node.deleted,
                }
            })
            .collect();
        self.timings.rows += clock.elapsed();
        let common = Common {
            organization_id: self.source.organization_id,
            source_id: self.source.id,
            now: Utc::now(),
            job_id: self.job.id,
        };
        Ok(Batch {
            common,
            rows,
            left_out,
        })
    }
}

impl ImportSink<'_> {
    /// Whether a SKIP rule leaves `node` out of the pass, itself or through its parent (a
    /// record left out takes its subtree with it, as the filters do). Like the filters' rejects,
    /// it is not found, so an earlier import's node is marked deleted after a complete pass.
    fn left_out_by_rule(&mut self, node: &RawNode, key: &Key) -> bool {
        if !self.rules.has_skip() {
            return false;
        }
        let parent_out = node
            .parent
            .as_ref()
            .is_some_and(|(t, id)| self.skipped_keys.contains(&((*t).to_owned(), id.clone())));
        let view = NodeView {
            node_type: node.node_type,
            name: &node.name,
            external_id: &node.external_id,
            fields: &node.fields,
        };
        let rule = self.rules.skips(&view).map(|r| r.id);
        if let Some(id) = rule {
            *self.skipped_by_rule.entry(id).or_default() += 1;
        }
        if rule.is_some() || parent_out {
            self.skipped_keys.insert(key.clone());
            return true;
        }
        false
    }

    /// Once the pass is over: nodes found and not written are the unchanged ones.
    pub fn seal(&mut self) -> i64 {
        self.presence.seal();
        let found = self.presence.len();
        self.stats.unchanged =
            (found - self.stats.created - self.stats.updated - self.flagged).max(0);
        found
    }
}
