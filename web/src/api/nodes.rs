//! The source view's data (`graphql/nodes.graphql`): the source's head, tree pages (roots or a
//! node's children), search and one node's detail. Tree rows of all three lists are read
//! straight into one [`TreeRow`] (their generated types are not read at all).

use super::connection::Connection;
use super::json::{field, read, unreadable, FromJson};
use super::{ApiError, DateTime, Json};
use crate::session::Session;

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
#[derive(Clone, Debug, PartialEq)]
pub struct TreeRow {
    pub id: String,
    pub name: String,
    pub type_: String,
    pub child_count: i64,
    /// `true` when the node is linked to a service.
    pub link_state: bool,
    pub deleted_at: Option<DateTime>,
    /// Ancestors' names, root first (search hits only).
    pub ancestors: Vec<String>,
}

impl FromJson for TreeRow {
    fn from_json(value: &Json) -> Option<Self> {
        let ancestors = match field(value, "ancestors") {
            Json::Null => Vec::new(),
            list => list
                .as_array()?
                .iter()
                .map(|a| String::from_json(field(a, "name")))
                .collect::<Option<_>>()?,
        };
        Some(Self {
            id: FromJson::from_json(field(value, "id"))?,
            name: FromJson::from_json(field(value, "name"))?,
            type_: FromJson::from_json(field(value, "type"))?,
            child_count: FromJson::from_json(field(value, "child_count"))?,
            link_state: field(value, "link_state").as_str()? == "LINKED",
            deleted_at: FromJson::from_json(field(value, "deleted_at"))?,
            ancestors,
        })
    }
}

/// A page of [`TreeRow`]s.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowPage {
    pub rows: Vec<TreeRow>,
    pub total: i64,
    pub next: Option<String>,
}

/// The page in the data of `Roots` and `SearchNodes` (`source.roots` or `source.nodes`), or of
/// `Children` (`sourceNode.children`).
fn into_page(data: &Json, what: &str) -> Result<RowPage, ApiError> {
    let owner = [&data["source"], &data["sourceNode"]]
        .into_iter()
        .find(|v| !v.is_null())
        .ok_or_else(|| missing(what))?;
    let connection = [&owner["roots"], &owner["children"], &owner["nodes"]]
        .into_iter()
        .find(|v| !v.is_null())
        .ok_or_else(unreadable)?;
    let (rows, total, next) = read::<Connection<TreeRow>>(connection)?.into_parts();
    Ok(RowPage { rows, total, next })
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
            .run::<Roots>(roots::Variables {
                id,
                include_deleted: Some(include_deleted),
                first: Some(first),
                after,
            })
            .await
            .and_then(|data| into_page(&data, "source")),
        Parent::Node(id) => session
            .run::<Children>(children::Variables {
                id,
                include_deleted: Some(include_deleted),
                first: Some(first),
                after,
            })
            .await
            .and_then(|data| into_page(&data, "node")),
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
        .run::<SearchNodes>(search_nodes::Variables {
            id,
            search,
            include_deleted: Some(include_deleted),
            first: Some(first),
            after,
        })
        .await
        .and_then(|data| into_page(&data, "source"))
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
