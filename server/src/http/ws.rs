//! GraphQL over WebSocket at /graphql and /graphql/ws, with both `graphql-transport-ws` and
//! the legacy `graphql-ws` subprotocols. The token comes in the connection_init payload
//! (`{"Authorization": "Bearer …"}`); the socket closes (4403) when that token is revoked, the
//! user removed, or the token expires.

use std::time::Duration;

use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::oneshot;

use super::graphql::GraphqlHttp;
use crate::auth::Viewer;
use crate::graphql::{self, Auth};
use crate::state::Revoked;

/// Close code for a credential that stopped working (the graphql-ws "Forbidden" range).
const CLOSE_REVOKED: u16 = 4403;

pub async fn upgrade(
    http: GraphqlHttp,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(["graphql-transport-ws", "graphql-ws"])
        // A subscriber sends small frames and receives events of a few KB; the defaults
        // reserve 128 KB to read into per socket, allocated up front (10,000 subscribers
        // would hold 1.3 GB for nothing). Buffers grow to a larger message when one comes.
        .max_message_size(256 * 1024)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .on_upgrade(move |socket| serve(http, protocol, socket))
}

async fn serve(http: GraphqlHttp, protocol: GraphQLProtocol, socket: WebSocket) {
    let (mut sink, stream) = socket.split();
    let (out_tx, mut out_rx) = futures::channel::mpsc::channel::<Message>(32);
    let (viewer_tx, viewer_rx) = oneshot::channel::<Viewer>();
    let viewer_tx = std::sync::Mutex::new(Some(viewer_tx));
    let state = http.state.clone();
    let mut revocations = state.revocations.subscribe();

    let on_init = move |payload: Value| {
        let state = state.clone();
        let token = token_from_payload(&payload);
        let sender = viewer_tx.lock().ok().and_then(|mut s| s.take());
        async move {
            let auth = graphql::authenticate(&state, token.as_deref()).await;
            let Auth::Viewer(viewer) = &auth else {
                return Err(async_graphql::Error::new(
                    "missing, invalid or expired token",
                ));
            };
            if let Some(sender) = sender {
                let _ = sender.send(viewer.clone());
            }
            let (auth, loaders) = graphql::request_data(&state, auth);
            let mut data = Data::default();
            data.insert(auth);
            data.insert(loaders.uncached());
            Ok(data)
        }
    };

    let closer = out_tx.clone();
    let graphql = GraphQLWebSocket::new_with_pair(out_tx, stream, http.schema.clone(), protocol)
        .on_connection_init(on_init)
        .keepalive_timeout(Duration::from_secs(30))
        .serve();
    let watchdog = async move {
        // Until the client authenticates there is nothing to revoke.
        let Ok(viewer) = viewer_rx.await else {
            return std::future::pending().await;
        };
        let expiry = async {
            match viewer.expires_at {
                Some(at) => {
                    let left = (at - chrono::Utc::now()).to_std().unwrap_or_default();
                    tokio::time::sleep(left).await
                }
                None => std::future::pending().await,
            }
        };
        let revoked = async {
            loop {
                match revocations.recv().await {
                    Ok(Revoked::ApiToken(id)) if viewer.token_id == Some(id) => return,
                    Ok(Revoked::User(id)) if viewer.user_id == Some(id) => return,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => {
                        std::future::pending::<()>().await
                    }
                    _ => {}
                }
            }
        };
        tokio::select! {
            _ = expiry => "token expired",
            _ = revoked => "token revoked",
        }
    };
    let driver = async move {
        tokio::select! {
            _ = graphql => {}
            reason = watchdog => {
                let frame = CloseFrame { code: CLOSE_REVOKED, reason: reason.into() };
                let mut closer = closer;
                let _ = closer.send(Message::Close(Some(frame))).await;
            }
        }
    };
    let pump = async move {
        while let Some(message) = out_rx.next().await {
            let closing = matches!(message, Message::Close(_));
            if sink.send(message).await.is_err() || closing {
                break;
            }
        }
        let _ = sink.close().await;
    };
    tokio::join!(driver, pump);
}

/// `{"Authorization": "Bearer …"}` (any case), or a bare `token` key.
fn token_from_payload(payload: &Value) -> Option<String> {
    let obj = payload.as_object()?;
    for (key, value) in obj {
        if key.eq_ignore_ascii_case("authorization") {
            return value
                .as_str()
                .and_then(crate::auth::bearer)
                .map(str::to_owned);
        }
    }
    obj.get("token").and_then(Value::as_str).map(str::to_owned)
}
