//! `/plans/:id`: a sync plan under review. Every change the next field sync would make (field
//! updates, write-backs, links and services rules would make), a page at a time; "Apply plan"
//! runs exactly those as a job and opens it. A plan whose data moved since it was made is
//! refused (CONFLICT): the page says so in words and offers a fresh plan.

use crate::api::nodes::value_text;
use crate::api::plans::{self, action_label, Change, PlanPage};
use crate::api::sources::local_time;
use crate::api::ApiError;
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

/// How many changes one page asks for.
const PAGE_SIZE: i64 = 50;

#[component]
pub fn PlanPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let id = params.read().get("id").unwrap_or_default();
        view! { <PlanView id/> }
    }
}

#[component]
fn PlanView(id: String) -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let navigate = use_navigate();
    let plan_id = StoredValue::new(id);
    let head = RwSignal::new(None::<PlanPage>);
    let changes = RwSignal::new(Vec::<Change>::new());
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let apply_error = RwSignal::new(None::<String>);
    let stale = RwSignal::new(false);
    let load = move |after: Option<String>| {
        loading.set(true);
        let fresh = after.is_none();
        spawn_local(async move {
            match plans::page(session, plan_id.get_value(), PAGE_SIZE, after).await {
                Ok(Some(mut page)) => {
                    let rows = std::mem::take(&mut page.changes);
                    changes.update(|c| {
                        if fresh {
                            c.clear();
                        }
                        c.extend(rows);
                    });
                    head.set(Some(page));
                    error.set(None);
                }
                Ok(None) => error.set(Some("This plan no longer exists.".to_owned())),
                Err(e) => error.set(Some(e.to_string())),
            }
            loading.set(false);
        });
    };
    load(None);
    let apply = Action::new_local({
        let navigate = navigate.clone();
        move |_: &()| {
            let navigate = navigate.clone();
            async move {
                apply_error.set(None);
                match plans::apply(session, plan_id.get_value()).await {
                    Ok(job) => navigate(&format!("/jobs/{job}"), Default::default()),
                    Err(ApiError::Conflict(_)) => {
                        stale.set(true);
                        apply_error.set(Some(
                            "This plan is out of date: the data changed since it was made (or it was applied already). Nothing was written. Make a new plan and review it again.".to_owned(),
                        ));
                    }
                    Err(e) => apply_error.set(Some(e.to_string())),
                }
            }
        }
    });
    let replan = Action::new_local(move |_: &()| {
        let navigate = navigate.clone();
        async move {
            let Some(source) = head.with_untracked(|h| h.as_ref().map(|h| h.source_id.clone()))
            else {
                return;
            };
            match plans::plan(session, source).await {
                Ok(id) => navigate(&format!("/plans/{id}"), Default::default()),
                Err(e) => apply_error.set(Some(e.to_string())),
            }
        }
    });
    let summary = move || {
        head.get().map(|h| {
            let source_href = format!("/sources/{}", h.source_id);
            let applied = h.applied_by.clone().map(|job| {
                view! { <p class="badge ok" data-testid="plan-applied">"Applied — " <a href=format!("/jobs/{job}")>"see the job"</a></p> }
            });
            view! {
                <p class="muted subtitle">
                    <a href=source_href>{h.source_name.clone()}</a>
                    {format!(" · planned {} · ", local_time(Some(&h.created_at)))}
                    <span data-testid="plan-total">{format!("{} changes", h.total)}</span>
                </p>
                {applied}
            }
        })
    };
    let can_apply = move || {
        me.can_operate()
            && head.with(|h| {
                h.as_ref()
                    .is_some_and(|h| h.applied_by.is_none() && h.total > 0)
            })
    };
    view! {
        <div class="page-head">
            <div>
                <h1>"Sync plan"</h1>
                {summary}
            </div>
            <div class="button-row">
                <Show when=can_apply>
                    <button type="button" data-testid="apply-plan" disabled=move || apply.pending().get() on:click=move |_| { apply.dispatch(()); }>
                        {move || if apply.pending().get() { "Applying…" } else { "Apply plan" }}
                    </button>
                </Show>
                <Show when=move || stale.get()>
                    <button type="button" class="secondary" data-testid="replan" on:click=move |_| { replan.dispatch(()); }>
                        "Make a new plan"
                    </button>
                </Show>
            </div>
        </div>
        {move || apply_error.get().map(|e| view! { <p class="form-error" role="alert" data-testid="apply-error">{e}</p> })}
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <section class="card" aria-label="Planned changes">
            <table class="data-table" data-testid="plan-changes">
                <thead>
                    <tr>
                        <th>"Change"</th>
                        <th>"Node"</th>
                        <th>"Service"</th>
                        <th>"Field"</th>
                        <th>"Now"</th>
                        <th>"After"</th>
                        <th>"Why"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || changes.get().into_iter().map(|c| view! { <ChangeRow c/> }).collect_view()}
                </tbody>
            </table>
            {move || {
                (!loading.get() && changes.with(Vec::is_empty))
                    .then(|| view! { <p class="muted" data-testid="plan-empty">"Nothing to change: services and the provider agree."</p> })
            }}
            {move || {
                (!loading.get())
                    .then(|| head.with(|h| h.as_ref().and_then(|h| h.next.clone())))
                    .flatten()
                    .map(|cursor| view! {
                        <button type="button" class="secondary" data-testid="plan-more" on:click=move |_| load(Some(cursor.clone()))>
                            "Show more"
                        </button>
                    })
            }}
        </section>
    }
}

#[component]
fn ChangeRow(c: Change) -> impl IntoView {
    let node = format!("{} · {}", c.node.type_, c.node.name);
    let service = match &c.service {
        Some(s) => view! { <a href=format!("/services/{}", s.id)>{s.name.clone()}</a> }.into_any(),
        None => view! { <span class="muted">"(new)"</span> }.into_any(),
    };
    let field = c.field.as_ref().map_or("—".to_owned(), |f| f.label.clone());
    let why = match &c.rule {
        Some(rule) => format!("{} (rule {})", c.reason, rule.name),
        None => c.reason.clone(),
    };
    let old = c.old_value.as_ref().map_or("—".to_owned(), value_text);
    let new = c.new_value.as_ref().map_or("—".to_owned(), value_text);
    view! {
        <tr data-testid="plan-change">
            <td data-label="Change"><span class="badge info">{action_label(&c.action).to_owned()}</span></td>
            <td data-label="Node" class="name">{node}</td>
            <td data-label="Service">{service}</td>
            <td data-label="Field">{field}</td>
            <td data-label="Now" class="muted">{old}</td>
            <td data-label="After" data-testid="plan-new-value">{new}</td>
            <td data-label="Why" class="small">{why}</td>
        </tr>
    }
}
