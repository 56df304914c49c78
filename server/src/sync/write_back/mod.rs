//! WRITE_BACK jobs (SEMANTICS.md "Write-back"): service values of a source's write-back fields
//! go to the provider. Before writing a record the job reads it as it is now: a field the source
//! changed since the last import is a conflict — logged WARN, never overwritten, and the job
//! ends PARTIAL. What was written is also written into the node, so the tree shows it at once.
//!
//! Queued by `updateServiceFields` when it changes such a field (`queue_for_service`), and after
//! each import that leaves a service value differing from its node's (`queue_if_pending`).

mod pending;

use entity::enums::{LogLevel, SyncJobKind, SyncJobStatus};
use entity::prelude::SyncJob;
use entity::{source, source_node, sync_job};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

pub use pending::{pending, same, to_node_form, FieldWrite, NodeWrites};

use super::worker::{log, log_record};
use crate::auth::Viewer;
use crate::connectors::{self, ConnectorError};
use crate::error::ApiResult;
use crate::services::source_settings::SourceSettings;
use crate::state::AppState;

/// Runs a write-back job to its end: SUCCEEDED when every pending value was written, PARTIAL
/// when a conflict or a failed record kept some back, FAILED when the provider refused the
/// credentials.
pub async fn run(
    state: &AppState,
    job: &sync_job::Model,
    source: &source::Model,
) -> (SyncJobStatus, Option<String>) {
    let fail = |message: String| async move {
        log(state, job.id, LogLevel::Error, &message).await;
        (SyncJobStatus::Failed, Some(message))
    };
    let work = match pending(&state.db, source, None, None).await {
        Ok(work) => work,
        Err(err) => {
            return fail(format!(
                "reading what to write back failed: {}",
                err.message()
            ))
            .await
        }
    };
    if work.is_empty() {
        log(
            state,
            job.id,
            LogLevel::Info,
            "nothing to write back: every write-back field matches its service",
        )
        .await;
        return (SyncJobStatus::Succeeded, None);
    }
    let Some(credentials) = crate::services::sources::open_credentials(&state.keys, source) else {
        return fail("the source's credentials are missing or unreadable; enter them again".into())
            .await;
    };
    let settings = SourceSettings::from_json(&source.settings);
    let connector = match connectors::for_source(
        source.provider,
        &source.base_url,
        &credentials,
        &settings,
        &state.net,
    ) {
        Some(Ok(c)) => c,
        Some(Err(err)) => return fail(err.message()).await,
        None => {
            return fail("this provider has no connector, so nothing can be written back".into())
                .await
        }
    };
    let tz = settings.tz();
    let (mut written, mut held) = (0i64, 0i64);
    set_progress(state, job.id, 0, Some(work.len() as i64)).await;
    for (done, item) in work.iter().enumerate() {
        let record = (item.node.node_type.as_str(), item.node.external_id.as_str());
        let outcome = write_node(state, job.id, connector.as_ref(), item, tz).await;
        match outcome {
            Ok((w, conflicts)) => {
                written += w;
                held += conflicts;
            }
            Err(ConnectorError::Unauthorized(words)) => {
                return fail(ConnectorError::Unauthorized(words).message()).await;
            }
            Err(err) => {
                held += item.writes.len() as i64;
                log_record(
                    state,
                    job.id,
                    LogLevel::Error,
                    &format!("not written back: {}", err.message()),
                    record,
                )
                .await;
            }
        }
        set_progress(state, job.id, done as i64 + 1, Some(work.len() as i64)).await;
    }
    let stats = json!({"created": 0, "updated": written, "deleted": 0, "unchanged": 0, "skipped": 0, "failed": held});
    if let Err(err) = SyncJob::update_many()
        .col_expr(sync_job::Column::Stats, Expr::value(stats))
        .filter(sync_job::Column::Id.eq(job.id))
        .exec(&state.db)
        .await
    {
        tracing::error!(job_id = job.id, error = %err, "storing write-back counts failed");
    }
    let summary = format!("{written} value(s) written back, {held} held back");
    log(state, job.id, LogLevel::Info, &summary).await;
    if held > 0 {
        (SyncJobStatus::Partial, Some(summary))
    } else {
        (SyncJobStatus::Succeeded, None)
    }
}

