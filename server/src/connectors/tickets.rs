//! Tickets as the connectors read and write them, live from the PSA (never stored): one shape
//! for every provider, so the ticket service and GraphQL know nothing of any provider's JSON.
//! Also the raw API call (`callSourceApi`): a request under the base URL and its answer.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// A value of the PSA's own vocabulary on a ticket (a status, a board …): its id and name. A
/// provider whose records carry only names (Syncro statuses) uses the name as the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketRef {
    pub external_id: String,
    pub name: String,
}

/// One ticket as the provider has it now.
#[derive(Debug, Clone, Default)]
pub struct Ticket {
    pub external_id: String,
    pub number: Option<String>,
    pub summary: String,
    pub status: Option<TicketRef>,
    pub priority: Option<TicketRef>,
    pub board: Option<TicketRef>,
    pub ticket_type: Option<TicketRef>,
    pub subtype: Option<TicketRef>,
    pub item: Option<TicketRef>,
    /// The external id of the company (ConnectWise) or customer (Syncro) it is for.
    pub company: Option<String>,
    pub company_name: Option<String>,
    pub contact_name: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    /// Closed (ConnectWise `closedFlag`) or resolved (Syncro `resolved_at`, status Resolved).
    pub resolved: bool,
}

/// What a list of tickets is narrowed by. Filters a provider has no field for are ignored for
/// it (Syncro has no boards).
#[derive(Debug, Clone, Default)]
pub struct TicketQuery {
    pub boards: Vec<String>,
    pub statuses: Vec<String>,
    pub company: Option<String>,
    pub search: Option<String>,
    pub updated_since: Option<DateTime<Utc>>,
    /// The position of the last ticket of the previous page (what `TicketPage` gave it).
    pub after: Option<i64>,
    pub first: usize,
}

/// One page of tickets, each with its position: the page after it starts there.
#[derive(Debug, Clone, Default)]
pub struct TicketPage {
    pub tickets: Vec<(i64, Ticket)>,
    pub has_next: bool,
    /// How many tickets match, when the provider says.
    pub total: Option<i64>,
}

/// The vocabularies a ticket form offers.
#[derive(Debug, Clone, Default)]
pub struct TicketMeta {
    pub boards: Vec<TicketRef>,
    pub priorities: Vec<TicketRef>,
    pub statuses: Vec<TicketRef>,
}

/// A ticket to create (`company` and `summary` given) or the fields of one to change.
#[derive(Debug, Clone, Default)]
pub struct TicketWrite {
    pub summary: Option<String>,
    pub company: Option<String>,
    pub board: Option<String>,
    pub status: Option<String>,
    pub priority: Option<String>,
    pub description: Option<String>,
}

/// A raw request under the source's base URL (`callSourceApi`), already checked: `path` is
/// relative and stays under the base path, no header is one the connector sets itself.
#[derive(Debug, Clone)]
pub struct ApiCall {
    pub method: reqwest::Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
}

/// The largest body `callSourceApi` returns; the rest is cut.
pub const MAX_RAW_BODY: usize = 1 << 20;

/// What the provider answered, whatever its status.
#[derive(Debug, Clone)]
pub struct ApiReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A text field of a record, when it is there and not blank.
pub(crate) fn text_of(record: &Value, key: &str) -> Option<String> {
    match record.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A date-time field of a record.
pub(crate) fn time_of(record: &Value, pointer: &str) -> Option<DateTime<Utc>> {
    let raw = record.pointer(pointer)?.as_str()?;
    DateTime::parse_from_rfc3339(raw)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// What a connector answers for what its provider does not offer.
pub fn unsupported(what: &str) -> super::ConnectorError {
    super::ConnectorError::Invalid {
        field: "sourceId".into(),
        message: format!("this provider does not offer {what}"),
    }
}

/// `callSourceApi` through a connector: `call` sent once under `base` through `http` (its origin
/// check and host budget), with the connector's credentials added by `authorize`, after the
/// caller's headers so that they always win.
pub(crate) async fn raw_call(
    http: &super::http::Upstream,
    base: &str,
    call: &ApiCall,
    authorize: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> Result<ApiReply, super::ConnectorError> {
    let url = under_base(base, &call.path)?;
    let mut request = http
        .client()
        .request(call.method.clone(), url)
        .query(&call.query);
    for (name, value) in &call.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &call.body {
        request = request.json(body);
    }
    let (status, headers, body) = http.raw(authorize(request), MAX_RAW_BODY).await?;
    Ok(reply(status, &headers, body))
}

/// A raw answer as `callSourceApi` returns it. Cookies the provider sets stay here: they are
/// the session of our credentials, not the caller's.
fn reply(
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: String,
) -> ApiReply {
    ApiReply {
        status: status.as_u16(),
        headers: headers
            .iter()
            .filter(|(name, _)| *name != reqwest::header::SET_COOKIE)
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    }
}

/// The URL of `path` under `base`, checked once more after parsing: same origin, and a path
/// that stays under the base path (the service refuses escapes before; this is the last word).
fn under_base(base: &str, path: &str) -> Result<reqwest::Url, super::ConnectorError> {
    let refused = || super::ConnectorError::Invalid {
        field: "path".into(),
        message: "the path leaves the source's base URL".into(),
    };
    let base_url = reqwest::Url::parse(base).map_err(|_| refused())?;
    let url = reqwest::Url::parse(&format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    ))
    .map_err(|_| refused())?;
    let prefix = format!("{}/", base_url.path().trim_end_matches('/'));
    if url.origin() != base_url.origin() || !url.path().starts_with(&prefix) {
        return Err(refused());
    }
    Ok(url)
}
