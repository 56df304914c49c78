//! Reading source nodes: roots, children, ancestors, lists with filters, and substring search.
//!
//! Order (SEMANTICS.md): node type in PROVIDERS.md order (`type_rank`), then name, then
//! external id — `search_text` is `lower(name ␟ externalId)`, so one indexed column sorts by
//! name then external id, case-insensitively and identically on SQLite and PostgreSQL.
//! Search is a case-insensitive substring of name or external id, served by a trigram index
//! (pg_trgm on PostgreSQL, FTS5 trigram on SQLite) and ranked exact, prefix, substring.

use chrono::{DateTime, Utc};
use entity::prelude::*;
use entity::{source, source_node};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LikeExpr, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use serde_json::{json, Value};

use super::{after_exprs, after_key, key_values, like_pattern};
use crate::auth::Viewer;
use crate::error::ApiResult;
use crate::graphql::connection::{Page, PageArgs};
use crate::providers;

/// Separates name and external id inside `search_text`; no query contains it.
pub const SEP: char = '\u{1f}';

pub fn search_text(name: &str, external_id: &str) -> String {
    format!("{name}{SEP}{external_id}").to_lowercase()
}

/// What a list of nodes is narrowed by.
#[derive(Debug, Default, Clone)]
pub struct NodeFilter {
    pub source_id: Option<i64>,
    pub search: Option<String>,
    pub node_type: Option<String>,
    pub linked: Option<bool>,
    pub include_deleted: bool,
    /// Leave out nodes of deleted sources (searches do; a deleted source's own tree stays
    /// readable through `source(id)`).
    pub live_sources_only: bool,
}

