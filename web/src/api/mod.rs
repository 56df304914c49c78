//! Talking to the server: one [`post`] for every typed GraphQL operation, and [`ApiError`],
//! the contract's error codes (`errors[0].extensions.code`, shared/api/SEMANTICS.md) as a type.
//!
//! Operations live in `graphql/*.graphql` and are derived in the submodules with
//! [`operations!`] (`graphql_client`), against `graphql/schema.graphql`: a schema change that
//! breaks the app fails the build (the generated response types are not read: answers are read
//! with [`json`] into hand-written types). Pages call them through
//! [`crate::session::Session::call_as`] or [`crate::session::Session::run`], which add the
//! token and sign out on UNAUTHENTICATED.

/// Derives typed operations of one `graphql/<file>.graphql`, checked against the committed
/// SDL. Default response derives are `Debug, Clone, PartialEq`; a bracketed list replaces them
/// and adds other `graphql_client` options:
///
/// ```ignore
/// operations!("graphql/jobs.graphql", [response_derives = "Debug, Clone, PartialEq, Serialize"];
///     /// `query SyncJobs`.
///     SyncJobs,
/// );
/// ```
///
/// The caller's module must have the contract's scalars in scope (`Id`, `DateTime`, …).
macro_rules! operations {
    (@one $path:tt, [$($extra:tt)*], [$($doc:tt)*] $name:ident) => {
        $($doc)*
        #[derive(graphql_client::GraphQLQuery)]
        #[graphql(
            schema_path = "graphql/schema.graphql",
            query_path = $path,
            normalization = "rust",
            $($extra)*
        )]
        pub struct $name;
    };
    ($path:tt; $($ops:tt)*) => {
        operations!($path, [response_derives = "Debug, Clone, PartialEq"]; $($ops)*);
    };
    ($path:tt, $extra:tt; $($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        operations!(@one $path, $extra, [$(#[$doc])*] $name);
    )*};
}

#[macro_use]
pub mod json;
pub mod common;
pub mod connection;
pub mod dictionary;
pub mod jobs;
pub mod links;
pub mod nodes;
pub mod plans;
pub mod report;
pub mod rules;
pub mod services;
pub mod settings;
pub mod source_form;
pub mod sources;
pub mod tickets;
pub mod viewer;
pub mod ws;

use gloo_net::http::Request;
use graphql_client::GraphQLQuery;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// Same-origin endpoint: the server serves the app and the API together.
const ENDPOINT: &str = "/graphql";

// The `GraphQLQuery` derives read the schema without telling cargo, so an edited schema alone
// would not rebuild the app; this makes cargo track the file (the constant is never emitted).
const _SCHEMA: &str = include_str!("../../graphql/schema.graphql");

// The contract's custom scalars, in scope for the `GraphQLQuery` derives of the submodules.
/// RFC 3339 date-time with offset, kept as sent.
pub type DateTime = String;
/// `YYYY-MM-DD`.
pub type Date = String;
/// Free-form JSON (graphql_client names the `JSON` scalar `Json` under Rust normalization).
pub type Json = serde_json::Value;

/// Why a call failed, from the first GraphQL error's `extensions.code` (and `.field`), or from
/// the transport. `Display` is a sentence a person can read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// No valid token: missing, expired, revoked; or a failed `login`.
    #[error("Please sign in again ({0})")]
    Unauthenticated(String),
    /// The role is too low.
    #[error("You are not allowed to do this ({0})")]
    Forbidden(String),
    /// The object does not exist (or belongs to another organization).
    #[error("Not found: {0}")]
    NotFound(String),
    /// An input was refused; `field` is its dotted path, e.g. `input.settings.schedule`.
    #[error("{message}")]
    BadUserInput {
        field: Option<String>,
        message: String,
    },
    /// The change clashes with the current state (duplicate name, already linked, …).
    #[error("{0}")]
    Conflict(String),
    /// The provider refused, failed or timed out; the message has the provider's own words.
    #[error("The provider answered with an error: {0}")]
    Upstream(String),
    /// Rate-limited, by the server or by the provider.
    #[error("Too many requests; try again {}", retry_text(*.retry_after))]
    RateLimited {
        retry_after: Option<u64>,
        message: String,
    },
    /// The server failed; its log has the details.
    #[error("Something went wrong on the server. Please try again.")]
    Internal(String),
    /// Any other code (e.g. GRAPHQL_VALIDATION_FAILED), or an error without a code.
    #[error("{message}")]
    Other {
        code: Option<String>,
        message: String,
    },
    /// The request did not reach the server, or the answer was not a GraphQL response.
    #[error("Cannot reach the Switchboard server ({0}). Check your connection and try again.")]
    Network(String),
}

fn retry_text(retry_after: Option<u64>) -> String {
    match retry_after {
        Some(secs) => format!("in {secs} s"),
        None => "in a moment".to_owned(),
    }
}

impl ApiError {
    /// The input path a BAD_USER_INPUT names (`input.settings.schedule`), without `input.`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::BadUserInput {
                field: Some(field), ..
            } => Some(field.strip_prefix("input.").unwrap_or(field)),
            _ => None,
        }
    }

    /// The contract code this error stands for (`None` for transport errors).
    pub fn code(&self) -> Option<&str> {
        Some(match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadUserInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::Upstream(_) => "UPSTREAM_ERROR",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
            Self::Other { code, .. } => return code.as_deref(),
            Self::Network(_) => return None,
        })
    }

    /// Maps one GraphQL error of a response (`{message, extensions: {code, …}}`).
    fn from_graphql(error: &Value) -> Self {
        let ext = &error["extensions"];
        let text = |key: &str| ext[key].as_str().map(str::to_owned);
        let message = error["message"].as_str().unwrap_or_default().to_owned();
        match text("code").as_deref() {
            Some("UNAUTHENTICATED") => Self::Unauthenticated(message),
            Some("FORBIDDEN") => Self::Forbidden(message),
            Some("NOT_FOUND") => Self::NotFound(message),
            Some("BAD_USER_INPUT") => Self::BadUserInput {
                field: text("field"),
                message,
            },
            Some("CONFLICT") => Self::Conflict(message),
            Some("UPSTREAM_ERROR") => Self::Upstream(message),
            Some("RATE_LIMITED") => Self::RateLimited {
                retry_after: ext.get("retryAfter").and_then(|v| v.as_u64()),
                message,
            },
            Some("INTERNAL") => Self::Internal(message),
            code => Self::Other {
                code: code.map(str::to_owned),
                message,
            },
        }
    }
}

