//! `callSourceApi` (ADMIN): one raw request under a source's base URL, sent with the source's
//! credentials, its answer returned whatever the status; every call audited, refused ones too.
//!
//! The path must stay under the base URL: absolute URLs, other hosts (`//host`, `\\host`),
//! dot segments and their encoded forms (`%2e%2e`, `%2F%2Fhost`, encoded twice …) are refused,
//! judged on the path as given and as decoded until it no longer changes; the connector then
//! checks the URL it built (`connectors::tickets::under_base`). Headers the connector sets
//! (Authorization, ConnectWise's clientId), Host, Cookie and the framing headers are refused.

use entity::enums::Role;
use percent_encoding::percent_decode_str;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{json, Map, Value};

use super::audit;
use super::live::{connector, upstream};
use crate::auth::Viewer;
use crate::connectors::{ApiCall, ApiReply};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Headers a caller may not set.
const FORBIDDEN_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "host",
    "cookie",
    "clientid",
    "content-length",
    "transfer-encoding",
    "connection",
    "te",
    "upgrade",
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
];

/// A call as the caller gave it.
#[derive(Debug, Clone)]
pub struct RawCall {
    pub method: reqwest::Method,
    pub path: String,
    pub query: Option<Value>,
    pub headers: Option<Value>,
    pub body: Option<Value>,
}

pub async fn call(
    state: &AppState,
    viewer: &Viewer,
    source_id: i64,
    raw: RawCall,
) -> ApiResult<ApiReply> {
    viewer.require(Role::Admin)?;
    let source = super::sources::get_live(&state.db, viewer, source_id).await?;
    let header_names: Vec<String> = raw
        .headers
        .as_ref()
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    // What the log keeps: never a header's value (it may be a secret), nor the body.
    let mut details = json!({
        "method": raw.method.as_str(),
        "path": raw.path.chars().take(500).collect::<String>(),
        "headers": header_names,
    });
    let checked = check(&raw);
    let call = match checked {
        Ok(call) => call,
        Err(err) => {
            details["refused"] = json!(err.message());
            audit::record(
                &state.db,
                viewer,
                "source.api_call",
                "Source",
                Some(source.id),
                details,
            )
            .await?;
            return Err(err);
        }
    };
    let outcome = match connector(state, &source) {
        Ok(c) => c.call_api(&call).await.map_err(|e| upstream(&source, e)),
        Err(err) => Err(err),
    };
    match &outcome {
        Ok(reply) => details["status"] = json!(reply.status),
        Err(err) => details["error"] = json!(err.message()),
    }
    audit::record(
        &state.db,
        viewer,
        "source.api_call",
        "Source",
        Some(source.id),
        details,
    )
    .await?;
    outcome
}

fn check(raw: &RawCall) -> ApiResult<ApiCall> {
    Ok(ApiCall {
        method: raw.method.clone(),
        path: check_path(&raw.path)?,
        query: check_query(raw.query.as_ref())?,
        headers: check_headers(raw.headers.as_ref())?,
        body: raw.body.clone().filter(|b| !b.is_null()),
    })
}

/// The path relative to the base URL (one leading `/` allowed), or why it is refused.
pub fn check_path(path: &str) -> ApiResult<String> {
    let refuse = |why: &str| {
        ApiError::bad_input(
            "path",
            format!(
                "the path {why}; give a path under the source's base URL, such as service/tickets"
            ),
        )
    };
    if path.trim().is_empty() {
        return Err(refuse("is empty"));
    }
    let mut forms = vec![path.to_owned()];
    loop {
        let last = forms.last().map(String::as_str).unwrap_or_default();
        let decoded = percent_decode_str(last)
            .decode_utf8()
            .map_err(|_| refuse("does not decode to text"))?
            .into_owned();
        if decoded == last {
            break;
        }
        if forms.len() > 3 {
            return Err(refuse("is encoded too many times"));
        }
        forms.push(decoded);
    }
    for form in &forms {
        if form.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(refuse("contains white space or control characters"));
        }
        if form.contains('\\') {
            return Err(refuse("contains a backslash"));
        }
        if form.contains("//") {
            return Err(refuse("contains // (another host, or an empty segment)"));
        }
        if form.contains("://") || form.split('/').next().is_some_and(|s| s.contains(':')) {
            return Err(refuse("is an absolute URL"));
        }
        if form.split('/').any(|s| s == ".." || s == ".") {
            return Err(refuse("contains a dot segment (.. or .)"));
        }
        if form.contains('?') || form.contains('#') || form.contains('@') {
            return Err(refuse("contains ?, # or @ (give the query in `query`)"));
        }
    }
    Ok(path.trim_start_matches('/').to_owned())
}

fn check_query(query: Option<&Value>) -> ApiResult<Vec<(String, String)>> {
    let bad = || {
        ApiError::bad_input(
            "query",
            "query is an object of names to texts, numbers, booleans or lists of them",
        )
    };
    let Some(query) = query.filter(|q| !q.is_null()) else {
        return Ok(Vec::new());
    };
    let map = query.as_object().ok_or_else(bad)?;
    let mut out = Vec::new();
    for (name, value) in map {
        let values = match value {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        for v in values {
            out.push((name.clone(), scalar(&v).ok_or_else(bad)?));
        }
    }
    Ok(out)
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn check_headers(headers: Option<&Value>) -> ApiResult<Vec<(String, String)>> {
    let Some(headers) = headers.filter(|h| !h.is_null()) else {
        return Ok(Vec::new());
    };
    let map: &Map<String, Value> = headers.as_object().ok_or_else(|| {
        ApiError::bad_input("headers", "headers is an object of header names to texts")
    })?;
    let mut out = Vec::new();
    for (name, value) in map {
        let lower = name.to_ascii_lowercase();
        if FORBIDDEN_HEADERS.contains(&lower.as_str()) || lower.starts_with("proxy-") {
            return Err(ApiError::bad_input(
                "headers",
                format!("the {name} header cannot be set: the source's own credentials and connection are used"),
            ));
        }
        let value = scalar(value).ok_or_else(|| {
            ApiError::bad_input(
                "headers",
                format!("the {name} header's value is not a text"),
            )
        })?;
        if HeaderName::from_bytes(name.as_bytes()).is_err()
            || HeaderValue::from_str(&value).is_err()
        {
            return Err(ApiError::bad_input(
                "headers",
                format!("{name} is not a valid header"),
            ));
        }
        out.push((name.clone(), value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::check_path;

    #[test]
    fn paths_that_leave_the_base_url_are_refused() {
        for ok in ["service/tickets", "/company/companies/5", "tickets"] {
            assert!(check_path(ok).is_ok(), "{ok}");
        }
        for bad in [
            "https://evil.example/x",
            "//evil.example/x",
            "/%2F%2Fevil.example/x",
            "%2f%2fevil.example",
            "../secret",
            "a/../../b",
            "%2e%2e/secret",
            "%252e%252e/secret",
            "a/%2E%2E/b",
            "\\\\evil.example\\x",
            "a\\..\\b",
            "%5c%5cevil.example",
            "http:evil.example",
            "a b",
            "a?x=1",
            "user@evil.example",
            "",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
    }
}
