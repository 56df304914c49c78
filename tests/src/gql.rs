//! GraphQL documents the tests share (one place, so a contract rename breaks one line).

pub const CREATE_SOURCE: &str = "mutation($input: CreateSourceInput!) { createSource(input: $input) { id name provider baseUrl hasCredentials webhookUrl status settings { schedule timezone autoSyncFields companyTypes } } }";

pub const CREATE_CUSTOMER: &str =
    "mutation($name: String!) { createCustomer(input: {name: $name}) { id name } }";

pub const CREATE_TOKEN: &str = "mutation($name: String!, $role: Role!) { createApiToken(name: $name, role: $role) { secret apiToken { id name role revoked } } }";

/// ConnectWise credentials as PROVIDERS.md names them.
pub fn cw_credentials() -> serde_json::Value {
    serde_json::json!({"companyId": "acme", "publicKey": "pub-key", "privateKey": "very-secret-private-key", "clientId": "client-123"})
}

/// Maps a provider's node type onto a service type.
pub const CREATE_TYPE_MAPPING: &str = "mutation($p: Provider!, $t: String!, $st: ID!) { createTypeMapping(input: {provider: $p, nodeType: $t, serviceTypeId: $st}) { id provider nodeType serviceType { id name } fieldMappings { id } } }";

/// Maps a node field onto a service-type field (`$d` may be null for the default direction).
pub const CREATE_FIELD_MAPPING: &str = "mutation($tm: ID!, $nf: String!, $sf: ID!, $d: MappingDirection) { createFieldMapping(input: {typeMappingId: $tm, nodeField: $nf, serviceFieldId: $sf, direction: $d}) { id nodeField direction enabled serviceField { id key } } }";
