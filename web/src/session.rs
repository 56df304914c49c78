//! The signed-in session, shared as context: the bearer token from `login`, kept in
//! `localStorage` so a reload stays signed in.
//!
//! The token is dropped (and the shell sends the browser to `/login`) when the server answers
//! UNAUTHENTICATED to any call, or when its `expiresAt` has passed.

use crate::api::{self, ApiError};
use graphql_client::GraphQLQuery;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The `localStorage` key holding the JSON of [`Stored`].
const STORAGE_KEY: &str = "switchboard.session";

/// Longest delay `setTimeout` honours (2^31 - 1 ms); longer ones fire at once.
const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// What is kept between page loads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Stored {
    token: String,
    /// RFC 3339, as `login` returned it.
    expires_at: String,
}

impl Stored {
    /// Milliseconds since the epoch; `None` when the server's text does not parse.
    fn expires_at_ms(&self) -> Option<f64> {
        let ms = js_sys::Date::parse(&self.expires_at);
        (!ms.is_nan()).then_some(ms)
    }

    fn is_expired(&self) -> bool {
        self.expires_at_ms()
            .is_some_and(|ms| ms <= js_sys::Date::now())
    }
}

/// The session context: cheap to copy, reactive (`is_signed_in` is tracked).
#[derive(Clone, Copy, Debug)]
pub struct Session {
    stored: RwSignal<Option<Stored>>,
}

impl Session {
    /// Reads the token saved by an earlier page load, dropping it if it has expired.
    pub fn load() -> Self {
        let stored = read_storage().filter(|stored| !stored.is_expired());
        if stored.is_none() {
            remove_storage();
        }
        let session = Self {
            stored: RwSignal::new(stored),
        };
        session.schedule_expiry();
        session
    }

    /// Whether a token is held (tracked: views and effects re-run on sign-in and sign-out).
    pub fn is_signed_in(&self) -> bool {
        self.stored.with(Option::is_some)
    }

    /// Keeps a token from `login`.
    pub fn sign_in(&self, token: String, expires_at: String) {
        let stored = Stored { token, expires_at };
        write_storage(&stored);
        self.stored.set(Some(stored));
        self.schedule_expiry();
    }

    /// Forgets the token; the shell then sends the browser to `/login`.
    pub fn sign_out(&self) {
        remove_storage();
        self.stored.set(None);
    }

    /// Runs an operation with the token and reads its data into `T`, a hand-written type (see
    /// [`crate::api::json`]; the generated response types are not read). UNAUTHENTICATED (or a
    /// token that has expired meanwhile) signs out.
    pub async fn call_as<Q: GraphQLQuery, T: crate::api::json::FromJson>(
        self,
        variables: Q::Variables,
    ) -> Result<T, ApiError> {
        api::json::read(&self.run::<Q>(variables).await?)
    }

    /// [`Session::call_as`] without reading the data into a type: the data as JSON, for
    /// operations whose answer is dropped or is a value or two (see [`api::text_at`]), so that
    /// no reader is compiled for them.
    pub async fn run<Q: GraphQLQuery>(
        self,
        variables: Q::Variables,
    ) -> Result<serde_json::Value, ApiError> {
        let Some(token) = self.current_token() else {
            return Err(ApiError::Unauthenticated(
                "the session has ended".to_owned(),
            ));
        };
        let body = api::encode::<Q>(variables)?;
        self.send(token, body).await
    }

    /// The non-generic part of [`Session::run`], compiled once.
    async fn send(self, token: String, body: String) -> Result<serde_json::Value, ApiError> {
        let result = api::send(Some(token), body).await;
        if let Err(ApiError::Unauthenticated(_)) = &result {
            self.sign_out();
        }
        result
    }

    /// The token for a WebSocket's `connection_init` (`None`, and signed out, when expired).
    pub fn token(&self) -> Option<String> {
        self.current_token()
    }

    /// The token if it is still valid; signs out when it has expired.
    fn current_token(&self) -> Option<String> {
        let stored = self.stored.get_untracked()?;
        if stored.is_expired() {
            self.sign_out();
            return None;
        }
        Some(stored.token)
    }

    /// Signs out when the token expires, so an idle tab does not stay "signed in".
    fn schedule_expiry(&self) {
        let Some(at) = self
            .stored
            .with_untracked(|s| s.as_ref().and_then(Stored::expires_at_ms))
        else {
            return;
        };
        let delay = (at - js_sys::Date::now()).max(0.0);
        if delay > MAX_TIMER_MS {
            return; // checked again before every call
        }
        let session = *self;
        set_timeout(
            move || {
                // The token may have been replaced since this timer was set.
                if session
                    .stored
                    .with_untracked(|s| s.as_ref().is_some_and(Stored::is_expired))
                {
                    session.sign_out();
                }
            },
            Duration::from_millis(delay as u64),
        );
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read_storage() -> Option<Stored> {
    let text = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

fn write_storage(stored: &Stored) {
    // Without storage (private mode, disabled) the session lasts until the tab reloads.
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(stored)) {
        let _ = storage.set_item(STORAGE_KEY, &text);
    }
}

fn remove_storage() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}
