//! Links between source nodes and services: linkNode, unlinkNode, useRecommendation and
//! createServiceForNode, and the reads behind `SourceNode.link(s)` and `Service.links`.
//!
//! At most one live link per node: the partial unique index `links_one_live_per_node` is the
//! judge (a lost race is CONFLICT). Unlinking ends the link and keeps it, with who ended it.
//! `source_nodes.linked` changes in the same transaction as the link.
//!
//! Choices: a deleted node, or a node of a deleted source, cannot be linked (CONFLICT: it is the
//! node's state, not the input, that refuses); a node may be linked by hand to any service of
//! the organization, mapped type or not (only recommendations keep to mapped types).

mod reads;

use chrono::Utc;
use entity::enums::{MappingDirection, Role};
use entity::{link, source, source_node};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set, TransactionSession, TransactionTrait};
use serde_json::{json, Map, Value};

use super::billing::{self, NewService};
use super::{dictionary, nodes, recommend, values};
use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
pub use reads::{get, live_link, of_node, of_service};

/// Who made or ended a link: a person, a token, or a job (sync rules).
#[derive(Debug, Clone, Copy, Default)]
pub struct LinkActor {
    pub user_id: Option<i64>,
    pub token_id: Option<i64>,
    pub job_id: Option<i64>,
}

impl LinkActor {
    pub fn of(viewer: &Viewer) -> LinkActor {
        LinkActor {
            user_id: viewer.user_id,
            token_id: viewer.token_id,
            job_id: None,
        }
    }
}

/// `createServiceForNode`'s input.
pub struct NewServiceForNode {
    pub customer_id: i64,
    pub service_type_id: i64,
    pub package_id: Option<i64>,
    pub provider: Option<entity::enums::Provider>,
    pub effective_date: chrono::NaiveDate,
    pub name: Option<String>,
    pub fields: Option<Value>,
}

/// `linkNode`.
pub async fn link_node(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    node_id: i64,
    service_id: i64,
) -> ApiResult<link::Model> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_write(db).await?;
    let (node, _) = linkable(&txn, viewer, node_id).await?;
    billing::service(&txn, viewer, service_id)
        .await?
        .ok_or_else(|| ApiError::not_found("service"))?;
    let link = link_in(
        &txn,
        viewer.org_id,
        &node,
        service_id,
        LinkActor::of(viewer),
    )
    .await?;
    txn.commit().await?;
    Ok(link)
}

/// `useRecommendation`: links the top recommendation, if it is still the service the caller
/// saw (`seen`); CONFLICT when there is none or another one came first since.
pub async fn use_recommendation(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    node_id: i64,
    seen: Option<i64>,
) -> ApiResult<link::Model> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_write(db).await?;
    let (node, _) = linkable(&txn, viewer, node_id).await?;
    let top = recommend::for_node(&txn, viewer, &node, 1).await?;
    let Some(top) = top.into_iter().next() else {
        return Err(ApiError::conflict("this node has no recommendation"));
    };
    if seen.is_some_and(|s| s != top.service.id) {
        return Err(ApiError::conflict(
            "the top recommendation changed since you saw it; look again",
        ));
    }
    let link = link_in(
        &txn,
        viewer.org_id,
        &node,
        top.service.id,
        LinkActor::of(viewer),
    )
    .await?;
    txn.commit().await?;
    Ok(link)
}

/// `createServiceForNode`: a new service with the node's mapped values (under the input's
/// `fields`), named after the node and of the source's provider unless the input says
/// otherwise, validated like `createService`, and linked, all in one transaction.
pub async fn create_service_for_node(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    node_id: i64,
    input: NewServiceForNode,
) -> ApiResult<link::Model> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_write(db).await?;
    let (node, src) = linkable(&txn, viewer, node_id).await?;
    let given = match input.fields {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err(ApiError::bad_input(
                "input.fields",
                "fields are an object of {fieldKey: value}",
            ))
        }
    };
    let mut fields = mapped_values(&txn, &src, &node, input.service_type_id).await?;
    fields.extend(given);
    let new = NewService {
        name: input.name.unwrap_or_else(|| node.name.clone()),
        customer_id: input.customer_id,
        service_type_id: input.service_type_id,
        package_id: input.package_id,
        provider: input.provider.or(Some(src.provider)),
        effective_date: input.effective_date,
        fields: Some(Value::Object(fields)),
    };
    let svc = billing::create_service_in(&txn, viewer, new).await?;
    let link = link_in(&txn, viewer.org_id, &node, svc.id, LinkActor::of(viewer)).await?;
    txn.commit().await?;
    Ok(link)
}

