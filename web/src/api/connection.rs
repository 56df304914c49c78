//! A connection's JSON (`{totalCount, pageInfo, edges: [{node}]}`) read straight into a
//! hand-written node type, for operations whose generated types would only be copied into it
//! (jobs, tree rows): each such type then has one `Deserialize` impl in the app, not one per
//! operation plus a `Serialize` to convert between them.

/// One page of a connection.
pub struct Connection<T> {
    pub total_count: i64,
    pub page_info: PageInfo,
    pub edges: Vec<Edge<T>>,
}

pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

pub struct Edge<T> {
    pub node: T,
}

impl<T> Connection<T> {
    /// The nodes, the total and the cursor of the next page (`None` on the last page).
    pub fn into_parts(self) -> (Vec<T>, i64, Option<String>) {
        let next = self
            .page_info
            .has_next_page
            .then_some(self.page_info.end_cursor)
            .flatten();
        (
            self.edges.into_iter().map(|e| e.node).collect(),
            self.total_count,
            next,
        )
    }
}

impl<T: super::json::FromJson> super::json::FromJson for Connection<T> {
    fn from_json(value: &serde_json::Value) -> Option<Self> {
        use super::json::{field, FromJson};
        Some(Self {
            total_count: FromJson::from_json(field(value, "total_count"))?,
            page_info: FromJson::from_json(field(value, "page_info"))?,
            edges: FromJson::from_json(field(value, "edges"))?,
        })
    }
}

impl super::json::FromJson for PageInfo {
    fn from_json(value: &serde_json::Value) -> Option<Self> {
        use super::json::{field, FromJson};
        Some(Self {
            has_next_page: FromJson::from_json(field(value, "has_next_page"))?,
            end_cursor: FromJson::from_json(field(value, "end_cursor"))?,
        })
    }
}

impl<T: super::json::FromJson> super::json::FromJson for Edge<T> {
    fn from_json(value: &serde_json::Value) -> Option<Self> {
        super::json::FromJson::from_json(super::json::field(value, "node"))
            .map(|node| Self { node })
    }
}
