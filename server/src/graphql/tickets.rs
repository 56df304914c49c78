//! Live PSA tickets: Ticket, TicketRef, TicketMeta, TicketConnection, TicketFilter;
//! tickets, ticket, ticketMeta; createTicket, updateTicket. Nothing here is stored: each
//! operation asks the provider (services/tickets.rs).

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Utc};

use super::connection::{encode_cursor, PageArgs, PageInfo};
use super::ids::{self, Kind};
use super::nodes::SourceNodeObj;
use super::sources::SourceObj;
use super::ContextExt;
use crate::connectors::tickets::TicketRef;
use crate::connectors::TicketWrite;
use crate::error::ApiResult;
use crate::services::tickets::{self as svc, TicketFilter as Filter, TicketView};

#[derive(SimpleObject, Clone)]
#[graphql(name = "TicketRef")]
pub struct TicketRefObj {
    pub external_id: String,
    pub name: String,
}

impl From<&TicketRef> for TicketRefObj {
    fn from(r: &TicketRef) -> Self {
        TicketRefObj {
            external_id: r.external_id.clone(),
            name: r.name.clone(),
        }
    }
}

fn refs(list: &[TicketRef]) -> Vec<TicketRefObj> {
    list.iter().map(Into::into).collect()
}

/// A ticket's id: opaque like every id, naming its source and the provider's id (tickets
/// have no row of their own).
pub fn ticket_id(source_id: i64, external_id: &str) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("Ticket:{source_id}:{external_id}")))
}

pub struct TicketObj(pub TicketView);

#[Object(name = "Ticket")]
impl TicketObj {
    async fn id(&self) -> ID {
        ticket_id(self.0.source.id, &self.0.ticket.external_id)
    }
    async fn source(&self) -> SourceObj {
        SourceObj(self.0.source.as_ref().clone())
    }
    async fn external_id(&self) -> &str {
        &self.0.ticket.external_id
    }
    async fn number(&self) -> Option<&str> {
        self.0.ticket.number.as_deref()
    }
    async fn summary(&self) -> &str {
        &self.0.ticket.summary
    }
    async fn status(&self) -> Option<TicketRefObj> {
        self.0.ticket.status.as_ref().map(Into::into)
    }
    /// Through the TICKET_STATUS value mapping.
    async fn mapped_status(&self) -> Option<&str> {
        self.0.mapped_status.as_deref()
    }
    async fn priority(&self) -> Option<TicketRefObj> {
        self.0.ticket.priority.as_ref().map(Into::into)
    }
    async fn board(&self) -> Option<TicketRefObj> {
        self.0.ticket.board.as_ref().map(Into::into)
    }
    #[graphql(name = "type")]
    async fn ticket_type(&self) -> Option<TicketRefObj> {
        self.0.ticket.ticket_type.as_ref().map(Into::into)
    }
    async fn subtype(&self) -> Option<TicketRefObj> {
        self.0.ticket.subtype.as_ref().map(Into::into)
    }
    async fn item(&self) -> Option<TicketRefObj> {
        self.0.ticket.item.as_ref().map(Into::into)
    }
    /// Mapped category levels 1..3, through the ticket category value mappings.
    async fn category(&self) -> &[String] {
        &self.0.category
    }
    /// The company node of the same source, when known.
    async fn company(&self) -> Option<SourceNodeObj> {
        self.0.company.clone().map(SourceNodeObj)
    }
    async fn company_name(&self) -> Option<&str> {
        self.0.ticket.company_name.as_deref()
    }
    async fn contact_name(&self) -> Option<&str> {
        self.0.ticket.contact_name.as_deref()
    }
    async fn created_at(&self) -> Option<DateTime<Utc>> {
        self.0.ticket.created_at
    }
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.0.ticket.updated_at
    }
}

#[derive(SimpleObject)]
pub struct TicketEdge {
    pub cursor: String,
    pub node: TicketObj,
}

#[derive(SimpleObject)]
pub struct TicketConnection {
    pub edges: Vec<TicketEdge>,
    pub page_info: PageInfo,
    /// Null when the provider does not say.
    pub total_count: Option<i32>,
}

