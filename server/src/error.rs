//! The one error type of the API. Its variants are exactly the contract's error codes
//! (../shared/api/SEMANTICS.md, "Errors"); every service returns it and GraphQL shows it as
//! `extensions.code` (plus `extensions.field` for bad input).

use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};

/// A failure a caller can act on, or `Internal`, whose detail only the log sees.
///
/// It deliberately does not implement `Display`: async-graphql converts every `Display` type
/// into an error without a code, and that silent path must not exist for this type.
#[derive(Debug, Clone)]
pub enum ApiError {
    Unauthenticated(String),
    Forbidden(String),
    NotFound(String),
    /// `field` is the dotted path of the offending input (`input.settings.schedule`, `first`).
    BadUserInput {
        field: String,
        message: String,
    },
    Conflict(String),
    Upstream(String),
    RateLimited {
        message: String,
        retry_after: Option<u64>,
    },
    /// Shared so the error can be cloned, as async-graphql requires of resolver errors.
    Internal(std::sync::Arc<anyhow::Error>),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::BadUserInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(format!("{what} not found"))
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        ApiError::Conflict(message.into())
    }

    pub fn forbidden() -> Self {
        ApiError::Forbidden("your role does not allow this".into())
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        ApiError::Internal(std::sync::Arc::new(err.into()))
    }

    /// The contract's code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::BadUserInput { .. } => "BAD_USER_INPUT",
            ApiError::Conflict(_) => "CONFLICT",
            ApiError::Upstream(_) => "UPSTREAM_ERROR",
            ApiError::RateLimited { .. } => "RATE_LIMITED",
            ApiError::Internal(_) => "INTERNAL",
        }
    }

    /// What the caller reads. Internal errors say nothing of their cause.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated(m)
            | ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::Conflict(m)
            | ApiError::Upstream(m) => m.clone(),
            ApiError::BadUserInput { message, .. } | ApiError::RateLimited { message, .. } => {
                message.clone()
            }
            ApiError::Internal(_) => "internal error".into(),
        }
    }

    /// Turns a unique-constraint violation into CONFLICT with `message`; anything else is
    /// internal. The database is the judge of uniqueness, so races cannot slip past a check.
    pub fn on_unique(err: DbErr, message: &str) -> Self {
        if is_unique_violation(&err) {
            ApiError::conflict(message)
        } else {
            ApiError::Internal(std::sync::Arc::new(err.into()))
        }
    }
}

/// Whether the database refused a write for breaking a unique index.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        if is_serialization_failure(&err) {
            return ApiError::conflict(
                "the data changed while this was being written; nothing was changed, try again",
            );
        }
        ApiError::Internal(std::sync::Arc::new(err.into()))
    }
}

/// Whether PostgreSQL gave up a SERIALIZABLE transaction (or a deadlock) because another one
/// wrote what it read: SQLSTATE 40001 / 40P01. The transaction changed nothing.
pub fn is_serialization_failure(err: &DbErr) -> bool {
    let text = err.to_string();
    text.contains("40001")
        || text.contains("40P01")
        || text.contains("could not serialize access")
        || text.contains("deadlock detected")
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        ApiError::Internal(std::sync::Arc::new(err))
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        if let ApiError::Internal(cause) = &err {
            // The whole cause chain goes to the log, never to the caller.
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        async_graphql::Error::new(err.message()).extend_with(|_, ext| {
            ext.set("code", err.code());
            match &err {
                ApiError::BadUserInput { field, .. } => ext.set("field", field.as_str()),
                ApiError::RateLimited {
                    retry_after: Some(secs),
                    ..
                } => ext.set("retryAfter", *secs),
                _ => {}
            }
        })
    }
}
