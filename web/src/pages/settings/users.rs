//! The users of the organization (name, email, role, since), and for ADMIN a form to add one;
//! an error appears under the input it names.

use crate::api::links::enum_name;
use crate::api::settings::{self, role_words, NewUser, ROLES};
use crate::api::sources::local_time;
use crate::api::ApiError;
use crate::components::field_error::FieldError;
use crate::components::loader::Loader;
use crate::components::me::Me;
use crate::session::Session;
use leptos::prelude::*;

/// The table and, for ADMIN, "Add user".
#[component]
pub fn UsersSection() -> impl IntoView {
    let session = expect_context::<Session>();
    let me = expect_context::<Me>();
    let users = Loader::new(move || settings::users(session));
    let table = move || {
        users.get().map(|result| match result {
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            Ok(list) => view! {
                <table class="data-table" data-testid="users-table">
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Email"</th>
                        <th scope="col">"Role"</th><th scope="col">"Since"</th>
                    </tr></thead>
                    <tbody>
                        {list
                            .into_iter()
                            .map(|u| view! {
                                <tr data-testid="user-row">
                                    <td data-label="Name" class="name">{u.name}</td>
                                    <td data-label="Email">{u.email}</td>
                                    <td data-label="Role">{role_words(&enum_name(&u.role))}</td>
                                    <td data-label="Since">{local_time(Some(&u.created_at))}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any(),
        })
    };
    view! {
        <section class="section" aria-labelledby="users-title">
            <h2 id="users-title">"Users"</h2>
            {table}
            <Show when=move || me.is_admin()>
                <AddUser added=Callback::new(move |()| users.refetch())/>
            </Show>
        </section>
    }
}

/// Name, email, password, role → "Add user".
#[component]
fn AddUser(added: Callback<()>) -> impl IntoView {
    let session = expect_context::<Session>();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(ROLES[0].0.to_owned());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let save = Action::new_local(move |new: &NewUser| {
        let new = new.clone();
        async move {
            error.set(None);
            done.set(None);
            let who = new.email.clone();
            match settings::create_user(session, new).await {
                Ok(()) => {
                    done.set(Some(format!("{who} can sign in now.")));
                    name.set(String::new());
                    email.set(String::new());
                    password.set(String::new());
                    added.run(());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch_local(NewUser {
            email: email.get_untracked(),
            name: name.get_untracked(),
            password: password.get_untracked(),
            role: role.get_untracked(),
        });
    };
    // Errors that name no input of the form.
    let general = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| !matches!(e.field(), Some("email" | "name" | "password")))
                .map(ToString::to_string)
        })
    };
    view! {
        <form class="card form-card" data-testid="add-user" on:submit=on_submit>
            <h3>"Add user"</h3>
            <div class="grid-2">
                <div>
                    <label for="user-name">"Name"</label>
                    <input id="user-name" data-testid="user-name" bind:value=name required/>
                    <FieldError error field="name" id="user-name-error"/>
                </div>
                <div>
                    <label for="user-email">"Email"</label>
                    <input id="user-email" type="email" data-testid="user-email" bind:value=email required aria-describedby="user-email-error"/>
                    <FieldError error field="email" id="user-email-error"/>
                </div>
                <div>
                    <label for="user-password">"Password"</label>
                    <input id="user-password" type="password" autocomplete="new-password" data-testid="user-password" bind:value=password aria-describedby="user-password-error"/>
                    <p class="hint">"At least 8 characters."</p>
                    <FieldError error field="password" id="user-password-error"/>
                </div>
                <div>
                    <label for="user-role">"Role"</label>
                    <select id="user-role" data-testid="user-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {ROLES.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            {move || general().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {move || done.get().map(|d| view! { <p class="test-ok" role="status" data-testid="user-added">{d}</p> })}
            <div class="form-buttons">
                <button type="submit" data-testid="add-user-submit" disabled=move || save.pending().get()>"Add user"</button>
            </div>
        </form>
    }
}
