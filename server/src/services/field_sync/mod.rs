//! "Sync fields" (SEMANTICS "Field mappings and sync fields"): the mapped values of a linked
//! node copied into its service, field by field — SYNCED, UNCHANGED, SKIPPED or FAILED with the
//! reason — each change written as a FieldChange with origin SYNC, and the outcomes kept on the
//! link (`last_field_sync`).
//!
//! - `plan`: the pure planning function (no database), also for sync plans.
//! - `apply`: writes the planned outcomes of many links with a few statements.
//! - `sync_node`: the `syncFields` mutation, for one node, the caller as actor.
//! - `after_import`: `autoSyncFields`, every linked node of a source after its import.
//! - `held`: billing edits waiting to be written back, which an import's field sync keeps.
//! - `pages`: the walk over a source's live links that the field sync and plans share.

mod after_import;
mod apply;
mod held;
mod pages;
mod plan;

use std::collections::HashMap;

use chrono_tz::Tz;
use entity::enums::Role;
use entity::prelude::*;
use entity::{link, service_field_value, source};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession, TransactionTrait,
};
use serde_json::Value;

pub use after_import::{after_import, requester};
pub use apply::{write, write_summaries, LinkPlan};
pub use held::{billing_edits, hold};
pub use pages::{LinkedPages, NodePages};
pub use plan::{plan, FieldOutcome, FieldStatus};

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::services::dictionary::{self, MappedField};
use crate::services::source_settings::SourceSettings;

/// `syncFields(nodeId)`: plans and applies the node's enabled mappings onto its linked service
/// in one transaction, records each change with origin SYNC and the caller as actor, and
/// returns every field's outcome. CONFLICT when the node has no live link.
pub async fn sync_node(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    node_id: i64,
) -> ApiResult<Vec<FieldOutcome>> {
    viewer.require(Role::Operator)?;
    let node = crate::services::nodes::get(db, viewer, node_id)
        .await?
        .ok_or_else(|| ApiError::not_found("source node"))?;
    let txn = crate::db::begin_write(db).await?;
    let link = Link::find()
        .filter(link::Column::OrganizationId.eq(viewer.org_id))
        .filter(link::Column::NodeId.eq(node.id))
        .filter(link::Column::UnlinkedAt.is_null())
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::conflict("this node is not linked to a service"))?;
    let dangling =
        |what: &str| ApiError::internal(anyhow::anyhow!("link {} has no {what}", link.id));
    let service = Service::find_by_id(link.service_id)
        .one(&txn)
        .await?
        .ok_or_else(|| dangling("service"))?;
    let source = Source::find_by_id(node.source_id)
        .one(&txn)
        .await?
        .ok_or_else(|| dangling("source"))?;
    let mapped = mapped_for(&txn, &source, &node.node_type, service.service_type_id).await?;
    let current = current_values(&txn, &[service.id]).await?;
    let outcomes = plan(
        &node.fields,
        &mapped,
        current.get(&service.id).unwrap_or(&HashMap::new()),
        zone_of(&source),
    );
    let planned = LinkPlan {
        link_id: link.id,
        node_id: node.id,
        service_id: service.id,
        outcomes,
    };
    write(&txn, viewer, None, std::slice::from_ref(&planned)).await?;
    txn.commit().await?;
    Ok(planned.outcomes)
}

/// The source's time zone (its settings), which dates of synced values are read in.
pub fn zone_of(source: &source::Model) -> Tz {
    SourceSettings::from_json(&source.settings)
        .timezone
        .parse()
        .unwrap_or(Tz::UTC)
}

/// The enabled mappings from `node_type` of the source's provider onto one service type.
async fn mapped_for(
    db: &impl ConnectionTrait,
    source: &source::Model,
    node_type: &str,
    service_type_id: i64,
) -> ApiResult<Vec<MappedField>> {
    let all =
        dictionary::mapped_fields(db, source.organization_id, source.provider, node_type).await?;
    Ok(all
        .into_iter()
        .filter(|m| m.type_mapping.service_type_id == service_type_id)
        .collect())
}

/// The non-null values of these services, by service id then field id.
pub(crate) async fn current_values(
    db: &impl ConnectionTrait,
    service_ids: &[i64],
) -> ApiResult<HashMap<i64, HashMap<i64, Value>>> {
    let rows = ServiceFieldValue::find()
        .filter(service_field_value::Column::ServiceId.is_in(service_ids.iter().copied()))
        .all(db)
        .await?;
    let mut out: HashMap<i64, HashMap<i64, Value>> = HashMap::new();
    for row in rows {
        if let Some(value) = row.value.filter(|v| !v.is_null()) {
            out.entry(row.service_id)
                .or_default()
                .insert(row.field_id, value);
        }
    }
    Ok(out)
}
