//! The source view's data (`graphql/nodes.graphql`): the source's head, tree pages (roots or a
//! node's children), search and one node's detail. Tree rows of all three lists are read
//! straight into one [`TreeRow`] (their generated types are not read at all).

use super::connection::Connection;
use super::{ApiError, DateTime, Json};
use crate::session::Session;
use serde::Deserialize;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/nodes.graphql";
    /// `query SourceHead`: name, counts and node types (for field labels).
    SourceHead,
);

use source_head::{Provider, SourceStatus};

via_serde!(Provider, SourceStatus);

from_json! {
    /// The source as the view's head shows it.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Head {
        pub id: String,
        pub name: String,
        pub provider: Provider,
        pub status: SourceStatus,
        pub node_count: i64,
        pub linked_count: i64,
        pub node_types: Vec<NodeType>,
    }

    /// A node type and its fields' labels.
    #[derive(Clone, Debug, PartialEq)]
    pub struct NodeType {
        pub name: String,
        pub fields: Vec<FieldLabel>,
    }

    /// A node field: key and label.
    #[derive(Clone, Debug, PartialEq)]
    pub struct FieldLabel {
        pub key: String,
        pub label: String,
    }

    /// The data of `SourceHead`.
    pub struct HeadData {
        pub source: Option<Head>,
    }

    /// One node in full.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Detail {
        pub id: String,
        pub name: String,
        pub type_: String,
        pub external_id: String,
        pub fields: Json,
        pub first_seen_at: DateTime,
        pub last_seen_at: DateTime,
        pub deleted_at: Option<DateTime>,
        pub child_count: i64,
        pub ancestors: Vec<Ancestor>,
    }

    /// An ancestor of a node: name and type.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Ancestor {
        pub name: String,
        pub type_: String,
    }

    /// The data of `NodeDetail`.
    pub struct DetailData {
        pub source_node: Option<Detail>,
    }
}

operations!("graphql/nodes.graphql";
    /// `query Roots`.
    Roots,
    /// `query Children`.
    Children,
    /// `query SearchNodes`.
    SearchNodes,
);

operations!("graphql/nodes.graphql";
    /// `query NodeDetail`.
    NodeDetail,
);

/// One row of the tree or of the search results (the `TreeNode` fragment, plus the path of
/// a search hit).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TreeRow {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub type_: String,
    pub child_count: i64,
    /// `true` when the node is linked to a service.
    #[serde(deserialize_with = "linked")]
    pub link_state: bool,
    pub deleted_at: Option<DateTime>,
    /// Ancestors' names, root first (search hits only).
    #[serde(default, deserialize_with = "names")]
    pub ancestors: Vec<String>,
}

fn linked<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(String::deserialize(d)? == "LINKED")
}

fn names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct Named {
        name: String,
    }
    Ok(Vec::<Named>::deserialize(d)?
        .into_iter()
        .map(|n| n.name)
        .collect())
}

/// A page of [`TreeRow`]s.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowPage {
    pub rows: Vec<TreeRow>,
    pub total: i64,
    pub next: Option<String>,
}

/// The data of `Roots` and `SearchNodes` (`source.roots` or `source.nodes`), and of
/// `Children` (`sourceNode.children`): the queries' connection types differ in Rust only.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageData {
    #[serde(alias = "sourceNode")]
    source: Option<PageOwner>,
}

#[derive(Deserialize)]
struct PageOwner {
    #[serde(alias = "children", alias = "nodes")]
    roots: Connection<TreeRow>,
}

impl PageData {
    fn into_page(self, what: &str) -> Result<RowPage, ApiError> {
        let (rows, total, next) = self.source.ok_or_else(|| missing(what))?.roots.into_parts();
        Ok(RowPage { rows, total, next })
    }
}

fn missing(what: &str) -> ApiError {
    ApiError::NotFound(format!("this {what} no longer exists"))
}

/// The source's head (`None`: no such source).
pub async fn head(session: Session, id: String) -> Result<Option<Head>, ApiError> {
    let data = session
        .run::<SourceHead>(source_head::Variables { id })
        .await?;
    Ok(super::json::read::<HeadData>(&data)?.source)
}

/// Where a tree page comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Parent {
    /// The source's roots.
    Source(String),
    /// A node's children.
    Node(String),
}

/// One page of roots or children.
pub async fn tree_page(
    session: Session,
    parent: Parent,
    include_deleted: bool,
    first: i64,
    after: Option<String>,
) -> Result<RowPage, ApiError> {
    match parent {
        Parent::Source(id) => session
            .call_as::<Roots, PageData>(roots::Variables {
                id,
                include_deleted: Some(include_deleted),
                first: Some(first),
                after,
            })
            .await?
            .into_page("source"),
        Parent::Node(id) => session
            .call_as::<Children, PageData>(children::Variables {
                id,
                include_deleted: Some(include_deleted),
                first: Some(first),
                after,
            })
            .await?
            .into_page("node"),
    }
}

/// Nodes of source `id` matching `search` (name or external id).
pub async fn search(
    session: Session,
    id: String,
    search: String,
    include_deleted: bool,
    first: i64,
    after: Option<String>,
) -> Result<RowPage, ApiError> {
    session
        .call_as::<SearchNodes, PageData>(search_nodes::Variables {
            id,
            search,
            include_deleted: Some(include_deleted),
            first: Some(first),
            after,
        })
        .await?
        .into_page("source")
}

/// One node (`None`: not found).
pub async fn detail(session: Session, id: String) -> Result<Option<Detail>, ApiError> {
    let data = session
        .run::<NodeDetail>(node_detail::Variables { id })
        .await?;
    Ok(super::json::read::<DetailData>(&data)?.source_node)
}

/// A field value as a person reads it: strings bare, empty as "—", the rest as compact JSON.
pub fn value_text(value: &Json) -> String {
    match value {
        Json::Null => "—".to_owned(),
        Json::String(s) if s.is_empty() => "—".to_owned(),
        Json::String(s) => s.clone(),
        Json::Bool(true) => "Yes".to_owned(),
        Json::Bool(false) => "No".to_owned(),
        Json::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}
