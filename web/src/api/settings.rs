//! Settings (`graphql/settings.graphql`): the organization's users and API tokens, adding a
//! user, creating a token (its secret comes back once) and revoking one. Roles travel as their
//! GraphQL names.

use super::{ApiError, DateTime};
use crate::session::Session;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/settings.graphql";
    /// `query Users`.
    Users,
    /// `mutation CreateUser` (ADMIN).
    CreateUser,
    /// `query ApiTokens` (OPERATOR, ADMIN).
    ApiTokens,
    /// `mutation CreateApiToken` (ADMIN).
    CreateApiToken,
    /// `mutation RevokeApiToken` (ADMIN).
    RevokeApiToken,
);

from_json! {
    /// A person of the organization; `role` is a GraphQL name.
    #[derive(Clone, Debug, PartialEq)]
    pub struct User {
        pub id: String,
        pub email: String,
        pub name: String,
        pub role: String,
        pub created_at: DateTime,
    }

    /// An API token (never its secret); `role` is a GraphQL name.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Token {
        pub id: String,
        pub name: String,
        pub role: String,
        pub created_at: DateTime,
        pub last_used_at: Option<DateTime>,
        pub expires_at: Option<DateTime>,
        pub revoked: bool,
    }

    /// The data of `Users`.
    pub struct UsersData {
        pub users: Vec<User>,
    }

    /// The data of `ApiTokens`.
    pub struct TokensData {
        pub api_tokens: Vec<Token>,
    }
}

/// The roles, GraphQL name and words.
pub const ROLES: [(&str, &str); 3] = [
    ("VIEWER", "Viewer"),
    ("OPERATOR", "Operator"),
    ("ADMIN", "Admin"),
];

/// A role's name in words.
pub fn role_words(name: &str) -> String {
    ROLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, words)| (*words).to_owned())
        .unwrap_or_else(|| name.to_owned())
}

/// The organization's users.
pub async fn users(session: Session) -> Result<Vec<User>, ApiError> {
    let data = session.run::<Users>(users::Variables).await?;
    Ok(super::json::read::<UsersData>(&data)?.users)
}

/// A new user; `role` is a GraphQL name.
#[derive(Clone, Debug, PartialEq)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role: String,
}

/// Adds a user.
pub async fn create_user(session: Session, new: NewUser) -> Result<(), ApiError> {
    session
        .run::<CreateUser>(create_user::Variables {
            email: new.email,
            name: new.name,
            password: new.password,
            role: create_user::Role::Other(new.role),
        })
        .await
        .map(drop)
}

/// The organization's API tokens.
pub async fn tokens(session: Session) -> Result<Vec<Token>, ApiError> {
    let data = session.run::<ApiTokens>(api_tokens::Variables).await?;
    Ok(super::json::read::<TokensData>(&data)?.api_tokens)
}

/// Creates a token named `name` with `role` (GraphQL name), expiring at `expires_at` when
/// given; returns the secret, shown once.
pub async fn create_token(
    session: Session,
    name: String,
    role: String,
    expires_at: Option<DateTime>,
) -> Result<String, ApiError> {
    let data = session
        .run::<CreateApiToken>(create_api_token::Variables {
            name,
            role: create_api_token::Role::Other(role),
            expires_at,
        })
        .await?;
    super::text_at(&data, "/createApiToken/secret")
}

/// Revokes token `id`; scripts using it stop at once.
pub async fn revoke_token(session: Session, id: String) -> Result<(), ApiError> {
    session
        .run::<RevokeApiToken>(revoke_api_token::Variables { id })
        .await
        .map(drop)
}
