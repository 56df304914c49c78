//! `/services/:id`: one service: customer, type, package, provider, effective date; every
//! field of its type with its value; its links, live and ended (node, source, who linked and
//! unlinked it, when); and its history (field, old → new, origin, actor, node), newest
//! first, paged with "Show more".

use crate::api::jobs::enum_words;
use crate::api::links::enum_name;
use crate::api::nodes::value_text;
use crate::api::services::{self, Change, ServiceDetail, ServiceLink};
use crate::api::sources::{local_time, provider_label};
use crate::components::loader::Loader;
use crate::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

/// How many changes one page of history asks for.
const PAGE_SIZE: i64 = 25;

/// Loads the service, then shows it.
#[component]
pub fn ServicePage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let service = Loader::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        services::service(session, id)
    });
    view! {
        {service.page(|service| view! { <ServiceView service/> })}
    }
}

#[component]
fn ServiceView(service: ServiceDetail) -> impl IntoView {
    let subtitle = format!("{} · {}", service.customer.name, service.service_type.name);
    let provider = service
        .provider
        .as_ref()
        .map(provider_label)
        .unwrap_or_else(|| "—".into());
    let package = service
        .package
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_else(|| "—".into());
    view! {
        <div class="page-head">
            <div>
                <h1 data-testid="service-title">{service.name.clone()}</h1>
                <p class="muted subtitle">{subtitle}</p>
            </div>
            <div class="button-row">
                <a href="/services" class="button secondary">"All services"</a>
            </div>
        </div>
        <div class="split">
            <section class="card" aria-labelledby="service-fields-title">
                <h2 id="service-fields-title" class="card-title">"Fields"</h2>
                <table class="fields-table" data-testid="service-fields">
                    <tbody>
                        <tr><th scope="row">"Effective date"</th><td>{service.effective_date.clone()}</td></tr>
                        <tr><th scope="row">"Provider"</th><td>{provider}</td></tr>
                        <tr><th scope="row">"Package"</th><td>{package}</td></tr>
                        {service
                            .fields
                            .iter()
                            .map(|f| {
                                let value = f.value.as_ref().map(value_text).unwrap_or_else(|| "—".into());
                                view! { <tr data-testid="service-field"><th scope="row">{f.field.label.clone()}</th><td>{value}</td></tr> }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <h2 class="card-title">"Links"</h2>
                <Links links=service.links.clone()/>
            </section>
            <section class="card" aria-labelledby="service-history-title">
                <h2 id="service-history-title" class="card-title">"History"</h2>
                <History id=service.id.clone()/>
            </section>
        </div>
    }
}

/// The service's links, live first.
#[component]
fn Links(links: Vec<ServiceLink>) -> impl IntoView {
    if links.is_empty() {
        return view! { <p class="muted" data-testid="no-links">"No node is linked to this service."</p> }.into_any();
    }
    view! {
        <ul class="plain-list" data-testid="service-links">
            {links
                .into_iter()
                .map(|link| {
                    let live = link.unlinked_at.is_none();
                    let by = link.linked_by.map(|a| format!(" by {}", a.label)).unwrap_or_default();
                    let linked = format!("Linked {}{by}", local_time(Some(&link.linked_at)));
                    let ended = link.unlinked_at.as_ref().map(|at| {
                        let by = link.unlinked_by.as_ref().map(|a| format!(" by {}", a.label)).unwrap_or_default();
                        format!("Unlinked {}{by}", local_time(Some(at)))
                    });
                    let href = format!("/sources/{}", link.node.source.id);
                    let (mark, class) = if live { ("✓", "mark linked") } else { ("●", "mark unlinked") };
                    view! {
                        <li data-testid="service-link-row">
                            <span class=class aria-hidden="true">{mark}</span>
                            " "
                            <strong>{link.node.name.clone()}</strong>
                            " "
                            <span class="node-type">{link.node.type_.clone()}</span>
                            " in "
                            <a href=href>{link.node.source.name.clone()}</a>
                            <span class="when">{linked}</span>
                            {ended.map(|e| view! { <span class="when">{e}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The service's changes, a page at a time.
#[component]
fn History(id: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let rows = RwSignal::new(Vec::<Change>::new());
    let next = RwSignal::new(None::<String>);
    let total = RwSignal::new(0_i64);
    let error = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let id = StoredValue::new(id);
    let load = move |after: Option<String>| {
        loading.set(true);
        spawn_local(async move {
            match services::history(session, id.get_value(), PAGE_SIZE, after).await {
                Ok(page) => {
                    rows.update(|r| r.extend(page.rows));
                    next.set(page.next);
                    total.set(page.total);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            loading.set(false);
        });
    };
    load(None);
    view! {
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || (!loading.get() && rows.with(Vec::is_empty)).then(|| view! { <p class="muted">"No changes yet."</p> })}
        <ol class="history" data-testid="service-history">
            {move || rows.get().into_iter().map(change_line).collect_view()}
        </ol>
        {move || loading.get().then(|| view! { <p class="muted small" role="status">"Loading…"</p> })}
        {move || next.get().filter(|_| !loading.get()).map(|cursor| {
            let left = total.get() - rows.with(|r| r.len() as i64);
            view! {
                <button type="button" class="link" data-testid="history-more" on:click=move |_| load(Some(cursor.clone()))>
                    {format!("Show more ({left} more)")}
                </button>
            }
        })}
    }
}

fn change_line(change: Change) -> impl IntoView {
    let old = change
        .old_value
        .as_ref()
        .map(value_text)
        .unwrap_or_else(|| "—".into());
    let new = change
        .new_value
        .as_ref()
        .map(value_text)
        .unwrap_or_else(|| "—".into());
    let origin = enum_words(&enum_name(&change.origin));
    let from_node = change
        .node
        .map(|n| format!(" · from {}", n.name))
        .unwrap_or_default();
    let about = format!(
        "{origin} · {}{from_node} · {}",
        change.actor.label,
        local_time(Some(&change.at))
    );
    view! {
        <li data-testid="history-entry">
            <strong>{change.field.label}</strong>
            ": "
            <span class="old">{old}</span>
            " → "
            <span>{new}</span>
            <span class="when" data-testid="history-about">{about}</span>
        </li>
    }
}
