//! The ways to link an unlinked node: its recommendations (score, reasons; "Use" on the top
//! one, "Link" on the others; "No match found" when there are none), a search over every
//! service to link one by hand, and "Create service" (customer, the service type mapped from
//! the node's type first, effective date) that creates a service from the node and links it.

use crate::api::links::{self, Brief, Change};
use crate::components::loader::Loader;
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;

/// Recommendations, search and "Create service" for node `node` of `node_type` (provider:
/// its GraphQL name). `run` applies a change; `busy` while one is under way.
#[component]
pub fn LinkPicker(
    node: String,
    provider: String,
    node_type: String,
    run: Callback<Change>,
    busy: Signal<bool>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let id = node.clone();
    let candidates = Loader::new(move || links::recommendations(session, id.clone()));
    let list = move || {
        candidates.get().map(|result| match result {
            Ok(list) if list.is_empty() => {
                view! { <p class="muted" data-testid="no-match">"No match found"</p> }.into_any()
            }
            Ok(list) => view! {
                <ul class="pick-list" data-testid="recommendations">
                    {list
                        .into_iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let score = format!("{:.0}%", c.score * 100.0);
                            let reasons = c.reasons.join(" · ");
                            let change = if i == 0 {
                                Change::Use(c.service.id.clone())
                            } else {
                                Change::Link(c.service.id.clone())
                            };
                            let label = if i == 0 { "Use" } else { "Link" };
                            view! {
                                <li data-testid="recommendation">
                                    <ServiceLine service=c.service/>
                                    <span class="badge info" data-testid="recommendation-score">{score}</span>
                                    <span class="when">{reasons}</span>
                                    <ActButton label change run busy/>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <h3>"Recommendations"</h3>
        {move || list().unwrap_or_else(|| view! { <p class="muted small">"Looking for matches…"</p> }.into_any())}
        <Show when=move || me.can_operate()>
            <ServiceSearch run busy/>
            <CreateService provider=provider.clone() node_type=node_type.clone() run busy/>
        </Show>
    }
}

/// A service's name and "customer · type".
#[component]
fn ServiceLine(service: Brief) -> impl IntoView {
    view! {
        <span class="pick-name">{service.name}</span>
        <span class="when">{service.detail}</span>
    }
}

/// A button that applies `change` (only for those who may, and not while one runs).
#[component]
fn ActButton(
    label: &'static str,
    change: Change,
    run: Callback<Change>,
    busy: Signal<bool>,
) -> impl IntoView {
    let me = expect_context::<Me>();
    view! {
        <Show when=move || me.can_operate()>
            <button
                type="button"
                class="small-button"
                data-testid="link-action"
                disabled=move || busy.get()
                on:click={
                    let change = change.clone();
                    move |_| run.run(change.clone())
                }
            >
                {label}
            </button>
        </Show>
    }
}

/// "Link to another service": services by name, each with "Link".
#[component]
fn ServiceSearch(run: Callback<Change>, busy: Signal<bool>) -> impl IntoView {
    let session = expect_context::<Session>();
    let typed = RwSignal::new(String::new());
    let query = RwSignal::new(None::<String>);
    let found = Loader::new(move || {
        let query = query.get();
        async move {
            match query {
                Some(text) => links::find_services(session, text).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked().trim().to_owned();
        query.set((!text.is_empty()).then_some(text));
    };
    let results = move || {
        found.get().map(|result| match result {
            Ok(None) => ().into_any(),
            Ok(Some(list)) if list.is_empty() => {
                view! { <p class="muted small" data-testid="service-none">"No service matches."</p> }.into_any()
            }
            Ok(Some(list)) => view! {
                <ul class="pick-list">
                    {list
                        .into_iter()
                        .map(|service| {
                            let change = Change::Link(service.id.clone());
                            view! {
                                <li data-testid="service-result">
                                    <ServiceLine service/>
                                    <ActButton label="Link" change run busy/>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <h3>"Link to a service"</h3>
        <form class="toolbar compact" role="search" on:submit=on_submit>
            <label for="service-search" class="visually-hidden">"Search services"</label>
            <input id="service-search" type="search" placeholder="Service name" data-testid="service-search" bind:value=typed/>
            <button type="submit" class="secondary small-button" data-testid="service-search-submit">"Search"</button>
        </form>
        {results}
    }
}

/// "Create service": a form that creates a service from the node and links it.
#[component]
fn CreateService(
    provider: String,
    node_type: String,
    run: Callback<Change>,
    busy: Signal<bool>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    let open = RwSignal::new(false);
    let customer = RwSignal::new(String::new());
    let service_type = RwSignal::new(String::new());
    let date = RwSignal::new(today());
    let choices = Loader::new(move || {
        let (provider, node_type) = (provider.clone(), node_type.clone());
        let wanted = open.get();
        async move {
            if !wanted {
                return Ok(None);
            }
            let (types, customers) =
                links::new_service_choices(session, provider, node_type).await?;
            service_type.set(types.first().map(|t| t.0.clone()).unwrap_or_default());
            customer.set(customers.first().map(|c| c.0.clone()).unwrap_or_default());
            Ok::<_, crate::api::ApiError>(Some((types, customers)))
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run.run(Change::Create {
            customer: customer.get_untracked(),
            service_type: service_type.get_untracked(),
            effective_date: date.get_untracked(),
        });
    };
    let form = move || {
        choices.get().map(|result| match result {
            Ok(None) => ().into_any(),
            Ok(Some((types, customers))) => view! {
                <form class="card inset" data-testid="create-service-form" on:submit=on_submit>
                    <label for="new-service-customer">"Customer"</label>
                    <select id="new-service-customer" data-testid="new-service-customer"
                        on:change=move |ev| customer.set(event_target_value(&ev))>
                        {customers.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                    <label for="new-service-type">"Service type"</label>
                    <select id="new-service-type" data-testid="new-service-type"
                        on:change=move |ev| service_type.set(event_target_value(&ev))>
                        {types.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                    <label for="new-service-date">"Effective date"</label>
                    <input id="new-service-date" type="date" bind:value=date/>
                    <div class="form-buttons">
                        <button type="submit" data-testid="create-service-submit" disabled=move || busy.get()>
                            "Create and link"
                        </button>
                    </div>
                </form>
            }
            .into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })
    };
    view! {
        <div class="button-row start">
            <button type="button" class="secondary small-button" data-testid="create-service"
                on:click=move |_| open.update(|o| *o = !*o)>
                "Create service"
            </button>
        </div>
        {form}
    }
}

/// Today in the browser's time zone, `YYYY-MM-DD`.
fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}
