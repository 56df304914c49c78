//! A source's reconciliation report and its activity per day (`graphql/report.graphql`).

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

pub use activity::ActivityActivity as Day;
pub use reconciliation::LinkRow;
pub use reconciliation::ReconciliationReconciliationUnlinkedNodesEdgesNode as UnlinkedNode;

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
        .call::<Reconciliation>(reconciliation::Variables {
            source_id,
            first: Some(first),
            after,
        })
        .await?;
    let r = data.reconciliation;
    Ok(Report {
        source_name: data.source.map(|s| s.name).unwrap_or_default(),
        generated_at: r.generated_at,
        unlinked_total: r.unlinked_nodes.total_count,
        unlinked: r.unlinked_nodes.edges.into_iter().map(|e| e.node).collect(),
        unlinked_next: r
            .unlinked_nodes
            .page_info
            .has_next_page
            .then_some(r.unlinked_nodes.page_info.end_cursor)
            .flatten(),
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
    Ok(session
        .call::<Activity>(activity::Variables {
            source_id,
            days: Some(days),
        })
        .await?
        .activity)
}
