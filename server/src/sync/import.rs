//! Import: pages of `RawNode`s become source nodes. Each page is written in one transaction:
//! new nodes inserted in bulk, changed ones updated, unchanged ones (same content hash) only
//! marked seen by this job. After a complete pass, nodes this job did not see are marked
//! deleted; an incomplete pass deletes nothing. Running the same pass again changes nothing.

use std::collections::HashMap;

use chrono::Utc;
use entity::prelude::*;
use entity::{source, source_node};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde::Serialize;

use crate::connectors::{PageSink, RawNode};
use crate::providers::ProviderSpec;
use crate::services::nodes::{content_hash, search_text};

/// Rows per multi-row INSERT (about 15 binds a row stays far under SQLite's 32,766).
const INSERT_CHUNK: usize = 500;

#[derive(Debug, Default, Clone, Serialize)]
pub struct Stats {
    pub created: i64,
    pub updated: i64,
    pub deleted: i64,
    pub unchanged: i64,
    pub skipped: i64,
    pub failed: i64,
}

pub struct ImportSink<'a> {
    pub db: &'a DatabaseConnection,
    pub source: &'a source::Model,
    pub spec: &'static ProviderSpec,
    pub job_id: i64,
    pub stats: Stats,
    pub received: i64,
}

type Key = (String, String);

