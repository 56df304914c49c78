//! Source nodes: SourceNode, NodeType; sourceNode and searchNodes. Parents and child counts go
//! through the request's DataLoaders.

use async_graphql::{Context, Json, Object, ID};
use chrono::{DateTime, Utc};
use entity::source_node;
use serde_json::Value;

use super::connection::{Page, PageArgs};
use super::enums::{FieldDataType, LinkState};
use super::ids::{self, Kind};
use super::links::{self, LinkConnection, LinkObj, RecommendationObj};
use super::loaders::{load_error, one};
use super::sources::SourceObj;
use super::ContextExt;
use crate::connection_type;
use crate::error::{ApiError, ApiResult};
use crate::providers::{FieldSpec, NodeTypeSpec};
use crate::services::nodes::{self as service, NodeFilter};

pub struct SourceNodeObj(pub source_node::Model);

connection_type!(SourceNodeConnection, SourceNodeEdge, SourceNodeObj);

pub struct NodeTypeObj(pub &'static NodeTypeSpec);

#[Object(name = "NodeType")]
impl NodeTypeObj {
    async fn name(&self) -> &str {
        self.0.name
    }
    async fn parent_types(&self) -> Vec<&str> {
        self.0.parent_types.to_vec()
    }
    async fn fields(&self) -> Vec<NodeTypeFieldObj> {
        self.0.fields.iter().map(NodeTypeFieldObj).collect()
    }
}

pub struct NodeTypeFieldObj(pub &'static FieldSpec);

#[Object(name = "NodeTypeField")]
impl NodeTypeFieldObj {
    async fn key(&self) -> &str {
        self.0.key
    }
    async fn label(&self) -> &str {
        self.0.label
    }
    async fn data_type(&self) -> FieldDataType {
        self.0.data_type.into()
    }
}

#[Object(name = "SourceNode")]
impl SourceNodeObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::SourceNode, self.0.id)
    }
    async fn source(&self, ctx: &Context<'_>) -> ApiResult<SourceObj> {
        let row = one(&ctx.loaders()?.source, self.0.source_id).await?;
        row.map(SourceObj)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("node without source")))
    }
    #[graphql(name = "type")]
    async fn node_type(&self) -> &str {
        &self.0.node_type
    }
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn fields(&self) -> Json<Value> {
        Json(self.0.fields.clone())
    }
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<SourceNodeObj>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        let row = one(&ctx.loaders()?.node, parent).await?;
        Ok(row.map(SourceNodeObj))
    }
    /// Root first.
    async fn ancestors(&self, ctx: &Context<'_>) -> ApiResult<Vec<SourceNodeObj>> {
        let loaders = ctx.loaders()?;
        let mut chain = Vec::new();
        let mut next = self.0.parent_id;
        // Trees are a few levels deep; the bound only guards against a corrupted cycle.
        while let Some(id) = next.filter(|_| chain.len() < 64) {
            let Some(row) = loaders.node.load_one(id).await.map_err(load_error)? else {
                break;
            };
            next = row.parent_id;
            chain.push(SourceNodeObj(row));
        }
        chain.reverse();
        Ok(chain)
    }
    async fn children(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "type")] node_type: Option<String>,
        #[graphql(default_with = "Some(false)")] include_deleted: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<SourceNodeConnection> {
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let page = service::children(
            &state.db,
            ctx.viewer()?,
            &self.0,
            node_type.as_deref(),
            include_deleted.unwrap_or(false),
            &args,
        )
        .await?;
        prefetch(ctx, &page).await?;
        Ok(SourceNodeConnection::from_page(
            &state.keys,
            page.map(SourceNodeObj),
        ))
    }
    async fn child_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        let n = one(&ctx.loaders()?.child_count, self.0.id).await?;
        Ok(n.unwrap_or(0) as i32)
    }
    async fn link_state(&self) -> LinkState {
        if self.0.linked {
            LinkState::Linked
        } else {
            LinkState::Unlinked
        }
    }
    /// The live link, if any.
    async fn link(&self, ctx: &Context<'_>) -> ApiResult<Option<LinkObj>> {
        links::live_link_of(ctx, &self.0).await
    }
    /// All links, live and ended, newest first.
    async fn links(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<LinkConnection> {
        links::links_of(ctx, self.0.id, first, after).await
    }
    /// Empty means "No match found".
    async fn recommendations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> ApiResult<Vec<RecommendationObj>> {
        links::recommendations_of(ctx, &self.0, first).await
    }
    async fn first_seen_at(&self) -> DateTime<Utc> {
        self.0.first_seen_at
    }
    /// Imports write only what changed, so a live node was last seen by the source's last
    /// complete pass (which would have marked it deleted otherwise), or when it was last written.
    async fn last_seen_at(&self, ctx: &Context<'_>) -> ApiResult<DateTime<Utc>> {
        if self.0.deleted_at.is_some() {
            return Ok(self.0.last_seen_at);
        }
        let source = one(&ctx.loaders()?.source, self.0.source_id).await?;
        let pass = source.and_then(|s| s.last_successful_sync_at);
        Ok(pass.map_or(self.0.last_seen_at, |at| at.max(self.0.last_seen_at)))
    }
    async fn deleted_at(&self) -> Option<DateTime<Utc>> {
        self.0.deleted_at
    }
}

