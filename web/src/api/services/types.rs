//! The services screens' answers as hand-written types read with [`crate::api::json`]: the
//! service and customer lists, one service, and its history.

pub use crate::api::common::Named;

use super::super::connection::Connection;
use super::super::{Date, DateTime, Json};
use super::service::Provider;

via_serde!(Provider);

from_json! {
    /// A service in the list.
    #[derive(Clone, Debug, PartialEq)]
    pub struct ServiceRow {
        pub id: String,
        pub name: String,
        pub effective_date: Date,
        pub customer: Named,
        pub service_type: Label,
    }

    /// Just a name.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Label {
        pub name: String,
    }

    /// Just a label (actors, fields).
    #[derive(Clone, Debug, PartialEq)]
    pub struct Labelled {
        pub label: String,
    }

    /// A customer in the list.
    #[derive(Clone, Debug, PartialEq)]
    pub struct CustomerRow {
        pub id: String,
        pub name: String,
        pub account_number: Option<String>,
        pub services: Count,
    }

    /// The size of a connection.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Count {
        pub total_count: i64,
    }

    /// One service, its fields and links.
    #[derive(Clone, Debug, PartialEq)]
    pub struct ServiceDetail {
        pub id: String,
        pub name: String,
        pub provider: Option<Provider>,
        pub effective_date: Date,
        pub created_at: DateTime,
        pub customer: Named,
        pub service_type: Label,
        pub package: Option<Label>,
        pub fields: Vec<FieldValue>,
        pub links: Vec<ServiceLink>,
    }

    /// A service field's value.
    #[derive(Clone, Debug, PartialEq)]
    pub struct FieldValue {
        pub field: Field,
        pub value: Option<Json>,
    }

    /// A service field: key and label.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Field {
        pub key: String,
        pub label: String,
    }

    /// A link of the service, current or past.
    #[derive(Clone, Debug, PartialEq)]
    pub struct ServiceLink {
        pub id: String,
        pub linked_at: DateTime,
        pub linked_by: Option<Labelled>,
        pub unlinked_at: Option<DateTime>,
        pub unlinked_by: Option<Labelled>,
        pub node: LinkedNode,
    }

    /// The node of a link.
    #[derive(Clone, Debug, PartialEq)]
    pub struct LinkedNode {
        pub id: String,
        pub name: String,
        pub type_: String,
        pub source: Named,
    }

    /// One change of the service's history.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Change {
        pub field: Labelled,
        pub old_value: Option<Json>,
        pub new_value: Option<Json>,
        /// GraphQL name.
        pub origin: String,
        pub actor: Labelled,
        pub node: Option<Label>,
        pub at: DateTime,
    }

    /// The data of `Services`.
    pub struct ServicesData {
        pub services: Connection<ServiceRow>,
    }

    /// The data of `Customers`.
    pub struct CustomersData {
        pub customers: Connection<CustomerRow>,
    }

    /// The data of `Service`.
    pub struct ServiceData {
        pub service: Option<ServiceDetail>,
    }

    /// The data of `ServiceHistory`.
    pub struct HistoryData {
        pub service: Option<History>,
    }

    /// A service's history, a page of it.
    pub struct History {
        pub history: Connection<Change>,
    }
}
