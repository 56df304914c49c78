//! Links: Link, Recommendation, FieldSyncResult; linkNode, unlinkNode, useRecommendation and
//! createServiceForNode. `SourceNode.link(s)`/`recommendations` and `Service.links` resolve
//! through the functions here.

use async_graphql::{Context, Enum, InputObject, Json, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::link;
use serde::Deserialize;
use serde_json::Value;

use super::billing::{missing, ServiceObj};
use super::connection::PageArgs;
use super::dictionary::FieldMappingObj;
use super::enums::Provider;
use super::ids::{self, Kind};
use super::loaders::one;
use super::nodes::SourceNodeObj;
use super::scalars::Date;
use super::viewer::ActorObj;
use super::ContextExt;
use crate::connection_type;
use crate::error::ApiResult;
use crate::services::dictionary;
use crate::services::links::{self as svc, NewServiceForNode};

pub struct LinkObj(pub link::Model);

connection_type!(LinkConnection, LinkEdge, LinkObj);

/// What a field sync did to one mapped field.
#[derive(Enum, Debug, Copy, Clone, Eq, PartialEq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FieldSyncStatus {
    Synced,
    Unchanged,
    Skipped,
    Failed,
}

/// One entry of `links.last_field_sync`, as the field sync writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldSyncEntry {
    pub field_mapping_id: Option<i64>,
    pub node_field: String,
    pub service_field_key: String,
    pub status: FieldSyncStatus,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub value: Option<Value>,
}

pub struct FieldSyncResultObj(pub FieldSyncEntry);

#[Object(name = "FieldSyncResult")]
impl FieldSyncResultObj {
    /// Null once the mapping is deleted.
    async fn field_mapping(&self, ctx: &Context<'_>) -> ApiResult<Option<FieldMappingObj>> {
        let Some(id) = self.0.field_mapping_id else {
            return Ok(None);
        };
        let found = dictionary::field_mapping(&ctx.state()?.db, ctx.viewer()?, id).await?;
        Ok(found.map(|(fm, _)| FieldMappingObj(fm)))
    }
    async fn node_field(&self) -> &str {
        &self.0.node_field
    }
    async fn service_field_key(&self) -> &str {
        &self.0.service_field_key
    }
    async fn status(&self) -> FieldSyncStatus {
        self.0.status
    }
    async fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }
    async fn value(&self) -> Option<Json<Value>> {
        self.0.value.clone().filter(|v| !v.is_null()).map(Json)
    }
}

#[Object(name = "Link")]
impl LinkObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Link, self.0.id)
    }
    async fn node(&self, ctx: &Context<'_>) -> ApiResult<SourceNodeObj> {
        let row = one(&ctx.loaders()?.node, self.0.node_id).await?;
        row.map(SourceNodeObj).ok_or_else(|| missing("node"))
    }
    async fn service(&self, ctx: &Context<'_>) -> ApiResult<ServiceObj> {
        let row = one(&ctx.loaders()?.service, self.0.service_id).await?;
        row.map(ServiceObj).ok_or_else(|| missing("service"))
    }
    async fn linked_at(&self) -> DateTime<Utc> {
        self.0.linked_at
    }
    async fn linked_by(&self, ctx: &Context<'_>) -> ApiResult<Option<ActorObj>> {
        let l = &self.0;
        actor(
            ctx,
            l.linked_by_user_id,
            l.linked_by_token_id,
            l.linked_by_job_id,
        )
        .await
    }
    async fn unlinked_at(&self) -> Option<DateTime<Utc>> {
        self.0.unlinked_at
    }
    async fn unlinked_by(&self, ctx: &Context<'_>) -> ApiResult<Option<ActorObj>> {
        let l = &self.0;
        if l.unlinked_at.is_none() {
            return Ok(None);
        }
        actor(
            ctx,
            l.unlinked_by_user_id,
            l.unlinked_by_token_id,
            l.unlinked_by_job_id,
        )
        .await
    }
    /// Entries that do not read as a FieldSyncResult are left out rather than failing the link.
    async fn last_field_sync(&self) -> Vec<FieldSyncResultObj> {
        let Value::Array(items) = &self.0.last_field_sync else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .map(FieldSyncResultObj)
            .collect()
    }
}

/// The actor of a link or its end, labelled like history labels them: the person's email,
/// "token: <name>", or "system" for a job.
async fn actor(
    ctx: &Context<'_>,
    user_id: Option<i64>,
    token_id: Option<i64>,
    job_id: Option<i64>,
) -> ApiResult<Option<ActorObj>> {
    let loaders = ctx.loaders()?;
    let label = if let Some(id) = user_id {
        one(&loaders.user, id).await?.map(|u| u.email)
    } else if let Some(id) = token_id {
        one(&loaders.api_token, id)
            .await?
            .map(|t| format!("token: {}", t.name))
    } else if job_id.is_some() {
        Some("system".to_owned())
    } else {
        return Ok(None);
    };
    Ok(Some(ActorObj {
        user_id,
        token_id,
        label: label.unwrap_or_else(|| "unknown".to_owned()),
    }))
}

