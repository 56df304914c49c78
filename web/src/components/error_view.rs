//! What a page shows when loading its data failed: the error, in words.

use crate::api::ApiError;
use leptos::prelude::*;

/// The error box of a page whose data could not be loaded (`ApiError`'s `Display` is a
/// sentence).
#[component]
pub fn ErrorView(error: ApiError) -> impl IntoView {
    view! {
        <div class="error-box" role="alert" data-testid="error">
            <ul>
                <li>{error.to_string()}</li>
            </ul>
        </div>
    }
}
