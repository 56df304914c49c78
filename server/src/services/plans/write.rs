//! Writes planned changes in the caller's transaction, as one job: service values (a
//! `ValueBatch`, origin SYNC, or RULE with the rule) and the links' field sync summaries, links made by
//! AUTO_LINK rules and services created by CREATE_SERVICE rules (created like
//! createServiceForNode and linked), each carrying the job. WRITE_BACK changes are not written
//! here: the caller queues the write-back job that writes them.

use std::collections::HashMap;

use chrono::Utc;
use entity::enums::{ChangeOrigin, PlannedAction};
use entity::prelude::*;
use entity::{field_change, source, source_node};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use super::compute::Planned;
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::services::billing::{self, NewService};
use crate::services::changes::{Provenance, ValueBatch};
use crate::services::field_sync::{self, LinkPlan};
use crate::services::links::{self, LinkActor};

/// Rows per multi-row statement.
const CHUNK: usize = 500;

/// What was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    pub fields: i64,
    pub links: i64,
    pub services: i64,
    pub write_backs: i64,
}

pub async fn write(
    txn: &impl ConnectionTrait,
    src: &source::Model,
    actor: &Viewer,
    job_id: i64,
    changes: &[Planned],
    summaries: &[LinkPlan],
) -> ApiResult<Written> {
    let mut done = Written::default();
    let now = Utc::now();
    let mut batch = ValueBatch::default();
    for c in changes {
        match c.action {
            PlannedAction::UpdateServiceField => {
                let (Some(service_id), Some(field_id)) = (c.service_id, c.field_id) else {
                    continue;
                };
                let by = Provenance {
                    actor,
                    origin: if c.rule_id.is_some() {
                        ChangeOrigin::Rule
                    } else {
                        ChangeOrigin::Sync
                    },
                    node_id: Some(c.node_id),
                    job_id: Some(job_id),
                    field_mapping_id: c.field_mapping_id,
                    rule_id: c.rule_id,
                };
                batch.push(&by, service_id, field_id, c.old.clone(), c.new.clone(), now);
                done.fields += 1;
            }
            PlannedAction::WriteBack => done.write_backs += 1,
            _ => {}
        }
    }
    batch.write(txn, now).await?;
    field_sync::write_summaries(txn, summaries, now).await?;
    link_changes(txn, src, actor, job_id, changes, &mut done).await?;
    Ok(done)
}

/// LINK and CREATE_SERVICE changes.
async fn link_changes(
    txn: &impl ConnectionTrait,
    src: &source::Model,
    actor: &Viewer,
    job_id: i64,
    changes: &[Planned],
    done: &mut Written,
) -> ApiResult<()> {
    let wanted: Vec<i64> = changes
        .iter()
        .filter(|c| matches!(c.action, PlannedAction::Link | PlannedAction::CreateService))
        .map(|c| c.node_id)
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let mut nodes: HashMap<i64, source_node::Model> = HashMap::new();
    for chunk in wanted.chunks(CHUNK) {
        for n in SourceNode::find()
            .filter(source_node::Column::Id.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
        {
            nodes.insert(n.id, n);
        }
    }
    let by = LinkActor {
        user_id: actor.user_id,
        token_id: actor.token_id,
        job_id: Some(job_id),
    };
    let today = Utc::now().date_naive();
    for c in changes {
        let Some(node) = nodes.get(&c.node_id) else {
            continue;
        };
        match c.action {
            PlannedAction::Link => {
                let Some(service_id) = c.service_id else {
                    continue;
                };
                links::link_in(txn, src.organization_id, node, service_id, by).await?;
                done.links += 1;
            }
            PlannedAction::CreateService => {
                let spec = c.new.as_ref().ok_or_else(|| {
                    ApiError::internal(anyhow::anyhow!("a planned service without its spec"))
                })?;
                let id = |key: &str| spec.get(key).and_then(Value::as_i64);
                let (Some(customer_id), Some(service_type_id)) =
                    (id("customerId"), id("serviceTypeId"))
                else {
                    continue;
                };
                let fields = links::mapped_values(txn, src, node, service_type_id).await?;
                let new = NewService {
                    name: node.name.clone(),
                    customer_id,
                    service_type_id,
                    package_id: id("packageId"),
                    provider: Some(src.provider),
                    effective_date: today,
                    fields: Some(Value::Object(fields)),
                };
                let svc = billing::create_service_in(txn, actor, new).await?;
                // Its first values are the rule's doing (they are not undone: the service
                // stays, only its link ends).
                FieldChange::update_many()
                    .col_expr(
                        field_change::Column::Origin,
                        Expr::value(ChangeOrigin::Rule),
                    )
                    .col_expr(field_change::Column::RuleId, Expr::value(c.rule_id))
                    .col_expr(field_change::Column::NodeId, Expr::value(Some(node.id)))
                    .filter(field_change::Column::ServiceId.eq(svc.id))
                    .exec(txn)
                    .await?;
                links::link_in(txn, src.organization_id, node, svc.id, by).await?;
                done.services += 1;
                done.links += 1;
            }
            _ => {}
        }
    }
    Ok(())
}
