//! The page for a path no route matches.

use leptos::prelude::*;

/// "Page not found" with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="page narrow">
            <h1>"Page not found"</h1>
            <p>
                "There is nothing at this address. "
                <a href="/sources">"Go to the sources"</a>
            </p>
        </main>
    }
}
