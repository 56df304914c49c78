//! `/services`: the organization's services (name, customer, type, effective date) and
//! customers (with their number of services), each searchable and paged. Picking a customer
//! lists its services. `service` is one service's page.

pub mod service;

use crate::api::services::{self, CustomerRow, Page, ServiceRow};
use crate::api::ApiError;
use crate::components::loading::Loading;
use crate::session::Session;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// How many rows one page asks for.
const PAGE_SIZE: i64 = 50;

/// Which list is shown.
#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Services,
    Customers,
}

/// The two lists behind tabs, with one search box.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let tab = RwSignal::new(Tab::Services);
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(None::<String>);
    // (id, name) of the customer whose services are listed.
    let customer = RwSignal::new(None::<(String, String)>);
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked().trim().to_owned();
        search.set((!text.is_empty()).then_some(text));
    };
    let pick_customer = Callback::new(move |picked: (String, String)| {
        typed.set(String::new());
        search.set(None);
        customer.set(Some(picked));
        tab.set(Tab::Services);
    });
    let tab_button = move |which: Tab, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                data-testid=testid
                aria-selected=move || (tab.get() == which).to_string()
                on:click=move |_| {
                    customer.set(None);
                    tab.set(which);
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="page-head">
            <h1>"Services & customers"</h1>
        </div>
        <div class="tabs" role="tablist">
            {tab_button(Tab::Services, "Services", "tab-services")}
            {tab_button(Tab::Customers, "Customers", "tab-customers")}
        </div>
        <form class="toolbar" role="search" on:submit=on_search>
            <label for="list-search" class="visually-hidden">"Search"</label>
            <input id="list-search" type="search" placeholder="Search by name" data-testid="list-search" bind:value=typed/>
            <button type="submit" data-testid="list-search-submit">"Search"</button>
        </form>
        {move || customer.get().map(|(_, name)| view! {
            <p class="filter-note" data-testid="customer-filter">
                {format!("Services of {name} ")}
                <button type="button" class="link" on:click=move |_| customer.set(None)>"Show all"</button>
            </p>
        })}
        {move || {
            let search = search.get();
            match tab.get() {
                Tab::Services => {
                    let of = customer.get().map(|c| c.0);
                    view! { <ServiceList search of/> }.into_any()
                }
                Tab::Customers => view! { <CustomerList search pick=pick_customer/> }.into_any(),
            }
        }}
    }
}

/// A list's state: `None` while its first page loads, then its rows (so far) or the error.
type Loaded<T> = RwSignal<Option<Result<Page<T>, String>>>;

/// One page of a list, on its way.
type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>, ApiError>>>>;

/// Loads a list's first page at once; the callback appends the next one ("Show more").
fn paged<T, F>(fetch: F) -> (Loaded<T>, Callback<()>)
where
    T: Clone + Send + Sync + 'static,
    F: Fn(Option<String>) -> PageFuture<T> + 'static,
{
    let state = RwSignal::new(None::<Result<Page<T>, String>>);
    let fetch = StoredValue::new_local(fetch);
    let load = move |after: Option<String>| {
        let future = fetch.with_value(|f| f(after.clone()));
        leptos::task::spawn_local(async move {
            let result = future.await.map_err(|e| e.to_string());
            state.update(|s| match (s.as_mut(), result) {
                (Some(Ok(page)), Ok(more)) if after.is_some() => {
                    page.rows.extend(more.rows);
                    page.next = more.next;
                    page.total = more.total;
                }
                (_, result) => *s = Some(result),
            });
        });
    };
    load(None);
    let more = Callback::new(move |()| {
        let cursor = state.with_untracked(|s| {
            s.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|p| p.next.clone())
        });
        if cursor.is_some() {
            load(cursor);
        }
    });
    (state, more)
}

