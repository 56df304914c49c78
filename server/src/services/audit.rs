//! The audit log: who did what to which object, for actions an administrator answers for
//! (users, tokens, sources, credentials, raw API calls). Never holds a secret.

use chrono::Utc;
use entity::audit_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;

use crate::auth::Viewer;
use crate::error::ApiResult;

pub async fn record(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    action: &str,
    target_type: &str,
    target_id: Option<i64>,
    details: Value,
) -> ApiResult<()> {
    audit_log::ActiveModel {
        organization_id: Set(viewer.org_id),
        at: Set(Utc::now()),
        actor_user_id: Set(viewer.user_id),
        actor_token_id: Set(viewer.token_id),
        actor_label: Set(viewer.label.clone()),
        action: Set(action.to_owned()),
        target_type: Set(target_type.to_owned()),
        target_id: Set(target_id.map(|id| id.to_string())),
        details: Set(details),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
