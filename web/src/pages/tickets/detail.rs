//! An open ticket beside the board: what it is about, and its status and priority to change
//! (written to the provider with `updateTicket`; its refusal is shown under the form).

use crate::api::sources::local_time;
use crate::api::tickets::{self, Meta, Ref, Ticket};
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;

/// `saved` gets the ticket as the provider has it after a change.
#[component]
pub fn TicketDetail(
    ticket: Ticket,
    source_id: String,
    meta: Meta,
    saved: Callback<Ticket>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let current = |r: &Option<Ref>| r.as_ref().map(|r| r.id.clone()).unwrap_or_default();
    let status = RwSignal::new(current(&ticket.status));
    let priority = RwSignal::new(current(&ticket.priority));
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let before = StoredValue::new((status.get_untracked(), priority.get_untracked()));
    let ids = StoredValue::new((source_id, ticket.external_id.clone()));
    let save = Action::new_local(move |_: &()| {
        let (old_status, old_priority) = before.get_value();
        let (source, external) = ids.get_value();
        let changed = |new: String, old: String| (!new.is_empty() && new != old).then_some(new);
        let status = changed(status.get_untracked(), old_status);
        let priority = changed(priority.get_untracked(), old_priority);
        async move {
            error.set(None);
            done.set(false);
            if status.is_none() && priority.is_none() {
                error.set(Some(
                    "Nothing to save: pick another status or priority.".to_owned(),
                ));
                return;
            }
            match tickets::update(session, source, external, status, priority).await {
                Ok(ticket) => {
                    done.set(true);
                    saved.run(ticket);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(());
    };
    let options = |refs: &[Ref], picked: &str| {
        let mut list = refs.to_vec();
        // A value the meta does not list (closed boards, renamed statuses) stays pickable.
        if !picked.is_empty() && !list.iter().any(|r| r.id == picked) {
            list.push(Ref {
                id: picked.to_owned(),
                name: picked.to_owned(),
            });
        }
        let picked = picked.to_owned();
        list.into_iter()
            .map(|r| {
                let on = r.id == picked;
                view! { <option value=r.id selected=on>{r.name}</option> }
            })
            .collect_view()
    };
    let name = |r: &Option<Ref>| r.as_ref().map_or("—".to_owned(), |r| r.name.clone());
    let title = match &ticket.number {
        Some(n) => format!("#{n} {}", ticket.summary),
        None => ticket.summary.clone(),
    };
    let meta = StoredValue::new(meta);
    view! {
        <div class="detail" data-testid="ticket-detail">
            <h2 data-testid="ticket-title">{title}</h2>
            <dl class="facts">
                <dt>"Company"</dt>
                <dd>{ticket.company.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"Contact"</dt>
                <dd>{ticket.contact.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"Board"</dt>
                <dd>{name(&ticket.board)}</dd>
                <dt>"Status"</dt>
                <dd data-testid="ticket-detail-status">{name(&ticket.status)}</dd>
                <dt>"Priority"</dt>
                <dd>{name(&ticket.priority)}</dd>
                <dt>"Updated"</dt>
                <dd>{local_time(ticket.updated_at.as_ref())}</dd>
            </dl>
            <Show when=move || me.can_operate()>
                <form class="form" data-testid="ticket-form" on:submit=on_submit>
                    <label>
                        "Status"
                        <select data-testid="ticket-status-select" on:change=move |ev| status.set(event_target_value(&ev))>
                            {meta.with_value(|m| options(&m.statuses, &status.get_untracked()))}
                        </select>
                    </label>
                    <label>
                        "Priority"
                        <select data-testid="ticket-priority-select" on:change=move |ev| priority.set(event_target_value(&ev))>
                            {meta.with_value(|m| options(&m.priorities, &priority.get_untracked()))}
                        </select>
                    </label>
                    <p class="form-error" role="alert" data-testid="ticket-error">{move || error.get()}</p>
                    {move || done.get().then(|| view! { <p class="test-ok" role="status" data-testid="ticket-saved">"Saved."</p> })}
                    <button type="submit" data-testid="ticket-save" disabled=move || save.pending().get()>
                        {move || if save.pending().get() { "Saving…" } else { "Save" }}
                    </button>
                </form>
            </Show>
        </div>
    }
}
