//! The Sources page's data: `graphql/sources.graphql` (list, sync now, pause, resume, delete),
//! and the enums of a source in words.

use super::{ApiError, DateTime};
use crate::session::Session;

operations!("graphql/sources.graphql";
    /// `query Sources`: the organization's sources with their last job and health.
    Sources,
);

pub use sources::{Provider, SourceStatus, SyncJobStatus};

via_serde!(SourceStatus, SyncJobStatus);

from_json! {
    /// A source as the Sources page lists it.
    #[derive(Clone, Debug, PartialEq)]
    pub struct SourceRow {
        pub id: String,
        pub name: String,
        /// GraphQL name.
        pub provider: String,
        pub status: SourceStatus,
        pub last_job: Option<LastJob>,
        pub health: Health,
    }

    /// A source's last job.
    #[derive(Clone, Debug, PartialEq)]
    pub struct LastJob {
        pub id: String,
        pub status: SyncJobStatus,
        pub finished_at: Option<DateTime>,
        pub error: Option<String>,
        pub stats: Stats,
    }

    /// What a job did.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Stats {
        pub created: i64,
        pub updated: i64,
        pub deleted: i64,
        pub failed: i64,
    }

    /// A source's health.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Health {
        pub message: Option<String>,
        pub last_successful_sync_at: Option<DateTime>,
        pub rate_limit: Option<RateLimit>,
    }

    /// The provider's rate limit budget, as far as it tells.
    #[derive(Clone, Debug, PartialEq)]
    pub struct RateLimit {
        pub limit: Option<i64>,
        pub remaining: Option<i64>,
        pub window_seconds: Option<i64>,
    }

    /// The data of `Sources`.
    pub struct SourcesData {
        pub sources: super::connection::Connection<SourceRow>,
    }
}

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/sources.graphql";
    /// `mutation ForceSync`: queues an import of a source now.
    ForceSync,
);

/// Queues a sync of source `id`; returns the job's id (the queued one, if one is waiting
/// already).
pub async fn force_sync(session: Session, id: String) -> Result<String, ApiError> {
    let data = session
        .run::<ForceSync>(force_sync::Variables { id })
        .await?;
    super::text_at(&data, "/forceSync/id")
}

/// Whether a job is still to finish (the page then looks again shortly).
pub fn in_progress(status: &SyncJobStatus) -> bool {
    matches!(status, SyncJobStatus::Queued | SyncJobStatus::Running)
}

/// One page of sources, in the server's order.
#[derive(Clone, Debug, PartialEq)]
pub struct SourcePage {
    pub rows: Vec<SourceRow>,
    pub total: i64,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// The `first` sources after cursor `after`.
pub async fn list(
    session: Session,
    first: i64,
    after: Option<String>,
) -> Result<SourcePage, ApiError> {
    let data = session
        .run::<Sources>(sources::Variables {
            first: Some(first),
            after,
        })
        .await?;
    let (rows, total, next) = super::json::read::<SourcesData>(&data)?
        .sources
        .into_parts();
    Ok(SourcePage { rows, total, next })
}

operations!("graphql/sources.graphql";
    /// `mutation PauseSource`: scheduled imports stop until resumed.
    PauseSource,
);

operations!("graphql/sources.graphql";
    /// `mutation ResumeSource`.
    ResumeSource,
);

operations!("graphql/sources.graphql";
    /// `mutation DeleteSource` (ADMIN).
    DeleteSource,
);

/// Pauses (`pause = true`) or resumes source `id`.
pub async fn set_paused(session: Session, id: String, pause: bool) -> Result<(), ApiError> {
    if pause {
        session
            .run::<PauseSource>(pause_source::Variables { id })
            .await
            .map(drop)
    } else {
        session
            .run::<ResumeSource>(resume_source::Variables { id })
            .await
            .map(drop)
    }
}

/// Deletes source `id` (its nodes go with it).
pub async fn delete(session: Session, id: String) -> Result<(), ApiError> {
    session
        .run::<DeleteSource>(delete_source::Variables { id })
        .await
        .map(drop)
}

/// A provider's name as its vendor writes it, from any operation's `Provider` (each
/// operation has its own Rust type; all serialize to the GraphQL name).
pub fn provider_label<P: serde::Serialize>(provider: &P) -> String {
    let name = serde_json::to_value(provider)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    match name.as_str() {
        "BROADWORKS" => "BroadWorks",
        "METASWITCH" => "Metaswitch",
        "NETSAPIENS" => "NetSapiens",
        "CONNECTWISE_MANAGE" => "ConnectWise Manage",
        "SYNCRO" => "Syncro",
        "AUTOTASK" => "Autotask",
        "HALOPSA" => "HaloPSA",
        "KASEYA_BMS" => "Kaseya BMS",
        _ => return name,
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
