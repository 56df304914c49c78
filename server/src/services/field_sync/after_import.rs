//! `autoSyncFields`: after an import pass that SUCCEEDED or ended PARTIAL, every live linked
//! node of the source has its mapped fields synced into its service — origin SYNC, with the
//! job, the actor being whoever asked for the job ("system" for scheduled runs). With the
//! setting off nothing happens: changes wait for `syncFields` or an approved plan.
//!
//! Field syncs do not count into the job's stats, which count the source's records (created,
//! updated, …) and would become ambiguous; the job's log reports them instead: one line per
//! SKIPPED (INFO) or FAILED (WARN) field naming the node type and external id, and a summary.
//!
//! Links are read in pages of `PAGE`, each read, planned and written in one transaction: the
//! mappings are loaded once per node type for the whole run, nodes, services and values once
//! per page, and the writes are a few multi-row statements per page (`apply::write`). Running
//! it again changes nothing (every value is then UNCHANGED), so a resumed job is safe.

use std::collections::HashMap;

use entity::enums::LogLevel;
use entity::prelude::*;
use entity::{service, source, source_node, sync_job, sync_log};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};

use super::held;
use super::pages::{LinkedPages, PAGE};
use super::{current_values, plan, write, zone_of, FieldStatus, LinkPlan};
use crate::auth::{api_tokens, Viewer};
use crate::error::{ApiError, ApiResult};
use crate::services::dictionary::{self, MappedField};
use crate::services::plans::compute::view_of;
use crate::services::source_settings::SourceSettings;

/// Links read, planned and written per transaction.

#[derive(Debug, Default)]
struct Tally {
    nodes: u64,
    synced: u64,
    unchanged: u64,
    skipped: u64,
    failed: u64,
}

/// Syncs the linked fields of `source` after `job`'s pass, when the source's settings say so.
/// A failure is logged on the job (its status stays what the pass earned); what was written
/// before it stays.
pub async fn after_import(db: &DatabaseConnection, job: &sync_job::Model, source: &source::Model) {
    if !SourceSettings::from_json(&source.settings).auto_sync_fields {
        return;
    }
    let line = match run(db, job, source).await {
        Ok(t) => (
            LogLevel::Info,
            format!(
                "linked fields of {} nodes: {} synced, {} unchanged, {} skipped, {} failed",
                t.nodes, t.synced, t.unchanged, t.skipped, t.failed
            ),
        ),
        Err(err) => {
            let detail = match &err {
                ApiError::Internal(cause) => format!("{cause:#}"),
                other => other.message(),
            };
            tracing::error!(
                job_id = job.id,
                error = detail,
                "syncing linked fields failed"
            );
            let message = "syncing linked fields failed (the server log has the cause); \
                           fields synced before the failure stay synced";
            (LogLevel::Error, message.to_owned())
        }
    };
    let row = log_row(job.id, line.0, line.1, None, None);
    if let Err(err) = SyncLog::insert(row).exec_without_returning(db).await {
        tracing::error!(job_id = job.id, error = %err, "writing a job log line failed");
    }
}

