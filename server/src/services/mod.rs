//! Domain operations as plain async functions over a connection (or a transaction), the
//! caller's `Viewer` and plain arguments. They know nothing of GraphQL and return `ApiError`.
//! Every read and write here is scoped to `viewer.org_id`.

pub mod activity;
pub mod audit;
pub mod billing;
pub mod changes;
pub mod dictionary;
pub mod dictionary_edits;
pub mod field_sync;
pub mod identity;
pub mod internal_values;
pub mod jobs;
pub mod links;
pub mod live;
pub mod nodes;
pub mod plans;
pub mod recommend;
pub mod reconciliation;
pub mod rules;
pub mod source_api;
pub mod source_records;
pub mod source_settings;
pub mod sources;
pub mod tickets;
pub mod tokens;
pub mod undo;
pub mod value_mappings;
pub mod values;

use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Value as DbValue,
};
use serde_json::{json, Value};

use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{Page, PageArgs};

/// A page of a list people browse by name: optionally narrowed to names containing `search`
/// (any case), ordered by `search_text` (the lower-case name) then id.
pub(crate) async fn page_by_name<E>(
    db: &impl ConnectionTrait,
    base: Select<E>,
    columns: (E::Column, E::Column),
    search: Option<&str>,
    args: &PageArgs,
    key: impl Fn(&E::Model) -> (String, i64),
) -> ApiResult<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Send + Sync,
{
    let (text, id) = columns;
    let mut base = base;
    if let Some(q) = search.map(str::trim).filter(|q| !q.is_empty()) {
        base = base.filter(
            Expr::col(text.as_column_ref()).like(LikeExpr::new(like_pattern(q)).escape('\\')),
        );
    }
    let total = base.clone().count(db).await?;
    let mut query = base
        .order_by_asc(text)
        .order_by_asc(id)
        .limit(args.first + 1);
    if let Some(after) = &args.after {
        query = query.filter(after_key(&[text, id], key_values(after, 2)?));
    }
    let rows = query.all(db).await?;
    Ok(Page::from_rows(rows, args, total, |row| {
        let (t, i) = key(row);
        vec![json!(t), json!(i)]
    }))
}

/// A cursor key of `len` elements as database values (integers and strings, in order).
pub(crate) fn key_values(after: &[Value], len: usize) -> ApiResult<Vec<DbValue>> {
    let wrong = || ApiError::bad_input("after", "this cursor belongs to another list");
    if after.len() != len {
        return Err(wrong());
    }
    after
        .iter()
        .map(|v| match v {
            Value::Number(n) => n.as_i64().map(DbValue::from).ok_or_else(wrong),
            Value::String(s) => Ok(DbValue::from(s.clone())),
            _ => Err(wrong()),
        })
        .collect()
}

/// Keyset condition `(c1, c2, …) > (v1, v2, …)`: rows after a cursor in ascending order.
/// Row-value comparison is the same on SQLite and PostgreSQL and can use the order index.
pub(crate) fn after_key(columns: &[impl ColumnTrait], values: Vec<DbValue>) -> SimpleExpr {
    after_exprs(
        columns
            .iter()
            .map(|c| Expr::col(c.as_column_ref()))
            .collect(),
        values,
    )
}

/// `after_key` for sort keys that are expressions (e.g. a relevance rank).
pub(crate) fn after_exprs(keys: Vec<SimpleExpr>, values: Vec<DbValue>) -> SimpleExpr {
    let vals: Vec<SimpleExpr> = values.into_iter().map(Expr::val).collect();
    Expr::tuple(keys).gt(Expr::tuple(vals))
}

/// A lower-case search string with LIKE's wildcards escaped (escape character `\`).
pub(crate) fn like_pattern(query: &str) -> String {
    let mut out = String::from("%");
    for c in query.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}
