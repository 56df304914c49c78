//! A source's live nodes, linked or not, and the live links of the linked ones, a page at a
//! time, for everything that walks them all (the field sync after an import, sync plans and
//! their rules), so all see them in the same order.
//!
//! Pages are read per node type in node id order, through the `(source_id, linked, node_type)`
//! index: on SQLite every index entry also carries the row id, so each page is a range read that
//! starts where the last one stopped, and a walk over n links costs O(n). (Paging by link id
//! with the source as a join filter made SQLite re-read every node of the source for each page:
//! quadratic, 98 s for 100k links.)

use entity::prelude::*;
use entity::{link, source, source_node};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::ApiResult;

/// Nodes read per page.
pub const PAGE: u64 = 500;

/// A cursor over a source's nodes that are linked (or not), per node type in id order.
/// Deleted nodes are left out.
pub struct NodePages {
    source_id: i64,
    linked: bool,
    /// The node types still to walk, last first; the last is the current one.
    types: Option<Vec<String>>,
    after: i64,
}

impl NodePages {
    pub fn new(source: &source::Model, linked: bool) -> Self {
        NodePages {
            source_id: source.id,
            linked,
            types: None,
            after: 0,
        }
    }

    /// The next page of live nodes, or None when the walk is over. A page may be shorter than
    /// `PAGE` (and even empty) before the end.
    pub async fn next(
        &mut self,
        db: &impl ConnectionTrait,
    ) -> ApiResult<Option<Vec<source_node::Model>>> {
        if self.types.is_none() {
            let mut types: Vec<String> = SourceNode::find()
                .select_only()
                .column(source_node::Column::NodeType)
                .distinct()
                .filter(source_node::Column::SourceId.eq(self.source_id))
                .filter(source_node::Column::Linked.eq(self.linked))
                .into_tuple()
                .all(db)
                .await?;
            types.sort();
            types.reverse();
            self.types = Some(types);
        }
        let Some(node_type) = self.types.as_ref().and_then(|t| t.last()).cloned() else {
            return Ok(None);
        };
        let nodes = SourceNode::find()
            .filter(source_node::Column::SourceId.eq(self.source_id))
            .filter(source_node::Column::Linked.eq(self.linked))
            .filter(source_node::Column::NodeType.eq(node_type.as_str()))
            .filter(source_node::Column::Id.gt(self.after))
            .order_by_asc(source_node::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        match nodes.last() {
            Some(last) if nodes.len() as u64 == PAGE => self.after = last.id,
            _ => {
                // This type is done: the next call starts the next one.
                if let Some(types) = self.types.as_mut() {
                    types.pop();
                }
                self.after = 0;
            }
        }
        Ok(Some(
            nodes
                .into_iter()
                .filter(|n| n.deleted_at.is_none())
                .collect(),
        ))
    }
}

/// A cursor over the source's linked, live nodes and their live links.
pub struct LinkedPages {
    nodes: NodePages,
    organization_id: i64,
}

impl LinkedPages {
    pub fn new(source: &source::Model) -> Self {
        LinkedPages {
            nodes: NodePages::new(source, true),
            organization_id: source.organization_id,
        }
    }

    /// The next page of (link, node) pairs, or None when the walk is over. A page may be
    /// shorter than `PAGE` (and even empty) before the end.
    pub async fn next(
        &mut self,
        db: &impl ConnectionTrait,
    ) -> ApiResult<Option<Vec<(link::Model, source_node::Model)>>> {
        let Some(live) = self.nodes.next(db).await? else {
            return Ok(None);
        };
        if live.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let mut links = Link::find()
            .filter(link::Column::OrganizationId.eq(self.organization_id))
            .filter(link::Column::UnlinkedAt.is_null())
            .filter(link::Column::NodeId.is_in(live.iter().map(|n| n.id)))
            .all(db)
            .await?;
        links.sort_by_key(|l| l.node_id);
        let mut page = Vec::with_capacity(links.len());
        let mut nodes = live.into_iter().peekable();
        for link in links {
            while nodes.peek().is_some_and(|n| n.id < link.node_id) {
                nodes.next();
            }
            if let Some(node) = nodes.peek().filter(|n| n.id == link.node_id) {
                page.push((link, node.clone()));
            }
        }
        Ok(Some(page))
    }
}
