//! Subscriptions over WebSocket, `graphql-transport-ws` (the protocol of the `graphql-ws`
//! library) at `/graphql/ws`: `connection_init` with the token, `subscribe` after the ack,
//! each `next` handed to a callback, `pong` for every `ping`. Dropping the [`Subscription`]
//! closes the socket. A socket that closes is opened again after a pause, so a restarted
//! server or a dropped connection does not end live updates for good.

use super::json::FromJson;
use graphql_client::GraphQLQuery;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, WebSocket};

/// The subprotocol the server expects.
const PROTOCOL: &str = "graphql-transport-ws";
/// Pause before opening a closed socket again.
const RETRY_MS: i32 = 3_000;

/// A live subscription; dropping it ends it.
pub struct Subscription {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    socket: Option<WebSocket>,
    /// The socket's handlers, kept alive as long as it is.
    handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
    retry: Option<Closure<dyn FnMut()>>,
    stopped: bool,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let Ok(mut inner) = self.inner.try_borrow_mut() else {
            return;
        };
        inner.stopped = true;
        if let Some(socket) = inner.socket.take() {
            // No handler runs after this, so the closures can go (a pending retry's timer
            // keeps its own closure; it sees `stopped` and does nothing).
            socket.set_onopen(None);
            socket.set_onmessage(None);
            socket.set_onclose(None);
            let _ = socket.close();
        }
        inner.handlers.clear();
    }
}

/// Subscribes to operation `Q` with `token`; `on_data` gets each event's data read as `T`
/// (a hand-written type, see [`super::json`]), `on_state` is told whether
/// the socket is live (for a "live" mark).
pub fn subscribe<Q: GraphQLQuery + 'static, T: FromJson + 'static>(
    token: String,
    variables: Q::Variables,
    on_data: impl Fn(T) + 'static,
    on_state: impl Fn(bool) + 'static,
) -> Subscription
where
    Q::Variables: Clone,
{
    let payload = match serde_json::to_value(Q::build_query(variables)) {
        Ok(body) => body,
        Err(_) => Value::Null,
    };
    let inner = Rc::new(RefCell::new(Inner {
        socket: None,
        handlers: Vec::new(),
        retry: None,
        stopped: false,
    }));
    let on_data: Rc<dyn Fn(Value)> = Rc::new(move |data: Value| {
        if let Some(data) = data.get("data").and_then(T::from_json) {
            on_data(data);
        }
    });
    open(
        inner.clone(),
        Rc::new(Setup {
            token,
            payload,
            on_data,
            on_state: Rc::new(on_state),
        }),
    );
    Subscription { inner }
}

/// What every (re)connection needs.
struct Setup {
    token: String,
    payload: Value,
    on_data: Rc<dyn Fn(Value)>,
    on_state: Rc<dyn Fn(bool)>,
}

/// `ws(s)://<this host>/graphql/ws`.
fn url() -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    Some(format!("{scheme}://{}/graphql/ws", location.host().ok()?))
}

fn send(socket: &WebSocket, message: &Value) {
    let _ = socket.send_with_str(&message.to_string());
}

fn open(inner: Rc<RefCell<Inner>>, setup: Rc<Setup>) {
    if inner.borrow().stopped {
        return;
    }
    let Some(socket) = url().and_then(|url| WebSocket::new_with_str(&url, PROTOCOL).ok()) else {
        return;
    };

    let on_open = {
        let (socket, setup) = (socket.clone(), setup.clone());
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            send(
                &socket,
                &json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {}", setup.token)}}),
            );
        })
    };
    let on_message = {
        let (socket, setup) = (socket.clone(), setup.clone());
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let Some(text) = event
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string())
            else {
                return;
            };
            let Ok(message) = serde_json::from_str::<Value>(&text) else {
                return;
            };
            match message["type"].as_str() {
                Some("connection_ack") => {
                    (setup.on_state)(true);
                    send(
                        &socket,
                        &json!({"id": "1", "type": "subscribe", "payload": setup.payload}),
                    );
                }
                Some("next") => (setup.on_data)(message["payload"].clone()),
                Some("ping") => send(&socket, &json!({"type": "pong"})),
                _ => {}
            }
        })
    };
    let on_close = {
        let (inner, setup) = (inner.clone(), setup.clone());
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            (setup.on_state)(false);
            retry_later(inner.clone(), setup.clone());
        })
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut state = inner.borrow_mut();
    if let Some(old) = state.socket.replace(socket) {
        old.set_onclose(None);
    }
    state.handlers = vec![on_open, on_message, on_close];
}

/// Opens the socket again after [`RETRY_MS`], unless the subscription was dropped.
fn retry_later(inner: Rc<RefCell<Inner>>, setup: Rc<Setup>) {
    if inner.borrow().stopped {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let again = {
        let inner = inner.clone();
        Closure::<dyn FnMut()>::new(move || open(inner.clone(), setup.clone()))
    };
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        again.as_ref().unchecked_ref(),
        RETRY_MS,
    );
    // Kept until the next retry replaces it (or the subscription is dropped).
    if let Ok(mut state) = inner.try_borrow_mut() {
        state.retry = Some(again);
    }
}
