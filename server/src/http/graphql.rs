//! GraphQL over HTTP: POST (JSON) and GET (query string) at /graphql, following the
//! GraphQL-over-HTTP spec — `application/graphql-response+json` with 4xx for requests that
//! never executed, mutations refused on GET (405), GraphiQL only for a browser's
//! `Accept: text/html` without a query.

use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, Request as GqlRequest, Response as GqlResponse};
use async_graphql_axum::GraphQLBatchRequest;
use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::graphql::{self, AppSchema};
use crate::state::AppState;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

#[derive(Clone)]
pub struct GraphqlHttp {
    pub state: AppState,
    pub schema: AppSchema,
    /// Subscriptions run once for every subscriber of the same shape.
    pub shapes: std::sync::Arc<super::shapes::Shapes>,
}

pub async fn handle(State(http): State<GraphqlHttp>, request: Request) -> Response {
    let headers = request.headers().clone();
    let method = request.method().clone();
    if method == Method::GET
        && wants_html(&headers)
        && request.uri().query().is_none_or(|q| !q.contains("query="))
    {
        return Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql/ws")
                .finish(),
        )
        .into_response();
    }
    let modern = accepts_graphql_response(&headers);
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if method == Method::POST && !json_body {
        let mut resp = bad_request(modern, "a POST needs Content-Type: application/json");
        *resp.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        return resp;
    }
    let batch =
        match GraphQLBatchRequest::<async_graphql_axum::rejection::GraphQLRejection>::from_request(
            request,
            &(),
        )
        .await
        {
            Ok(batch) => batch.into_inner(),
            Err(rejection) => return bad_request(modern, &rejection.0.to_string()),
        };
    let BatchRequest::Single(gql) = batch else {
        return bad_request(modern, "batched requests are not supported");
    };
    if method == Method::GET && is_mutation(&gql) {
        let mut resp = bad_request(modern, "mutations must be sent with POST");
        *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        resp.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return resp;
    }
    // No header: anonymous (only login works). A header that is not a bearer token: invalid.
    let auth = match headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().ok().and_then(crate::auth::bearer))
    {
        None => graphql::Auth::Missing,
        Some(None) => graphql::Auth::Invalid,
        Some(Some(token)) => graphql::authenticate(&http.state, Some(token)).await,
    };
    let (auth, loaders) = graphql::request_data(&http.state, auth);
    let response = http.schema.execute(gql.data(auth).data(loaders)).await;
    respond(modern, response)
}

/// The response in the media type the client accepts. A request that never executed (it did
/// not parse or validate) has no `data` and, with `application/graphql-response+json`, is a
/// 400, as the GraphQL-over-HTTP spec asks; field errors in an executed request stay 200.
fn respond(modern: bool, response: GqlResponse) -> Response {
    let request_error = response.errors.iter().any(|e| {
        e.extensions.as_ref().and_then(|x| x.get("code")).is_some_and(|code| {
            matches!(code, async_graphql::Value::String(c) if c == "GRAPHQL_PARSE_FAILED" || c == "GRAPHQL_VALIDATION_FAILED")
        })
    });
    let status = if modern && request_error {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut body = serde_json::to_value(&response).unwrap_or_default();
    if request_error {
        if let Some(map) = body.as_object_mut() {
            map.remove("data");
        }
    }
    let content_type = if modern {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_string()))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn bad_request(modern: bool, message: &str) -> Response {
    let body = serde_json::json!({"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]});
    let content_type = if modern {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, content_type)],
        body.to_string(),
    )
        .into_response()
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// True when the client asks for `application/graphql-response+json`; a missing Accept header
/// or `*/*` keeps the legacy `application/json`, as the spec advises.
fn accepts_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE))
}

/// Whether the operation the request selects is a mutation (unparsable documents are left to
/// the executor, which reports them properly).
fn is_mutation(request: &GqlRequest) -> bool {
    let Ok(doc) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let op_type = match (&request.operation_name, &doc.operations) {
        (_, async_graphql::parser::types::DocumentOperations::Single(op)) => Some(op.node.ty),
        (Some(name), async_graphql::parser::types::DocumentOperations::Multiple(ops)) => {
            ops.get(name.as_str()).map(|op| op.node.ty)
        }
        (None, async_graphql::parser::types::DocumentOperations::Multiple(ops)) => (ops.len() == 1)
            .then(|| ops.values().next().map(|op| op.node.ty))
            .flatten(),
    };
    op_type == Some(OperationType::Mutation)
}
