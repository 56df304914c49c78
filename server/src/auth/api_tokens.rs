//! API tokens for scripts: `sbt_<id>_<secret>`. The id part finds the row; only the SHA-256 of
//! the whole token is stored, so the secret is shown once and never again.

use chrono::{Duration, Utc};
use entity::api_token;
use entity::prelude::*;
use rand::distributions::{Alphanumeric, DistString};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{unauthenticated, Viewer};
use crate::error::ApiResult;

pub const PREFIX: &str = "sbt_";

/// A new token: (public id, full secret, hash to store).
pub fn generate() -> (String, String, String) {
    let mut rng = rand::thread_rng();
    let public_id = Alphanumeric.sample_string(&mut rng, 12);
    let secret = format!(
        "{PREFIX}{public_id}_{}",
        Alphanumeric.sample_string(&mut rng, 40)
    );
    let hash = hash(&secret);
    (public_id, secret, hash)
}

pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A token string → its caller, if it is known, unrevoked and unexpired.
pub async fn authenticate(db: &DatabaseConnection, token: &str) -> ApiResult<Viewer> {
    let public_id = token
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('_'))
        .map(|(id, _)| id)
        .ok_or_else(unauthenticated)?;
    let row = ApiToken::find()
        .filter(api_token::Column::PublicId.eq(public_id))
        .one(db)
        .await?
        .ok_or_else(unauthenticated)?;
    let matches: bool = hash(token)
        .as_bytes()
        .ct_eq(row.secret_hash.as_bytes())
        .into();
    let now = Utc::now();
    if !matches || row.revoked_at.is_some() || row.expires_at.is_some_and(|e| e <= now) {
        return Err(unauthenticated());
    }
    // Recording every use would turn each read into a write; a minute's precision is enough.
    if row
        .last_used_at
        .is_none_or(|t| now - t > Duration::seconds(60))
    {
        let mut active: api_token::ActiveModel = row.clone().into();
        active.last_used_at = Set(Some(now));
        active.update(db).await?;
    }
    Ok(Viewer {
        org_id: row.organization_id,
        role: row.role,
        user_id: None,
        token_id: Some(row.id),
        label: actor_label(&row.name),
        expires_at: row.expires_at,
    })
}

/// How history names a token's actions ("token: nightly-script").
pub fn actor_label(name: &str) -> String {
    format!("token: {name}")
}
