//! The one HTTP path of every connector: a reqwest client with timeouts, gzip and no redirects,
//! and a GET that retries what is worth retrying — 429 (honouring Retry-After), 5xx, timeouts,
//! dropped connections, unreadable bodies — with exponential backoff, mapping the rest to
//! `ConnectorError`.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::Value;

use super::ConnectorError;

/// Tries per request (the first and four retries).
const ATTEMPTS: u32 = 5;
const BASE_DELAY: Duration = Duration::from_millis(200);
/// The longest Retry-After we wait for inside one request; beyond it the job ends PARTIAL.
const MAX_RETRY_AFTER: u64 = 60;

pub fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        // Redirects are never followed: a provider URL must not send credentials elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .gzip(true)
        .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// Sends the request `build` makes, retrying, and returns the JSON body with the headers.
pub async fn get_json(
    build: impl Fn() -> RequestBuilder,
) -> Result<(Value, HeaderMap), ConnectorError> {
    let mut last = ConnectorError::Upstream("no attempt made".into());
    for attempt in 0..ATTEMPTS {
        let mut wait = BASE_DELAY * 2u32.pow(attempt);
        match build().send().await {
            Err(err) => last = ConnectorError::Upstream(describe(&err)),
            Ok(resp) => {
                let status = resp.status();
                let headers = resp.headers().clone();
                let text = resp.text().await.unwrap_or_default();
                match status {
                    s if s.is_success() => match serde_json::from_str(&text) {
                        Ok(json) => return Ok((json, headers)),
                        Err(err) => last = ConnectorError::Decode(format!("not JSON ({err})")),
                    },
                    StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                        return Err(ConnectorError::Unauthorized(provider_words(&text, status)))
                    }
                    StatusCode::TOO_MANY_REQUESTS => {
                        let after = retry_after(&headers);
                        if let Some(secs) = after {
                            wait = Duration::from_secs(secs.min(MAX_RETRY_AFTER));
                        }
                        last = ConnectorError::RateLimited { retry_after: after };
                    }
                    s if s.is_server_error() => {
                        last = ConnectorError::Upstream(provider_words(&text, status))
                    }
                    s => return Err(ConnectorError::Upstream(provider_words(&text, s))),
                }
            }
        }
        if attempt + 1 < ATTEMPTS {
            tracing::warn!(attempt, error = %last.message(), "upstream request failed; retrying");
            tokio::time::sleep(wait).await;
        }
    }
    Err(last)
}

fn retry_after(headers: &HeaderMap) -> Option<u64> {
    headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()
}

/// The provider's own message when its body has one, else the status.
fn provider_words(body: &str, status: StatusCode) -> String {
    let message = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
        .or_else(|| {
            Some(body.trim().chars().take(200).collect::<String>()).filter(|s| !s.is_empty())
        });
    match message {
        Some(m) => format!("{status}: {m}"),
        None => status.to_string(),
    }
}

/// An error in words, without the URL (which may carry secrets in a query string).
fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "the request timed out".into()
    } else if err.is_connect() {
        "could not connect".into()
    } else {
        "the connection failed".into()
    }
}
