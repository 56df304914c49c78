//! `syncFields(nodeId)`: a linked node's mapped values copied into its service now, answered
//! with every field's outcome (services::field_sync).

use async_graphql::{ComplexObject, Context, Enum, Json, Object, SimpleObject, ID};
use serde_json::Value;

use super::dictionary::FieldMappingObj;
use super::ids::{self, Kind};
use super::ContextExt;
use crate::error::ApiResult;
use crate::services::dictionary;
use crate::services::field_sync::{self, FieldOutcome, FieldStatus};

// ---- FieldSyncStatus and FieldSyncResult. Branch `links` defines them too (graphql/links.rs,
// ---- for `Link.lastFieldSync`); at the merge keep one definition and delete this block.

#[derive(Enum, Debug, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "FieldSyncStatus")]
pub enum FieldSyncStatus {
    Synced,
    Unchanged,
    Skipped,
    Failed,
}

/// One field's outcome. `value`: the service's value after the sync for SYNCED and UNCHANGED,
/// the node's value that was not applied for SKIPPED and FAILED.
#[derive(SimpleObject)]
#[graphql(name = "FieldSyncResult", complex)]
pub struct FieldSyncResultObj {
    #[graphql(skip)]
    field_mapping_id: Option<i64>,
    node_field: String,
    service_field_key: String,
    status: FieldSyncStatus,
    message: Option<String>,
    value: Option<Json<Value>>,
}

impl From<FieldOutcome> for FieldSyncResultObj {
    fn from(o: FieldOutcome) -> Self {
        FieldSyncResultObj {
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
            value: o.value.map(Json),
        }
    }
}

#[ComplexObject]
impl FieldSyncResultObj {
    /// Null once the mapping is deleted.
    async fn field_mapping(&self, ctx: &Context<'_>) -> ApiResult<Option<FieldMappingObj>> {
        let Some(id) = self.field_mapping_id else {
            return Ok(None);
        };
        let found = dictionary::field_mapping(&ctx.state()?.db, ctx.viewer()?, id).await?;
        Ok(found.map(|(mapping, _)| FieldMappingObj(mapping)))
    }
}

// ---- end of the block.

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
        Ok(outcomes.into_iter().map(Into::into).collect())
    }
}
