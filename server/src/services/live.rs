//! Live calls to a source's provider on behalf of a person (tickets, upstream records, raw API
//! calls): the connector with the source's opened credentials, and the provider's failures
//! as the contract's codes — UPSTREAM_ERROR or RATE_LIMITED in the provider's own words,
//! BAD_USER_INPUT for what the provider does not offer or a value it cannot take.

use entity::source;

use crate::connectors::{self, Connector, ConnectorError};
use crate::error::{ApiError, ApiResult};
use crate::services::source_settings::SourceSettings;
use crate::state::AppState;

/// The connector of a live source.
pub fn connector(state: &AppState, source: &source::Model) -> ApiResult<Box<dyn Connector>> {
    let label = crate::providers::spec(source.provider).label;
    let credentials = super::sources::open_credentials(&state.keys, source).ok_or_else(|| {
        ApiError::Upstream(format!(
            "the source's {label} credentials are missing or unreadable; enter them again"
        ))
    })?;
    let settings = SourceSettings::from_json(&source.settings);
    match connectors::for_source(
        source.provider,
        &source.base_url,
        &credentials,
        &settings,
        &state.net,
    ) {
        Some(Ok(c)) => Ok(c),
        Some(Err(err)) => Err(upstream(source, err)),
        None => Err(ApiError::Upstream(format!(
            "Switchboard cannot connect to {label} yet: its connector is not built"
        ))),
    }
}

/// A connector's failure as the API says it.
pub fn upstream(source: &source::Model, err: ConnectorError) -> ApiError {
    let label = crate::providers::spec(source.provider).label;
    match err {
        ConnectorError::Invalid { field, message } => ApiError::bad_input(field, message),
        ConnectorError::RateLimited { retry_after, words } => ApiError::RateLimited {
            message: format!("{label} is rate limiting requests: {words}"),
            retry_after,
        },
        ConnectorError::Unauthorized(words) => {
            ApiError::Upstream(format!("{label} refused the source's credentials: {words}"))
        }
        ConnectorError::Upstream(words) => ApiError::Upstream(format!("{label}: {words}")),
        ConnectorError::Decode(words) => {
            ApiError::Upstream(format!("{label} sent an answer we cannot read: {words}"))
        }
        ConnectorError::Config(words) => ApiError::Upstream(format!("{label}: {words}")),
    }
}