/// The foot of a list: "n of total" and "Show more".
#[component]
fn ListFoot(shown: usize, total: i64, has_more: bool, more: Callback<()>) -> impl IntoView {
    view! {
        <div class="list-foot">
            <span class="muted small" data-testid="list-count">{format!("{shown} of {total}")}</span>
            {has_more.then(|| view! {
                <button type="button" class="secondary" data-testid="list-more" on:click=move |_| more.run(())>"Show more"</button>
            })}
        </div>
    }
}

#[component]
fn ServiceList(search: Option<String>, of: Option<String>) -> impl IntoView {
    let session = expect_context::<Session>();
    let (state, more) = paged(move |after| {
        Box::pin(services::services(
            session,
            search.clone(),
            of.clone(),
            PAGE_SIZE,
            after,
        ))
    });
    move || {
        state.get().map(|result| match result {
            Err(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
            Ok(page) if page.rows.is_empty() => view! {
                <div class="empty" data-testid="services-empty"><p class="empty-title">"No services found"</p></div>
            }
            .into_any(),
            Ok(page) => {
                let (shown, total, has_more) = (page.rows.len(), page.total, page.next.is_some());
                view! {
                    <table class="data-table" data-testid="services-table">
                        <thead><tr>
                            <th scope="col">"Service"</th><th scope="col">"Customer"</th>
                            <th scope="col">"Type"</th><th scope="col">"Effective"</th>
                        </tr></thead>
                        <tbody>{page.rows.into_iter().map(service_row).collect_view()}</tbody>
                    </table>
                    <ListFoot shown total has_more more/>
                }
                .into_any()
            }
        }).unwrap_or_else(|| view! { <Loading/> }.into_any())
    }
}

fn service_row(row: ServiceRow) -> impl IntoView {
    view! {
        <tr data-testid="service-row">
            <td data-label="Service" class="name"><a href=format!("/services/{}", row.id) data-testid="service-link">{row.name}</a></td>
            <td data-label="Customer">{row.customer.name}</td>
            <td data-label="Type">{row.service_type.name}</td>
            <td data-label="Effective">{row.effective_date}</td>
        </tr>
    }
}

#[component]
fn CustomerList(search: Option<String>, pick: Callback<(String, String)>) -> impl IntoView {
    let session = expect_context::<Session>();
    let (state, more) = paged(move |after| {
        Box::pin(services::customers(
            session,
            search.clone(),
            PAGE_SIZE,
            after,
        ))
    });
    move || {
        state.get().map(|result| match result {
            Err(e) => view! { <p class="form-error" role="alert">{e}</p> }.into_any(),
            Ok(page) if page.rows.is_empty() => view! {
                <div class="empty" data-testid="customers-empty"><p class="empty-title">"No customers found"</p></div>
            }
            .into_any(),
            Ok(page) => {
                let (shown, total, has_more) = (page.rows.len(), page.total, page.next.is_some());
                view! {
                    <table class="data-table" data-testid="customers-table">
                        <thead><tr>
                            <th scope="col">"Customer"</th><th scope="col">"Account number"</th><th scope="col">"Services"</th>
                        </tr></thead>
                        <tbody>{page.rows.into_iter().map(|row| customer_row(row, pick)).collect_view()}</tbody>
                    </table>
                    <ListFoot shown total has_more more/>
                }
                .into_any()
            }
        }).unwrap_or_else(|| view! { <Loading/> }.into_any())
    }
}

fn customer_row(row: CustomerRow, pick: Callback<(String, String)>) -> impl IntoView {
    let picked = (row.id.clone(), row.name.clone());
    view! {
        <tr data-testid="customer-row">
            <td data-label="Customer" class="name">
                <button type="button" class="link" data-testid="customer-link" on:click=move |_| pick.run(picked.clone())>
                    {row.name.clone()}
                </button>
            </td>
            <td data-label="Account number">{row.account_number.unwrap_or_else(|| "—".into())}</td>
            <td data-label="Services">{row.services.total_count}</td>
        </tr>
    }
}