/// Loads, in one batch per relation and level, what the selection asks of a page of nodes
/// (child counts, parents and their ancestors, sources), so the per-node resolvers find it
/// in the request cache. Without this a large page splits into timing-dependent batches.
pub async fn prefetch(ctx: &Context<'_>, page: &Page<source_node::Model>) -> ApiResult<()> {
    let rows: Vec<&source_node::Model> = page.items.iter().map(|(_, n)| n).collect();
    let node = ctx.look_ahead().field("edges").field("node");
    let loaders = ctx.loaders()?;
    if node.field("childCount").exists() {
        loaders
            .child_count
            .load_many(rows.iter().map(|n| n.id))
            .await
            .map_err(load_error)?;
    }
    if node.field("source").exists() {
        loaders
            .source
            .load_many(rows.iter().map(|n| n.source_id))
            .await
            .map_err(load_error)?;
    }
    let wants_ancestors = node.field("ancestors").exists();
    if node.field("parent").exists() || wants_ancestors {
        let mut level: Vec<i64> = rows.iter().filter_map(|n| n.parent_id).collect();
        // Trees are a few levels deep; the bound only guards against a corrupted cycle.
        for _ in 0..64 {
            if level.is_empty() {
                break;
            }
            level.sort_unstable();
            level.dedup();
            let parents = loaders.node.load_many(level).await.map_err(load_error)?;
            if !wants_ancestors {
                break;
            }
            level = parents.values().filter_map(|p| p.parent_id).collect();
        }
    }
    Ok(())
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    async fn source_node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<SourceNodeObj>> {
        let viewer = ctx.viewer()?;
        let Some(row_id) = ids::decode(Kind::SourceNode, &id) else {
            return Ok(None);
        };
        Ok(service::get(&ctx.state()?.db, viewer, row_id)
            .await?
            .map(SourceNodeObj))
    }

    async fn search_nodes(
        &self,
        ctx: &Context<'_>,
        query: String,
        source_id: Option<ID>,
        #[graphql(default_with = "Some(false)")] include_deleted: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<SourceNodeConnection> {
        let state = ctx.state()?;
        let viewer = ctx.viewer()?;
        if query.trim().is_empty() {
            return Err(ApiError::bad_input("query", "type something to search for"));
        }
        let args = PageArgs::parse(&state.keys, first, after)?;
        let source_id = source_id
            .map(|id| ids::parse_arg(Kind::Source, &id, "sourceId"))
            .transpose()?;
        let filter = NodeFilter {
            source_id,
            search: Some(query),
            include_deleted: include_deleted.unwrap_or(false),
            live_sources_only: true,
            ..Default::default()
        };
        let page = service::list(&state.db, viewer, &filter, &args).await?;
        prefetch(ctx, &page).await?;
        Ok(SourceNodeConnection::from_page(
            &state.keys,
            page.map(SourceNodeObj),
        ))
    }
}
