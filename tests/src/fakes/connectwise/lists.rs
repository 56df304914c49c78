//! The fake's lists and counts: `conditions` (on `id`, `lastUpdated` and `company/id`),
//! `/count` honouring them, `fields=` narrowing, and bare-array pages with `Link` headers (page
//! numbers, or forward-only `pageId`).

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde_json::{json, Value};

use super::data::{served_of, Entity, View};
use super::error;

/// The conditions this fake understands: `id>N`, `id>=N`, `id<N`, `id<=N`, `id=N`,
/// `id in (N,M,…)`, `lastUpdated>[T]`, `company/id=N`, joined by `and`.
#[derive(Debug, Default)]
pub(super) struct Conditions {
    pub(super) min_id: u64,
    /// The largest id wanted (`id<=N`; `id<N` is `id<=N-1`).
    pub(super) max_id: Option<u64>,
    pub(super) updated_after: Option<chrono::DateTime<Utc>>,
    pub(super) company: Option<u64>,
    pub(super) exact: Option<u64>,
    pub(super) among: Option<std::collections::HashSet<u64>>,
}

pub(super) fn parse_conditions(raw: Option<&String>) -> Result<Conditions, String> {
    let mut c = Conditions::default();
    let Some(raw) = raw else { return Ok(c) };
    for part in raw.split(" and ") {
        let part = part
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .trim();
        let bad = || format!("unsupported condition: {part}");
        if let Some(v) = part.strip_prefix("id>=") {
            c.min_id = c.min_id.max(
                v.trim()
                    .parse::<u64>()
                    .map_err(|_| bad())?
                    .saturating_sub(1),
            );
        } else if let Some(v) = part.strip_prefix("id>") {
            c.min_id = c.min_id.max(v.trim().parse().map_err(|_| bad())?);
        } else if let Some(v) = part.strip_prefix("id<=") {
            let n: u64 = v.trim().parse().map_err(|_| bad())?;
            c.max_id = Some(c.max_id.map_or(n, |m| m.min(n)));
        } else if let Some(v) = part.strip_prefix("id<") {
            let n = v
                .trim()
                .parse::<u64>()
                .map_err(|_| bad())?
                .saturating_sub(1);
            c.max_id = Some(c.max_id.map_or(n, |m| m.min(n)));
        } else if let Some(v) = part.strip_prefix("id=") {
            c.exact = Some(v.trim().parse().map_err(|_| bad())?);
        } else if let Some(v) = part.strip_prefix("id in ") {
            let ids = v
                .trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .split(',')
                .map(|n| n.trim().parse::<u64>())
                .collect::<Result<_, _>>()
                .map_err(|_| bad())?;
            c.among = Some(ids);
        } else if let Some(v) = part.strip_prefix("company/id=") {
            c.company = Some(v.trim().parse().map_err(|_| bad())?);
        } else if let Some(v) = part.strip_prefix("lastUpdated>") {
            let t = v.trim().trim_start_matches('[').trim_end_matches(']');
            c.updated_after = Some(
                chrono::DateTime::parse_from_rfc3339(t)
                    .map_err(|_| bad())?
                    .with_timezone(&Utc),
            );
        } else if !part.is_empty() {
            return Err(bad());
        }
    }
    Ok(c)
}

pub(super) fn count(
    fake: &View<'_>,
    entity: Entity,
    q: &std::collections::HashMap<String, String>,
    company: Option<u64>,
) -> Response {
    let c = match parse_conditions(q.get("conditions")) {
        Ok(c) => c,
        Err(msg) => return error(StatusCode::BAD_REQUEST, "InvalidObject", &msg),
    };
    let n = fake
        .candidates(entity, &c, company)
        .filter(|id| fake.matches(entity, *id, &c, company))
        .count();
    Json(json!({"count": n})).into_response()
}

