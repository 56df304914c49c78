//! The one HTTP path of every connector. `Upstream` is a reqwest client for one source: timeouts,
//! gzip, no redirects, the address guard after name resolution, requests only to the base URL's
//! origin, and the host's shared request budget. `fetch` retries what is worth retrying — 429
//! (honouring Retry-After, which pauses every sender to that host), 5xx, timeouts, dropped
//! connections, unreadable bodies — with exponential backoff, mapping the rest to
//! `ConnectorError`.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Client, RequestBuilder, StatusCode, Url};
use serde_json::Value;

use super::net::{Budget, Net, Refused};
pub use super::words::provider_words;
use super::ConnectorError;

/// Tries per request (the first and four retries).
const ATTEMPTS: u32 = 5;
const BASE_DELAY: Duration = Duration::from_millis(200);
/// The longest Retry-After we wait for inside one request; beyond it the job ends PARTIAL.
const MAX_RETRY_AFTER: u64 = 60;

/// One source's way to its provider.
pub struct Upstream {
    client: Client,
    budget: Arc<Budget>,
    /// The base URL, whose origin every request must share (`same_origin`).
    base: Url,
}

impl Upstream {
    /// `budget`: the key of the request budget this source shares (`super::budget_key`);
    /// `per_minute`: the provider's documented request limit, if it has one.
    pub fn new(
        net: &Net,
        base_url: &str,
        budget: &str,
        per_minute: Option<u32>,
    ) -> Result<Upstream, ConnectorError> {
        let url = Url::parse(base_url)
            .map_err(|_| ConnectorError::Config(format!("the base URL {base_url} is not a URL")))?;
        // An address written as such never reaches the resolver, so it is checked here.
        let literal = url.host_str().unwrap_or_default();
        if let Ok(ip) = literal
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<IpAddr>()
        {
            crate::upstream_url::check_ip(ip, net.block_private).map_err(ConnectorError::Config)?;
        }
        let client = Client::builder()
            .timeout(net.request_timeout())
            .connect_timeout(Duration::from_secs(10))
            // Redirects are never followed: a provider URL must not send credentials elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .dns_resolver(net.resolver())
            .user_agent(concat!("switchboard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ConnectorError::Config(format!("cannot build an HTTP client: {e}")))?;
        Ok(Upstream {
            client,
            budget: net.budget(budget, per_minute),
            base: url,
        })
    }

    /// Sends a request, retrying, and returns the JSON body with the headers.
    pub async fn json(
        &self,
        build: impl Fn(&Client) -> RequestBuilder,
    ) -> Result<(Value, HeaderMap), ConnectorError> {
        self.fetch(build, |text| {
            serde_json::from_str(text)
                .map_err(|err| ConnectorError::Decode(format!("not JSON ({err})")))
        })
        .await
    }

    /// Sends the request `build` makes and reads a successful body with `parse`; an unreadable
    /// body is retried like a failed request.
    pub async fn fetch<T>(
        &self,
        build: impl Fn(&Client) -> RequestBuilder,
        parse: impl Fn(&str) -> Result<T, ConnectorError>,
    ) -> Result<(T, HeaderMap), ConnectorError> {
        let mut last = ConnectorError::Upstream("no attempt made".into());
        for attempt in 0..ATTEMPTS {
            let mut wait = BASE_DELAY * 2u32.pow(attempt);
            let request = build(&self.client).build().map_err(|e| {
                ConnectorError::Config(format!("a request could not be built: {e}"))
            })?;
            if !self.same_origin(request.url()) {
                return Err(ConnectorError::Upstream(format!(
                    "refused to follow a URL outside {}",
                    self.base.origin().ascii_serialization()
                )));
            }
            self.budget.take().await;
            match self.client.execute(request).await {
                Err(err) => {
                    last = ConnectorError::Upstream(describe(&err));
                    if refused(&err).is_some() {
                        return Err(last);
                    }
                }
                Ok(mut resp) => {
                    let status = resp.status();
                    // Moved out, not copied: the body is read as bytes, which needs none.
                    let headers = std::mem::take(resp.headers_mut());
                    // A body that stalls past the timeout or breaks off is retried like a
                    // failed request, and said as such.
                    match resp.bytes().await.map(text) {
                        Err(err) => {
                            last = ConnectorError::Upstream(format!(
                                "the answer broke off: {}",
                                describe(&err)
                            ))
                        }
                        Ok(text) => match status {
                            s if s.is_success() => match parse(&text) {
                                Ok(value) => return Ok((value, headers)),
                                Err(err) => last = err,
                            },
                            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                                return Err(ConnectorError::Unauthorized(provider_words(
                                    &text, status,
                                )))
                            }
                            StatusCode::TOO_MANY_REQUESTS => {
                                let after = retry_after(&headers);
                                if let Some(secs) = after {
                                    let secs = secs.min(MAX_RETRY_AFTER);
                                    self.budget.pause(secs);
                                    wait = Duration::from_secs(secs);
                                }
                                last = ConnectorError::RateLimited {
                                    retry_after: after,
                                    words: provider_words(&text, status),
                                };
                            }
                            s if s.is_server_error() => {
                                last = ConnectorError::Upstream(provider_words(&text, status))
                            }
                            s => return Err(ConnectorError::Upstream(provider_words(&text, s))),
                        },
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
}

impl Upstream {
    /// Sends one request as it is and returns whatever the provider answered (`callSourceApi`):
    /// the origin check and the host's budget apply, but nothing is retried (a raw POST may
    /// not be safe to send twice) and no status is an error. The body is cut at `max_body`.
    pub async fn raw(
        &self,
        request: RequestBuilder,
        max_body: usize,
    ) -> Result<(StatusCode, HeaderMap, String), ConnectorError> {
        let request = request
            .build()
            .map_err(|e| ConnectorError::Config(format!("a request could not be built: {e}")))?;
        if !self.same_origin(request.url()) {
            return Err(ConnectorError::Upstream(format!(
                "refused to send a request outside {}",
                self.base.origin().ascii_serialization()
            )));
        }
        self.budget.take().await;
        let resp = self
            .client
            .execute(request)
            .await
            .map_err(|e| ConnectorError::Upstream(describe(&e)))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.map_err(|e| {
            ConnectorError::Upstream(format!("the answer broke off: {}", describe(&e)))
        })?;
        let cut = &bytes[..bytes.len().min(max_body)];
        Ok((status, headers, String::from_utf8_lossy(cut).into_owned()))
    }

    /// Whether `url` is on the base URL's origin: scheme, host and port (compared in place,
    /// as the per-company lists make this check a hundred thousand times a pass).
    fn same_origin(&self, url: &Url) -> bool {
        url.scheme() == self.base.scheme()
            && url.host() == self.base.host()
            && url.port_or_known_default() == self.base.port_or_known_default()
    }

    /// The client, for connectors that build a raw request.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

/// A body as text: as it is when it is UTF-8 (JSON and XML answers are; no charset is looked
/// up), else with the invalid bytes replaced.
fn text(body: impl Into<Vec<u8>>) -> String {
    String::from_utf8(body.into())
        .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned())
}

fn retry_after(headers: &HeaderMap) -> Option<u64> {
    headers.get(RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()
}

/// The guard's refusal, if that is why a request failed.
fn refused(err: &reqwest::Error) -> Option<String> {
    let mut source = std::error::Error::source(err);
    while let Some(e) = source {
        if let Some(r) = e.downcast_ref::<Refused>() {
            return Some(r.0.clone());
        }
        source = e.source();
    }
    None
}

/// An error in words, without the URL (which may carry secrets in a query string).
fn describe(err: &reqwest::Error) -> String {
    if let Some(why) = refused(err) {
        why
    } else if err.is_timeout() {
        "the request timed out".into()
    } else if err.is_connect() {
        "could not connect".into()
    } else {
        "the connection failed".into()
    }
}
