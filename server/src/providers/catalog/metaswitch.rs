//! Metaswitch in the provider catalog: credential keys, node types and field keys
//! (where they come from: the parent module).

use super::c;
use crate::providers::{CredentialSpec, NodeTypeSpec};

// No public schema exists (API-NOTES §7: "THIN", service indications only), so no field keys
// are listed; a source shows what its records carry.

pub(super) const MS_CREDENTIALS: &[CredentialSpec] = &[
    c("username", "Username", false, true),
    c("password", "Password", true, true),
];

pub(super) const MS_NODE_TYPES: &[NodeTypeSpec] = &[
    NodeTypeSpec {
        name: "Business Group",
        parent_types: &[],
        fields: &[],
    },
    NodeTypeSpec {
        name: "Subscriber",
        parent_types: &["Business Group"],
        fields: &[],
    },
    NodeTypeSpec {
        name: "MLHG",
        parent_types: &["Business Group"],
        fields: &[],
    },
    NodeTypeSpec {
        name: "Number Block",
        parent_types: &["Business Group"],
        fields: &[],
    },
];
