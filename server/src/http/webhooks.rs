//! `POST /webhooks/<webhook id>/<secret>[/<kind>]`: bodies over 256 KB are refused (413) before
//! anything else; the rest is `crate::webhooks`. The URL holds a secret, so the request line is
//! never logged (the trace layer skips these routes) and no answer repeats it.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use crate::state::AppState;
use crate::webhooks::{self, Delivery, Outcome, MAX_BODY};

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/webhooks/{webhook_id}/{secret}", post(plain))
        .route("/webhooks/{webhook_id}/{secret}/{kind}", post(with_kind))
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

async fn plain(
    State(state): State<AppState>,
    Path((webhook_id, secret)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(&state, &webhook_id, &secret, None, &headers, &body).await
}

async fn with_kind(
    State(state): State<AppState>,
    Path((webhook_id, secret, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(&state, &webhook_id, &secret, Some(&kind), &headers, &body).await
}

async fn answer(
    state: &AppState,
    webhook_id: &str,
    secret: &str,
    suffix: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let delivery = Delivery {
        webhook_id,
        secret,
        suffix,
        headers,
        body,
    };
    match webhooks::receive(state, delivery).await {
        Outcome::Accepted | Outcome::Duplicate | Outcome::Dropped => {
            StatusCode::NO_CONTENT.into_response()
        }
        Outcome::UnknownSource => said(StatusCode::NOT_FOUND, "no such webhook"),
        Outcome::BadSignature(_) => said(StatusCode::UNAUTHORIZED, "the signature does not verify"),
        Outcome::BadRequest(why) => said(StatusCode::BAD_REQUEST, &why),
        Outcome::RateLimited(secs) => {
            let mut resp = said(StatusCode::TOO_MANY_REQUESTS, "too many deliveries");
            resp.headers_mut().insert(header::RETRY_AFTER, secs.into());
            resp
        }
        Outcome::Unavailable(_) => said(
            StatusCode::SERVICE_UNAVAILABLE,
            "the record could not be read from the provider; deliver again later",
        ),
    }
}

fn said(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"error": message}))).into_response()
}
