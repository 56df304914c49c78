//! A labelled group of checkboxes picking values from a list (filters, write-back fields).

use leptos::prelude::*;

/// Checkboxes for `options` (value, label); `selected` holds the picked values. Values picked
/// earlier but missing from `options` stay listed, so saving never drops them silently.
#[component]
pub fn CheckGroup(
    #[prop(into)] legend: String,
    options: Vec<(String, String)>,
    selected: RwSignal<Vec<String>>,
    #[prop(into)] testid: String,
    /// Shown instead of the boxes when there is nothing to pick.
    #[prop(into)]
    empty: String,
) -> impl IntoView {
    let mut all = options;
    for value in selected.get_untracked() {
        if !all.iter().any(|(v, _)| *v == value) {
            all.push((value.clone(), value));
        }
    }
    let body = if all.is_empty() {
        view! { <p class="muted small">{empty}</p> }.into_any()
    } else {
        all.into_iter()
            .map(|(value, label)| {
                let checked = {
                    let value = value.clone();
                    move || selected.with(|s| s.contains(&value))
                };
                let toggle = {
                    let value = value.clone();
                    move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| {
                            s.retain(|v| *v != value);
                            if on {
                                s.push(value.clone());
                            }
                        });
                    }
                };
                view! {
                    <label class="check">
                        <input type="checkbox" value=value.clone() prop:checked=checked on:change=toggle/>
                        <span>{label}</span>
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <fieldset class="check-group" data-testid=testid>
            <legend>{legend}</legend>
            <div class="check-list">{body}</div>
        </fieldset>
    }
}