#[derive(SimpleObject)]
#[graphql(name = "Recommendation")]
pub struct RecommendationObj {
    pub service: ServiceObj,
    /// 0..1
    pub score: f64,
    /// Why, in words a person reads.
    pub reasons: Vec<String>,
}

/// `SourceNode.link`: the live link; no query for a node that is not linked.
pub async fn live_link_of(
    ctx: &Context<'_>,
    node: &entity::source_node::Model,
) -> ApiResult<Option<LinkObj>> {
    if !node.linked {
        return Ok(None);
    }
    Ok(one(&ctx.loaders()?.live_link, node.id).await?.map(LinkObj))
}

/// `SourceNode.links`.
pub async fn links_of(
    ctx: &Context<'_>,
    node_id: i64,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<LinkConnection> {
    let state = ctx.state()?;
    let args = PageArgs::parse(&state.keys, first, after)?;
    let page = svc::of_node(&state.db, ctx.viewer()?, node_id, &args).await?;
    Ok(LinkConnection::from_page(&state.keys, page.map(LinkObj)))
}

/// `SourceNode.recommendations`; `first` follows the rules of every list (0..500, default 50).
pub async fn recommendations_of(
    ctx: &Context<'_>,
    node: &entity::source_node::Model,
    first: Option<i32>,
) -> ApiResult<Vec<RecommendationObj>> {
    let state = ctx.state()?;
    let args = PageArgs::parse(&state.keys, first, None)?;
    let found =
        crate::services::recommend::for_node(&state.db, ctx.viewer()?, node, args.first as usize)
            .await?;
    Ok(found
        .into_iter()
        .map(|r| RecommendationObj {
            service: ServiceObj(r.service),
            score: r.score,
            reasons: r.reasons,
        })
        .collect())
}

/// `Service.links`: live and ended, newest first.
pub async fn links_of_service(ctx: &Context<'_>, service_id: i64) -> ApiResult<Vec<LinkObj>> {
    let rows = svc::of_service(&ctx.state()?.db, ctx.viewer()?, service_id).await?;
    Ok(rows.into_iter().map(LinkObj).collect())
}

#[derive(InputObject)]
pub struct NewServiceForNodeInput {
    customer_id: ID,
    service_type_id: ID,
    package_id: Option<ID>,
    provider: Option<Provider>,
    effective_date: Date,
    /// Default: the node's name.
    name: Option<String>,
    /// On top of the mapped node values; provider defaults to the source's.
    fields: Option<Json<Value>>,
}

#[derive(Default)]
pub struct LinkMutation;

#[Object]
impl LinkMutation {
    async fn link_node(
        &self,
        ctx: &Context<'_>,
        node_id: ID,
        service_id: ID,
    ) -> ApiResult<LinkObj> {
        let node = ids::require(Kind::SourceNode, &node_id)?;
        let service = ids::require(Kind::Service, &service_id)?;
        let row = svc::link_node(&ctx.state()?.db, ctx.viewer()?, node, service).await?;
        Ok(LinkObj(row))
    }

    /// `serviceId`: the top recommendation the caller saw; CONFLICT if the top one changed.
    async fn use_recommendation(
        &self,
        ctx: &Context<'_>,
        node_id: ID,
        service_id: Option<ID>,
    ) -> ApiResult<LinkObj> {
        let node = ids::require(Kind::SourceNode, &node_id)?;
        // A service id that is not one (or another organization's) cannot be the top one.
        let seen = service_id.map(|id| ids::decode(Kind::Service, &id).unwrap_or(0));
        let row = svc::use_recommendation(&ctx.state()?.db, ctx.viewer()?, node, seen).await?;
        Ok(LinkObj(row))
    }

    async fn create_service_for_node(
        &self,
        ctx: &Context<'_>,
        node_id: ID,
        input: NewServiceForNodeInput,
    ) -> ApiResult<LinkObj> {
        let node = ids::require(Kind::SourceNode, &node_id)?;
        let new = NewServiceForNode {
            customer_id: ids::require(Kind::Customer, &input.customer_id)?,
            service_type_id: ids::require(Kind::ServiceType, &input.service_type_id)?,
            package_id: input
                .package_id
                .map(|id| ids::require(Kind::Package, &id))
                .transpose()?,
            provider: input.provider.map(Into::into),
            effective_date: input.effective_date.0,
            name: input.name,
            fields: input.fields.map(|j| j.0),
        };
        let row = svc::create_service_for_node(&ctx.state()?.db, ctx.viewer()?, node, new).await?;
        Ok(LinkObj(row))
    }

    async fn unlink_node(&self, ctx: &Context<'_>, node_id: ID) -> ApiResult<SourceNodeObj> {
        let node = ids::require(Kind::SourceNode, &node_id)?;
        let row = svc::unlink_node(&ctx.state()?.db, ctx.viewer()?, node).await?;
        Ok(SourceNodeObj(row))
    }
}
