//! The writing half of "sync fields": planned outcomes of many links written in the caller's
//! transaction with a handful of statements whatever their number: the values and their
//! FieldChanges as one `ValueBatch`, and one update of the links' `last_field_sync` per chunk.

use chrono::{DateTime, Utc};
use entity::enums::ChangeOrigin;
use entity::link;
use entity::prelude::*;
use sea_orm::sea_query::{CaseStatement, Expr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::plan::{FieldOutcome, FieldStatus};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::services::changes::{Provenance, ValueBatch};

/// Links per summary statement.
const CHUNK: usize = 500;

/// One linked node's planned outcomes.
#[derive(Debug, Clone)]
pub struct LinkPlan {
    pub link_id: i64,
    pub node_id: i64,
    pub service_id: i64,
    pub outcomes: Vec<FieldOutcome>,
}

/// Writes `plans` in `txn`: each SYNCED value, one FieldChange per SYNCED value (origin SYNC,
/// the node, `job_id`, the mapping and `actor`), and every link's summary. Plans that write the
/// same service field one after the other (two nodes linked to one service) each keep their
/// FieldChange; the value written is the last. Returns how many values changed.
pub async fn write(
    txn: &impl ConnectionTrait,
    actor: &Viewer,
    job_id: Option<i64>,
    plans: &[LinkPlan],
) -> ApiResult<usize> {
    let now = Utc::now();
    let mut batch = ValueBatch::default();
    for plan in plans {
        for o in plan
            .outcomes
            .iter()
            .filter(|o| o.status == FieldStatus::Synced)
        {
            let by = Provenance {
                actor,
                origin: ChangeOrigin::Sync,
                node_id: Some(plan.node_id),
                job_id,
                field_mapping_id: o.field_mapping_id,
                rule_id: None,
            };
            batch.push(
                &by,
                plan.service_id,
                o.field_id,
                o.old.clone(),
                o.value.clone(),
                now,
            );
        }
    }
    let changed = batch.len();
    batch.write(txn, now).await?;
    write_summaries(txn, plans, now).await?;
    Ok(changed)
}

/// Each link's `last_field_sync` (its outcomes) and `last_field_sync_at`, one statement per
/// chunk of links.
pub async fn write_summaries(
    txn: &impl ConnectionTrait,
    plans: &[LinkPlan],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    for chunk in plans.chunks(CHUNK) {
        // One statement for the chunk: each link's own summary, chosen by id.
        let mut summaries = CaseStatement::new();
        for plan in chunk {
            let summary = serde_json::to_value(&plan.outcomes)
                .map_err(|e| ApiError::internal(anyhow::anyhow!("field sync summary: {e}")))?;
            summaries = summaries.case(link::Column::Id.eq(plan.link_id), Expr::value(summary));
        }
        let summaries = summaries.finally(Expr::col(link::Column::LastFieldSync));
        Link::update_many()
            .col_expr(link::Column::LastFieldSync, summaries.into())
            .col_expr(link::Column::LastFieldSyncAt, Expr::value(Some(now)))
            .filter(link::Column::Id.is_in(chunk.iter().map(|p| p.link_id)))
            .exec(txn)
            .await?;
    }
    Ok(())
}
