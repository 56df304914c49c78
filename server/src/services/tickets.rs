//! Tickets, read through to the PSA and never stored (SEMANTICS.md "Tickets and events"):
//! `tickets`, `ticket`, `ticketMeta`, `createTicket`, `updateTicket`. Each ticket the provider
//! returns is dressed here: `mappedStatus` and `category` through the source's value mappings
//! (`ValueMap`), `company` resolved to the source's company node (one query per page).
//! Reads share the provider host's request budget like imports (the connector's `Upstream`).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::enums::{Provider, Role, ValueMappingKind};
use entity::prelude::*;
use entity::{source, source_node};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::live::{connector, upstream};
use super::source_settings::SourceSettings;
use super::value_mappings::{vocabulary_for, Mapped, ValueMap};
use crate::auth::Viewer;
use crate::connectors::{Ticket, TicketMeta, TicketQuery, TicketWrite};
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::PageArgs;
use crate::state::AppState;

/// A ticket as the API shows it.
#[derive(Debug, Clone)]
pub struct TicketView {
    pub source: Arc<source::Model>,
    pub ticket: Ticket,
    pub mapped_status: Option<String>,
    pub category: Vec<String>,
    pub company: Option<source_node::Model>,
}

/// A page of tickets: each with its position (the cursor key), and the provider's count.
#[derive(Debug)]
pub struct TicketList {
    pub items: Vec<(i64, TicketView)>,
    pub has_next: bool,
    pub has_previous: bool,
    pub total: Option<i64>,
}

#[derive(Debug, Default, Clone)]
pub struct TicketFilter {
    pub boards: Vec<String>,
    pub statuses: Vec<String>,
    pub company: Option<String>,
    pub search: Option<String>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// The node type a provider's tickets name as their company.
pub fn company_type(provider: Provider) -> &'static str {
    match provider {
        Provider::Syncro => "Customer",
        Provider::KaseyaBms => "Account",
        Provider::Halopsa => "Client",
        _ => "Company",
    }
}

/// A live source of the caller's organization that is a PSA.
async fn psa_source(state: &AppState, viewer: &Viewer, source_id: i64) -> ApiResult<source::Model> {
    let source = super::sources::get_live(&state.db, viewer, source_id).await?;
    let spec = crate::providers::spec(source.provider);
    if !spec.is_psa {
        return Err(ApiError::bad_input(
            "sourceId",
            format!("{} is not a PSA: it has no tickets", spec.label),
        ));
    }
    Ok(source)
}

pub async fn list(
    state: &AppState,
    viewer: &Viewer,
    source_id: i64,
    filter: TicketFilter,
    args: &PageArgs,
) -> ApiResult<TicketList> {
    let source = psa_source(state, viewer, source_id).await?;
    let after =
        match &args.after {
            None => None,
            Some(_) => Some(args.after_i64(0).ok_or_else(|| {
                ApiError::bad_input("after", "this cursor belongs to another list")
            })?),
        };
    let query = TicketQuery {
        boards: filter.boards,
        statuses: filter.statuses,
        company: filter.company,
        search: filter.search,
        updated_since: filter.updated_since,
        after,
        first: args.first as usize,
    };
    let page = connector(state, &source)?
        .tickets(&query)
        .await
        .map_err(|e| upstream(&source, e))?;
    let (positions, tickets): (Vec<i64>, Vec<Ticket>) = page.tickets.into_iter().unzip();
    let views = dress(&state.db, Arc::new(source), tickets).await?;
    Ok(TicketList {
        items: positions.into_iter().zip(views).collect(),
        has_next: page.has_next,
        has_previous: after.is_some(),
        total: page.total,
    })
}

/// One ticket; `None` when the provider has none with that id.
pub async fn get(
    state: &AppState,
    viewer: &Viewer,
    source_id: i64,
    external_id: &str,
) -> ApiResult<Option<TicketView>> {
    let source = psa_source(state, viewer, source_id).await?;
    let found = connector(state, &source)?
        .ticket(external_id.trim())
        .await
        .map_err(|e| upstream(&source, e))?;
    let Some(ticket) = found else { return Ok(None) };
    Ok(dress(&state.db, Arc::new(source), vec![ticket])
        .await?
        .pop())
}

pub async fn meta(state: &AppState, viewer: &Viewer, source_id: i64) -> ApiResult<TicketMeta> {
    let source = psa_source(state, viewer, source_id).await?;
    connector(state, &source)?
        .ticket_meta()
        .await
        .map_err(|e| upstream(&source, e))
}

/// A summary as the PSAs take it: not blank, at most 100 characters (ConnectWise's limit).
fn summary(value: &str) -> ApiResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::bad_input(
            "input.summary",
            "a ticket needs a summary",
        ));
    }
    if value.chars().count() > 100 {
        return Err(ApiError::bad_input(
            "input.summary",
            "a ticket summary has at most 100 characters",
        ));
    }
    Ok(value.to_owned())
}

