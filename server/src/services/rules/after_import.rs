//! Rules after an import (after its field sync): each enabled rule's `matchedLastRun` is set
//! (SKIP rules: the records the pass left out; the others: the nodes they matched), and with
//! `autoSyncFields` their changes are written at once under the import's job, origin RULE with
//! the rule. With the setting off they change nothing: their changes wait in a plan.

use std::collections::HashMap;

use entity::enums::LogLevel;
use entity::prelude::*;
use entity::{source, sync_job, sync_log, sync_rule};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::RuleSet;
use crate::error::{ApiError, ApiResult};
use crate::services::plans::{self, Scope};
use crate::services::source_settings::SourceSettings;

/// Runs the source's rules after `job`'s pass; `skipped` counts the records each SKIP rule
/// left out of it. A failure is logged on the job; nothing of a failed run is written.
pub async fn after_import(
    db: &DatabaseConnection,
    job: &sync_job::Model,
    source: &source::Model,
    skipped: &HashMap<i64, i64>,
) {
    let line = match run(db, job, source, skipped).await {
        Ok(None) => return,
        Ok(Some(line)) => (LogLevel::Info, line),
        Err(err) => {
            let detail = match &err {
                ApiError::Internal(cause) => format!("{cause:#}"),
                other => other.message(),
            };
            tracing::error!(job_id = job.id, error = detail, "running the rules failed");
            (
                LogLevel::Error,
                format!("running the rules failed: {}", err.message()),
            )
        }
    };
    let row = sync_log::ActiveModel {
        job_id: Set(job.id),
        at: Set(chrono::Utc::now()),
        level: Set(line.0),
        message: Set(line.1),
        ..Default::default()
    };
    if let Err(err) = SyncLog::insert(row).exec_without_returning(db).await {
        tracing::error!(job_id = job.id, error = %err, "writing a job log line failed");
    }
}

async fn run(
    db: &DatabaseConnection,
    job: &sync_job::Model,
    source: &source::Model,
    skipped: &HashMap<i64, i64>,
) -> ApiResult<Option<String>> {
    let rules = RuleSet::load(db, source.id).await?;
    if rules.is_empty() {
        return Ok(None);
    }
    let actor = crate::services::field_sync::requester(db, job).await?;
    let scope = Scope {
        field_sync: false,
        rules: true,
        write_back: false,
    };
    let auto = SourceSettings::from_json(&source.settings).auto_sync_fields;
    let txn = crate::db::begin_write(db).await?;
    let computed = plans::compute(&txn, &actor, source, scope, &rules).await?;
    for rule in &rules.rules {
        let matched = computed
            .matched
            .get(&rule.id)
            .or_else(|| skipped.get(&rule.id))
            .copied()
            .unwrap_or(0);
        SyncRule::update_many()
            .col_expr(sync_rule::Column::MatchedLastRun, Expr::value(matched))
            .filter(sync_rule::Column::Id.eq(rule.id))
            .exec(&txn)
            .await?;
    }
    let line = if computed.changes.is_empty() {
        "rules: nothing to change".to_owned()
    } else if auto {
        let done = plans::write::write(
            &txn,
            source,
            &actor,
            job.id,
            &computed.changes,
            &computed.summaries,
        )
        .await?;
        format!(
            "rules: {} field values set, {} links made, {} services created",
            done.fields, done.links, done.services
        )
    } else {
        format!(
            "rules: {} changes wait in a plan (autoSyncFields is off)",
            computed.changes.len()
        )
    };
    txn.commit().await?;
    Ok(Some(line))
}
