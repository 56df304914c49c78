//! The root types: one `<Domain>Query` / `<Domain>Mutation` per file, merged here; and the
//! `Node` interface with `node(id)`, which dispatches on the id's type.

use async_graphql::{Context, Interface, MergedObject, MergedSubscription, Object, ID};

use super::billing::{
    BillingMutation, BillingQuery, CustomerObj, PackageObj, ServiceObj, ServiceTypeObj,
};
use super::dictionary::{DictionaryMutation, DictionaryQuery, FieldMappingObj, TypeMappingObj};
use super::events::EventSubscription;
use super::field_sync::FieldSyncMutation;
use super::ids::{self, Kind};
use super::links::{LinkMutation, LinkObj};
use super::nodes::{NodeQuery, SourceNodeObj};
use super::plans::{PlanMutation, PlanQuery, SyncPlanObj};
use super::providers::ProviderQuery;
use super::reconciliation::ReportQuery;
use super::rules::{RuleMutation, SyncRuleObj};
use super::source_records::SourceRecordMutation;
use super::sources::{SourceMutation, SourceObj, SourceQuery};
use super::sync_jobs::{SyncJobMutation, SyncJobObj, SyncJobQuery, SyncJobSubscription};
use super::tickets::{TicketMutation, TicketQuery};
use super::value_mappings::{ValueMappingMutation, ValueMappingQuery};
use super::viewer::{ApiTokenObj, OrganizationObj, UserObj, ViewerMutation, ViewerQuery};
use super::ContextExt;
use crate::error::ApiResult;
use crate::services::{
    billing, dictionary, identity, jobs, links, nodes, plans, rules, sources, tokens,
};

/// `interface Node { id: ID! }`.
#[derive(Interface)]
#[graphql(name = "Node", field(name = "id", ty = "ID"))]
pub enum NodeIface {
    Organization(OrganizationObj),
    User(UserObj),
    ApiToken(ApiTokenObj),
    Source(SourceObj),
    SourceNode(SourceNodeObj),
    Customer(CustomerObj),
    ServiceType(ServiceTypeObj),
    Package(PackageObj),
    Service(ServiceObj),
    TypeMapping(TypeMappingObj),
    FieldMapping(FieldMappingObj),
    SyncJob(SyncJobObj),
    Link(LinkObj),
    SyncPlan(SyncPlanObj),
    SyncRule(SyncRuleObj),
}

#[derive(Default)]
pub struct NodeLookup;

#[Object]
impl NodeLookup {
    /// Any object by its global id; null for a malformed, missing or foreign id.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<NodeIface>> {
        let viewer = ctx.viewer()?;
        let db = &ctx.state()?.db;
        let Some((kind, row)) = ids::decode_any(&id) else {
            return Ok(None);
        };
        Ok(match kind {
            Kind::Organization => (row == viewer.org_id)
                .then_some(identity::organization(db, viewer).await?)
                .map(|o| NodeIface::Organization(OrganizationObj(o))),
            Kind::User => identity::users(db, viewer)
                .await?
                .into_iter()
                .find(|u| u.id == row)
                .map(|u| NodeIface::User(UserObj(u))),
            Kind::ApiToken if viewer.is_at_least(entity::enums::Role::Operator) => {
                tokens::api_tokens(db, viewer)
                    .await?
                    .into_iter()
                    .find(|t| t.id == row)
                    .map(|t| NodeIface::ApiToken(ApiTokenObj(t)))
            }
            Kind::Source => sources::get(db, viewer, row)
                .await?
                .map(|s| NodeIface::Source(SourceObj(s))),
            Kind::SourceNode => nodes::get(db, viewer, row)
                .await?
                .map(|n| NodeIface::SourceNode(SourceNodeObj(n))),
            Kind::Customer => billing::customer(db, viewer, row)
                .await?
                .map(|c| NodeIface::Customer(CustomerObj(c))),
            Kind::ServiceType => billing::service_type(db, viewer, row)
                .await?
                .map(|t| NodeIface::ServiceType(ServiceTypeObj(t))),
            Kind::Package => billing::package(db, viewer, row)
                .await?
                .map(|p| NodeIface::Package(PackageObj(p))),
            Kind::Service => billing::service(db, viewer, row)
                .await?
                .map(|s| NodeIface::Service(ServiceObj(s))),
            Kind::TypeMapping => dictionary::type_mapping(db, viewer, row)
                .await?
                .map(|t| NodeIface::TypeMapping(TypeMappingObj(t))),
            Kind::FieldMapping => dictionary::field_mapping(db, viewer, row)
                .await?
                .map(|(f, _)| NodeIface::FieldMapping(FieldMappingObj(f))),
            Kind::SyncJob => jobs::get(db, viewer, row)
                .await?
                .map(|j| NodeIface::SyncJob(SyncJobObj(j))),
            Kind::Link => links::get(db, viewer, row)
                .await?
                .map(|l| NodeIface::Link(LinkObj(l))),
            Kind::SyncPlan => plans::get(db, viewer, row)
                .await?
                .map(|p| NodeIface::SyncPlan(SyncPlanObj(p))),
            Kind::SyncRule => rules::get(db, viewer, row)
                .await?
                .map(|r| NodeIface::SyncRule(SyncRuleObj(r))),
            _ => None,
        })
    }
}

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    ViewerQuery,
    NodeLookup,
    SourceQuery,
    NodeQuery,
    ProviderQuery,
    BillingQuery,
    DictionaryQuery,
    SyncJobQuery,
    ValueMappingQuery,
    TicketQuery,
    PlanQuery,
    ReportQuery,
);

#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    ViewerMutation,
    SourceMutation,
    BillingMutation,
    DictionaryMutation,
    SyncJobMutation,
    FieldSyncMutation,
    ValueMappingMutation,
    LinkMutation,
    TicketMutation,
    SourceRecordMutation,
    PlanMutation,
    RuleMutation,
);

#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct SubscriptionRoot(SyncJobSubscription, EventSubscription);
