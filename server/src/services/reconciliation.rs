//! `reconciliation(sourceId)`: provisioning against billing for one source — live nodes of
//! mapped types that no service is linked to (provisioned, not billed), live links whose node
//! was deleted upstream (billed, no longer provisioned), live links whose mapped fields differ
//! (what the next field sync would change: the plan's computation), and node types the source
//! has that no type mapping covers.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::prelude::*;
use entity::{link, source, source_node, type_mapping};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{Page, PageArgs};
use crate::services::plans::{self, Scope};
use crate::services::rules::RuleSet;

pub struct Report {
    pub source: source::Model,
    pub mapped_types: Vec<String>,
    pub orphaned: Vec<link::Model>,
    pub out_of_sync: Vec<link::Model>,
    pub unmapped_types: Vec<String>,
    pub generated_at: DateTime<Utc>,
}

pub async fn report(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_id: i64,
) -> ApiResult<Report> {
    let src = crate::services::sources::get(db, viewer, source_id)
        .await?
        .ok_or_else(|| ApiError::not_found("source"))?;
    let mapped: BTreeSet<String> = TypeMapping::find()
        .select_only()
        .column(type_mapping::Column::NodeType)
        .filter(type_mapping::Column::OrganizationId.eq(viewer.org_id))
        .filter(type_mapping::Column::Provider.eq(src.provider))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let present: BTreeSet<String> = SourceNode::find()
        .select_only()
        .column(source_node::Column::NodeType)
        .distinct()
        .filter(source_node::Column::SourceId.eq(src.id))
        .filter(source_node::Column::DeletedAt.is_null())
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let orphaned = Link::find()
        .inner_join(SourceNode)
        .filter(link::Column::OrganizationId.eq(viewer.org_id))
        .filter(link::Column::UnlinkedAt.is_null())
        .filter(source_node::Column::SourceId.eq(src.id))
        .filter(source_node::Column::DeletedAt.is_not_null())
        .order_by_asc(link::Column::Id)
        .all(db)
        .await?;
    let scope = Scope {
        field_sync: true,
        rules: false,
        write_back: false,
    };
    let rules = RuleSet::load(db, src.id).await?;
    let differing: BTreeSet<i64> = plans::compute(db, viewer, &src, scope, &rules)
        .await?
        .changes
        .into_iter()
        .map(|c| c.node_id)
        .collect();
    let mut out_of_sync = Vec::new();
    let ids: Vec<i64> = differing.into_iter().collect();
    for chunk in ids.chunks(500) {
        out_of_sync.extend(
            Link::find()
                .filter(link::Column::NodeId.is_in(chunk.iter().copied()))
                .filter(link::Column::UnlinkedAt.is_null())
                .all(db)
                .await?,
        );
    }
    out_of_sync.sort_by_key(|l| l.id);
    Ok(Report {
        unmapped_types: present.difference(&mapped).cloned().collect(),
        mapped_types: mapped.into_iter().collect(),
        source: src,
        orphaned,
        out_of_sync,
        generated_at: Utc::now(),
    })
}

/// Live, unlinked nodes of the mapped types, by id.
pub async fn unlinked_nodes(
    db: &impl ConnectionTrait,
    report: &Report,
    args: &PageArgs,
) -> ApiResult<Page<source_node::Model>> {
    let base = SourceNode::find()
        .filter(source_node::Column::SourceId.eq(report.source.id))
        .filter(source_node::Column::Linked.eq(false))
        .filter(source_node::Column::DeletedAt.is_null())
        .filter(source_node::Column::NodeType.is_in(report.mapped_types.iter().cloned()));
    let total = base.clone().count(db).await?;
    let mut query = base
        .order_by_asc(source_node::Column::Id)
        .limit(args.first + 1);
    if let Some(after) = args.after_i64(0) {
        query = query.filter(source_node::Column::Id.gt(after));
    }
    let rows = query.all(db).await?;
    Ok(Page::from_rows(rows, args, total, |n| vec![json!(n.id)]))
}
