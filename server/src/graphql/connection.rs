//! Relay connections: `first`/`after` validation, signed cursors, and the generic page that
//! services return (`Page<T>`), shaped into the contract's `XConnection`/`XEdge` types.
//!
//! A cursor is the sort key of the last row seen (keyset paging: stable under inserts, fast at
//! any depth), plus a MAC so a cursor the server did not issue is refused as BAD_USER_INPUT.

use async_graphql::SimpleObject;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde_json::Value;

use crate::crypto::Keys;
use crate::error::{ApiError, ApiResult};

pub const DEFAULT_FIRST: u64 = 50;
pub const MAX_FIRST: u64 = 500;
const MAC_LEN: usize = 12;

/// Validated paging arguments: how many rows, and after which sort key.
#[derive(Debug, Clone)]
pub struct PageArgs {
    pub first: u64,
    pub after: Option<Vec<Value>>,
}

impl PageArgs {
    pub fn parse(keys: &Keys, first: Option<i32>, after: Option<String>) -> ApiResult<PageArgs> {
        let first = match first {
            None => DEFAULT_FIRST,
            Some(n) if n < 0 || n as u64 > MAX_FIRST => {
                return Err(ApiError::bad_input(
                    "first",
                    format!("first must be between 0 and {MAX_FIRST}"),
                ))
            }
            Some(n) => n as u64,
        };
        let after = match after {
            None => None,
            Some(cursor) => Some(decode_cursor(keys, &cursor).ok_or_else(|| {
                ApiError::bad_input("after", "this cursor was not issued by the server")
            })?),
        };
        Ok(PageArgs { first, after })
    }

    /// The first page of `n` rows (internal callers).
    pub fn first(n: u64) -> PageArgs {
        PageArgs {
            first: n,
            after: None,
        }
    }

    /// The `after` key's element `i`, as the type the service expects.
    pub fn after_i64(&self, i: usize) -> Option<i64> {
        self.after.as_ref()?.get(i)?.as_i64()
    }
}

/// One page of rows with their sort keys, as a service returns it.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<(Vec<Value>, T)>,
    pub has_next: bool,
    pub has_previous: bool,
    pub total: u64,
}

impl<T> Page<T> {
    /// Builds a page from `first + 1` fetched rows (the extra row only says there is more).
    pub fn from_rows(
        mut rows: Vec<T>,
        args: &PageArgs,
        total: u64,
        key: impl Fn(&T) -> Vec<Value>,
    ) -> Page<T> {
        let has_next = rows.len() as u64 > args.first;
        rows.truncate(args.first as usize);
        Page {
            items: rows.into_iter().map(|r| (key(&r), r)).collect(),
            has_next,
            has_previous: args.after.is_some(),
            total,
        }
    }

    pub fn map<U>(self, f: impl Fn(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(|(k, t)| (k, f(t))).collect(),
            has_next: self.has_next,
            has_previous: self.has_previous,
            total: self.total,
        }
    }
}

pub fn encode_cursor(keys: &Keys, key: &[Value]) -> String {
    let payload = serde_json::to_vec(key).unwrap_or_default();
    let mac = keys.cursor_mac(&payload);
    let mut bytes = payload;
    bytes.extend_from_slice(&mac[..MAC_LEN]);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn decode_cursor(keys: &Keys, cursor: &str) -> Option<Vec<Value>> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).ok()?;
    if bytes.len() <= MAC_LEN {
        return None;
    }
    let (payload, mac) = bytes.split_at(bytes.len() - MAC_LEN);
    let expected = keys.cursor_mac(payload);
    if !bool::from(subtle::ConstantTimeEq::ct_eq(&expected[..MAC_LEN], mac)) {
        return None;
    }
    serde_json::from_slice(payload).ok()
}

#[derive(SimpleObject, Debug, Clone)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

/// Declares a contract connection type `$conn { edges, pageInfo, totalCount }` with edges
/// `$edge { cursor, node: $node }`, and `$conn::from_page`.
#[macro_export]
macro_rules! connection_type {
    ($conn:ident, $edge:ident, $node:ty) => {
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        #[derive(async_graphql::SimpleObject)]
        pub struct $conn {
            pub edges: Vec<$edge>,
            pub page_info: $crate::graphql::connection::PageInfo,
            pub total_count: i32,
        }

        impl $conn {
            pub fn from_page(
                keys: &$crate::crypto::Keys,
                page: $crate::graphql::connection::Page<$node>,
            ) -> $conn {
                let edges: Vec<$edge> = page
                    .items
                    .into_iter()
                    .map(|(key, node)| $edge {
                        cursor: $crate::graphql::connection::encode_cursor(keys, &key),
                        node,
                    })
                    .collect();
                $conn {
                    page_info: $crate::graphql::connection::PageInfo {
                        has_next_page: page.has_next,
                        has_previous_page: page.has_previous,
                        start_cursor: edges.first().map(|e| e.cursor.clone()),
                        end_cursor: edges.last().map(|e| e.cursor.clone()),
                    },
                    edges,
                    total_count: i32::try_from(page.total).unwrap_or(i32::MAX),
                }
            }
        }
    };
}
