//! Login tokens: HS256 JWTs signed with the key of `crypto::Keys`, with an expiry.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::crypto::Keys;
use crate::error::ApiResult;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id (a string, as RFC 7519 requires of `sub`).
    pub sub: String,
    /// The user's organization, checked against the user row on every use.
    pub org: i64,
    pub iat: i64,
    pub exp: i64,
}

/// A signed token for the user and its expiry time.
pub fn issue(
    keys: &Keys,
    user_id: i64,
    org_id: i64,
    ttl_seconds: i64,
) -> ApiResult<(String, DateTime<Utc>)> {
    let now = Utc::now();
    let expires = now + Duration::seconds(ttl_seconds);
    let claims = Claims {
        sub: user_id.to_string(),
        org: org_id,
        iat: now.timestamp(),
        exp: expires.timestamp(),
    };
    let token = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(keys.jwt_secret()),
    )
    .map_err(anyhow::Error::from)?;
    Ok((token, expires))
}

/// The claims of a valid, unexpired token signed by us; UNAUTHENTICATED otherwise.
pub fn verify(keys: &Keys, token: &str) -> ApiResult<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub"]);
    decode::<Claims>(
        token,
        &DecodingKey::from_secret(keys.jwt_secret()),
        &validation,
    )
    .map(|data| data.claims)
    .map_err(|_| super::unauthenticated())
}
