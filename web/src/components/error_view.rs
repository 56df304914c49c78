//! The fallback of `<ErrorBoundary>`: the errors a page ran into, in words.

use leptos::prelude::*;

/// Lists the boundary's errors (each an `ApiError`, whose `Display` is a sentence).
#[component]
pub fn ErrorView(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div class="error-box" role="alert" data-testid="error">
            <ul>
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|(_, error)| view! { <li>{error.to_string()}</li> })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
