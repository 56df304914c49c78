//! Sync plans and undo (`graphql/plans.graphql`): planning a source's next field sync, a plan's
//! changes a page at a time, applying it, and undoing a finished job.

pub use crate::api::common::{Named, NodeRef as ChangeNode};

use super::{ApiError, DateTime, Json};
use crate::session::Session;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/plans.graphql";
    /// `mutation PlanSync`.
    PlanSync,
    /// `query SyncPlan`: the plan and a page of its changes.
    SyncPlan,
    /// `mutation ApplySyncPlan`.
    ApplySyncPlan,
    /// `mutation UndoSyncJob`.
    UndoSyncJob,
);

pub use sync_plan::PlannedAction;

via_serde!(PlannedAction);

from_json! {
    /// A planned change (the `ChangeFields` fragment).
    #[derive(Clone, Debug, PartialEq)]
    pub struct Change {
        pub action: PlannedAction,
        pub node: ChangeNode,
        pub service: Option<Named>,
        pub field: Option<Field>,
        pub rule: Option<RuleName>,
        pub old_value: Option<Json>,
        pub new_value: Option<Json>,
        pub reason: String,
    }

    /// A service field: key and label.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Field {
        pub key: String,
        pub label: String,
    }

    /// The rule behind a change.
    #[derive(Clone, Debug, PartialEq)]
    pub struct RuleName {
        pub name: String,
    }

    /// The data of `SyncPlan`.
    pub struct PlanData {
        pub sync_plan: Option<Plan>,
    }

    /// A plan and a page of its changes.
    pub struct Plan {
        pub created_at: DateTime,
        pub source: Named,
        pub applied_by: Option<JobId>,
        pub changes: super::connection::Connection<Change>,
    }

    /// A job's id.
    pub struct JobId {
        pub id: String,
    }
}

/// Plans the next field sync of source `source_id`; the plan's id.
pub async fn plan(session: Session, source_id: String) -> Result<String, ApiError> {
    let data = session
        .run::<PlanSync>(plan_sync::Variables { source_id })
        .await?;
    super::text_at(&data, "/planSync/id")
}

/// A plan with one page of its changes.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanPage {
    pub source_id: String,
    pub source_name: String,
    pub created_at: DateTime,
    /// The job that applied it, once applied.
    pub applied_by: Option<String>,
    pub total: i64,
    pub changes: Vec<Change>,
    pub next: Option<String>,
}

/// Plan `id` with `first` changes after `after`; `None` when there is no such plan.
pub async fn page(
    session: Session,
    id: String,
    first: i64,
    after: Option<String>,
) -> Result<Option<PlanPage>, ApiError> {
    let data = session
        .run::<SyncPlan>(sync_plan::Variables {
            id,
            first: Some(first),
            after,
        })
        .await?;
    let Some(plan) = super::json::read::<PlanData>(&data)?.sync_plan else {
        return Ok(None);
    };
    let (changes, total, next) = plan.changes.into_parts();
    Ok(Some(PlanPage {
        source_id: plan.source.id,
        source_name: plan.source.name,
        created_at: plan.created_at,
        applied_by: plan.applied_by.map(|j| j.id),
        total,
        changes,
        next,
    }))
}

/// Applies plan `id`; the FIELD_SYNC job's id.
pub async fn apply(session: Session, id: String) -> Result<String, ApiError> {
    let data = session
        .run::<ApplySyncPlan>(apply_sync_plan::Variables { plan_id: id })
        .await?;
    super::text_at(&data, "/applySyncPlan/id")
}

/// Undoes job `id`; the UNDO job's id.
pub async fn undo(session: Session, id: String) -> Result<String, ApiError> {
    let data = session
        .run::<UndoSyncJob>(undo_sync_job::Variables { id })
        .await?;
    super::text_at(&data, "/undoSyncJob/id")
}

/// What a change does, in words.
pub fn action_label(action: &PlannedAction) -> &str {
    match action {
        PlannedAction::UpdateServiceField => "Update field",
        PlannedAction::WriteBack => "Write back",
        PlannedAction::Link => "Link",
        PlannedAction::CreateService => "Create service",
        PlannedAction::Other(other) => other,
    }
}