/// Keeps only the `fields=` of a record (`company/id` keeps `{"company": {"id": …}}`; a path
/// through a list applies to each of its items).
pub(super) fn narrow(record: &Value, fields: &str) -> Value {
    fn pick(value: &Value, path: &[&str], out: &mut Value) {
        let Some((head, rest)) = path.split_first() else {
            return;
        };
        let Some(inner) = value.get(*head) else {
            return;
        };
        if rest.is_empty() || inner.is_null() {
            out[*head] = inner.clone();
        } else if let Some(items) = inner.as_array() {
            let picked: Vec<Value> = items
                .iter()
                .map(|item| {
                    let mut o = json!({});
                    pick(item, rest, &mut o);
                    o
                })
                .collect();
            out[*head] = Value::Array(picked);
        } else {
            if !out.get(*head).is_some_and(Value::is_object) {
                out[*head] = json!({});
            }
            pick(inner, rest, &mut out[*head]);
        }
    }
    let mut out = json!({});
    for field in fields.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        let path: Vec<&str> = field.split('/').collect();
        pick(record, &path, &mut out);
    }
    out
}

pub(super) fn list(
    fake: &View<'_>,
    entity: Entity,
    q: &std::collections::HashMap<String, String>,
    headers: &HeaderMap,
    rest: &str,
    company: Option<u64>,
) -> Response {
    let mut c = match parse_conditions(q.get("conditions")) {
        Ok(c) => c,
        Err(msg) => return error(StatusCode::BAD_REQUEST, "InvalidObject", &msg),
    };
    let page_size: usize = q
        .get("pageSize")
        .and_then(|v| v.parse().ok())
        .unwrap_or(25)
        .clamp(1, 1000);
    let forward_only =
        headers.get("pagination-type").and_then(|v| v.to_str().ok()) == Some("forward-only");
    if let Some(page_id) = q.get("pageId").and_then(|v| v.parse::<u64>().ok()) {
        c.min_id = c.min_id.max(page_id);
    }
    let page: usize = q
        .get("page")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let skip = if forward_only {
        0
    } else {
        (page - 1) * page_size
    };
    // `orderBy=id desc`: the largest ids first (no `Link` is given for this order).
    let descending = q
        .get("orderBy")
        .is_some_and(|o| o.trim().eq_ignore_ascii_case("id desc"));
    let candidates = fake.candidates(entity, &c, company);
    let candidates: Box<dyn Iterator<Item = u64>> = if descending {
        Box::new(candidates.rev())
    } else {
        candidates
    };
    let mut ids = candidates
        .filter(|id| fake.matches(entity, *id, &c, company))
        .skip(skip);
    let mut items: Vec<u64> = ids.by_ref().take(page_size).collect();
    let more = ids.next().is_some();
    let mut link = None;
    if more && !descending {
        let origin = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        let base = format!("http://{origin}/v4_6_release/apis/3.0/{rest}");
        link = Some(match (forward_only, items.last()) {
            (true, Some(last)) => {
                format!("<{base}?pageSize={page_size}&pageId={last}>; rel=\"next\"")
            }
            _ => format!(
                "<{base}?pageSize={page_size}&page={}>; rel=\"next\"",
                page + 1
            ),
        });
    }
    if fake.faults.take_short_page() && items.len() > 1 {
        items.truncate(items.len() / 2);
        link = None;
    }
    let fields = q.get("fields").filter(|f| !f.trim().is_empty());
    // The top-level fields `fields=` reaches into: only those are made.
    let wanted: Option<Vec<&str>> = fields.map(|f| {
        f.split(',')
            .filter_map(|path| path.trim().split('/').next())
            .collect()
    });
    let body: Vec<Value> = items
        .iter()
        .map(|id| {
            let made = served_of(fake, entity, *id, wanted.as_deref());
            match fields {
                Some(f) => narrow(&made, f),
                None => made,
            }
        })
        .collect();
    fake.faults
        .served(entity.key(), body.len(), fields.is_some());
    fake.faults.page_served();
    let mut resp = Json(body).into_response();
    if let Some(link) = link.and_then(|l| l.parse().ok()) {
        resp.headers_mut().insert(header::LINK, link);
    }
    resp
}
