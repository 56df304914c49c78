//! The static provider catalog: for each of the eight providers its label, base URL hint,
//! credential keys, node types (root first, with their parent types) and the field keys a
//! person can map, with their data types.
//!
//! Where it comes from: names, credential keys, node types, parents and the field-key rules are
//! those of ../shared/api/PROVIDERS.md (normative). The field keys themselves are the records'
//! own names as ../shared/upstream/API-NOTES.md and the vendored OpenAPI files in
//! ../shared/upstream/specs/ give them (JSON providers: nested objects flattened with a dot,
//! lists kept as JSON, `_info` reduced to `_info.lastUpdated`; BroadWorks: the OCI table column
//! headings in lowerCamelCase). Custom-field keys (`customFields.*`, `properties.*`,
//! `userDefinedFields.*`, `customfields.*`) are never listed here: a source adds the ones it has
//! seen. Metaswitch has no public record schema, so its node types carry no static fields.

mod autotask;
mod broadworks;
mod connectwise;
mod halopsa;
mod kaseya;
mod metaswitch;
mod netsapiens;
mod syncro;

use super::{CredentialSpec, FieldSpec, ProviderSpec};
use entity::enums::{FieldDataType, Provider};

/// One field of a node type.
const fn f(key: &'static str, label: &'static str, data_type: FieldDataType) -> FieldSpec {
    FieldSpec {
        key,
        label,
        data_type,
    }
}

/// One credential key.
const fn c(key: &'static str, label: &'static str, secret: bool, required: bool) -> CredentialSpec {
    CredentialSpec {
        key,
        label,
        secret,
        required,
    }
}

/// Every provider, in the order of the `Provider` enum.
pub static CATALOG: &[ProviderSpec] = &[
    ProviderSpec {
        provider: Provider::Broadworks,
        label: "Cisco BroadWorks",
        base_url_hint: "https://<host>/webservice/services/ProvisioningService",
        credentials: broadworks::BW_CREDENTIALS,
        node_types: broadworks::BW_NODE_TYPES,
        has_webhooks: false,
        has_tickets: false,
        is_psa: false,
    },
    ProviderSpec {
        provider: Provider::Metaswitch,
        label: "Metaswitch",
        base_url_hint: "the MetaView / ShadowConfig SOAP endpoint",
        credentials: metaswitch::MS_CREDENTIALS,
        node_types: metaswitch::MS_NODE_TYPES,
        has_webhooks: false,
        has_tickets: false,
        is_psa: false,
    },
    ProviderSpec {
        provider: Provider::Netsapiens,
        label: "NetSapiens",
        base_url_hint: "https://<server>/ns-api/v2",
        credentials: netsapiens::NS_CREDENTIALS,
        node_types: netsapiens::NS_NODE_TYPES,
        has_webhooks: false,
        has_tickets: false,
        is_psa: false,
    },
    ProviderSpec {
        provider: Provider::ConnectwiseManage,
        label: "ConnectWise Manage",
        base_url_hint: "https://<site>/v4_6_release/apis/3.0",
        credentials: connectwise::CW_CREDENTIALS,
        node_types: connectwise::CW_NODE_TYPES,
        has_webhooks: true,
        has_tickets: true,
        is_psa: true,
    },
    ProviderSpec {
        provider: Provider::Syncro,
        label: "Syncro",
        base_url_hint: "https://<subdomain>.syncromsp.com/api/v1",
        credentials: syncro::SY_CREDENTIALS,
        node_types: syncro::SY_NODE_TYPES,
        has_webhooks: true,
        has_tickets: true,
        is_psa: true,
    },
    ProviderSpec {
        provider: Provider::Autotask,
        label: "Autotask",
        base_url_hint: "https://webservicesN.autotask.net/ATServicesRest/V1.0",
        credentials: autotask::AT_CREDENTIALS,
        node_types: autotask::AT_NODE_TYPES,
        // Company/Contact/ConfigurationItem/Ticket webhooks (API-NOTES §3.8).
        has_webhooks: true,
        has_tickets: true,
        is_psa: true,
    },
    ProviderSpec {
        provider: Provider::Halopsa,
        label: "HaloPSA",
        base_url_hint: "https://<tenant>.halopsa.com",
        credentials: halopsa::HA_CREDENTIALS,
        node_types: halopsa::HA_NODE_TYPES,
        // Ticket webhooks (API-NOTES §4.7).
        has_webhooks: true,
        has_tickets: true,
        is_psa: true,
    },
    ProviderSpec {
        provider: Provider::KaseyaBms,
        label: "Kaseya BMS",
        base_url_hint: "https://api.bms.kaseya.com",
        credentials: kaseya::KB_CREDENTIALS,
        node_types: kaseya::KB_NODE_TYPES,
        // Ticket-event webhooks (API-NOTES §9.7); accounts, contacts and assets are polled.
        has_webhooks: true,
        has_tickets: true,
        is_psa: true,
    },
];