/// Sends one operation to `/graphql` (with `Authorization: Bearer <token>` when a token is
/// given) and returns its data as JSON (read it with [`json`] or [`text_at`]), or the first
/// error.
pub async fn post<Q: GraphQLQuery>(
    token: Option<&str>,
    variables: Q::Variables,
) -> Result<Value, ApiError> {
    let body = encode::<Q>(variables)?;
    send(token.map(str::to_owned), body).await
}

/// The request body of operation `Q`.
pub(crate) fn encode<Q: GraphQLQuery>(variables: Q::Variables) -> Result<String, ApiError> {
    serde_json::to_string(&Q::build_query(variables)).map_err(|e| ApiError::Network(e.to_string()))
}

/// The string at `pointer` (e.g. `/forceSync/id`) of the data
/// [`crate::session::Session::run`] returned.
pub(crate) fn text_at(data: &Value, pointer: &str) -> Result<String, ApiError> {
    data.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::Network(format!("an answer without {pointer}")))
}

/// The request and the envelope, the same for every operation: kept out of the generic
/// [`post`] (and boxed, so its state machine is not inlined into each caller's) so that one
/// copy of it is compiled, not one per operation.
pub(crate) fn send(
    token: Option<String>,
    body: String,
) -> Pin<Box<dyn Future<Output = Result<Value, ApiError>>>> {
    Box::pin(send_inner(token, body))
}

async fn send_inner(token: Option<String>, body: String) -> Result<Value, ApiError> {
    let mut request = Request::post(ENDPOINT)
        .header(
            "Accept",
            "application/graphql-response+json, application/json",
        )
        .header("Content-Type", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request
        .body(body)
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    // GraphQL-over-HTTP answers some errors with a 4xx status and a GraphQL body: read the
    // body first, and fall back to the status only when it is not a GraphQL response.
    // Read as a `Value` (`{data, errors}`), which the data is read from anyway: no reader of
    // its own for the envelope.
    let parsed = serde_json::from_str::<Value>(&text)
        .map_err(|e| e.to_string())
        .and_then(|v| match v {
            Value::Object(_) => Ok(v),
            _ => Err("not a GraphQL response".to_owned()),
        });
    let mut parsed = match parsed {
        Ok(parsed) => parsed,
        Err(_) if status == 401 => {
            return Err(ApiError::Unauthenticated(format!("HTTP {status}")));
        }
        Err(e) if (200..300).contains(&status) => {
            return Err(ApiError::Network(format!("unreadable answer: {e}")));
        }
        Err(_) => {
            return Err(ApiError::Network(format!(
                "HTTP {status} {}",
                response.status_text()
            )));
        }
    };
    if let Some(first) = parsed["errors"]
        .as_array()
        .and_then(|errors| errors.first())
    {
        return Err(ApiError::from_graphql(first));
    }
    Some(parsed["data"].take())
        .filter(|data| !data.is_null())
        .ok_or_else(|| ApiError::Network("an answer without data".to_owned()))
}
