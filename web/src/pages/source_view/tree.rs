//! The node list of the source view: a tree level (roots or one node's children) or search
//! hits, a page at a time with "Show more". A tree row opens into its own [`NodeList`] of
//! children, loaded only then.

use super::{Labels, LinkMarks};
use crate::api::nodes::{self, Parent, RowPage, TreeRow};
use crate::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How many rows one page asks for.
const PAGE_SIZE: i64 = 50;

/// What a [`NodeList`] lists.
#[derive(Clone, Debug, PartialEq)]
pub enum Listing {
    /// One level of the tree.
    Tree(Parent),
    /// Search hits of source `.0` for text `.1`.
    Search(String, String),
}

/// One level of rows (or the search hits), paged.
#[component]
pub fn NodeList(
    listing: Listing,
    include_deleted: bool,
    selected: RwSignal<Option<String>>,
    labels: Labels,
) -> AnyView {
    let session = expect_context::<Session>();
    let rows = RwSignal::new(Vec::<TreeRow>::new());
    let next = RwSignal::new(None::<String>);
    let total = RwSignal::new(0_i64);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let is_search = matches!(listing, Listing::Search(..));
    let listing = StoredValue::new(listing);
    let load = move |after: Option<String>| {
        loading.set(true);
        let listing = listing.get_value();
        spawn_local(async move {
            let page: Result<RowPage, _> = match listing {
                Listing::Tree(parent) => {
                    nodes::tree_page(session, parent, include_deleted, PAGE_SIZE, after).await
                }
                Listing::Search(source, text) => {
                    nodes::search(session, source, text, include_deleted, PAGE_SIZE, after).await
                }
            };
            match page {
                Ok(page) => {
                    rows.update(|r| r.extend(page.rows));
                    next.set(page.next);
                    total.set(page.total);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            loading.set(false);
        });
    };
    load(None);
    let role = if is_search { "list" } else { "group" };
    view! {
        {move || {
            (is_search && !loading.get()).then(|| {
                view! {
                    <p class="muted small" data-testid="search-count">
                        {move || format!("{} found", total.get())}
                    </p>
                }
            })
        }}
        <ul class="tree" role=role>
            <For
                each=move || rows.get()
                key=|row| row.id.clone()
                children=move |row| view! { <TreeItem row is_search include_deleted selected labels/> }
            />
        </ul>
        {move || {
            (!loading.get() && error.get().is_none() && rows.with(Vec::is_empty))
                .then(|| {
                    let text = if is_search { "No node matches." } else { "Nothing here yet." };
                    view! { <p class="muted small" data-testid="tree-empty">{text}</p> }
                })
        }}
        {move || loading.get().then(|| view! { <p class="muted small" role="status">"Loading…"</p> })}
        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        {move || {
            (!loading.get())
                .then(|| next.get())
                .flatten()
                .map(|cursor| {
                    let left = total.get() - rows.with(|r| r.len() as i64);
                    view! {
                        <button
                            type="button"
                            class="link more"
                            data-testid="tree-more"
                            on:click=move |_| load(Some(cursor.clone()))
                        >
                            {format!("Show more ({left} more)")}
                        </button>
                    }
                })
        }}
    }
    .into_any()
}

/// One node: open/close (when it has children), its name (picks it for the detail pane),
/// its type, its link mark; and, once opened, its children.
#[component]
fn TreeItem(
    row: TreeRow,
    is_search: bool,
    include_deleted: bool,
    selected: RwSignal<Option<String>>,
    labels: Labels,
) -> AnyView {
    let open = RwSignal::new(false);
    let id = row.id.clone();
    let has_children = !is_search && row.child_count > 0;
    let is_selected = {
        let id = id.clone();
        move || selected.with(|s| s.as_deref() == Some(id.as_str()))
    };
    let toggle_label = format!("Show the children of {}", row.name);
    // Links made or ended in the detail pane since the row was read win over the row.
    let marks = use_context::<LinkMarks>();
    let linked = {
        let (id, read) = (id.clone(), row.link_state);
        Signal::derive(move || {
            marks
                .and_then(|m| m.0.with(|m| m.get(&id).copied()))
                .unwrap_or(read)
        })
    };
    let mark = move || if linked.get() { "✓" } else { "●" };
    let mark_class = move || {
        if linked.get() {
            "mark linked"
        } else {
            "mark unlinked"
        }
    };
    let mark_title = move || {
        if linked.get() {
            "Linked to a service"
        } else {
            "Not linked"
        }
    };
    let path = (is_search && !row.ancestors.is_empty()).then(|| row.ancestors.join(" › "));
    let deleted = row.deleted_at.is_some();
    let pick = {
        let id = id.clone();
        move |_| selected.set(Some(id.clone()))
    };
    let children_parent = Parent::Node(id.clone());
    view! {
        <li
            role="treeitem"
            aria-expanded=move || has_children.then(|| open.get().to_string())
            class:deleted=deleted
            data-testid="tree-node"
            data-node-id=id.clone()
        >
            <div class="tree-row" class:selected=is_selected>
                {if has_children {
                    view! {
                        <button
                            type="button"
                            class="toggle"
                            aria-label=toggle_label
                            aria-expanded=move || open.get().to_string()
                            data-testid="tree-toggle"
                            on:click=move |_| open.update(|o| *o = !*o)
                        >
                            {move || if open.get() { "▾" } else { "▸" }}
                        </button>
                    }
                        .into_any()
                } else {
                    view! { <span class="toggle-space" aria-hidden="true"></span> }.into_any()
                }}
                <span class=mark_class title=mark_title aria-label=mark_title role="img" data-testid="link-mark">
                    {mark}
                </span>
                <button type="button" class="node-name" data-testid="tree-node-name" on:click=pick>
                    {row.name.clone()}
                </button>
                <span class="node-type">{row.type_.clone()}</span>
                {has_children.then(|| view! { <span class="count">{row.child_count}</span> })}
                {deleted.then(|| view! { <span class="badge muted">"deleted"</span> })}
                {path.map(|p| view! { <span class="node-path">{p}</span> })}
            </div>
            {move || {
                open.get()
                    .then(|| {
                        view! {
                            <NodeList
                                listing=Listing::Tree(children_parent.clone())
                                include_deleted
                                selected
                                labels
                            />
                        }
                    })
            }}
        </li>
    }
    .into_any()
}