#[async_trait::async_trait]
impl PageSink for ImportSink<'_> {
    fn skipped(&mut self, count: i64) {
        self.stats.skipped += count;
    }

    async fn page(&mut self, nodes: Vec<RawNode>) -> anyhow::Result<()> {
        self.received += nodes.len() as i64;
        // One node per (type, external id) even if a provider repeats one within a page.
        let mut unique: HashMap<Key, RawNode> = HashMap::new();
        for node in nodes {
            unique.insert((node.node_type.to_owned(), node.external_id.clone()), node);
        }
        let txn = self.db.begin().await?;
        let existing = self.find(&txn, unique.keys().cloned().collect()).await?;
        let parent_keys: Vec<Key> = unique
            .values()
            .filter_map(|n| {
                n.parent
                    .as_ref()
                    .map(|(t, id)| ((*t).to_owned(), id.clone()))
            })
            .collect();
        let parents = self.find(&txn, parent_keys).await?;
        let now = Utc::now();
        let mut inserts = Vec::new();
        let mut seen = Vec::new();
        for (key, node) in unique {
            let parent_id = node
                .parent
                .as_ref()
                .and_then(|(t, id)| parents.get(&((*t).to_owned(), id.clone())))
                .map(|p| p.id);
            let hash = content_hash(&node.name, parent_id, &node.fields);
            match existing.get(&key) {
                Some(row) if row.content_hash == hash && row.deleted_at.is_none() => {
                    self.stats.unchanged += 1;
                    seen.push(row.id);
                }
                Some(row) => {
                    let mut active: source_node::ActiveModel = row.clone().into();
                    active.search_text = Set(search_text(&node.name, &node.external_id));
                    active.name = Set(node.name);
                    active.parent_id = Set(parent_id);
                    active.fields = Set(node.fields);
                    active.content_hash = Set(hash);
                    active.deleted_at = Set(None);
                    active.last_seen_at = Set(now);
                    active.last_seen_job_id = Set(Some(self.job_id));
                    active.update(&txn).await?;
                    self.stats.updated += 1;
                }
                None => {
                    inserts.push(source_node::ActiveModel {
                        organization_id: Set(self.source.organization_id),
                        source_id: Set(self.source.id),
                        node_type: Set(node.node_type.to_owned()),
                        type_rank: Set(self.spec.type_rank(node.node_type)),
                        search_text: Set(search_text(&node.name, &node.external_id)),
                        external_id: Set(node.external_id),
                        parent_id: Set(parent_id),
                        name: Set(node.name),
                        fields: Set(node.fields),
                        content_hash: Set(hash),
                        first_seen_at: Set(now),
                        last_seen_at: Set(now),
                        last_seen_job_id: Set(Some(self.job_id)),
                        linked: Set(false),
                        ..Default::default()
                    });
                    self.stats.created += 1;
                }
            }
        }
        for chunk in inserts.chunks(INSERT_CHUNK) {
            SourceNode::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        for chunk in seen.chunks(INSERT_CHUNK) {
            SourceNode::update_many()
                .col_expr(source_node::Column::LastSeenAt, Expr::value(now))
                .col_expr(source_node::Column::LastSeenJobId, Expr::value(self.job_id))
                .filter(source_node::Column::Id.is_in(chunk.to_vec()))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

impl ImportSink<'_> {
    /// The source's nodes with these (type, external id) keys.
    async fn find(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        keys: Vec<Key>,
    ) -> anyhow::Result<HashMap<Key, source_node::Model>> {
        let mut by_type: HashMap<String, Vec<String>> = HashMap::new();
        for (t, id) in keys {
            by_type.entry(t).or_default().push(id);
        }
        let mut out = HashMap::new();
        for (node_type, ids) in by_type {
            for chunk in ids.chunks(INSERT_CHUNK) {
                let rows = SourceNode::find()
                    .filter(source_node::Column::SourceId.eq(self.source.id))
                    .filter(source_node::Column::NodeType.eq(node_type.as_str()))
                    .filter(source_node::Column::ExternalId.is_in(chunk.to_vec()))
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

    /// After a complete pass: every live node this job did not see is gone upstream.
    pub async fn mark_unseen_deleted(&mut self) -> anyhow::Result<()> {
        let result = SourceNode::update_many()
            .col_expr(source_node::Column::DeletedAt, Expr::value(Utc::now()))
            .filter(source_node::Column::SourceId.eq(self.source.id))
            .filter(source_node::Column::DeletedAt.is_null())
            .filter(
                sea_orm::Condition::any()
                    .add(source_node::Column::LastSeenJobId.is_null())
                    .add(source_node::Column::LastSeenJobId.ne(self.job_id)),
            )
            .exec(self.db)
            .await?;
        self.stats.deleted += result.rows_affected as i64;
        Ok(())
    }
}

/// Runs an import job to its end: SUCCEEDED after a complete pass (deletions applied),
/// PARTIAL when anything was incomplete or failed after retries (nothing deleted), FAILED when
/// the provider refused the credentials. Stats, coverage and a readable log are stored.
pub async fn run(
    state: &crate::state::AppState,
    job: &entity::sync_job::Model,
    source: &source::Model,
) -> (entity::enums::SyncJobStatus, Option<String>) {
    use entity::enums::{LogLevel, SyncJobStatus};

    use super::worker::log;
    use crate::connectors::{self, ConnectorError};
    use crate::services::source_settings::SourceSettings;

    let spec = crate::providers::spec(source.provider);
    let Some(credentials) = crate::services::sources::open_credentials(&state.keys, source) else {
        let message =
            "the source's credentials are missing or unreadable; enter them again".to_owned();
        log(state, job.id, LogLevel::Error, &message).await;
        return (SyncJobStatus::Failed, Some(message));
    };
    let settings = SourceSettings::from_json(&source.settings);
    let connector =
        match connectors::for_source(source.provider, &source.base_url, &credentials, &settings) {
            Some(Ok(c)) => c,
            Some(Err(err)) => return (SyncJobStatus::Failed, Some(err.message())),
            None => {
                let message = format!(
                    "no connector for {} is available yet, so this source cannot be imported",
                    spec.label
                );
                log(state, job.id, LogLevel::Error, &message).await;
                return (SyncJobStatus::Failed, Some(message));
            }
        };
    log(
        state,
        job.id,
        LogLevel::Info,
        &format!("import from {} started", spec.label),
    )
    .await;
    let mut sink = ImportSink {
        db: &state.db,
        source,
        spec,
        job_id: job.id,
        stats: Stats::default(),
        received: 0,
    };
    // Metadata first: the filters and value mappings of this pass read it.
    let metadata = match connector.metadata().await {
        Ok(items) => match super::metadata::replace(&state.db, source.id, items).await {
            Ok(n) => Some(n as i64),
            Err(err) => {
                log(
                    state,
                    job.id,
                    LogLevel::Warn,
                    &format!("storing PSA metadata failed: {err}"),
                )
                .await;
                None
            }
        },
        Err(err) => {
            log(
                state,
                job.id,
                LogLevel::Warn,
                &format!("PSA metadata not refreshed: {}", err.message()),
            )
            .await;
            None
        }
    };
    let outcome = connector.import(&mut sink).await.map(|mut coverage| {
        if spec.is_psa {
            let received = metadata.unwrap_or(0);
            coverage.insert(
                0,
                connectors::Coverage {
                    entity: "metadata".into(),
                    reported: None,
                    received,
                    complete: metadata.is_some(),
                },
            );
        }
        coverage
    });
    let (status, error, coverage) = match outcome {
        Ok(coverage) => {
            let missing: Vec<String> = coverage
                .iter()
                .filter(|c| !c.complete)
                .map(|c| {
                    format!(
                        "{}: received {} of {}",
                        c.entity,
                        c.received,
                        c.reported.map_or("?".into(), |r| r.to_string())
                    )
                })
                .collect();
            if missing.is_empty() {
                match sink.mark_unseen_deleted().await {
                    Ok(()) => (SyncJobStatus::Succeeded, None, coverage),
                    Err(err) => (
                        SyncJobStatus::Partial,
                        Some(format!("marking deleted nodes failed: {err:#}")),
                        coverage,
                    ),
                }
            } else {
                let message = format!("incomplete pass, nothing deleted: {}", missing.join("; "));
                log(state, job.id, LogLevel::Warn, &message).await;
                (SyncJobStatus::Partial, Some(message), coverage)
            }
        }
        Err(ConnectorError::Unauthorized(words)) => {
            let message = ConnectorError::Unauthorized(words).message();
            log(state, job.id, LogLevel::Error, &message).await;
            (SyncJobStatus::Failed, Some(message), Vec::new())
        }
        Err(err) => {
            let message = format!(
                "{}; the pass is incomplete and nothing was deleted",
                err.message()
            );
            log(state, job.id, LogLevel::Error, &message).await;
            (SyncJobStatus::Partial, Some(message), Vec::new())
        }
    };
    let coverage_json: Vec<serde_json::Value> = coverage
        .iter()
        .map(|c| serde_json::json!({"entity": c.entity, "reported": c.reported, "received": c.received, "complete": c.complete}))
        .collect();
    let stats = serde_json::to_value(&sink.stats).unwrap_or_default();
    let saved = entity::sync_job::Entity::update_many()
        .col_expr(entity::sync_job::Column::Stats, Expr::value(stats))
        .col_expr(
            entity::sync_job::Column::Coverage,
            Expr::value(serde_json::Value::Array(coverage_json)),
        )
        .col_expr(
            entity::sync_job::Column::ProgressDone,
            Expr::value(sink.received),
        )
        .col_expr(
            entity::sync_job::Column::ProgressTotal,
            Expr::value(Some(sink.received)),
        )
        .filter(entity::sync_job::Column::Id.eq(job.id))
        .exec(&state.db)
        .await;
    if let Err(err) = saved {
        tracing::error!(job_id = job.id, error = %err, "saving job stats failed");
    }
    let s = &sink.stats;
    let summary = format!(
        "{} received: {} created, {} updated, {} unchanged, {} deleted",
        sink.received, s.created, s.updated, s.unchanged, s.deleted
    );
    log(state, job.id, LogLevel::Info, &summary).await;
    if status == SyncJobStatus::Succeeded {
        let _ = Source::update_many()
            .col_expr(
                source::Column::LastSuccessfulSyncAt,
                Expr::value(Some(Utc::now())),
            )
            .filter(source::Column::Id.eq(source.id))
            .exec(&state.db)
            .await;
    }
    (status, error)
}
