//! The bar at the top of every signed-in page: the app's sections, who is signed in, log out.

use crate::api::viewer::role_label;
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::A;

/// Brand, section links, and the viewer's email, organization and role beside "Log out".
#[component]
pub fn Nav() -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let account = move || {
        me.0.get().flatten().map(|viewer| {
            let email = viewer.user.map(|user| user.email).unwrap_or_default();
            let detail = format!(
                "{} · {}",
                viewer.organization.name,
                role_label(&viewer.role)
            );
            view! {
                <span class="account-text">
                    <span class="viewer-email" data-testid="viewer-email">{email}</span>
                    <span class="viewer-org" data-testid="viewer-org">{detail}</span>
                </span>
            }
        })
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/sources">"Switchboard"</a>
            <nav class="sections" aria-label="Sections">
                <A href="/sources">"Sources"</A>
                <A href="/jobs">"Sync jobs"</A>
                <A href="/tickets">"Tickets"</A>
                <A href="/services">"Services"</A>
                <A href="/dictionary">"Dictionary"</A>
                <A href="/settings">"Settings"</A>
            </nav>
            <div class="account">
                {account}
                <button
                    type="button"
                    class="secondary"
                    data-testid="nav-logout"
                    on:click=move |_| session.sign_out()
                >
                    "Log out"
                </button>
            </div>
        </header>
    }
}
