//! FieldChange rows: every change of a service value is written here with its provenance —
//! origin (USER, SYNC, RULE), actor, and for synced values the node, job and field mapping —
//! and read back as `Service.history`.

use chrono::{DateTime, Utc};
use entity::enums::ChangeOrigin;
use entity::field_change;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;

use crate::auth::Viewer;
use crate::error::ApiResult;

/// Who and what caused a change. `actor` is the caller, or for a job the person or token that
/// asked for it (`Viewer::system` when nobody did).
#[derive(Debug, Clone, Copy)]
pub struct Provenance<'a> {
    pub actor: &'a Viewer,
    pub origin: ChangeOrigin,
    pub node_id: Option<i64>,
    pub job_id: Option<i64>,
    pub field_mapping_id: Option<i64>,
    /// The sync rule that made the change (origin RULE).
    pub rule_id: Option<i64>,
}

impl<'a> Provenance<'a> {
    /// A person's or a token's own edit (origin USER).
    pub fn user(actor: &'a Viewer) -> Provenance<'a> {
        Provenance {
            actor,
            origin: ChangeOrigin::User,
            node_id: None,
            job_id: None,
            field_mapping_id: None,
            rule_id: None,
        }
    }
}

/// The row of one change, for callers that insert many at once.
pub fn change_row(
    by: &Provenance<'_>,
    service_id: i64,
    field_id: i64,
    old: Option<Value>,
    new: Option<Value>,
    at: DateTime<Utc>,
) -> field_change::ActiveModel {
    field_change::ActiveModel {
        organization_id: Set(by.actor.org_id),
        service_id: Set(service_id),
        field_id: Set(field_id),
        old_value: Set(old),
        new_value: Set(new),
        origin: Set(by.origin),
        node_id: Set(by.node_id),
        job_id: Set(by.job_id),
        field_mapping_id: Set(by.field_mapping_id),
        rule_id: Set(by.rule_id),
        actor_user_id: Set(by.actor.user_id),
        actor_token_id: Set(by.actor.token_id),
        actor_label: Set(by.actor.label.clone()),
        at: Set(at),
        ..Default::default()
    }
}

/// Writes one change, now.
pub async fn record_change(
    db: &impl ConnectionTrait,
    by: &Provenance<'_>,
    service_id: i64,
    field_id: i64,
    old: Option<Value>,
    new: Option<Value>,
) -> ApiResult<()> {
    change_row(by, service_id, field_id, old, new, Utc::now())
        .insert(db)
        .await?;
    Ok(())
}
