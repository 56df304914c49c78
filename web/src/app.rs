//! The route table (every client route is here), the signed-in shell, and the `Session`
//! context every page reads.
//!
//! | route      | view                                                        |
//! | ---------- | ----------------------------------------------------------- |
//! | `/login`   | [`LoginPage`]                                               |
//! | `/`        | shell → redirect to `/sources` (the shell sends signed-out visitors to `/login`) |
//! | `/sources` | shell → [`SourcesPage`]                                     |
//!
//! The server answers unknown paths with `index.html`, so deep links reach this router.

use crate::components::nav::Nav;
use crate::pages::{login::LoginPage, not_found::NotFound, sources::SourcesPage};
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::{path, NavigateOptions};

/// The whole app: session context + router.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Session::load());
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=LoginPage/>
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("sources") view=SourcesPage/>
                    <Route path=path!("") view=|| view! { <Redirect path="/sources"/> }/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Layout of every signed-in page: the nav above the page. Sends the browser to `/login`
/// whenever the session ends (sign-out, expiry, or an UNAUTHENTICATED answer).
#[component]
fn Shell() -> impl IntoView {
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if !session.is_signed_in() {
            navigate(
                "/login",
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    view! {
        <Show when=move || session.is_signed_in()>
            <Nav/>
            <main class="page">
                <Outlet/>
            </main>
        </Show>
    }
}
