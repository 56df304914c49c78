//! `/login`: email and password in, a session out; errors shown beside the form in words.

use crate::api::{viewer, ApiError};
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// The sign-in form. Signed-in visitors (and a successful sign-in) go on to `/sources`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login = Action::new_local(move |(email, password): &(String, String)| {
        let (email, password) = (email.clone(), password.clone());
        async move {
            let signed_in = viewer::login(email, password).await?;
            session.sign_in(signed_in.token, signed_in.expires_at);
            Ok::<(), ApiError>(())
        }
    });
    let pending = login.pending();
    let error = move || {
        login
            .value()
            .get()
            .and_then(Result::err)
            .map(login_error_text)
    };

    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.is_signed_in() {
            navigate(
                "/sources",
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !pending.get_untracked() {
            login.dispatch_local((email.get_untracked(), password.get_untracked()));
        }
    };

    view! {
        <main class="login-page">
            <form class="login-card" on:submit=on_submit aria-describedby="login-error">
                <h1>"Switchboard"</h1>
                <p class="muted">"Sign in to your organization."</p>
                <label for="login-email">"Email"</label>
                <input
                    id="login-email"
                    name="email"
                    type="email"
                    autocomplete="username"
                    required
                    autofocus
                    data-testid="login-email"
                    bind:value=email
                />
                <label for="login-password">"Password"</label>
                <input
                    id="login-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    data-testid="login-password"
                    bind:value=password
                />
                <div id="login-error" aria-live="polite">
                    {move || {
                        error()
                            .map(|text| {
                                view! {
                                    <p class="form-error" role="alert" data-testid="login-error">
                                        {text}
                                    </p>
                                }
                            })
                    }}
                </div>
                <button type="submit" data-testid="login-submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}

/// What a failed sign-in says. Unknown email and wrong password get the same answer.
fn login_error_text(error: ApiError) -> String {
    match error {
        ApiError::Unauthenticated(_) => "Wrong email or password.".to_owned(),
        ApiError::RateLimited { .. } => {
            "Too many attempts. Wait a minute, then try again.".to_owned()
        }
        ApiError::BadUserInput { .. } => "Enter a valid email address and a password.".to_owned(),
        other => other.to_string(),
    }
}