pub async fn get(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<source_node::Model>> {
    Ok(SourceNode::find_by_id(id)
        .filter(source_node::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

pub async fn roots(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source: &source::Model,
    include_deleted: bool,
    args: &PageArgs,
) -> ApiResult<Page<source_node::Model>> {
    let query = scoped(viewer, include_deleted)
        .filter(source_node::Column::SourceId.eq(source.id))
        .filter(source_node::Column::ParentId.is_null());
    tree_page(db, query, args).await
}

pub async fn children(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    node: &source_node::Model,
    node_type: Option<&str>,
    include_deleted: bool,
    args: &PageArgs,
) -> ApiResult<Page<source_node::Model>> {
    let mut query = scoped(viewer, include_deleted)
        .filter(source_node::Column::SourceId.eq(node.source_id))
        .filter(source_node::Column::ParentId.eq(node.id));
    if let Some(t) = node_type {
        query = query.filter(source_node::Column::NodeType.eq(t));
    }
    tree_page(db, query, args).await
}

/// `Source.nodes` and `searchNodes`: filtered, in tree order, or by relevance when searching.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    filter: &NodeFilter,
    args: &PageArgs,
) -> ApiResult<Page<source_node::Model>> {
    let mut query = scoped(viewer, filter.include_deleted);
    if let Some(s) = filter.source_id {
        query = query.filter(source_node::Column::SourceId.eq(s));
    }
    if let Some(t) = &filter.node_type {
        query = query.filter(source_node::Column::NodeType.eq(t.as_str()));
    }
    if let Some(l) = filter.linked {
        query = query.filter(source_node::Column::Linked.eq(l));
    }
    if filter.live_sources_only {
        let live = sea_orm::sea_query::Query::select()
            .column(source::Column::Id)
            .from(source::Entity)
            .and_where(Expr::col(source::Column::OrganizationId).eq(viewer.org_id))
            .and_where(Expr::col(source::Column::DeletedAt).is_null())
            .to_owned();
        query = query.filter(source_node::Column::SourceId.in_subquery(live));
    }
    let needle = filter
        .search
        .as_deref()
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let Some(needle) = needle else {
        return tree_page(db, query, args).await;
    };
    query = query.filter(search_condition(db.get_database_backend(), &needle));
    let total = query.clone().count(db).await?;
    let relevance = relevance_expr(&needle);
    let mut page = query
        .expr_as(relevance.clone(), "relevance")
        .order_by(relevance.clone(), sea_orm::Order::Asc)
        .order_by_asc(source_node::Column::TypeRank)
        .order_by_asc(source_node::Column::SearchText)
        .order_by_asc(source_node::Column::Id)
        .limit(args.first + 1);
    if let Some(after) = &args.after {
        let key = key_values(after, 4)?;
        let keys: Vec<SimpleExpr> = vec![
            relevance,
            Expr::col(source_node::Column::TypeRank),
            Expr::col(source_node::Column::SearchText),
            Expr::col(source_node::Column::Id),
        ];
        page = page.filter(after_exprs(keys, key));
    }
    let rows = page.into_model::<NodeWithRelevance>().all(db).await?;
    let rows: Vec<(i32, source_node::Model)> =
        rows.into_iter().map(|r| (r.relevance, r.node)).collect();
    let page = Page::from_rows(rows, args, total, |(rel, n)| {
        vec![
            json!(rel),
            json!(n.type_rank),
            json!(n.search_text),
            json!(n.id),
        ]
    });
    Ok(page.map(|(_, n)| n))
}

/// How many live nodes a source has (`nodeCount`), or only its linked ones (`linkedCount`).
pub async fn count_live(
    db: &impl ConnectionTrait,
    source_id: i64,
    linked_only: bool,
) -> ApiResult<u64> {
    let mut live = SourceNode::find()
        .filter(source_node::Column::SourceId.eq(source_id))
        .filter(source_node::Column::DeletedAt.is_null());
    if linked_only {
        live = live.filter(source_node::Column::Linked.eq(true));
    }
    Ok(live.count(db).await?)
}

/// A node as an import (or a test) hands it over.
#[derive(Debug, Clone)]
pub struct NewNode {
    pub node_type: String,
    pub external_id: String,
    pub name: String,
    pub parent_id: Option<i64>,
    pub fields: Value,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// Inserts one node with its derived columns (type rank, search text, content hash).
pub async fn insert(
    db: &impl ConnectionTrait,
    source: &source::Model,
    node: NewNode,
) -> ApiResult<source_node::Model> {
    let spec = providers::spec(source.provider);
    let now = Utc::now();
    let name = if node.name.trim().is_empty() {
        node.external_id.clone()
    } else {
        node.name.trim().to_owned()
    };
    Ok(source_node::ActiveModel {
        organization_id: Set(source.organization_id),
        source_id: Set(source.id),
        type_rank: Set(spec.type_rank(&node.node_type)),
        search_text: Set(search_text(&name, &node.external_id)),
        content_hash: Set(content_hash(&name, node.parent_id, &node.fields)),
        node_type: Set(node.node_type),
        external_id: Set(node.external_id),
        parent_id: Set(node.parent_id),
        name: Set(name),
        fields: Set(node.fields),
        first_seen_at: Set(now),
        last_seen_at: Set(now),
        deleted_at: Set(node.deleted_at),
        linked: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// A stable hash of what an import would change, so unchanged records are skipped.
pub fn content_hash(name: &str, parent_id: Option<i64>, fields: &Value) -> String {
    content_hash_of_text(name, parent_id, &fields.to_string())
}

/// `content_hash` of fields already written as compact JSON (`Value::to_string`), for the
/// import, which writes them once and stores that same text.
pub fn content_hash_of_text(name: &str, parent_id: Option<i64>, fields_json: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([0]);
    h.update(parent_id.unwrap_or(0).to_le_bytes());
    h.update(fields_json.as_bytes());
    hex::encode(&h.finalize()[..16])
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct NodeWithRelevance {
    relevance: i32,
    #[sea_orm(nested)]
    node: source_node::Model,
}

fn scoped(viewer: &Viewer, include_deleted: bool) -> Select<SourceNode> {
    let q = SourceNode::find().filter(source_node::Column::OrganizationId.eq(viewer.org_id));
    if include_deleted {
        q
    } else {
        q.filter(source_node::Column::DeletedAt.is_null())
    }
}

async fn tree_page(
    db: &impl ConnectionTrait,
    query: Select<SourceNode>,
    args: &PageArgs,
) -> ApiResult<Page<source_node::Model>> {
    let total = query.clone().count(db).await?;
    let mut page = query
        .order_by_asc(source_node::Column::TypeRank)
        .order_by_asc(source_node::Column::SearchText)
        .order_by_asc(source_node::Column::Id)
        .limit(args.first + 1);
    if let Some(after) = &args.after {
        let key = key_values(after, 3)?;
        page = page.filter(after_key(
            &[
                source_node::Column::TypeRank,
                source_node::Column::SearchText,
                source_node::Column::Id,
            ],
            key,
        ));
    }
    let rows = page.all(db).await?;
    Ok(Page::from_rows(rows, args, total, |n| {
        vec![json!(n.type_rank), json!(n.search_text), json!(n.id)]
    }))
}

/// Substring match on `search_text`, through each database's trigram index.
fn search_condition(backend: DbBackend, needle: &str) -> SimpleExpr {
    match backend {
        DbBackend::Sqlite if needle.chars().count() >= 3 => {
            let phrase = format!("\"{}\"", needle.replace('"', "\"\""));
            Expr::cust_with_values(
                "\"source_nodes\".\"id\" IN (SELECT rowid FROM source_nodes_search WHERE source_nodes_search MATCH ?) AND instr(\"source_nodes\".\"search_text\", ?) > 0",
                [sea_orm::Value::from(phrase), sea_orm::Value::from(needle.to_owned())],
            )
        }
        DbBackend::Sqlite => Expr::cust_with_values(
            "instr(\"source_nodes\".\"search_text\", ?) > 0",
            [needle.to_owned()],
        ),
        _ => Expr::col((Alias::new("source_nodes"), source_node::Column::SearchText))
            .like(LikeExpr::new(like_pattern(needle)).escape('\\')),
    }
}

/// 0 when name or external id equals the query, 1 when one starts with it, else 2.
fn relevance_expr(needle: &str) -> SimpleExpr {
    let esc = like_pattern(needle);
    let bare = &esc[1..esc.len() - 1];
    let col = || Expr::col((Alias::new("source_nodes"), source_node::Column::SearchText));
    let like = |p: String| col().like(LikeExpr::new(p).escape('\\'));
    let exact = like(format!("{bare}{SEP}%")).or(like(format!("%{SEP}{bare}")));
    let prefix = like(format!("{bare}%")).or(like(format!("%{SEP}{bare}%")));
    Expr::case(exact, 0).case(prefix, 1).finally(2).into()
}
