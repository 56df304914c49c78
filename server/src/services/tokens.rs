//! API tokens of an organization: listed by OPERATORs, created (the secret shown once, only its
//! hash kept) and revoked by ADMINs, each change audited.

use chrono::{DateTime, Utc};
use entity::api_token;
use entity::enums::Role;
use entity::prelude::*;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use super::audit;
use crate::auth::{api_tokens, Viewer};
use crate::error::{ApiError, ApiResult};

pub async fn api_tokens(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> ApiResult<Vec<api_token::Model>> {
    viewer.require(Role::Operator)?;
    Ok(ApiToken::find()
        .filter(api_token::Column::OrganizationId.eq(viewer.org_id))
        .order_by_asc(api_token::Column::Id)
        .all(db)
        .await?)
}

/// A new token; the secret is returned once and only its hash is kept.
pub async fn create_api_token_in(
    db: &impl ConnectionTrait,
    org_id: i64,
    created_by: Option<i64>,
    name: &str,
    role: Role,
    expires_at: Option<DateTime<Utc>>,
) -> ApiResult<(api_token::Model, String)> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::bad_input("name", "a token needs a name"));
    }
    if expires_at.is_some_and(|e| e <= Utc::now()) {
        return Err(ApiError::bad_input(
            "expiresAt",
            "expiresAt must be in the future",
        ));
    }
    let (public_id, secret, hash) = api_tokens::generate();
    let model = api_token::ActiveModel {
        organization_id: Set(org_id),
        name: Set(name.to_owned()),
        role: Set(role),
        public_id: Set(public_id),
        secret_hash: Set(hash),
        created_by_user_id: Set(created_by),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((model, secret))
}

pub async fn create_api_token(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    name: &str,
    role: Role,
    expires_at: Option<DateTime<Utc>>,
) -> ApiResult<(api_token::Model, String)> {
    viewer.require(Role::Admin)?;
    let (model, secret) =
        create_api_token_in(db, viewer.org_id, viewer.user_id, name, role, expires_at).await?;
    audit::record(
        db,
        viewer,
        "api_token.create",
        "ApiToken",
        Some(model.id),
        json!({"name": model.name, "role": model.role}),
    )
    .await?;
    Ok((model, secret))
}

/// Revokes a token of the caller's organization (idempotent for an already revoked one).
pub async fn revoke_api_token(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<api_token::Model> {
    viewer.require(Role::Admin)?;
    let token = ApiToken::find_by_id(id)
        .filter(api_token::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("API token"))?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut active: api_token::ActiveModel = token.into();
    active.revoked_at = Set(Some(Utc::now()));
    let token = active.update(db).await?;
    audit::record(
        db,
        viewer,
        "api_token.revoke",
        "ApiToken",
        Some(token.id),
        json!({"name": token.name}),
    )
    .await?;
    Ok(token)
}
