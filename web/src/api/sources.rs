//! The Sources page's data: `graphql/sources.graphql`, and the enums of a source in words.

use super::{ApiError, DateTime};
use crate::session::Session;
use graphql_client::GraphQLQuery;

/// `query Sources`: the organization's sources with their last job and health.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "graphql/schema.graphql",
    query_path = "graphql/sources.graphql",
    response_derives = "Debug, Clone, PartialEq",
    normalization = "rust"
)]
pub struct Sources;

pub use sources::{Provider, SourceStatus, SourcesSourcesEdgesNode as SourceRow, SyncJobStatus};

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

/// `mutation ForceSync`: queues an import of a source now.
#[derive(GraphQLQuery)]
#[graphql(
    schema_path = "graphql/schema.graphql",
    query_path = "graphql/sources.graphql",
    response_derives = "Debug, Clone, PartialEq",
    normalization = "rust"
)]
pub struct ForceSync;

/// Queues a sync of source `id` (the queued job, if one is waiting already).
pub async fn force_sync(session: Session, id: String) -> Result<(), ApiError> {
    session
        .call::<ForceSync>(force_sync::Variables { id })
        .await
        .map(|_| ())
}

/// Whether a job is still to finish (the page then looks again shortly).
pub fn in_progress(status: &SyncJobStatus) -> bool {
    matches!(status, SyncJobStatus::Queued | SyncJobStatus::Running)
}

/// The first `first` sources, in the server's order.
pub async fn list(session: Session, first: i64) -> Result<Vec<SourceRow>, ApiError> {
    let data = session
        .call::<Sources>(sources::Variables { first: Some(first) })
        .await?;
    Ok(data
        .sources
        .edges
        .into_iter()
        .map(|edge| edge.node)
        .collect())
}

/// A provider's name as its vendor writes it.
pub fn provider_label(provider: &Provider) -> String {
    match provider {
        Provider::Broadworks => "BroadWorks",
        Provider::Metaswitch => "Metaswitch",
        Provider::Netsapiens => "NetSapiens",
        Provider::ConnectwiseManage => "ConnectWise Manage",
        Provider::Syncro => "Syncro",
        Provider::Autotask => "Autotask",
        Provider::Halopsa => "HaloPSA",
        Provider::KaseyaBms => "Kaseya BMS",
        Provider::Other(other) => other,
    }
    .to_owned()
}

/// A source's status in words.
pub fn status_label(status: &SourceStatus) -> String {
    match status {
        SourceStatus::Active => "Active",
        SourceStatus::Paused => "Paused",
        SourceStatus::Other(other) => other,
    }
    .to_owned()
}

/// A sync job's status in words.
pub fn job_status_label(status: &SyncJobStatus) -> String {
    match status {
        SyncJobStatus::Queued => "Queued",
        SyncJobStatus::Running => "Running",
        SyncJobStatus::Succeeded => "Succeeded",
        SyncJobStatus::Partial => "Partial",
        SyncJobStatus::Failed => "Failed",
        SyncJobStatus::Cancelled => "Cancelled",
        SyncJobStatus::Other(other) => other,
    }
    .to_owned()
}

/// A date-time from the API in the browser's locale and time zone ("—" when absent).
pub fn local_time(at: Option<&DateTime>) -> String {
    let Some(at) = at else {
        return "—".to_owned();
    };
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(at));
    if date.get_time().is_nan() {
        return at.clone();
    }
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}