fn given(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

pub async fn create(
    state: &AppState,
    viewer: &Viewer,
    source_id: i64,
    input: TicketWrite,
) -> ApiResult<TicketView> {
    viewer.require(Role::Operator)?;
    let source = psa_source(state, viewer, source_id).await?;
    let write = TicketWrite {
        summary: Some(summary(input.summary.as_deref().unwrap_or_default())?),
        company: Some(given(input.company).ok_or_else(|| {
            ApiError::bad_input("input.companyExternalId", "a ticket needs a company")
        })?),
        board: given(input.board),
        status: given(input.status),
        priority: given(input.priority),
        description: input.description.filter(|d| !d.trim().is_empty()),
    };
    let ticket = connector(state, &source)?
        .create_ticket(&write)
        .await
        .map_err(|e| upstream(&source, e))?;
    one(&state.db, source, ticket).await
}

pub async fn update(
    state: &AppState,
    viewer: &Viewer,
    source_id: i64,
    external_id: &str,
    input: TicketWrite,
) -> ApiResult<TicketView> {
    viewer.require(Role::Operator)?;
    let source = psa_source(state, viewer, source_id).await?;
    let write = TicketWrite {
        summary: input.summary.as_deref().map(summary).transpose()?,
        board: given(input.board),
        status: given(input.status),
        priority: given(input.priority),
        ..TicketWrite::default()
    };
    let connector = connector(state, &source)?;
    // A ticket the provider does not have is NOT_FOUND, not the provider's 404 in words.
    if connector
        .ticket(external_id.trim())
        .await
        .map_err(|e| upstream(&source, e))?
        .is_none()
    {
        return Err(ApiError::not_found("ticket"));
    }
    let ticket = connector
        .update_ticket(external_id.trim(), &write)
        .await
        .map_err(|e| upstream(&source, e))?;
    one(&state.db, source, ticket).await
}

async fn one(
    db: &impl ConnectionTrait,
    source: source::Model,
    ticket: Ticket,
) -> ApiResult<TicketView> {
    dress(db, Arc::new(source), vec![ticket])
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("a dressed ticket went missing")))
}

/// Tickets of one source as the API shows them: value mappings applied, companies resolved
/// to the source's live company nodes in one query. Also what ticket events are built with.
pub async fn dress(
    db: &impl ConnectionTrait,
    source: Arc<source::Model>,
    tickets: Vec<Ticket>,
) -> ApiResult<Vec<TicketView>> {
    let map = ValueMap::load(db, source.id).await?;
    let settings = SourceSettings::from_json(&source.settings);
    let mut wanted: Vec<String> = tickets.iter().filter_map(|t| t.company.clone()).collect();
    wanted.sort();
    wanted.dedup();
    let mut companies: HashMap<String, source_node::Model> = HashMap::new();
    if !wanted.is_empty() {
        let rows = SourceNode::find()
            .filter(source_node::Column::SourceId.eq(source.id))
            .filter(source_node::Column::NodeType.eq(company_type(source.provider)))
            .filter(source_node::Column::ExternalId.is_in(wanted))
            .filter(source_node::Column::DeletedAt.is_null())
            .all(db)
            .await?;
        companies.extend(rows.into_iter().map(|n| (n.external_id.clone(), n)));
    }
    Ok(tickets
        .into_iter()
        .map(|ticket| TicketView {
            mapped_status: ticket.status.as_ref().and_then(|s| {
                mapped(
                    &map,
                    ValueMappingKind::TicketStatus,
                    &s.external_id,
                    &s.name,
                )
            }),
            category: category(&map, &settings, &ticket),
            company: ticket
                .company
                .as_ref()
                .and_then(|c| companies.get(c).cloned()),
            source: source.clone(),
            ticket,
        })
        .collect())
}

/// A value through its mapping: the internal value, nothing for don't sync, else the PSA's
/// name as it is.
fn mapped(map: &ValueMap, kind: ValueMappingKind, id: &str, name: &str) -> Option<String> {
    let found = match map.map(kind, id) {
        Mapped::PassThrough => map.map(kind, name),
        other => other,
    };
    match found {
        Mapped::Value(v) => Some(v),
        Mapped::DontSync => None,
        Mapped::PassThrough => Some(name.to_owned()),
    }
}

/// The category levels 1..3: the ticket's type, subtype and item, each at the level the source
/// gives it (a field without a level is not used), through its mapping.
fn category(map: &ValueMap, settings: &SourceSettings, ticket: &Ticket) -> Vec<String> {
    use ValueMappingKind as K;
    let mut levels: Vec<(u8, String)> = [
        (K::TicketType, &ticket.ticket_type),
        (K::TicketSubtype, &ticket.subtype),
        (K::TicketItem, &ticket.item),
    ]
    .into_iter()
    .filter_map(|(kind, value)| {
        let value = value.as_ref()?;
        let level = match vocabulary_for(kind, settings)? {
            K::TicketType => 1,
            K::TicketSubtype => 2,
            _ => 3,
        };
        Some((level, mapped(map, kind, &value.external_id, &value.name)?))
    })
    .collect();
    levels.sort_by_key(|(level, _)| *level);
    levels.into_iter().map(|(_, v)| v).collect()
}
