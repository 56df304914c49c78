//! What Switchboard knows of each provider without asking it: labels, credential keys, node
//! types with their parents and field keys (../shared/api/PROVIDERS.md), and capabilities.
//!
//! The catalog is static data; `available` comes from whether a connector is built.

mod catalog;

use entity::enums::{FieldDataType, Provider};

pub use catalog::CATALOG;

/// One provider as the API describes it in `providers`.
#[derive(Debug)]
pub struct ProviderSpec {
    pub provider: Provider,
    pub label: &'static str,
    pub base_url_hint: &'static str,
    pub credentials: &'static [CredentialSpec],
    /// Root first, in the order of PROVIDERS.md: this order sorts roots and children.
    pub node_types: &'static [NodeTypeSpec],
    pub has_webhooks: bool,
    pub has_tickets: bool,
    /// A PSA (tickets, companies) rather than a telecom switch.
    pub is_psa: bool,
}

#[derive(Debug)]
pub struct CredentialSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub secret: bool,
    pub required: bool,
}

#[derive(Debug)]
pub struct NodeTypeSpec {
    pub name: &'static str,
    pub parent_types: &'static [&'static str],
    pub fields: &'static [FieldSpec],
}

#[derive(Debug)]
pub struct FieldSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub data_type: FieldDataType,
}

/// The catalog entry of a provider.
pub fn spec(provider: Provider) -> &'static ProviderSpec {
    CATALOG
        .iter()
        .find(|p| p.provider == provider)
        .unwrap_or(&CATALOG[0])
}

impl ProviderSpec {
    /// The node type of this provider with that exact name.
    pub fn node_type(&self, name: &str) -> Option<&'static NodeTypeSpec> {
        self.node_types.iter().find(|t| t.name == name)
    }

    /// Position of a node type in PROVIDERS.md's order; unknown types sort last.
    pub fn type_rank(&self, name: &str) -> i32 {
        self.node_types
            .iter()
            .position(|t| t.name == name)
            .map_or(i32::MAX, |i| i as i32)
    }
}

/// Whether a connector for this provider is built (`providers.available`); imports of the
/// others end FAILED saying so.
pub fn connector_available(provider: Provider) -> bool {
    matches!(
        provider,
        Provider::ConnectwiseManage | Provider::Syncro | Provider::Broadworks
    )
}
