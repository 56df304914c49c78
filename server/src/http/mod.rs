//! The HTTP surface: /graphql (POST, GET, WebSocket), /graphql/ws, /health, /webhooks/…, and the web app
//! (static files with client routes falling back to index.html).

pub mod graphql;
pub mod shapes;
pub mod webhooks;
pub mod ws;

use axum::extract::{DefaultBodyLimit, FromRequestParts, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use sea_orm::ConnectionTrait;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use self::graphql::GraphqlHttp;
use crate::graphql::build_schema;
use crate::state::AppState;

/// Largest GraphQL request body accepted.
const MAX_BODY: usize = 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let schema = build_schema(Some(state.clone()));
    let http = GraphqlHttp {
        shapes: std::sync::Arc::new(shapes::Shapes::new(schema.clone(), state.clone())),
        schema,
        state: state.clone(),
    };
    let web_dir = state.settings.web_dir.clone();
    let index = web_dir.join("index.html");
    let api = Router::new()
        .route("/graphql", any(graphql_or_socket))
        .route("/graphql/ws", get(socket_only))
        .with_state(http)
        .layer(DefaultBodyLimit::max(MAX_BODY));
    let traced = Router::new()
        .route("/health", get(health))
        .with_state(state.clone())
        .merge(api)
        .fallback_service(web_app(web_dir, index))
        .layer(TraceLayer::new_for_http());
    // Webhook URLs hold a secret: they stay out of the request trace.
    webhooks::router(state)
        .merge(traced)
        .layer(CompressionLayer::new())
}

/// The built web app; client routes fall back to index.html. Its file names are fixed (not
/// content-hashed), so browsers must revalidate them.
fn web_app(dir: std::path::PathBuf, index: std::path::PathBuf) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

/// /graphql serves both HTTP requests and WebSocket upgrades.
async fn graphql_or_socket(State(http): State<GraphqlHttp>, request: Request) -> Response {
    if request.headers().contains_key(header::UPGRADE) {
        return socket(http, request).await;
    }
    graphql::handle(State(http), request).await
}

async fn socket_only(State(http): State<GraphqlHttp>, request: Request) -> Response {
    socket(http, request).await
}

async fn socket(http: GraphqlHttp, request: Request) -> Response {
    let (mut parts, _body) = request.into_parts();
    let legacy = ws::legacy(&parts.headers);
    let protocol =
        match async_graphql_axum::GraphQLProtocol::from_request_parts(&mut parts, &()).await {
            Ok(p) => p,
            Err(status) => return status.into_response(),
        };
    match axum::extract::ws::WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(upgrade) => ws::upgrade(http, protocol, legacy, upgrade).await,
        Err(rejection) => rejection.into_response(),
    }
}

async fn health(State(state): State<AppState>) -> Response {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => Json(serde_json::json!({"status": "ok"})).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "database unreachable"})),
            )
                .into_response()
        }
    }
}
