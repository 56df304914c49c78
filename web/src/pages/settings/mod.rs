//! `/settings`: the organization's people ([`users`]: ADMIN adds them) and API tokens
//! ([`tokens`]: OPERATOR and ADMIN see them, ADMIN creates one, shown once, and revokes).

mod tokens;
mod users;

use crate::components::me::Me;
use leptos::prelude::*;
use tokens::TokensSection;
use users::UsersSection;

/// Both sections; tokens only for those who may read them.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let me = expect_context::<Me>();
    view! {
        <div class="page-head">
            <h1>"Settings"</h1>
        </div>
        <UsersSection/>
        <Show
            when=move || me.can_operate()
            fallback=|| view! { <p class="muted">"API tokens are shown to operators and admins."</p> }
        >
            <TokensSection/>
        </Show>
    }
}
