//! A source's reconciliation report and its activity per day (`graphql/report.graphql`).

pub use crate::api::common::NodeRef as UnlinkedNode;

use super::{ApiError, Date, DateTime};
use crate::session::Session;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/report.graphql";
    /// `query Reconciliation`: the four categories (unlinked nodes paged).
    Reconciliation,
    /// `query Activity`: one entry per day, oldest first.
    Activity,
);

use super::connection::Connection;
use super::json::read;

from_json! {
    /// One day of activity.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Day {
        pub date: Date,
        pub nodes_created: i64,
        pub nodes_updated: i64,
        pub nodes_deleted: i64,
        pub fields_synced: i64,
        pub written_back: i64,
        pub failures: i64,
    }

    /// A link in the report: its node and service.
    #[derive(Clone, Debug, PartialEq)]
    pub struct LinkRow {
        pub id: String,
        pub node: UnlinkedNode,
        pub service: Named,
    }

    /// An id and a name.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Named {
        pub id: String,
        pub name: String,
    }

    /// The data of `Reconciliation`.
    pub struct ReportData {
        pub source: Option<SourceName>,
        pub reconciliation: Categories,
    }

    /// A source's name.
    pub struct SourceName {
        pub name: String,
    }

    /// The four categories.
    pub struct Categories {
        pub generated_at: DateTime,
        pub unlinked_nodes: Connection<UnlinkedNode>,
        pub orphaned_links: Vec<LinkRow>,
        pub out_of_sync_links: Vec<LinkRow>,
        pub unmapped_node_types: Vec<String>,
    }

    /// The data of `Activity`.
    pub struct ActivityData {
        pub activity: Vec<Day>,
    }
}

/// The report, with the first page of unlinked nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub source_name: String,
    pub generated_at: DateTime,
    pub unlinked_total: i64,
    pub unlinked: Vec<UnlinkedNode>,
    pub unlinked_next: Option<String>,
    pub orphaned: Vec<LinkRow>,
    pub out_of_sync: Vec<LinkRow>,
    pub unmapped_types: Vec<String>,
}

/// Source `source_id`'s report; `after` pages the unlinked nodes.
pub async fn reconciliation(
    session: Session,
    source_id: String,
    first: i64,
    after: Option<String>,
) -> Result<Report, ApiError> {
    let data = session
        .run::<Reconciliation>(reconciliation::Variables {
            source_id,
            first: Some(first),
            after,
        })
        .await?;
    let data: ReportData = read(&data)?;
    let r = data.reconciliation;
    let (unlinked, unlinked_total, unlinked_next) = r.unlinked_nodes.into_parts();
    Ok(Report {
        source_name: data.source.map(|s| s.name).unwrap_or_default(),
        generated_at: r.generated_at,
        unlinked_total,
        unlinked,
        unlinked_next,
        orphaned: r.orphaned_links,
        out_of_sync: r.out_of_sync_links,
        unmapped_types: r.unmapped_node_types,
    })
}

/// The last `days` days of source `source_id` (every source when `None`).
pub async fn activity(
    session: Session,
    source_id: Option<String>,
    days: i64,
) -> Result<Vec<Day>, ApiError> {
    let data = session
        .run::<Activity>(activity::Variables {
            source_id,
            days: Some(days),
        })
        .await?;
    Ok(read::<ActivityData>(&data)?.activity)
}
