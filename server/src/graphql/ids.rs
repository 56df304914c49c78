//! Opaque global ids: base64url of "<Type>:<row id>". Clients never parse them; a malformed id,
//! or one of another type, decodes to nothing (null for lookups, NOT_FOUND for mutations).

use async_graphql::ID;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

use crate::error::{ApiError, ApiResult};

/// The object types that have global ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Organization,
    User,
    ApiToken,
    Source,
    SourceNode,
    Customer,
    ServiceType,
    ServiceTypeField,
    Package,
    Service,
    TypeMapping,
    FieldMapping,
    Link,
    SyncJob,
    SyncPlan,
    SyncRule,
}

const KINDS: &[Kind] = &[
    Kind::Organization,
    Kind::User,
    Kind::ApiToken,
    Kind::Source,
    Kind::SourceNode,
    Kind::Customer,
    Kind::ServiceType,
    Kind::ServiceTypeField,
    Kind::Package,
    Kind::Service,
    Kind::TypeMapping,
    Kind::FieldMapping,
    Kind::Link,
    Kind::SyncJob,
    Kind::SyncPlan,
    Kind::SyncRule,
];

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Organization => "Organization",
            Kind::User => "User",
            Kind::ApiToken => "ApiToken",
            Kind::Source => "Source",
            Kind::SourceNode => "SourceNode",
            Kind::Customer => "Customer",
            Kind::ServiceType => "ServiceType",
            Kind::ServiceTypeField => "ServiceTypeField",
            Kind::Package => "Package",
            Kind::Service => "Service",
            Kind::TypeMapping => "TypeMapping",
            Kind::FieldMapping => "FieldMapping",
            Kind::Link => "Link",
            Kind::SyncJob => "SyncJob",
            Kind::SyncPlan => "SyncPlan",
            Kind::SyncRule => "SyncRule",
        }
    }

    /// A lower-case noun for error messages ("source not found").
    pub fn noun(self) -> String {
        let mut out = String::new();
        for (i, c) in self.name().chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                out.push(' ');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }
}

pub fn encode(kind: Kind, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name())))
}

/// The type and row id of a global id, if it is one of ours.
pub fn decode_any(id: &str) -> Option<(Kind, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (name, raw) = text.split_once(':')?;
    let kind = KINDS.iter().copied().find(|k| k.name() == name)?;
    let row: i64 = raw.parse().ok().filter(|n| *n > 0)?;
    Some((kind, row))
}

/// The row id if `id` is a global id of `kind`.
pub fn decode(kind: Kind, id: &str) -> Option<i64> {
    decode_any(id)
        .filter(|(k, _)| *k == kind)
        .map(|(_, row)| row)
}

/// For mutations: the row id, or NOT_FOUND (a junk id is as absent as another org's).
pub fn require(kind: Kind, id: &str) -> ApiResult<i64> {
    decode(kind, id).ok_or_else(|| ApiError::not_found(&kind.noun()))
}

/// For optional filters given as ids: a junk id is bad input naming the argument.
pub fn parse_arg(kind: Kind, id: &str, field: &str) -> ApiResult<i64> {
    decode(kind, id).ok_or_else(|| ApiError::bad_input(field, format!("not a {} id", kind.noun())))
}
