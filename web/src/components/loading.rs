//! What a page shows while its data is on the way.

use leptos::prelude::*;

/// A quiet "Loading…" line, announced to screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status" data-testid="loading">
            "Loading…"
        </p>
    }
}
