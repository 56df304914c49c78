//! The ticket board's data (`graphql/tickets.graphql`): the PSA sources, a source's boards,
//! statuses and priorities, its tickets filtered and paged, a change of status or priority,
//! and the `ticketEvents` subscription. Every operation's ticket is read straight into one
//! [`Ticket`] (one reader for all of them; the generated ticket types are not read at all).

use super::connection::{Edge, PageInfo};
use super::json::{field, FromJson};
use super::{ApiError, DateTime};
use crate::session::Session;
use serde_json::Value;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/tickets.graphql";
    /// `query TicketSources`: sources of providers that have tickets.
    TicketSources,
    /// `query TicketMeta`: boards, statuses, priorities.
    TicketMeta,
    /// `query Tickets`: newest first, filtered.
    Tickets,
    /// `mutation UpdateTicket`.
    UpdateTicket,
);

operations!("graphql/tickets.graphql", [response_derives = "Debug, Clone, PartialEq", variables_derives = "Debug, Clone"];
    /// `subscription TicketEvents` (sent over graphql-ws by [`super::ws`]).
    TicketEvents,
);

pub use ticket_events::TicketEventKind as EventKind;

via_serde!(EventKind);

/// A board, status or priority: the provider's id and name.
#[derive(Clone, Debug, PartialEq)]
pub struct Ref {
    pub id: String,
    pub name: String,
}

impl FromJson for Ref {
    fn from_json(value: &Value) -> Option<Self> {
        Some(Self {
            id: FromJson::from_json(field(value, "external_id"))?,
            name: FromJson::from_json(field(value, "name"))?,
        })
    }
}

/// A ticket as the board shows it (the `TicketFields` fragment).
#[derive(Clone, Debug, PartialEq)]
pub struct Ticket {
    pub external_id: String,
    pub number: Option<String>,
    pub summary: String,
    pub status: Option<Ref>,
    pub priority: Option<Ref>,
    pub board: Option<Ref>,
    pub company: Option<String>,
    pub contact: Option<String>,
    pub updated_at: Option<DateTime>,
}

impl FromJson for Ticket {
    fn from_json(value: &Value) -> Option<Self> {
        let read = |name| field(value, name);
        Some(Self {
            external_id: FromJson::from_json(read("external_id"))?,
            number: FromJson::from_json(read("number"))?,
            summary: FromJson::from_json(read("summary"))?,
            status: FromJson::from_json(read("status"))?,
            priority: FromJson::from_json(read("priority"))?,
            board: FromJson::from_json(read("board"))?,
            company: FromJson::from_json(read("company_name"))?,
            contact: FromJson::from_json(read("contact_name"))?,
            updated_at: FromJson::from_json(read("updated_at"))?,
        })
    }
}

from_json! {
/// The data of `Tickets`.
struct TicketsData {
    tickets: TicketPage,
}

/// `totalCount` is null when the provider does not say.
struct TicketPage {
    total_count: Option<i64>,
    page_info: PageInfo,
    edges: Vec<Edge<Ticket>>,
}

/// The data of `UpdateTicket`.
struct UpdateData {
    update_ticket: Ticket,
}

/// The data of the `ticketEvents` subscription.
pub struct EventData {
    pub ticket_events: Event,
}

/// A ticket created, changed or deleted upstream.
pub struct Event {
    pub kind: EventKind,
    pub external_id: String,
    pub ticket: Option<Ticket>,
}

/// The data of `TicketMeta`.
struct MetaData {
    ticket_meta: Meta,
}
}

/// A source whose provider has tickets.
#[derive(Clone, Debug, PartialEq)]
pub struct PsaSource {
    pub id: String,
    pub name: String,
}

/// The organization's sources of providers with tickets, in the server's order.
pub async fn sources(session: Session) -> Result<Vec<PsaSource>, ApiError> {
    let data = session
        .run::<TicketSources>(ticket_sources::Variables)
        .await?;
    let unreadable = super::json::unreadable;
    // Providers are compared by their GraphQL names.
    let with_tickets: Vec<&str> = data["providers"]
        .as_array()
        .ok_or_else(unreadable)?
        .iter()
        .filter(|p| p["hasTickets"].as_bool() == Some(true))
        .filter_map(|p| p["provider"].as_str())
        .collect();
    let edges = data["sources"]["edges"].as_array().ok_or_else(unreadable)?;
    Ok(edges
        .iter()
        .map(|e| &e["node"])
        .filter(|s| {
            s["provider"]
                .as_str()
                .is_some_and(|p| with_tickets.contains(&p))
        })
        .filter_map(|s| {
            Some(PsaSource {
                id: s["id"].as_str()?.to_owned(),
                name: s["name"].as_str()?.to_owned(),
            })
        })
        .collect())
}

from_json! {
/// A source's boards, statuses and priorities.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub boards: Vec<Ref>,
    pub statuses: Vec<Ref>,
    pub priorities: Vec<Ref>,
}
}

pub async fn meta(session: Session, source_id: String) -> Result<Meta, ApiError> {
    Ok(session
        .call_as::<TicketMeta, MetaData>(ticket_meta::Variables { source_id })
        .await?
        .ticket_meta)
}

/// What the board is filtered by (empty: everything).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub board: Option<String>,
    pub status: Option<String>,
    pub search: Option<String>,
}

impl Filter {
    /// Whether a ticket that arrived live belongs on the board.
    pub fn admits(&self, t: &Ticket) -> bool {
        let is = |want: &Option<String>, got: &Option<Ref>| {
            want.as_ref()
                .is_none_or(|w| got.as_ref().is_some_and(|r| &r.id == w))
        };
        let text = self.search.as_ref().is_none_or(|s| {
            let s = s.to_lowercase();
            t.summary.to_lowercase().contains(&s)
                || t.company
                    .as_ref()
                    .is_some_and(|c| c.to_lowercase().contains(&s))
        });
        is(&self.board, &t.board) && is(&self.status, &t.status) && text
    }
}

/// A page of tickets and the cursor of the next one.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub rows: Vec<Ticket>,
    pub total: Option<i64>,
    pub next: Option<String>,
}

pub async fn list(
    session: Session,
    source_id: String,
    filter: Filter,
    first: i64,
    after: Option<String>,
) -> Result<Page, ApiError> {
    let one = |v: Option<String>| v.map(|v| vec![v]);
    let data = session
        .call_as::<Tickets, TicketsData>(tickets::Variables {
            source_id,
            filter: Some(tickets::TicketFilter {
                board_external_ids: one(filter.board),
                status_external_ids: one(filter.status),
                company_external_id: None,
                search: filter.search,
                updated_since: None,
            }),
            first: Some(first),
            after,
        })
        .await?
        .tickets;
    Ok(Page {
        rows: data.edges.into_iter().map(|e| e.node).collect(),
        total: data.total_count,
        next: data
            .page_info
            .has_next_page
            .then_some(data.page_info.end_cursor)
            .flatten(),
    })
}

/// Changes a ticket's status or priority (`None`: left as it is); the ticket as it is now.
pub async fn update(
    session: Session,
    source_id: String,
    external_id: String,
    status: Option<String>,
    priority: Option<String>,
) -> Result<Ticket, ApiError> {
    let data = session
        .call_as::<UpdateTicket, UpdateData>(update_ticket::Variables {
            source_id,
            external_id,
            input: update_ticket::UpdateTicketInput {
                summary: None,
                status_external_id: status,
                priority_external_id: priority,
                board_external_id: None,
            },
        })
        .await?;
    Ok(data.update_ticket)
}