/// The node's values of the enabled SOURCE_TO_SERVICE/BOTH mappings into `service_type_id`,
/// converted like a field sync, by service field key: what a service created for the node
/// starts with (createServiceForNode, CREATE_SERVICE rules).
pub async fn mapped_values(
    db: &impl ConnectionTrait,
    src: &source::Model,
    node: &source_node::Model,
    service_type_id: i64,
) -> ApiResult<Map<String, Value>> {
    let mut fields = Map::new();
    let mapped =
        dictionary::mapped_fields(db, src.organization_id, src.provider, &node.node_type).await?;
    for m in mapped.iter().filter(|m| {
        m.field.service_type_id == service_type_id
            && m.mapping.direction != MappingDirection::ServiceToSource
    }) {
        let Some(raw) = node
            .fields
            .get(&m.mapping.node_field)
            .filter(|v| !v.is_null())
        else {
            continue;
        };
        // A value that does not fit is left out, as a sync would skip it; the input or the
        // field's default may still fill the field.
        if let Ok(v) =
            values::convert(m.field.data_type, raw).and_then(|v| values::constrain(&m.field, v))
        {
            fields.insert(m.field.key.clone(), v);
        }
    }
    Ok(fields)
}

/// `unlinkNode`: ends the node's live link (CONFLICT when it has none) and returns the node.
pub async fn unlink_node(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    node_id: i64,
) -> ApiResult<source_node::Model> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_write(db).await?;
    let node = nodes::get(&txn, viewer, node_id)
        .await?
        .ok_or_else(|| ApiError::not_found("source node"))?;
    let live = live_link(&txn, viewer, node.id)
        .await?
        .ok_or_else(|| ApiError::conflict("this node is not linked"))?;
    let by = LinkActor::of(viewer);
    let mut ended: link::ActiveModel = live.into();
    ended.unlinked_at = Set(Some(Utc::now()));
    ended.unlinked_by_user_id = Set(by.user_id);
    ended.unlinked_by_token_id = Set(by.token_id);
    ended.unlinked_by_job_id = Set(by.job_id);
    ended.update(&txn).await?;
    let node = set_linked(&txn, node, false).await?;
    txn.commit().await?;
    Ok(node)
}

/// Links `node` to `service_id` on the caller's transaction and marks the node linked. The
/// caller has checked both belong to `org_id`; a live link already there is CONFLICT.
pub async fn link_in(
    txn: &impl ConnectionTrait,
    org_id: i64,
    node: &source_node::Model,
    service_id: i64,
    by: LinkActor,
) -> ApiResult<link::Model> {
    let link = link::ActiveModel {
        organization_id: Set(org_id),
        node_id: Set(node.id),
        service_id: Set(service_id),
        linked_at: Set(Utc::now()),
        linked_by_user_id: Set(by.user_id),
        linked_by_token_id: Set(by.token_id),
        linked_by_job_id: Set(by.job_id),
        last_field_sync: Set(json!([])),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(|e| ApiError::on_unique(e, ALREADY_LINKED))?;
    set_linked(txn, node.clone(), true).await?;
    Ok(link)
}

const ALREADY_LINKED: &str = "this node is already linked; unlink it first";

/// The node, if it may be linked now: it exists in the caller's organization (else NOT_FOUND),
/// it and its source are not deleted, and it has no live link (else CONFLICT).
async fn linkable(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    node_id: i64,
) -> ApiResult<(source_node::Model, source::Model)> {
    let node = nodes::get(db, viewer, node_id)
        .await?
        .ok_or_else(|| ApiError::not_found("source node"))?;
    let src = super::sources::get(db, viewer, node.source_id)
        .await?
        .ok_or_else(|| ApiError::not_found("source node"))?;
    if node.deleted_at.is_some() || src.deleted_at.is_some() {
        return Err(ApiError::conflict(
            "this node was deleted from its source and cannot be linked",
        ));
    }
    if node.linked {
        return Err(ApiError::conflict(ALREADY_LINKED));
    }
    Ok((node, src))
}

async fn set_linked(
    db: &impl ConnectionTrait,
    node: source_node::Model,
    linked: bool,
) -> ApiResult<source_node::Model> {
    let mut active: source_node::ActiveModel = node.into();
    active.linked = Set(linked);
    Ok(active.update(db).await?)
}
