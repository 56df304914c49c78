//! Organizations, users and logins (API tokens: `tokens`).

use chrono::{DateTime, Duration, Utc};
use entity::enums::Role;
use entity::prelude::*;
use entity::{login_throttle, organization, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;

use super::audit;
use crate::auth::{jwt, password, Viewer};
use crate::crypto::Keys;
use crate::error::{ApiError, ApiResult};

/// Failed logins for one email allowed before each further try must wait.
const FREE_FAILURES: i32 = 5;
/// The longest wait between tries once an email is being slowed down.
const MAX_DELAY_SECONDS: i64 = 900;
const MIN_PASSWORD_LEN: usize = 8;

/// The organization with this name, created if missing.
pub async fn ensure_organization(
    db: &impl ConnectionTrait,
    name: &str,
) -> ApiResult<organization::Model> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::bad_input("org", "an organization needs a name"));
    }
    if let Some(org) = Organization::find()
        .filter(organization::Column::Name.eq(name))
        .one(db)
        .await?
    {
        return Ok(org);
    }
    let inserted = organization::ActiveModel {
        name: Set(name.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(org) => Ok(org),
        // Another process created it at the same moment.
        Err(_) => Organization::find()
            .filter(organization::Column::Name.eq(name))
            .one(db)
            .await?
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("organization vanished"))),
    }
}

pub fn normalize_email(email: &str, field: &str) -> ApiResult<String> {
    let email = email.trim().to_lowercase();
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
    }) && !email.chars().any(char::is_whitespace);
    if !valid {
        return Err(ApiError::bad_input(field, "not a valid email address"));
    }
    Ok(email)
}

/// A new user of an organization. Emails are unique across organizations (CONFLICT).
pub async fn create_user(
    db: &impl ConnectionTrait,
    org_id: i64,
    email: &str,
    name: &str,
    password_plain: &str,
    role: Role,
) -> ApiResult<user::Model> {
    let email = normalize_email(email, "email")?;
    if password_plain.chars().count() < MIN_PASSWORD_LEN {
        return Err(ApiError::bad_input(
            "password",
            format!("a password needs at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    let name = if name.trim().is_empty() {
        email.clone()
    } else {
        name.trim().to_owned()
    };
    let password_hash = password::hash(password_plain).await?;
    user::ActiveModel {
        organization_id: Set(org_id),
        email: Set(email),
        name: Set(name),
        password_hash: Set(password_hash),
        role: Set(role),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| ApiError::on_unique(e, "a user with this email already exists"))
}

/// `createUser`: ADMIN only, into the caller's organization.
pub async fn create_user_as(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    email: &str,
    name: &str,
    password_plain: &str,
    role: Role,
) -> ApiResult<user::Model> {
    viewer.require(Role::Admin)?;
    let user = create_user(db, viewer.org_id, email, name, password_plain, role).await?;
    audit::record(
        db,
        viewer,
        "user.create",
        "User",
        Some(user.id),
        json!({"email": user.email, "role": user.role}),
    )
    .await?;
    Ok(user)
}

/// A login token for a correct email and password. Unknown emails and wrong passwords get the
/// same answer in the same time; repeated failures for one email are slowed down.
pub async fn login(
    db: &DatabaseConnection,
    keys: &Keys,
    ttl_seconds: i64,
    email: &str,
    password_plain: &str,
) -> ApiResult<(String, DateTime<Utc>, user::Model)> {
    let email = email.trim().to_lowercase();
    let now = Utc::now();
    let throttle = LoginThrottle::find()
        .filter(login_throttle::Column::Email.eq(&email))
        .one(db)
        .await?;
    if let Some(t) = &throttle {
        if t.failures >= FREE_FAILURES {
            let delay = Duration::seconds(
                (1i64 << (t.failures - FREE_FAILURES).min(10)).min(MAX_DELAY_SECONDS),
            );
            let wait = t.last_failure_at + delay - now;
            if wait > Duration::zero() {
                return Err(ApiError::RateLimited {
                    message: "too many failed logins for this email; try again later".into(),
                    retry_after: Some(wait.num_seconds().max(1) as u64),
                });
            }
        }
    }
    let user = User::find()
        .filter(user::Column::Email.eq(&email))
        .one(db)
        .await?;
    let ok = match &user {
        Some(u) => password::verify(password_plain, &u.password_hash).await,
        None => {
            password::burn_time(password_plain).await;
            false
        }
    };
    match (ok, user) {
        (true, Some(user)) => {
            if let Some(t) = throttle {
                LoginThrottle::delete_by_id(t.id).exec(db).await?;
            }
            let (token, expires) = jwt::issue(keys, user.id, user.organization_id, ttl_seconds)?;
            Ok((token, expires, user))
        }
        _ => {
            record_failure(db, &email, throttle).await?;
            Err(ApiError::Unauthenticated("wrong email or password".into()))
        }
    }
}

async fn record_failure(
    db: &DatabaseConnection,
    email: &str,
    throttle: Option<login_throttle::Model>,
) -> ApiResult<()> {
    let now = Utc::now();
    match throttle {
        Some(t) => {
            let failures = t.failures + 1;
            let mut active: login_throttle::ActiveModel = t.into();
            active.failures = Set(failures);
            active.last_failure_at = Set(now);
            active.update(db).await?;
        }
        None => {
            // A concurrent first failure may win the insert; one lost count does not matter.
            let _ = login_throttle::ActiveModel {
                email: Set(email.to_owned()),
                failures: Set(1),
                last_failure_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await;
        }
    }
    Ok(())
}

pub async fn users(db: &impl ConnectionTrait, viewer: &Viewer) -> ApiResult<Vec<user::Model>> {
    Ok(User::find()
        .filter(user::Column::OrganizationId.eq(viewer.org_id))
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?)
}

pub async fn organization(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
) -> ApiResult<organization::Model> {
    Organization::find_by_id(viewer.org_id)
        .one(db)
        .await?
        .ok_or_else(crate::auth::unauthenticated)
}
