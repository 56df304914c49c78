//! Small answer types several screens read alike, each read once with [`crate::api::json`]:
//! an id and a name, a node (id, type, name), and a provider's node types with their fields.
//! The modules that answer with them re-export them under their own names.

from_json! {
    /// An id and a name.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Named {
        pub id: String,
        pub name: String,
    }

    /// A node: id, type, name.
    #[derive(Clone, Debug, PartialEq)]
    pub struct NodeRef {
        pub id: String,
        pub type_: String,
        pub name: String,
    }

    /// A provider's node type and its fields.
    #[derive(Clone, Debug, PartialEq)]
    pub struct NodeType {
        pub name: String,
        pub fields: Vec<NodeField>,
    }

    /// A node field: key and label.
    #[derive(Clone, Debug, PartialEq)]
    pub struct NodeField {
        pub key: String,
        pub label: String,
    }
}
