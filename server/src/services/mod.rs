//! Domain operations as plain async functions over a connection (or a transaction), the
//! caller's `Viewer` and plain arguments. They know nothing of GraphQL and return `ApiError`.
//! Every read and write here is scoped to `viewer.org_id`.

pub mod audit;
pub mod billing;
pub mod identity;
pub mod jobs;
pub mod nodes;
pub mod source_settings;
pub mod sources;
pub mod values;

use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, Value as DbValue};

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
