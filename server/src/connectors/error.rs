//! What can go wrong talking to a provider, typed so jobs can decide: an auth failure ends a
//! job FAILED; anything else after retries ends it PARTIAL.

#[derive(Debug, Clone)]
pub enum ConnectorError {
    /// The provider refused our credentials.
    Unauthorized(String),
    /// Still rate-limited after our retries (`words`: what the provider said).
    RateLimited {
        retry_after: Option<u64>,
        words: String,
    },
    /// The provider failed, refused the request, or timed out (its own words when it gave any).
    Upstream(String),
    /// The answer was not what the API documents (e.g. not JSON).
    Decode(String),
    /// The credentials stored for the source are incomplete.
    Config(String),
    /// The caller's request cannot be sent to this provider: `field` names the input at fault.
    Invalid { field: String, message: String },
}

impl ConnectorError {
    pub fn message(&self) -> String {
        match self {
            ConnectorError::Unauthorized(m) => format!("the provider refused the credentials: {m}"),
            ConnectorError::RateLimited { retry_after, words } => match retry_after {
                Some(s) => format!("the provider is rate limiting us (retry after {s} s): {words}"),
                None => format!("the provider is rate limiting us: {words}"),
            },
            ConnectorError::Upstream(m) => format!("the provider failed: {m}"),
            ConnectorError::Decode(m) => format!("the provider sent an answer we cannot read: {m}"),
            ConnectorError::Config(m) => m.clone(),
            ConnectorError::Invalid { message, .. } => message.clone(),
        }
    }
}