/// Writes one node's pending values: reads the record first and holds back every field the
/// source changed since the last import. Returns (written, held back).
async fn write_node(
    state: &AppState,
    job_id: i64,
    connector: &dyn connectors::Connector,
    item: &NodeWrites,
    tz: chrono_tz::Tz,
) -> Result<(i64, i64), ConnectorError> {
    let node = &item.node;
    let record = (node.node_type.as_str(), node.external_id.as_str());
    let upstream = connector
        .read_record(&node.node_type, &node.external_id)
        .await?;
    let mut writes = Vec::new();
    let mut held = 0;
    for w in &item.writes {
        let now = upstream.get(&w.node_field).cloned().unwrap_or(Value::Null);
        if same(w.data_type, &now, &w.node_value, tz) {
            writes.push((w.node_field.clone(), w.value.clone()));
        } else {
            held += 1;
            let message = format!(
                "conflict: {} changed in the source since the last import (now {now}, was {}); the service value {} was not written",
                w.node_field, w.node_value, w.value
            );
            log_record(state, job_id, LogLevel::Warn, &message, record).await;
        }
    }
    if writes.is_empty() {
        return Ok((0, held));
    }
    connector
        .write_record(&node.node_type, &node.external_id, &writes)
        .await?;
    let keys: Vec<&str> = writes.iter().map(|(k, _)| k.as_str()).collect();
    log_record(
        state,
        job_id,
        LogLevel::Info,
        &format!("written back: {}", keys.join(", ")),
        record,
    )
    .await;
    if let Err(err) = store_in_node(&state.db, node, &writes).await {
        tracing::error!(node_id = node.id, error = %err, "updating a written-back node failed");
    }
    Ok((writes.len() as i64, held))
}

/// The written values into the node's fields. Its content hash stays that of the last import,
/// so the next import rewrites the node from what the provider then says.
async fn store_in_node(
    db: &impl ConnectionTrait,
    node: &source_node::Model,
    writes: &[(String, Value)],
) -> Result<(), sea_orm::DbErr> {
    let mut fields = node.fields.clone();
    if let Some(map) = fields.as_object_mut() {
        for (key, value) in writes {
            map.insert(key.clone(), value.clone());
        }
    }
    entity::prelude::SourceNode::update_many()
        .col_expr(source_node::Column::Fields, Expr::value(fields))
        .filter(source_node::Column::Id.eq(node.id))
        .exec(db)
        .await?;
    Ok(())
}

async fn set_progress(state: &AppState, job_id: i64, done: i64, total: Option<i64>) {
    let _ = SyncJob::update_many()
        .col_expr(sync_job::Column::ProgressDone, Expr::value(done))
        .col_expr(sync_job::Column::ProgressTotal, Expr::value(total))
        .filter(sync_job::Column::Id.eq(job_id))
        .exec(&state.db)
        .await;
}

/// After an import: queues a write-back when any service value of a write-back field differs
/// from its node's. A failure is only logged: the import itself succeeded.
pub async fn queue_if_pending(state: &AppState, source: &source::Model) {
    let due = match pending(&state.db, source, None, Some(1)).await {
        Ok(work) => !work.is_empty(),
        Err(err) => {
            tracing::error!(source_id = source.id, error = %err.message(), "checking for write-back failed");
            false
        }
    };
    if due {
        if let Err(err) =
            super::queue::enqueue(&state.db, source, SyncJobKind::WriteBack, None).await
        {
            tracing::error!(source_id = source.id, error = %err.message(), "queueing a write-back failed");
        }
    }
}

/// After `updateServiceFields` changed a service: queues a write-back on each source with a
/// live link to it that now has something to write.
pub async fn queue_for_service(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    service_id: i64,
) -> ApiResult<()> {
    use entity::prelude::{Link, SourceNode};
    use sea_orm::QuerySelect;
    let node_ids: Vec<i64> = Link::find()
        .filter(entity::link::Column::ServiceId.eq(service_id))
        .filter(entity::link::Column::UnlinkedAt.is_null())
        .filter(entity::link::Column::OrganizationId.eq(viewer.org_id))
        .select_only()
        .column(entity::link::Column::NodeId)
        .into_tuple()
        .all(db)
        .await?;
    if node_ids.is_empty() {
        return Ok(());
    }
    let source_ids: Vec<i64> = SourceNode::find()
        .filter(source_node::Column::Id.is_in(node_ids.clone()))
        .select_only()
        .column(source_node::Column::SourceId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    // Paused sources queue nothing (SEMANTICS.md "Sources"); the next import after resuming
    // finds the difference and queues the write-back then.
    for source in entity::prelude::Source::find()
        .filter(source::Column::Id.is_in(source_ids))
        .filter(source::Column::DeletedAt.is_null())
        .filter(source::Column::Status.eq(entity::enums::SourceStatus::Active))
        .all(db)
        .await?
    {
        if !pending(db, &source, Some(&node_ids), Some(1))
            .await?
            .is_empty()
        {
            super::queue::enqueue(db, &source, SyncJobKind::WriteBack, Some(viewer)).await?;
        }
    }
    Ok(())
}
