//! `/tickets` (`?source=<id>` picks the source): a PSA source's live ticket board. Filters by
//! board, status and text; newest first, paged with "Show more"; tickets created, changed or
//! deleted upstream appear live through the `ticketEvents` subscription (over graphql-ws); a
//! ticket opens in the pane beside the list ([`detail`]) to change its status or priority.

mod detail;
mod row;

use crate::api::tickets::{self, Filter, Meta, PsaSource, Ticket, TicketEvents};
use crate::api::ws;
use crate::components::loader::Loader;
use crate::pages::jobs::live::LiveMark;
use crate::session::Session;
use detail::TicketDetail;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use row::{on_event, row_key, TicketRow};

/// How many tickets one page asks for.
const PAGE_SIZE: i64 = 25;

/// Loads the PSA sources, then shows the board of the one picked.
#[component]
pub fn TicketsPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let sources = Loader::new(move || tickets::sources(session));
    view! {
        <div class="page-head">
            <h1>"Tickets"</h1>
        </div>
        {sources.page(|list| view! { <Picker list/> })}
    }
}

/// The source picker above the board.
#[component]
fn Picker(list: Vec<PsaSource>) -> impl IntoView {
    let query = use_query_map();
    if list.is_empty() {
        return view! {
            <p class="empty" data-testid="no-psa-sources">
                "No PSA source yet: add a ConnectWise Manage or Syncro source to see its tickets."
            </p>
        }
        .into_any();
    }
    let wanted = query.read_untracked().get("source");
    let first = wanted
        .filter(|w| list.iter().any(|s| &s.id == w))
        .unwrap_or_else(|| list[0].id.clone());
    let source = RwSignal::new(first);
    let options = list
        .into_iter()
        .map(|s| {
            let selected = s.id == source.get_untracked();
            view! { <option value=s.id selected=selected>{s.name}</option> }
        })
        .collect_view();
    view! {
        <div class="toolbar compact">
            <label for="ticket-source" class="inline-label">"Source"</label>
            <select id="ticket-source" data-testid="ticket-source" on:change=move |ev| source.set(event_target_value(&ev))>
                {options}
            </select>
        </div>
        {move || {
            let source_id = source.get();
            view! { <SourceBoard source_id/> }
        }}
    }
    .into_any()
}

/// One source's board: its boards, statuses and priorities first, then the list.
#[component]
fn SourceBoard(source_id: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let id = source_id.clone();
    let meta = Loader::new(move || tickets::meta(session, id.clone()));
    view! {
        {meta.page(move |meta| view! { <Board source_id=source_id.clone() meta/> })}
    }
}

#[component]
fn Board(source_id: String, meta: Meta) -> impl IntoView {
    let session = expect_context::<Session>();
    let source = StoredValue::new(source_id);
    let meta = StoredValue::new(meta);
    let filter = RwSignal::new(Filter::default());
    let typed = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<Ticket>::new());
    // Tickets that arrived live since the page was opened (marked "New").
    let fresh = RwSignal::new(Vec::<String>::new());
    let next = RwSignal::new(None::<String>);
    let total = RwSignal::new(None::<i64>);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let selected = RwSignal::new(None::<String>);
    let load = move |after: Option<String>| {
        loading.set(true);
        let first_page = after.is_none();
        let filter = filter.get_untracked();
        spawn_local(async move {
            match tickets::list(session, source.get_value(), filter, PAGE_SIZE, after).await {
                Ok(page) => {
                    rows.update(|r| {
                        if first_page {
                            r.clear();
                        }
                        r.extend(page.rows);
                    });
                    next.set(page.next);
                    total.set(page.total);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            loading.set(false);
        });
    };
    Effect::new(move |_| {
        filter.track();
        load(None);
    });
    let live = RwSignal::new(false);
    if let Some(token) = session.token() {
        let subscription = ws::subscribe::<TicketEvents, tickets::EventData>(
            token,
            tickets::ticket_events::Variables {
                source_id: Some(source.get_value()),
                board_external_ids: None,
            },
            move |data| on_event(data.ticket_events, filter, rows, fresh),
            move |up| live.set(up),
        );
        // Dropped (closing the socket) when the board goes.
        StoredValue::new_local(subscription);
    }
    let pick = move |ev: leptos::ev::Event, board: bool| {
        let value = event_target_value(&ev);
        let value = (!value.is_empty()).then_some(value);
        filter.update(|f| {
            if board {
                f.board = value;
            } else {
                f.status = value;
            }
        });
    };
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked().trim().to_owned();
        filter.update(|f| f.search = (!text.is_empty()).then_some(text));
    };
    let options = |refs: Vec<tickets::Ref>| {
        refs.into_iter()
            .map(|r| view! { <option value=r.id>{r.name}</option> })
            .collect_view()
    };
    let saved = Callback::new(move |ticket: Ticket| {
        rows.update(|r| {
            if let Some(row) = r.iter_mut().find(|t| t.external_id == ticket.external_id) {
                *row = ticket;
            }
        });
    });
    view! {
        <form class="toolbar" role="search" on:submit=on_search data-testid="ticket-filters">
            <label class="inline-label" for="ticket-board">"Board"</label>
            <select id="ticket-board" data-testid="ticket-board" on:change=move |ev| pick(ev, true)>
                <option value="">"All boards"</option>
                {options(meta.with_value(|m| m.boards.clone()))}
            </select>
            <label class="inline-label" for="ticket-status">"Status"</label>
            <select id="ticket-status" data-testid="ticket-status-filter" on:change=move |ev| pick(ev, false)>
                <option value="">"Any status"</option>
                {options(meta.with_value(|m| m.statuses.clone()))}
            </select>
            <label for="ticket-search" class="visually-hidden">"Search tickets"</label>
            <input id="ticket-search" type="search" placeholder="Search summary" data-testid="ticket-search" bind:value=typed/>
            <button type="submit">"Search"</button>
            <LiveMark live/>
        </form>
        {move || error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="tickets-error">{e}</p> })}
        <div class="split">
            <section class="card" aria-label="Tickets">
                <p class="muted small" data-testid="ticket-count">
                    {move || match total.get() {
                        Some(n) => format!("{n} tickets"),
                        None => format!("{} tickets shown", rows.with(Vec::len)),
                    }}
                </p>
                <table class="data-table" data-testid="ticket-board-table">
                    <thead>
                        <tr>
                            <th>"#"</th>
                            <th>"Summary"</th>
                            <th>"Company"</th>
                            <th>"Status"</th>
                            <th>"Priority"</th>
                            <th>"Updated"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|t| row_key(t) let:t>
                            <TicketRow t selected fresh/>
                        </For>
                    </tbody>
                </table>
                {move || (!loading.get() && rows.with(Vec::is_empty)).then(|| view! { <p class="muted">"No tickets match."</p> })}
                {move || {
                    (!loading.get()).then(|| next.get()).flatten().map(|cursor| view! {
                        <button type="button" class="secondary" data-testid="tickets-more" on:click=move |_| load(Some(cursor.clone()))>
                            "Show more"
                        </button>
                    })
                }}
            </section>
            <section class="card detail-pane" aria-label="Ticket" aria-live="polite">
                {move || {
                    let picked = selected.get().and_then(|id| rows.with(|r| r.iter().find(|t| t.external_id == id).cloned()));
                    match picked {
                        Some(ticket) => view! {
                            <TicketDetail ticket source_id=source.get_value() meta=meta.get_value() saved/>
                        }
                        .into_any(),
                        None => view! { <p class="muted">"Open a ticket to change its status or priority."</p> }.into_any(),
                    }
                }}
            </section>
        </div>
    }
}
