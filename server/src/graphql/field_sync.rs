//! `syncFields(nodeId)`: a linked node's mapped values copied into its service now, answered
//! with every field's outcome (services::field_sync).

use async_graphql::{Context, Object, ID};

use super::ids::{self, Kind};
use super::links::{FieldSyncEntry, FieldSyncResultObj, FieldSyncStatus};
use super::ContextExt;
use crate::error::ApiResult;
use crate::services::field_sync::{self, FieldOutcome, FieldStatus};

/// One field's outcome as the API shows it (the same type as `Link.lastFieldSync`). `value`:
/// the service's value after the sync for SYNCED and UNCHANGED, the node's value that was not
/// applied for SKIPPED and FAILED.
fn result_of(o: FieldOutcome) -> FieldSyncResultObj {
    FieldSyncResultObj(FieldSyncEntry {
        field_mapping_id: o.field_mapping_id,
        node_field: o.node_field,
        service_field_key: o.service_field_key,
        status: match o.status {
            FieldStatus::Synced => FieldSyncStatus::Synced,
            FieldStatus::Unchanged => FieldSyncStatus::Unchanged,
            FieldStatus::Skipped => FieldSyncStatus::Skipped,
            FieldStatus::Failed => FieldSyncStatus::Failed,
        },
        message: o.message,
        value: o.value,
    })
}

#[derive(Default)]
pub struct FieldSyncMutation;

#[Object]
impl FieldSyncMutation {
    /// OPERATOR. CONFLICT when the node is not linked.
    async fn sync_fields(
        &self,
        ctx: &Context<'_>,
        node_id: ID,
    ) -> ApiResult<Vec<FieldSyncResultObj>> {
        let node = ids::require(Kind::SourceNode, &node_id)?;
        let outcomes = field_sync::sync_node(&ctx.state()?.db, ctx.viewer()?, node).await?;
        Ok(outcomes.into_iter().map(result_of).collect())
    }
}
