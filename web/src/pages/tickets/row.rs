//! One line of the ticket board, and how a live event changes the board's lines.

use crate::api::sources::local_time;
use crate::api::tickets::{self, EventKind, Filter, Ticket};
use leptos::prelude::*;

/// One line of the board; the summary opens the ticket.
#[component]
pub(super) fn TicketRow(
    t: Ticket,
    selected: RwSignal<Option<String>>,
    fresh: RwSignal<Vec<String>>,
) -> impl IntoView {
    let id = t.external_id.clone();
    let is_new = {
        let id = id.clone();
        Signal::derive(move || fresh.with(|f| f.contains(&id)))
    };
    let name = |r: &Option<tickets::Ref>| r.as_ref().map_or("—".to_owned(), |r| r.name.clone());
    let open_label = format!("Open ticket {}", t.summary);
    view! {
        <tr data-testid="ticket-row" data-external-id=id.clone() class:fresh=is_new>
            <td data-label="#">{t.number.clone().unwrap_or_else(|| id.clone())}</td>
            <td data-label="Summary" class="name">
                <button type="button" class="link" data-testid="ticket-open" aria-label=open_label on:click={
                    let id = id.clone();
                    move |_| selected.set(Some(id.clone()))
                }>{t.summary.clone()}</button>
                {move || is_new.get().then(|| view! { <span class="badge info">"New"</span> })}
            </td>
            <td data-label="Company">{t.company.clone().unwrap_or_else(|| "—".to_owned())}</td>
            <td data-label="Status" data-testid="ticket-status">{name(&t.status)}</td>
            <td data-label="Priority" data-testid="ticket-priority">{name(&t.priority)}</td>
            <td data-label="Updated" class="when">{local_time(t.updated_at.as_ref())}</td>
        </tr>
    }
}

/// Applies one live event to the board.
pub(super) fn on_event(
    event: tickets::Event,
    filter: RwSignal<Filter>,
    rows: RwSignal<Vec<Ticket>>,
    fresh: RwSignal<Vec<String>>,
) {
    let id = event.external_id;
    match (event.kind, event.ticket) {
        (EventKind::Deleted, _) | (_, None) => rows.update(|r| r.retain(|t| t.external_id != id)),
        (kind, Some(ticket)) => {
            let admitted = filter.with_untracked(|f| f.admits(&ticket));
            rows.update(|r| match r.iter().position(|t| t.external_id == id) {
                Some(i) if admitted => r[i] = ticket,
                Some(i) => {
                    r.remove(i);
                }
                None if admitted && matches!(kind, EventKind::Created) => {
                    fresh.update(|f| f.push(id.clone()));
                    r.insert(0, ticket);
                }
                None => {}
            });
        }
    }
}

/// A row is drawn again when what it shows changes.
pub(super) fn row_key(t: &Ticket) -> String {
    let id = |r: &Option<tickets::Ref>| r.as_ref().map(|r| r.id.clone()).unwrap_or_default();
    format!(
        "{}|{}|{}|{}|{}",
        t.external_id,
        t.updated_at.as_deref().unwrap_or_default(),
        id(&t.status),
        id(&t.priority),
        t.summary
    )
}
