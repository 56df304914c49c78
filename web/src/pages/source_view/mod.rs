//! `/sources/:id`: one source's nodes. The tree (children loaded when a node is opened, long
//! child lists paged with "Show more"), search by name or external id, deleted nodes on
//! request, linked (green check) / unlinked (grey) marks, and a detail pane with the chosen
//! node's fields, type, external id and first/last seen.

mod detail;
mod link_pick;
mod linking;
mod tree;

use crate::api::nodes::{self, Head, Parent};
use crate::api::plans;
use crate::api::sources::{force_sync, provider_label};
use crate::api::ApiError;
use crate::components::loader::Loader;
use crate::components::me::Me;
use crate::session::Session;
use detail::DetailPane;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use std::collections::HashMap;
use tree::{Listing, NodeList};

/// Field labels by (node type, field key), from the provider's node types.
pub(crate) type Labels = StoredValue<HashMap<(String, String), String>>;

/// Link states changed in the detail pane, by node id (context): the tree's marks follow.
#[derive(Clone, Copy)]
pub(crate) struct LinkMarks(pub RwSignal<HashMap<String, bool>>);

/// Loads the source's head, then shows [`SourceView`].
#[component]
pub fn SourceViewPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let head = Loader::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        async move {
            nodes::head(session, id)
                .await?
                .ok_or_else(|| ApiError::NotFound("this source no longer exists".into()))
        }
    });
    view! {
        {head.page(|head| view! { <SourceView head/> })}
    }
}

#[component]
fn SourceView(head: Head) -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let navigate = use_navigate();
    let labels: Labels = StoredValue::new(
        head.node_types
            .iter()
            .flat_map(|t| {
                t.fields
                    .iter()
                    .map(|f| ((t.name.clone(), f.key.clone()), f.label.clone()))
            })
            .collect(),
    );
    let selected = RwSignal::new(None::<String>);
    let marks = RwSignal::new(HashMap::new());
    provide_context(LinkMarks(marks));
    let include_deleted = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let searching = RwSignal::new(None::<String>);
    let source_id = head.id.clone();
    let sync_error = RwSignal::new(None::<String>);
    // The header's linked count is read again after each link or unlink in the pane.
    let linked = RwSignal::new(head.linked_count);
    Effect::new({
        let id = source_id.clone();
        move |first: Option<()>| {
            marks.track();
            if first.is_none() {
                return;
            }
            let id = id.clone();
            spawn_local(async move {
                if let Ok(Some(head)) = nodes::head(session, id).await {
                    linked.set(head.linked_count);
                }
            });
        }
    });
    let plan = Action::new_local({
        let (source_id, navigate) = (source_id.clone(), navigate.clone());
        move |_: &()| {
            let (id, navigate) = (source_id.clone(), navigate.clone());
            async move {
                match plans::plan(session, id).await {
                    Ok(plan) => navigate(&format!("/plans/{plan}"), Default::default()),
                    Err(e) => sync_error.set(Some(e.to_string())),
                }
            }
        }
    });
    let sync = Action::new_local({
        let source_id = source_id.clone();
        move |_: &()| {
            let (id, navigate) = (source_id.clone(), navigate.clone());
            async move {
                match force_sync(session, id).await {
                    Ok(job) => navigate(&format!("/jobs/{job}"), Default::default()),
                    Err(e) => sync_error.set(Some(e.to_string())),
                }
            }
        }
    });
    let on_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked().trim().to_owned();
        searching.set((!text.is_empty()).then_some(text));
    };
    let listing = {
        let source_id = source_id.clone();
        move || {
            let include_deleted = include_deleted.get();
            let listing = match searching.get() {
                Some(text) => Listing::Search(source_id.clone(), text),
                None => Listing::Tree(Parent::Source(source_id.clone())),
            };
            view! { <NodeList listing include_deleted selected labels/> }
        }
    };
    let counts = format!(
        "{} · {} nodes · ",
        provider_label(&head.provider),
        head.node_count,
    );
    let edit_href = format!("/sources/{source_id}/edit");
    let rules_href = format!("/sources/{source_id}/rules");
    let report_href = format!("/sources/{source_id}/report");
    let tickets = is_psa(&head.provider).then(|| {
        view! { <a href=format!("/tickets?source={source_id}") class="button secondary" data-testid="view-tickets">"Tickets"</a> }
    });
    view! {
        <div class="page-head">
            <div>
                <h1 data-testid="source-title">{head.name.clone()}</h1>
                <p class="muted subtitle">
                    {counts}
                    <span data-testid="source-linked-count">{move || format!("{} linked", linked.get())}</span>
                </p>
            </div>
            <div class="button-row">
                <a href="/sources" class="button secondary">"All sources"</a>
                {tickets}
                <a href=rules_href class="button secondary" data-testid="view-rules">"Rules"</a>
                <a href=report_href class="button secondary" data-testid="view-report">"Reconciliation"</a>
                <Show when=move || me.can_operate()>
                    <a href=edit_href.clone() class="button secondary">"Edit"</a>
                    <button type="button" class="secondary" data-testid="view-plan" on:click=move |_| { plan.dispatch(()); }>
                        "Plan a sync"
                    </button>
                    <button type="button" data-testid="view-sync-now" on:click=move |_| { sync.dispatch(()); }>
                        "Sync now"
                    </button>
                </Show>
            </div>
        </div>
        {move || sync_error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        <form class="toolbar" role="search" on:submit=on_search>
            <label for="node-search" class="visually-hidden">"Search nodes"</label>
            <input
                id="node-search"
                type="search"
                placeholder="Search by name or external id"
                data-testid="node-search"
                bind:value=typed
            />
            <button type="submit" data-testid="node-search-submit">"Search"</button>
            <Show when=move || searching.get().is_some()>
                <button
                    type="button"
                    class="secondary"
                    data-testid="node-search-clear"
                    on:click=move |_| {
                        typed.set(String::new());
                        searching.set(None);
                    }
                >
                    "Show the tree"
                </button>
            </Show>
            <label class="check inline">
                <input type="checkbox" data-testid="show-deleted" bind:checked=include_deleted/>
                <span>"Show deleted nodes"</span>
            </label>
        </form>
        <div class="split">
            <section class="card tree-pane" aria-label="Nodes" data-testid="tree">
                {listing}
            </section>
            <section class="card detail-pane" aria-label="Node detail" aria-live="polite">
                {move || match selected.get() {
                    Some(id) => view! { <DetailPane id selected labels/> }.into_any(),
                    None => view! {
                        <p class="muted" data-testid="detail-empty">
                            "Pick a node to see its fields."
                        </p>
                    }
                    .into_any(),
                }}
            </section>
        </div>
    }
}

/// Whether the provider is a PSA (it has tickets).
fn is_psa(provider: &nodes::source_head::Provider) -> bool {
    use nodes::source_head::Provider as P;
    matches!(
        provider,
        P::ConnectwiseManage | P::Syncro | P::Autotask | P::Halopsa | P::KaseyaBms
    )
}
