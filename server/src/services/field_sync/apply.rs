//! The writing half of "sync fields": planned outcomes of many links written in the caller's
//! transaction with a handful of statements whatever their number — one upsert of the new
//! values, one insert of their FieldChanges, one update of the services' `updated_at` and one
//! of the links' `last_field_sync` per chunk.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use entity::enums::ChangeOrigin;
use entity::prelude::*;
use entity::{link, service, service_field_value};
use sea_orm::sea_query::{CaseStatement, Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::plan::{FieldOutcome, FieldStatus};
use crate::auth::Viewer;
use crate::services::changes::{change_row, Provenance};

/// Rows per multi-row statement (about 14 binds a row stays far under SQLite's 32,766).
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
) -> Result<usize, DbErr> {
    let now = Utc::now();
    let mut values = BTreeMap::new();
    let mut changes = Vec::new();
    let mut services = BTreeSet::new();
    for plan in plans {
        for o in plan
            .outcomes
            .iter()
            .filter(|o| o.status == FieldStatus::Synced)
        {
            values.insert((plan.service_id, o.field_id), o.value.clone());
            services.insert(plan.service_id);
            let by = Provenance {
                actor,
                origin: ChangeOrigin::Sync,
                node_id: Some(plan.node_id),
                job_id,
                field_mapping_id: o.field_mapping_id,
                rule_id: None,
            };
            let row = change_row(
                &by,
                plan.service_id,
                o.field_id,
                o.old.clone(),
                o.value.clone(),
                now,
            );
            changes.push(row);
        }
    }
    let rows: Vec<service_field_value::ActiveModel> = values
        .into_iter()
        .map(
            |((service_id, field_id), value)| service_field_value::ActiveModel {
                service_id: Set(service_id),
                field_id: Set(field_id),
                value: Set(value),
                updated_at: Set(now),
                ..Default::default()
            },
        )
        .collect();
    let upsert = OnConflict::columns([
        service_field_value::Column::ServiceId,
        service_field_value::Column::FieldId,
    ])
    .update_columns([
        service_field_value::Column::Value,
        service_field_value::Column::UpdatedAt,
    ])
    .to_owned();
    for chunk in rows.chunks(CHUNK) {
        ServiceFieldValue::insert_many(chunk.to_vec())
            .on_conflict(upsert.clone())
            .exec_without_returning(txn)
            .await?;
    }
    let changed = changes.len();
    for chunk in changes.chunks(CHUNK) {
        FieldChange::insert_many(chunk.to_vec())
            .exec_without_returning(txn)
            .await?;
    }
    let services: Vec<i64> = services.into_iter().collect();
    for chunk in services.chunks(CHUNK) {
        Service::update_many()
            .col_expr(service::Column::UpdatedAt, Expr::value(now))
            .filter(service::Column::Id.is_in(chunk.iter().copied()))
            .exec(txn)
            .await?;
    }
    // Recommendations find services by their identifier values too: a synced value moves them.
    for id in &services {
        crate::services::recommend::index::reindex_service(txn, *id)
            .await
            .map_err(|e| DbErr::Custom(format!("reindexing service {id}: {e:?}")))?;
    }
    for chunk in plans.chunks(CHUNK) {
        // One statement for the chunk: each link's own summary, chosen by id.
        let mut summaries = CaseStatement::new();
        for plan in chunk {
            let summary = serde_json::to_value(&plan.outcomes)
                .map_err(|e| DbErr::Custom(format!("field sync summary: {e}")))?;
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
    Ok(changed)
}
