//! The linking pane's answers as read with [`crate::api::json`], one type per shape whichever
//! operation sends it (enums are kept as their GraphQL names); [`super`] turns them into
//! [`Brief`], [`FieldOutcome`] and the rest.

use super::super::{DateTime, Json};
use super::{Brief, FieldOutcome};

from_json! {
    /// The `ServiceBrief` fragment.
    pub struct ServiceBrief {
        pub id: String,
        pub name: String,
        pub customer: Name,
        pub service_type: Name,
    }

    /// Just a name.
    pub struct Name {
        pub name: String,
    }

    /// An id and a name.
    pub struct Named {
        pub id: String,
        pub name: String,
    }

    /// The `FieldResult` fragment.
    pub struct FieldResult {
        pub node_field: String,
        pub service_field_key: String,
        pub status: String,
        pub message: Option<String>,
        pub value: Option<Json>,
    }

    /// The data of `NodeLinking`.
    pub struct LinkingData {
        pub source_node: Option<LinkingNode>,
    }

    /// A node, its provider and live link.
    pub struct LinkingNode {
        pub type_: String,
        pub source: SourceProvider,
        pub link: Option<Link>,
    }

    /// A source's provider (GraphQL name).
    pub struct SourceProvider {
        pub provider: String,
    }

    /// A live link.
    pub struct Link {
        pub linked_at: DateTime,
        pub linked_by: Option<Actor>,
        pub service: ServiceBrief,
        pub last_field_sync: Vec<FieldResult>,
    }

    /// Who did something.
    pub struct Actor {
        pub label: String,
    }

    /// The data of `Recommendations`.
    pub struct RecommendationsData {
        pub source_node: Option<Recommended>,
    }

    /// A node's recommendations.
    pub struct Recommended {
        pub recommendations: Vec<Recommendation>,
    }

    /// One recommendation.
    pub struct Recommendation {
        pub service: ServiceBrief,
        pub score: f64,
        pub reasons: Vec<String>,
    }

    /// The data of `FindServices`.
    pub struct FindData {
        pub services: Edges<ServiceBrief>,
    }

    /// The data of `NewServiceChoices`.
    pub struct ChoicesData {
        pub type_mappings: Vec<TypeMapping>,
        pub service_types: Vec<Named>,
        pub customers: Edges<Named>,
    }

    /// A node type mapped onto a service type.
    pub struct TypeMapping {
        pub node_type: String,
        pub service_type: Id,
    }

    /// Just an id.
    pub struct Id {
        pub id: String,
    }

    /// The data of `SyncFields`.
    pub struct SyncData {
        pub sync_fields: Vec<FieldResult>,
    }
}

/// A connection's edges only.
pub struct Edges<T> {
    pub edges: Vec<super::super::connection::Edge<T>>,
}

impl<T: super::super::json::FromJson> super::super::json::FromJson for Edges<T> {
    fn from_json(value: &serde_json::Value) -> Option<Self> {
        let edges = super::super::json::field(value, "edges");
        super::super::json::FromJson::from_json(edges).map(|edges| Self { edges })
    }
}

impl From<ServiceBrief> for Brief {
    fn from(s: ServiceBrief) -> Self {
        Self {
            id: s.id,
            name: s.name,
            detail: format!("{} · {}", s.customer.name, s.service_type.name),
        }
    }
}

impl From<FieldResult> for FieldOutcome {
    fn from(r: FieldResult) -> Self {
        Self {
            node_field: r.node_field,
            service_field: r.service_field_key,
            status: r.status,
            message: r.message,
            value: r.value,
        }
    }
}
