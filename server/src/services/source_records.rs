//! Upstream records written from the API: `createSourceRecord`, `updateSourceRecord`,
//! `deleteSourceRecord` for ConnectWise companies and contacts and Syncro customers, contacts
//! and leads. The provider is written first; only once it accepted does the node follow — as
//! the provider's answer, turned into a node the way an import stores it (so the next import
//! finds it unchanged) — or get marked deleted, its subtree with it.

use chrono::Utc;
use entity::enums::{Provider, Role};
use entity::prelude::*;
use entity::{source, source_node};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use super::live::{connector, upstream};
use super::nodes::{self, content_hash, search_text, NewNode};
use crate::auth::Viewer;
use crate::connectors::RawNode;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The node types each provider's records can be written for from the API.
pub fn writable_types(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::ConnectwiseManage => &["Company", "Contact"],
        Provider::Syncro => &["Customer", "Contact", "Lead"],
        _ => &[],
    }
}

fn check_type(source: &source::Model, node_type: &str, field: &str) -> ApiResult<()> {
    let allowed = writable_types(source.provider);
    if allowed.contains(&node_type) {
        return Ok(());
    }
    let label = crate::providers::spec(source.provider).label;
    Err(ApiError::bad_input(
        field,
        if allowed.is_empty() {
            format!("{label} records cannot be written from Switchboard")
        } else {
            format!(
                "{label} records of type {node_type:?} cannot be written from Switchboard; these can: {}",
                allowed.join(", ")
            )
        },
    ))
}

/// The provider's fields to send: a non-empty JSON object.
fn check_fields(fields: &Value) -> ApiResult<()> {
    match fields {
        Value::Object(map) if !map.is_empty() => Ok(()),
        _ => Err(ApiError::bad_input(
            "fields",
            "fields is an object of the provider's own field names and values",
        )),
    }
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    source_id: i64,
    node_type: &str,
    fields: &Value,
) -> ApiResult<source_node::Model> {
    viewer.require(Role::Operator)?;
    let source = super::sources::get_live(&state.db, viewer, source_id).await?;
    check_type(&source, node_type.trim(), "type")?;
    check_fields(fields)?;
    let raw = connector(state, &source)?
        .create_record(node_type.trim(), fields)
        .await
        .map_err(|e| upstream(&source, e))?;
    store(&state.db, &source, raw).await
}

/// A live node of the caller's organization, with its live source.
async fn node_and_source(
    state: &AppState,
    viewer: &Viewer,
    node_id: i64,
) -> ApiResult<(source_node::Model, source::Model)> {
    let node = nodes::get(&state.db, viewer, node_id)
        .await?
        .ok_or_else(|| ApiError::not_found("source node"))?;
    if node.deleted_at.is_some() {
        return Err(ApiError::conflict("this node is deleted"));
    }
    let source = super::sources::get_live(&state.db, viewer, node.source_id).await?;
    check_type(&source, &node.node_type, "nodeId")?;
    Ok((node, source))
}

pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    node_id: i64,
    fields: &Value,
) -> ApiResult<source_node::Model> {
    viewer.require(Role::Operator)?;
    let (node, source) = node_and_source(state, viewer, node_id).await?;
    check_fields(fields)?;
    let raw = connector(state, &source)?
        .update_record(&node.node_type, &node.external_id, fields)
        .await
        .map_err(|e| upstream(&source, e))?;
    store(&state.db, &source, raw).await
}

pub async fn delete(
    state: &AppState,
    viewer: &Viewer,
    node_id: i64,
) -> ApiResult<source_node::Model> {
    viewer.require(Role::Operator)?;
    let (node, source) = node_and_source(state, viewer, node_id).await?;
    connector(state, &source)?
        .delete_record(&node.node_type, &node.external_id)
        .await
        .map_err(|e| upstream(&source, e))?;
    let now = Utc::now();
    // The node and everything under it (SEMANTICS "Node states": children go with it).
    let mut frontier = vec![node.id];
    while !frontier.is_empty() {
        SourceNode::update_many()
            .col_expr(source_node::Column::DeletedAt, Expr::value(now))
            .filter(source_node::Column::Id.is_in(frontier.clone()))
            .exec(&state.db)
            .await?;
        frontier = SourceNode::find()
            .filter(source_node::Column::SourceId.eq(source.id))
            .filter(source_node::Column::ParentId.is_in(frontier))
            .filter(source_node::Column::DeletedAt.is_null())
            .all(&state.db)
            .await?
            .into_iter()
            .map(|n| n.id)
            .collect();
    }
    nodes::get(&state.db, viewer, node.id)
        .await?
        .ok_or_else(|| ApiError::not_found("source node"))
}

/// Stores what the provider answered as the node of that record: a new node, or the one the
/// source already has (brought back if it was deleted), under its parent when that is known.
async fn store(
    db: &impl ConnectionTrait,
    source: &source::Model,
    raw: RawNode,
) -> ApiResult<source_node::Model> {
    let parent_id = match &raw.parent {
        None => None,
        Some((parent_type, parent_ext)) => SourceNode::find()
            .filter(source_node::Column::SourceId.eq(source.id))
            .filter(source_node::Column::NodeType.eq(*parent_type))
            .filter(source_node::Column::ExternalId.eq(parent_ext.as_str()))
            .one(db)
            .await?
            .map(|p| p.id),
    };
    let existing = SourceNode::find()
        .filter(source_node::Column::SourceId.eq(source.id))
        .filter(source_node::Column::NodeType.eq(raw.node_type))
        .filter(source_node::Column::ExternalId.eq(raw.external_id.as_str()))
        .one(db)
        .await?;
    let Some(existing) = existing else {
        let node = NewNode {
            node_type: raw.node_type.to_owned(),
            external_id: raw.external_id,
            name: raw.name,
            parent_id,
            fields: raw.fields,
            deleted_at: None,
        };
        return nodes::insert(db, source, node).await;
    };
    let mut row: source_node::ActiveModel = existing.into();
    row.search_text = Set(search_text(&raw.name, &raw.external_id));
    row.content_hash = Set(content_hash(&raw.name, parent_id, &raw.fields));
    row.name = Set(raw.name);
    row.parent_id = Set(parent_id);
    row.fields = Set(raw.fields);
    row.last_seen_at = Set(Utc::now());
    row.deleted_at = Set(None);
    Ok(row.update(db).await?)
}
