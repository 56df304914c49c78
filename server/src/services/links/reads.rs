//! The reads behind `SourceNode.link`, `SourceNode.links` and `Service.links`, scoped to the
//! caller's organization.

use entity::link;
use entity::prelude::*;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{json, Value};

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{Page, PageArgs};

/// One link by id.
pub async fn get(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<link::Model>> {
    Ok(Link::find_by_id(id)
        .filter(link::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

/// A node's live link, if any.
pub async fn live_link(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    node_id: i64,
) -> ApiResult<Option<link::Model>> {
    Ok(Link::find()
        .filter(link::Column::OrganizationId.eq(viewer.org_id))
        .filter(link::Column::NodeId.eq(node_id))
        .filter(link::Column::UnlinkedAt.is_null())
        .one(db)
        .await?)
}

/// A node's links, live and ended, newest first.
pub async fn of_node(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    node_id: i64,
    args: &PageArgs,
) -> ApiResult<Page<link::Model>> {
    let base = Link::find()
        .filter(link::Column::OrganizationId.eq(viewer.org_id))
        .filter(link::Column::NodeId.eq(node_id));
    let total = base.clone().count(db).await?;
    let mut query = base.order_by_desc(link::Column::Id).limit(args.first + 1);
    if let Some(after) = &args.after {
        let after = after
            .first()
            .and_then(Value::as_i64)
            .filter(|_| after.len() == 1)
            .ok_or_else(|| ApiError::bad_input("after", "this cursor belongs to another list"))?;
        query = query.filter(link::Column::Id.lt(after));
    }
    let rows = query.all(db).await?;
    Ok(Page::from_rows(rows, args, total, |l| vec![json!(l.id)]))
}

/// A service's links, live and ended, newest first.
pub async fn of_service(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    service_id: i64,
) -> ApiResult<Vec<link::Model>> {
    Ok(Link::find()
        .filter(link::Column::OrganizationId.eq(viewer.org_id))
        .filter(link::Column::ServiceId.eq(service_id))
        .order_by_desc(link::Column::Id)
        .all(db)
        .await?)
}
