//! Linking a node to a service (`graphql/links.graphql`): the node's live link with its last
//! field sync, recommendations, a service search, the choices for a new service, and the
//! mutations (use a recommendation, link, create a service for the node, unlink, sync fields).
//! Answers are read with [`crate::api::json`] into the shapes of [`types`], shared by the
//! operations, and turned into [`Brief`], [`FieldOutcome`] and the rest.

use super::{ApiError, Date, DateTime, Json};
use crate::session::Session;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/links.graphql";
    /// `query NodeLinking`: the node's live link.
    NodeLinking,
    /// `query Recommendations`: the five best candidates.
    Recommendations,
    /// `query FindServices`: services by name.
    FindServices,
    /// `query NewServiceChoices`: service types (mapped first) and customers.
    NewServiceChoices,
    /// `mutation UseRecommendation`.
    UseRecommendation,
    /// `mutation LinkNode`.
    LinkNode,
    /// `mutation CreateServiceForNode`.
    CreateServiceForNode,
    /// `mutation UnlinkNode`.
    UnlinkNode,
    /// `mutation SyncFields`.
    SyncFields,
);

mod types;

use super::json::read;
use types::*;

/// A service as the pane lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Brief {
    pub id: String,
    pub name: String,
    /// "Customer · Service type".
    pub detail: String,
}

/// What a field sync did to one mapped field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldOutcome {
    pub node_field: String,
    pub service_field: String,
    /// SYNCED, UNCHANGED, SKIPPED or FAILED.
    pub status: String,
    pub message: Option<String>,
    pub value: Option<Json>,
}

/// The GraphQL name of any operation's enum value.
pub fn enum_name<E: serde::Serialize>(value: &E) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The node's live link.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveLink {
    pub service: Brief,
    pub linked_at: DateTime,
    pub linked_by: Option<String>,
    pub last_sync: Vec<FieldOutcome>,
}

/// What the pane needs of a node: its type, its provider (GraphQL name) and its live link.
#[derive(Clone, Debug, PartialEq)]
pub struct Linking {
    pub node_type: String,
    pub provider: String,
    pub link: Option<LiveLink>,
}

/// Reads node `id`'s link state.
pub async fn linking(session: Session, id: String) -> Result<Linking, ApiError> {
    let data = session
        .run::<NodeLinking>(node_linking::Variables { id })
        .await?;
    let node = read::<LinkingData>(&data)?
        .source_node
        .ok_or_else(|| ApiError::NotFound("this node no longer exists".into()))?;
    Ok(Linking {
        node_type: node.type_,
        provider: node.source.provider,
        link: node.link.map(|link| LiveLink {
            service: link.service.into(),
            linked_at: link.linked_at,
            linked_by: link.linked_by.map(|a| a.label),
            last_sync: link.last_field_sync.into_iter().map(Into::into).collect(),
        }),
    })
}

/// A recommendation: the service, its score (0..1) and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub service: Brief,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// Node `id`'s recommendations, best first.
pub async fn recommendations(session: Session, id: String) -> Result<Vec<Candidate>, ApiError> {
    let data = session
        .run::<Recommendations>(recommendations::Variables { id })
        .await?;
    let node = read::<RecommendationsData>(&data)?
        .source_node
        .ok_or_else(|| ApiError::NotFound("this node no longer exists".into()))?;
    Ok(node
        .recommendations
        .into_iter()
        .map(|r| Candidate {
            service: r.service.into(),
            score: r.score,
            reasons: r.reasons,
        })
        .collect())
}

/// Services whose name matches `search`.
pub async fn find_services(session: Session, search: String) -> Result<Vec<Brief>, ApiError> {
    let data = session
        .run::<FindServices>(find_services::Variables {
            search: Some(search),
        })
        .await?;
    Ok(read::<FindData>(&data)?
        .services
        .edges
        .into_iter()
        .map(|e| e.node.into())
        .collect())
}

/// The choices of "Create service": (id, name) of service types, the one mapped from the
/// node's type first; (id, name) of customers.
pub type Choices = (Vec<(String, String)>, Vec<(String, String)>);

/// Service types and customers for a node of `node_type` from `provider` (GraphQL name).
pub async fn new_service_choices(
    session: Session,
    provider: String,
    node_type: String,
) -> Result<Choices, ApiError> {
    let data = session
        .run::<NewServiceChoices>(new_service_choices::Variables {
            provider: new_service_choices::Provider::Other(provider),
        })
        .await?;
    let data = read::<ChoicesData>(&data)?;
    let mapped = data
        .type_mappings
        .iter()
        .find(|m| m.node_type == node_type)
        .map(|m| m.service_type.id.clone());
    let mut types: Vec<(String, String)> = data
        .service_types
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    if let Some(pos) = mapped.and_then(|id| types.iter().position(|(t, _)| *t == id)) {
        let first = types.remove(pos);
        types.insert(0, first);
    }
    let customers = data
        .customers
        .edges
        .into_iter()
        .map(|e| (e.node.id, e.node.name))
        .collect();
    Ok((types, customers))
}

/// What the pane asks of the server.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Link the top recommendation, the one the person saw.
    Use(String),
    /// Link to a service picked by hand.
    Link(String),
    /// Create a service (customer, service type, effective date) and link it.
    Create {
        customer: String,
        service_type: String,
        effective_date: Date,
    },
    Unlink,
}

/// Applies `change` to node `node`.
pub async fn change(session: Session, node: String, change: Change) -> Result<(), ApiError> {
    match change {
        Change::Use(service) => session
            .run::<UseRecommendation>(use_recommendation::Variables {
                node,
                service: Some(service),
            })
            .await
            .map(drop),
        Change::Link(service) => session
            .run::<LinkNode>(link_node::Variables { node, service })
            .await
            .map(drop),
        Change::Create {
            customer,
            service_type,
            effective_date,
        } => session
            .run::<CreateServiceForNode>(create_service_for_node::Variables {
                node,
                input: create_service_for_node::NewServiceForNodeInput {
                    customer_id: customer,
                    service_type_id: service_type,
                    package_id: None,
                    provider: None,
                    effective_date,
                    name: None,
                    fields: None,
                },
            })
            .await
            .map(drop),
        Change::Unlink => session
            .run::<UnlinkNode>(unlink_node::Variables { node })
            .await
            .map(drop),
    }
}

/// Syncs the linked node's mapped fields now; what happened to each.
pub async fn sync_fields(session: Session, node: String) -> Result<Vec<FieldOutcome>, ApiError> {
    let data = session
        .run::<SyncFields>(sync_fields::Variables { node })
        .await?;
    let data = read::<SyncData>(&data)?;
    Ok(data.sync_fields.into_iter().map(Into::into).collect())
}
