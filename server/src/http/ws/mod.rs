//! GraphQL over WebSocket at /graphql and /graphql/ws, with both `graphql-transport-ws` and
//! the legacy `graphql-ws` subprotocols. The token comes in the connection_init payload
//! (`{"Authorization": "Bearer …"}`); the socket closes (4403) when that token is revoked, the
//! user removed, or the token expires.
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
use futures_util::stream::{AbortHandle, BoxStream, SelectAll};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::oneshot;

use super::graphql::GraphqlHttp;
use super::shapes::{member, Shapes};
use crate::auth::Viewer;
use crate::graphql::{self, Auth};
use crate::state::Revoked;

/// Close code for a credential that stopped working (the graphql-ws "Forbidden" range).
const CLOSE_REVOKED: u16 = 4403;

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
    /// The message for async-graphql: the client's, or a `pong` (which it ignores but for its
    /// keep-alive clock) in place of a subscription this socket serves itself.
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
    let (mut sink, stream) = socket.split();
    let (out_tx, mut out_rx) = futures::channel::mpsc::channel::<Message>(32);
    let (control_tx, mut control_rx) = futures::channel::mpsc::unbounded::<Control>();
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
    let stream = stream.map(move |message| match message {
        Ok(Message::Text(text)) => Ok(Message::Text(intercept.message(text))),
        other => other,
    });

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
        let mut shared = Shared::default();
        loop {
            let message = tokio::select! {
                Some(control) = control_rx.next() => {
                    if let Some(frame) = shared.control(control) {
                        if sink.send(Message::Text(frame.into())).await.is_err() {
                            break;
                        }
                    }
                    continue;
                }
                message = out_rx.next() => match message {
                    Some(message) => message,
                    None => break,
                },
                Some((id, serial, (frame, last))) = shared.members.next(), if !shared.members.is_empty() => {
                    if last {
                        shared.ended(&id, serial);
                    }
                    Message::Text(frame.into())
                }
            };
            let closing = matches!(message, Message::Close(_));
            if sink.send(message).await.is_err() || closing {
                break;
            }
        }
        let _ = sink.close().await;
    };
    tokio::join!(driver, pump);
}

/// The shared subscriptions of one socket.
#[derive(Default)]
struct Shared {
    members: SelectAll<BoxStream<'static, (String, u64, member::Frame)>>,
    /// Operation id → (serial, handle), to end one when the client completes it.
    handles: std::collections::HashMap<String, (u64, AbortHandle)>,
    serial: u64,
}

impl Shared {
    /// Applies a control message; returns a frame to send, if any.
    fn control(&mut self, control: Control) -> Option<String> {
        match control {
            Control::Join { id, frames } => {
                self.serial += 1;
                let serial = self.serial;
                let (frames, handle) = futures_util::stream::abortable(frames);
                if let Some((_, old)) = self.handles.insert(id.clone(), (serial, handle)) {
                    old.abort();
                }
                self.members
                    .push(frames.map(move |f| (id.clone(), serial, f)).boxed());
                None
            }
            Control::Leave { id, answer } => {
                let (_, handle) = self.handles.remove(&id)?;
                handle.abort();
                let id = serde_json::to_string(&id).ok()?;
                answer.then(|| format!(r#"{{"type":"complete","id":{id}}}"#))
            }
        }
    }

    /// Member `serial` of `id` sent its last frame.
    fn ended(&mut self, id: &str, serial: u64) {
        if self.handles.get(id).is_some_and(|(s, _)| *s == serial) {
            self.handles.remove(id);
        }
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
