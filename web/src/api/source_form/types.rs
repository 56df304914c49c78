//! The source forms' answers as hand-written types read with [`crate::api::json`]: the
//! provider catalog (`Providers`) and what the Edit form starts from (`SourceSettings`).

pub use crate::api::common::{NodeField, NodeType};

use super::providers::Provider;
use super::source_settings::{Provider as EditedProvider, SourceStatus};

via_serde!(Provider, EditedProvider, SourceStatus);

from_json! {
    /// A provider with its credential fields and node types.
    #[derive(Clone, Debug, PartialEq)]
    pub struct ProviderInfo {
        pub provider: Provider,
        pub label: String,
        pub base_url_hint: String,
        pub available: bool,
        pub credential_fields: Vec<CredentialField>,
        pub node_types: Vec<NodeType>,
    }

    /// A credential the provider asks for.
    #[derive(Clone, Debug, PartialEq)]
    pub struct CredentialField {
        pub key: String,
        pub label: String,
        pub secret: bool,
        pub required: bool,
    }

    /// The data of `Providers`.
    pub struct ProvidersData {
        pub providers: Vec<ProviderInfo>,
    }

    /// A source as the Edit form starts from it.
    #[derive(Clone, Debug, PartialEq)]
    pub struct EditedSource {
        pub id: String,
        pub name: String,
        pub provider: EditedProvider,
        pub base_url: String,
        pub has_credentials: bool,
        pub status: SourceStatus,
        pub settings: Settings,
        pub filter_options: FilterOptions,
    }

    /// A source's settings.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Settings {
        pub schedule: String,
        pub timezone: String,
        pub include_assets_without_serial: bool,
        pub configuration_statuses: Vec<String>,
        pub company_types: Vec<String>,
        pub company_statuses: Vec<String>,
        pub write_back_fields: Vec<String>,
        pub include_custom_fields: bool,
        pub auto_sync_fields: bool,
    }

    /// The values a source's filters can pick from.
    #[derive(Clone, Debug, PartialEq)]
    pub struct FilterOptions {
        pub company_statuses: Vec<String>,
        pub company_types: Vec<String>,
        pub configuration_statuses: Vec<String>,
    }

    /// The data of `SourceSettings`.
    pub struct SettingsData {
        pub source: Option<EditedSource>,
    }
}