async fn run(
    db: &DatabaseConnection,
    job: &sync_job::Model,
    source: &source::Model,
) -> ApiResult<Tally> {
    let actor = requester(db, job).await?;
    let zone = zone_of(source);
    // Nodes a SKIP rule matches are left out of the field sync as of the import.
    let rules = crate::services::rules::RuleSet::load(db, source.id).await?;
    // The enabled mappings of each node type, then narrowed per service type.
    let mut of_type: HashMap<String, Vec<MappedField>> = HashMap::new();
    let mut of_pair: HashMap<(String, i64), Vec<MappedField>> = HashMap::new();
    let mut tally = Tally::default();
    let write_back = SourceSettings::from_json(&source.settings).write_back_fields;
    let mut pages = LinkedPages::new(source);
    loop {
        let txn = crate::db::begin_write(db).await?;
        let Some(page) = pages.next(&txn).await? else {
            break;
        };
        let service_ids: Vec<i64> = page.iter().map(|(l, _)| l.service_id).collect();
        let types: HashMap<i64, i64> = Service::find()
            .select_only()
            .columns([service::Column::Id, service::Column::ServiceTypeId])
            .filter(service::Column::Id.is_in(service_ids.iter().copied()))
            .into_tuple::<(i64, i64)>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        let mut current = current_values(&txn, &service_ids).await?;
        let edits = match write_back.is_empty() {
            true => Default::default(),
            false => held::billing_edits(&txn, &service_ids).await?,
        };
        let mut plans = Vec::new();
        let mut logs = Vec::new();
        for (link, node) in page {
            let Some(&service_type) = types.get(&link.service_id) else {
                continue;
            };
            if rules.skips(&view_of(&node)).is_some() {
                continue;
            }
            if !of_type.contains_key(&node.node_type) {
                let all = dictionary::mapped_fields(
                    &txn,
                    source.organization_id,
                    source.provider,
                    &node.node_type,
                )
                .await?;
                of_type.insert(node.node_type.clone(), all);
            }
            let mapped = of_pair
                .entry((node.node_type.clone(), service_type))
                .or_insert_with(|| {
                    of_type[&node.node_type]
                        .iter()
                        .filter(|m| m.type_mapping.service_type_id == service_type)
                        .cloned()
                        .collect()
                });
            if mapped.is_empty() {
                continue;
            }
            // Planned against the values as earlier links of this page left them, so two
            // nodes linked to one service each record a true "old" value.
            let values = current.entry(link.service_id).or_default();
            let mut outcomes = plan(&node.fields, mapped, values, zone);
            held::hold(&mut outcomes, mapped, &write_back, &link, &edits);
            tally.nodes += 1;
            for o in &outcomes {
                let level = match o.status {
                    FieldStatus::Synced => {
                        if let Some(v) = &o.value {
                            values.insert(o.field_id, v.clone());
                        }
                        tally.synced += 1;
                        continue;
                    }
                    FieldStatus::Unchanged => {
                        tally.unchanged += 1;
                        continue;
                    }
                    FieldStatus::Skipped => {
                        tally.skipped += 1;
                        LogLevel::Info
                    }
                    FieldStatus::Failed => {
                        tally.failed += 1;
                        LogLevel::Warn
                    }
                };
                let message = format!(
                    "{} {}: {} → {} {}: {}",
                    node.node_type,
                    node.external_id,
                    o.node_field,
                    o.service_field_key,
                    o.status.as_str(),
                    o.message.as_deref().unwrap_or_default()
                );
                let details = serde_json::to_value(o).ok();
                logs.push(log_row(job.id, level, message, Some(&node), details));
            }
            plans.push(LinkPlan {
                link_id: link.id,
                node_id: node.id,
                service_id: link.service_id,
                outcomes,
            });
        }
        write(&txn, &actor, Some(job.id), &plans).await?;
        for chunk in logs.chunks(PAGE as usize) {
            SyncLog::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
    }
    Ok(tally)
}

/// The actor of a job's changes: the person or token that asked for it, else "system".
pub async fn requester(db: &DatabaseConnection, job: &sync_job::Model) -> Result<Viewer, DbErr> {
    let mut actor = Viewer::system(job.organization_id);
    if let Some(id) = job.requested_by_user_id {
        if let Some(user) = User::find_by_id(id).one(db).await? {
            actor.user_id = Some(user.id);
            actor.label = user.email;
        }
    } else if let Some(id) = job.requested_by_token_id {
        if let Some(token) = ApiToken::find_by_id(id).one(db).await? {
            actor.token_id = Some(token.id);
            actor.label = api_tokens::actor_label(&token.name);
        }
    }
    Ok(actor)
}

fn log_row(
    job_id: i64,
    level: LogLevel,
    message: String,
    node: Option<&source_node::Model>,
    details: Option<serde_json::Value>,
) -> sync_log::ActiveModel {
    sync_log::ActiveModel {
        job_id: Set(job_id),
        at: Set(chrono::Utc::now()),
        level: Set(level),
        message: Set(message),
        node_type: Set(node.map(|n| n.node_type.clone())),
        external_id: Set(node.map(|n| n.external_id.clone())),
        details: Set(details),
        ..Default::default()
    }
}
