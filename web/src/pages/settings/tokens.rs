//! API tokens: name, role, created, last used, expiry, revoked. ADMIN creates one (its secret
//! is shown once, right there) and revokes one after confirming.

use crate::api::links::enum_name;
use crate::api::settings::{self, role_words, Token, ROLES};
use crate::api::sources::local_time;
use crate::components::loader::Loader;
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;

/// The table, "Create token" and the new secret.
#[component]
pub fn TokensSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let tokens = Loader::new(move || settings::tokens(session));
    let error = RwSignal::new(None::<String>);
    let revoke = Action::new_local(move |id: &String| {
        let id = id.clone();
        async move {
            match settings::revoke_token(session, id).await {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(e.to_string())),
            }
            tokens.refetch();
        }
    });
    let table = move || {
        tokens.get().map(|result| match result {
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            Ok(list) if list.is_empty() => view! { <p class="muted" data-testid="no-tokens">"No API tokens yet."</p> }.into_any(),
            Ok(list) => view! {
                <table class="data-table" data-testid="tokens-table">
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Created"</th>
                        <th scope="col">"Last used"</th><th scope="col">"Expires"</th><th scope="col">"Status"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>{list.into_iter().map(|t| view! { <TokenRow token=t revoke/> }).collect_view()}</tbody>
                </table>
            }
            .into_any(),
        })
    };
    view! {
        <section class="section" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"API tokens"</h2>
            <p class="muted small">"Scripts use a token as a bearer token. Its role limits what it may do."</p>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {table}
            <Show when=move || me.is_admin()>
                <CreateToken created=Callback::new(move |()| tokens.refetch())/>
            </Show>
        </section>
    }
}

#[component]
fn TokenRow(token: Token, revoke: Action<String, ()>) -> impl IntoView {
    let me = expect_context::<Me>();
    let confirming = RwSignal::new(false);
    let (status, class) = if token.revoked {
        ("Revoked", "badge muted")
    } else {
        ("Active", "badge ok")
    };
    let live = !token.revoked;
    let id = token.id.clone();
    let confirm_text = format!("Revoke {}? Scripts using it stop at once.", token.name);
    view! {
        <tr data-testid="token-row">
            <td data-label="Name" class="name">{token.name.clone()}</td>
            <td data-label="Role">{role_words(&enum_name(&token.role))}</td>
            <td data-label="Created">{local_time(Some(&token.created_at))}</td>
            <td data-label="Last used">{local_time(token.last_used_at.as_ref())}</td>
            <td data-label="Expires">{local_time(token.expires_at.as_ref())}</td>
            <td data-label="Status"><span class=class data-testid="token-status">{status}</span></td>
            <td class="actions">
                <Show when=move || live && me.is_admin() && !confirming.get()>
                    <button type="button" class="secondary danger small-button" data-testid="revoke-token" on:click=move |_| confirming.set(true)>
                        "Revoke"
                    </button>
                </Show>
                <Show when=move || confirming.get()>
                    <div class="confirm" role="alertdialog">
                        <p>{confirm_text.clone()}</p>
                        <button type="button" class="danger small-button" data-testid="confirm-revoke" on:click={
                            let id = id.clone();
                            move |_| {
                                confirming.set(false);
                                revoke.dispatch_local(id.clone());
                            }
                        }>"Revoke"</button>
                        <button type="button" class="secondary small-button" on:click=move |_| confirming.set(false)>"Keep"</button>
                    </div>
                </Show>
            </td>
        </tr>
    }
}

/// Name, role, optional expiry date → "Create token"; then the secret, once.
#[component]
fn CreateToken(created: Callback<()>) -> impl IntoView {
    let session = expect_context::<Session>();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(ROLES[0].0.to_owned());
    let expires = RwSignal::new(String::new());
    let secret = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let save = Action::new_local(move |(n, r, e): &(String, String, Option<String>)| {
        let (n, r, e) = (n.clone(), r.clone(), e.clone());
        async move {
            error.set(None);
            secret.set(None);
            match settings::create_token(session, n, r, e).await {
                Ok(s) => {
                    secret.set(Some(s));
                    name.set(String::new());
                    created.run(());
                }
                Err(err) => error.set(Some(err.to_string())),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let day = expires.get_untracked();
        // The end of the chosen day, in the browser's time zone.
        let at = (!day.is_empty()).then(|| {
            let date =
                js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!("{day}T23:59:59")));
            String::from(date.to_iso_string())
        });
        save.dispatch_local((name.get_untracked(), role.get_untracked(), at));
    };
    view! {
        <form class="card form-card" data-testid="create-token" on:submit=on_submit>
            <h3>"Create token"</h3>
            <div class="grid-3">
                <div>
                    <label for="token-name">"Name"</label>
                    <input id="token-name" data-testid="token-name" bind:value=name required placeholder="nightly-export"/>
                </div>
                <div>
                    <label for="token-role">"Role"</label>
                    <select id="token-role" data-testid="token-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {ROLES.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="token-expires">"Expires (optional)"</label>
                    <input id="token-expires" type="date" bind:value=expires/>
                </div>
            </div>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {move || secret.get().map(|s| view! {
                <div class="secret-box" role="status">
                    <p>"Copy this token now: it is not shown again."</p>
                    <code data-testid="token-secret">{s}</code>
                </div>
            })}
            <div class="form-buttons">
                <button type="submit" data-testid="create-token-submit" disabled=move || save.pending().get()>"Create token"</button>
            </div>
        </form>
    }
}
