//! The dictionary's answers as hand-written types read with [`crate::api::json`]: the
//! catalog (`Dictionary`) and a source's value mappings (`ValueMappings`). Providers and
//! directions are kept as their GraphQL names.

pub use crate::api::common::{Named, NodeField, NodeType};

from_json! {
    /// The data of `Dictionary`: the mappings and everything the forms pick from.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Catalog {
        pub type_mappings: Vec<TypeMapping>,
        pub service_types: Vec<Named>,
        pub providers: Vec<ProviderInfo>,
        pub sources: Sources,
    }

    /// A provider's node type mapped onto a service type.
    #[derive(Clone, Debug, PartialEq)]
    pub struct TypeMapping {
        pub id: String,
        pub provider: String,
        pub node_type: String,
        pub service_type: ServiceType,
        pub field_mappings: Vec<FieldMapping>,
    }

    /// A service type with its fields.
    #[derive(Clone, Debug, PartialEq)]
    pub struct ServiceType {
        pub id: String,
        pub name: String,
        pub fields: Vec<Labelled>,
    }

    /// A service field: id and label.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Labelled {
        pub id: String,
        pub label: String,
    }

    /// A node field mapped onto a service field.
    #[derive(Clone, Debug, PartialEq)]
    pub struct FieldMapping {
        pub id: String,
        pub node_field: String,
        pub direction: String,
        pub enabled: bool,
        pub service_field: Labelled,
    }

    /// A provider and its node types.
    #[derive(Clone, Debug, PartialEq)]
    pub struct ProviderInfo {
        pub provider: String,
        pub label: String,
        pub available: bool,
        pub node_types: Vec<NodeType>,
    }

    /// The first sources.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Sources {
        pub edges: Vec<SourceEdge>,
    }

    /// An edge of the sources.
    #[derive(Clone, Debug, PartialEq)]
    pub struct SourceEdge {
        pub node: SourceItem,
    }

    /// A source: id, name, provider.
    #[derive(Clone, Debug, PartialEq)]
    pub struct SourceItem {
        pub id: String,
        pub name: String,
        pub provider: String,
    }
}

from_json! {
    /// The data of `ValueMappings`.
    pub struct ValuesData {
        pub value_mapping_options: Vec<ValueOption>,
        pub value_mappings: Vec<ValueMapping>,
        pub internal_values: Vec<String>,
    }

    /// An external value of a source.
    pub struct ValueOption {
        pub external_id: String,
        pub name: String,
        pub parent: Option<String>,
    }

    /// An external value's mapping.
    pub struct ValueMapping {
        pub external_id: String,
        pub internal_value: Option<String>,
    }
}
