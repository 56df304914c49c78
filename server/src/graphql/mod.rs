//! The GraphQL API: one schema built by `build_schema` (used by the server, the CLI's
//! `schema` command and the tests), one file per domain merged in `roots.rs`.

mod billing;
mod codes;
pub mod connection;
mod dictionary;
mod enums;
mod events;
mod field_sync;
pub mod ids;
mod links;
pub mod loaders;
mod nodes;
mod plans;
mod providers;
mod reconciliation;
mod roots;
mod rules;
pub mod scalars;
mod source_records;
mod sources;
mod sync_jobs;
mod tickets;
mod value_mappings;
mod viewer;

use async_graphql::{Context, Schema};
use entity::enums::Role;

pub use roots::{MutationRoot, QueryRoot, SubscriptionRoot};

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
pub use events::{EventTap, Replay};
pub use loaders::{LazyLoaders, Loaders};

pub type AppSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Queries nested deeper than this are refused (the introspection query needs 13).
pub const MAX_DEPTH: usize = 16;
/// Cost ceiling: each field costs 1, a connection's `first` multiplies its children.
pub const MAX_COMPLEXITY: usize = 20_000;

pub fn build_schema(state: Option<AppState>) -> AppSchema {
    let mut builder = Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .extension(codes::ErrorCodes)
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY);
    if let Some(state) = state {
        builder = builder.data(state);
    }
    builder.finish()
}

/// The schema as SDL (what `switchboard schema` prints and web/graphql/schema.graphql holds).
pub fn sdl() -> String {
    build_schema(None).sdl()
}

/// The caller as the request established it.
#[derive(Debug, Clone)]
pub enum Auth {
    Viewer(Viewer),
    /// No Authorization header.
    Missing,
    /// A header whose token is malformed, tampered, expired or revoked.
    Invalid,
}

/// What resolvers need from the context, without unwraps.
pub trait ContextExt {
    fn state(&self) -> ApiResult<&AppState>;
    fn viewer(&self) -> ApiResult<&Viewer>;
    /// The caller, if its role is at least `min`; FORBIDDEN otherwise.
    fn require(&self, min: Role) -> ApiResult<&Viewer>;
    fn loaders(&self) -> ApiResult<&Loaders>;
}

impl ContextExt for Context<'_> {
    fn state(&self) -> ApiResult<&AppState> {
        self.data::<AppState>()
            .map_err(|_| ApiError::internal(anyhow::anyhow!("no state in context")))
    }

    fn viewer(&self) -> ApiResult<&Viewer> {
        match self.data_opt::<Auth>() {
            Some(Auth::Viewer(v)) => Ok(v),
            _ => Err(crate::auth::unauthenticated()),
        }
    }

    fn require(&self, min: Role) -> ApiResult<&Viewer> {
        let viewer = self.viewer()?;
        viewer.require(min)?;
        Ok(viewer)
    }

    fn loaders(&self) -> ApiResult<&Loaders> {
        if let Some(loaders) = self.data_opt::<Loaders>() {
            return Ok(loaders);
        }
        self.data_opt::<LazyLoaders>()
            .map(LazyLoaders::get)
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no loaders in context")))
    }
}

/// Authenticates a bearer token for one request or socket.
pub async fn authenticate(state: &AppState, token: Option<&str>) -> Auth {
    match token {
        None => Auth::Missing,
        Some(token) => match crate::auth::authenticate(&state.db, &state.keys, token).await {
            Ok(viewer) => Auth::Viewer(viewer),
            Err(ApiError::Internal(err)) => {
                tracing::error!(error = format!("{err:#}"), "authentication failed");
                Auth::Invalid
            }
            Err(_) => Auth::Invalid,
        },
    }
}

/// Request data for one operation: the caller and fresh per-request DataLoaders.
pub fn request_data(state: &AppState, auth: Auth) -> (Auth, Loaders) {
    let org = match &auth {
        Auth::Viewer(v) => v.org_id,
        _ => 0,
    };
    (auth, Loaders::new(state.db.clone(), org))
}
