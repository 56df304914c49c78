//! The route table (every client route is here), the signed-in shell, and the `Session`
//! context every page reads.
//!
//! | route                | view                                                  |
//! | -------------------- | ----------------------------------------------------- |
//! | `/login`             | [`LoginPage`]                                         |
//! | `/`                  | shell → redirect to `/sources` (the shell sends signed-out visitors to `/login`) |
//! | `/sources`           | shell → [`SourcesPage`]                               |
//! | `/sources/new`       | shell → [`SourceFormPage`] (add)                      |
//! | `/sources/:id`       | shell → [`SourceViewPage`] (tree, search, detail)     |
//! | `/sources/:id/edit`  | shell → [`SourceFormPage`] (edit)                     |
//! | `/sources/:id/rules` | shell → [`RulesPage`] (sync rules in order)           |
//! | `/sources/:id/report`| shell → [`ReportPage`] (reconciliation, activity)     |
//! | `/plans/:id`         | shell → [`PlanPage`] (a sync plan under review)       |
//! | `/tickets`           | shell → [`TicketsPage`] (a PSA source's live board)   |
//! | `/jobs`              | shell → [`JobsPage`] (queue and history, live)        |
//! | `/jobs/:id`          | shell → [`JobPage`] (one job, live, with its log)     |
//! | `/services`          | shell → [`ServicesPage`] (services and customers)     |
//! | `/services/:id`      | shell → [`ServicePage`] (fields, links, history)      |
//! | `/dictionary`        | shell → [`DictionaryPage`] (type, field, value mappings) |
//! | `/settings`          | shell → [`SettingsPage`] (users, API tokens)          |
//!
//! The server answers unknown paths with `index.html`, so deep links reach this router.

use crate::components::{me::Me, nav::Nav};
use crate::pages::dictionary::DictionaryPage;
use crate::pages::jobs::{job::JobPage, JobsPage};
use crate::pages::plan::PlanPage;
use crate::pages::report::ReportPage;
use crate::pages::rules::RulesPage;
use crate::pages::services::{service::ServicePage, ServicesPage};
use crate::pages::settings::SettingsPage;
use crate::pages::source_form::SourceFormPage;
use crate::pages::source_view::SourceViewPage;
use crate::pages::tickets::TicketsPage;
use crate::pages::{login::LoginPage, not_found::NotFound, sources::SourcesPage};
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::{path, NavigateOptions};

/// The whole app: session context + router.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::load();
    provide_context(session);
    provide_context(Me::load(session));
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view=LoginPage/>
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("sources") view=SourcesPage/>
                    <Route path=path!("sources/new") view=SourceFormPage/>
                    <Route path=path!("sources/:id") view=SourceViewPage/>
                    <Route path=path!("sources/:id/edit") view=SourceFormPage/>
                    <Route path=path!("sources/:id/rules") view=RulesPage/>
                    <Route path=path!("sources/:id/report") view=ReportPage/>
                    <Route path=path!("plans/:id") view=PlanPage/>
                    <Route path=path!("tickets") view=TicketsPage/>
                    <Route path=path!("jobs") view=JobsPage/>
                    <Route path=path!("jobs/:id") view=JobPage/>
                    <Route path=path!("services") view=ServicesPage/>
                    <Route path=path!("services/:id") view=ServicePage/>
                    <Route path=path!("dictionary") view=DictionaryPage/>
                    <Route path=path!("settings") view=SettingsPage/>
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
