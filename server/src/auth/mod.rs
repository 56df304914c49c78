//! Who is calling: login JWTs and API tokens become a `Viewer` (organization, role, actor).
//!
//! Every service takes the `Viewer` and scopes all reads and writes to `viewer.org_id`;
//! `Viewer::require` enforces the roles of ../shared/api/SEMANTICS.md.

pub mod api_tokens;
pub mod jwt;
pub mod password;

use chrono::{DateTime, Utc};
use entity::enums::Role;
use entity::prelude::*;
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::crypto::Keys;
use crate::error::{ApiError, ApiResult};

/// The authenticated caller of one request or socket.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub org_id: i64,
    pub role: Role,
    /// Set when a person logged in.
    pub user_id: Option<i64>,
    /// Set when a script uses an API token.
    pub token_id: Option<i64>,
    /// "ann@example.com" or "token: nightly-script": how history names this actor.
    pub label: String,
    /// When the credential stops working (sockets close then).
    pub expires_at: Option<DateTime<Utc>>,
}

/// How much a role may do: ADMIN > OPERATOR > VIEWER.
pub fn rank(role: Role) -> u8 {
    match role {
        Role::Admin => 3,
        Role::Operator => 2,
        Role::Viewer => 1,
    }
}

impl Viewer {
    /// FORBIDDEN unless the caller's role is at least `min`.
    pub fn require(&self, min: Role) -> ApiResult<()> {
        if rank(self.role) >= rank(min) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    pub fn is_at_least(&self, min: Role) -> bool {
        rank(self.role) >= rank(min)
    }

    /// A system actor for work no person or token started (scheduled jobs).
    pub fn system(org_id: i64) -> Viewer {
        Viewer {
            org_id,
            role: Role::Admin,
            user_id: None,
            token_id: None,
            label: "system".into(),
            expires_at: None,
        }
    }
}

/// A bearer token (without "Bearer ") → the caller, or UNAUTHENTICATED.
pub async fn authenticate(db: &DatabaseConnection, keys: &Keys, token: &str) -> ApiResult<Viewer> {
    let token = token.trim();
    if token.starts_with(api_tokens::PREFIX) {
        return api_tokens::authenticate(db, token).await;
    }
    let claims = jwt::verify(keys, token)?;
    // The user is read again so a removed user or a changed role takes effect at once.
    let user_id: i64 = claims.sub.parse().map_err(|_| unauthenticated())?;
    let user = User::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.organization_id == claims.org)
        .ok_or_else(unauthenticated)?;
    Ok(Viewer {
        org_id: user.organization_id,
        role: user.role,
        user_id: Some(user.id),
        token_id: None,
        label: user.email,
        expires_at: DateTime::from_timestamp(claims.exp, 0),
    })
}

/// The one answer for every bad credential, so callers learn nothing from the difference.
pub fn unauthenticated() -> ApiError {
    ApiError::Unauthenticated("missing, invalid or expired token".into())
}

/// The token of an `Authorization: Bearer …` value.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}
