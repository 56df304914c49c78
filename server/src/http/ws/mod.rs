//! GraphQL over WebSocket at /graphql and /graphql/ws, with both `graphql-transport-ws` and
//! the legacy `graphql-ws` subprotocols. The token comes in the connection_init payload
//! (`{"Authorization": "Bearer …"}`); the socket closes (4403) when that token is revoked, the
//! user removed, or the token expires, and (4408) when no `connection_init` comes within 10 s.
//! Keep-alive is the server's: WebSocket pings from the writer (`pump`); a client need not
//! send any, and one that answers nothing for a while is closed.
//!
//! async-graphql speaks the protocol (handshake, pings, queries, mutations, other
//! subscriptions). A `ticketEvents` or `sourceEvents` subscription is taken out of its way once
//! the socket is authenticated: it joins the group of its shape (`shapes`), which runs it once
//! for every subscriber alike, and this socket only writes the group's frames.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use futures_util::stream::BoxStream;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::oneshot;

mod pump;

use super::graphql::GraphqlHttp;
use super::shapes::{member, Shapes};
use crate::auth::Viewer;
use crate::graphql::{self, Auth};
use crate::state::Revoked;

/// Close code for a credential that stopped working (the graphql-ws "Forbidden" range).
const CLOSE_REVOKED: u16 = 4403;
/// graphql-transport-ws: no `connection_init` within the wait.
const CLOSE_INIT_TIMEOUT: u16 = 4408;
/// How long a new socket may stay unauthenticated.
const INIT_WAIT: Duration = Duration::from_secs(10);

/// True when the client speaks the legacy `graphql-ws` protocol (its first known protocol, as
/// async-graphql chooses).
pub fn legacy(headers: &HeaderMap) -> bool {
    headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .and_then(|protocols| {
            protocols.split(',').map(str::trim).find(|p| {
                p.eq_ignore_ascii_case("graphql-ws")
                    || p.eq_ignore_ascii_case("graphql-transport-ws")
            })
        })
        .is_some_and(|p| p.eq_ignore_ascii_case("graphql-ws"))
}

pub async fn upgrade(
    http: GraphqlHttp,
    protocol: GraphQLProtocol,
    legacy: bool,
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
        .on_upgrade(move |socket| serve(http, protocol, legacy, socket))
}

/// What the reading side tells the writing side about shared subscriptions.
enum Control {
    Join {
        id: String,
        frames: BoxStream<'static, member::Frame>,
    },
    /// The operation ended (the client completed it, or reused its id for another); `answer`
    /// says whether to confirm with `complete`.
    Leave { id: String, answer: bool },
}

/// Reads what the client sends before async-graphql does, and takes shared subscriptions out.
struct Intercept {
    auth: Arc<OnceLock<Auth>>,
    shapes: Arc<Shapes>,
    legacy: bool,
    control: futures::channel::mpsc::UnboundedSender<Control>,
}

impl Intercept {
    /// The message for async-graphql: the client's, or a `pong` (which it ignores) in place
    /// of a subscription this socket serves itself.
    fn message(&self, text: Utf8Bytes) -> Utf8Bytes {
        let Some(auth) = self.auth.get() else {
            return text;
        };
        let Ok(Value::Object(mut message)) = serde_json::from_str::<Value>(&text) else {
            return text;
        };
        let (Some(Value::String(kind)), Some(Value::String(id))) =
            (message.get("type"), message.get("id"))
        else {
            return text;
        };
        let (kind, id) = (kind.clone(), id.clone());
        match kind.as_str() {
            "subscribe" | "start" => {
                let payload = message.remove("payload").unwrap_or_default();
                match self.shapes.subscribe(&id, self.legacy, payload, auth) {
                    Some(frames) => {
                        self.tell(Control::Join { id, frames });
                        Utf8Bytes::from_static(r#"{"type":"pong"}"#)
                    }
                    None => {
                        // async-graphql runs it, replacing whatever had this id.
                        self.tell(Control::Leave { id, answer: false });
                        text
                    }
                }
            }
            // Either side may own the id: the other ignores it.
            "complete" | "stop" => {
                self.tell(Control::Leave { id, answer: true });
                text
            }
            _ => text,
        }
    }

    fn tell(&self, control: Control) {
        let _ = self.control.unbounded_send(control);
    }
}

async fn serve(http: GraphqlHttp, protocol: GraphQLProtocol, legacy: bool, socket: WebSocket) {
    let (sink, stream) = socket.split();
    let (out_tx, out_rx) = futures::channel::mpsc::channel::<Message>(32);
    let (control_tx, control_rx) = futures::channel::mpsc::unbounded::<Control>();
    let (viewer_tx, viewer_rx) = oneshot::channel::<Viewer>();
    let viewer_tx = std::sync::Mutex::new(Some(viewer_tx));
    let authenticated: Arc<OnceLock<Auth>> = Arc::default();
    let state = http.state.clone();
    let mut revocations = state.revocations.subscribe();

    let on_init = {
        let authenticated = authenticated.clone();
        let shapes = http.shapes.clone();
        move |payload: Value| {
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
                let data = shapes.data(&auth);
                let _ = authenticated.set(auth);
                Ok(data)
            }
        }
    };
    let intercept = Intercept {
        auth: authenticated,
        shapes: http.shapes.clone(),
        legacy,
        control: control_tx,
    };
    let heard = pump::Heard::default();
    let heard_by_reader = heard.clone();
    let stream = stream.map(move |message| {
        heard_by_reader.now();
        match message {
            Ok(Message::Text(text)) => Ok(Message::Text(intercept.message(text))),
            other => other,
        }
    });

    let closer = out_tx.clone();
    let graphql = GraphQLWebSocket::new_with_pair(out_tx, stream, http.schema.clone(), protocol)
        .on_connection_init(on_init)
        .serve();
    let watchdog = async move {
        // Until the client authenticates there is nothing to revoke; a client that does not
        // (graphql-transport-ws: within a wait) is closed with 4408.
        let viewer = match tokio::time::timeout(INIT_WAIT, viewer_rx).await {
            Ok(Ok(viewer)) => viewer,
            // Refused: async-graphql answers and closes.
            Ok(Err(_)) => return std::future::pending().await,
            Err(_) => return (CLOSE_INIT_TIMEOUT, "connection initialisation timeout"),
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
            _ = expiry => (CLOSE_REVOKED, "token expired"),
            _ = revoked => (CLOSE_REVOKED, "token revoked"),
        }
    };
    let driver = async move {
        tokio::select! {
            _ = graphql => {}
            (code, reason) = watchdog => {
                let frame = CloseFrame { code, reason: reason.into() };
                let mut closer = closer;
                let _ = closer.send(Message::Close(Some(frame))).await;
            }
        }
    };
    // The writer is its own task: an event then wakes only it, not async-graphql's reader
    // (which would zero its read buffer and poll its timers on every wake).
    let mut pump = tokio::spawn(pump::run(sink, out_rx, control_rx, heard));
    tokio::select! {
        // async-graphql is done: the writer sends what is left, then ends.
        _ = driver => {
            let _ = pump.await;
        }
        // The writer gave up (the client is gone, silent, or was closed): stop reading too.
        _ = &mut pump => {}
    }
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