#[derive(SimpleObject)]
#[graphql(name = "TicketMeta")]
pub struct TicketMetaObj {
    boards: Vec<TicketRefObj>,
    priorities: Vec<TicketRefObj>,
    statuses: Vec<TicketRefObj>,
    refreshed_at: Option<DateTime<Utc>>,
}

#[derive(InputObject, Default)]
pub struct TicketFilter {
    board_external_ids: Option<Vec<String>>,
    status_external_ids: Option<Vec<String>>,
    company_external_id: Option<String>,
    search: Option<String>,
    updated_since: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct CreateTicketInput {
    summary: String,
    company_external_id: String,
    board_external_id: Option<String>,
    status_external_id: Option<String>,
    priority_external_id: Option<String>,
    description: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateTicketInput {
    summary: Option<String>,
    status_external_id: Option<String>,
    priority_external_id: Option<String>,
    board_external_id: Option<String>,
}

#[derive(Default)]
pub struct TicketQuery;

#[Object]
impl TicketQuery {
    async fn tickets(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
        filter: Option<TicketFilter>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<TicketConnection> {
        let viewer = ctx.viewer()?;
        let state = ctx.state()?;
        let args = PageArgs::parse(&state.keys, first, after)?;
        let source = ids::require(Kind::Source, &source_id)?;
        let f = filter.unwrap_or_default();
        let filter = Filter {
            boards: f.board_external_ids.unwrap_or_default(),
            statuses: f.status_external_ids.unwrap_or_default(),
            company: f.company_external_id.filter(|c| !c.trim().is_empty()),
            search: f.search.filter(|s| !s.trim().is_empty()),
            updated_since: f.updated_since,
        };
        let list = svc::list(state, viewer, source, filter, &args).await?;
        let edges: Vec<TicketEdge> = list
            .items
            .into_iter()
            .map(|(position, view)| TicketEdge {
                cursor: encode_cursor(&state.keys, &[serde_json::json!(position)]),
                node: TicketObj(view),
            })
            .collect();
        Ok(TicketConnection {
            page_info: PageInfo {
                has_next_page: list.has_next,
                has_previous_page: list.has_previous,
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            },
            edges,
            total_count: list.total.map(|t| i32::try_from(t).unwrap_or(i32::MAX)),
        })
    }

    /// Null when the provider has no such ticket.
    async fn ticket(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
        external_id: String,
    ) -> ApiResult<Option<TicketObj>> {
        let viewer = ctx.viewer()?;
        let source = ids::require(Kind::Source, &source_id)?;
        Ok(svc::get(ctx.state()?, viewer, source, &external_id)
            .await?
            .map(TicketObj))
    }

    async fn ticket_meta(&self, ctx: &Context<'_>, source_id: ID) -> ApiResult<TicketMetaObj> {
        let viewer = ctx.viewer()?;
        let source = ids::require(Kind::Source, &source_id)?;
        let meta = svc::meta(ctx.state()?, viewer, source).await?;
        Ok(TicketMetaObj {
            boards: refs(&meta.boards),
            priorities: refs(&meta.priorities),
            statuses: refs(&meta.statuses),
            // Read live, so as of now.
            refreshed_at: Some(Utc::now()),
        })
    }
}

#[derive(Default)]
pub struct TicketMutation;

#[Object]
impl TicketMutation {
    async fn create_ticket(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
        input: CreateTicketInput,
    ) -> ApiResult<TicketObj> {
        let viewer = ctx.viewer()?;
        let source = ids::require(Kind::Source, &source_id)?;
        let write = TicketWrite {
            summary: Some(input.summary),
            company: Some(input.company_external_id),
            board: input.board_external_id,
            status: input.status_external_id,
            priority: input.priority_external_id,
            description: input.description,
        };
        Ok(TicketObj(
            svc::create(ctx.state()?, viewer, source, write).await?,
        ))
    }

    async fn update_ticket(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
        external_id: String,
        input: UpdateTicketInput,
    ) -> ApiResult<TicketObj> {
        let viewer = ctx.viewer()?;
        let source = ids::require(Kind::Source, &source_id)?;
        let write = TicketWrite {
            summary: input.summary,
            status: input.status_external_id,
            priority: input.priority_external_id,
            board: input.board_external_id,
            ..TicketWrite::default()
        };
        Ok(TicketObj(
            svc::update(ctx.state()?, viewer, source, &external_id, write).await?,
        ))
    }
}
