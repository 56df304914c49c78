//! An input's error, shown right under it: the BAD_USER_INPUT whose `extensions.field` names
//! that input.

use crate::api::ApiError;
use leptos::prelude::*;

/// The message of `error` when it names `field` (e.g. `settings.schedule`, without `input.`).
/// `id` lets the input point at it with `aria-describedby`.
#[component]
pub fn FieldError(
    error: RwSignal<Option<ApiError>>,
    #[prop(into)] field: String,
    #[prop(into)] id: String,
) -> impl IntoView {
    let message = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some(field.as_str()))
                .map(ToString::to_string)
        })
    };
    view! {
        <p class="field-error" id=id role="alert" data-testid="field-error">
            {message}
        </p>
    }
}
