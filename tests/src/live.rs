//! Live events in tests and benchmarks: `Subscriber`, a graphql-transport-ws client (connect,
//! authenticate, subscribe, read the next payloads), and `Peer`, a second server process on a
//! test app's database with the same keys (so it opens the same webhook secrets and tokens).

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

use crate::TestApp;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// An authenticated graphql-transport-ws connection.
pub struct Subscriber {
    pub socket: Socket,
}

impl Subscriber {
    /// Connects to `ws://<addr>/graphql/ws` and authenticates with `token`.
    pub async fn connect(addr: SocketAddr, token: &str) -> Subscriber {
        Self::connect_with(addr, token, None).await
    }

    /// Like `connect`, with a 4 KB receive buffer (no autotuning): a client that stops reading
    /// pushes back on the server at once.
    pub async fn connect_small(addr: SocketAddr, token: &str) -> Subscriber {
        Self::connect_with(addr, token, Some(4096)).await
    }

    async fn connect_with(
        addr: SocketAddr,
        token: &str,
        receive_buffer: Option<u32>,
    ) -> Subscriber {
        let mut request = format!("ws://{addr}/graphql/ws")
            .into_client_request()
            .expect("request");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().expect("header"),
        );
        let tcp = if addr.is_ipv4() {
            tokio::net::TcpSocket::new_v4()
        } else {
            tokio::net::TcpSocket::new_v6()
        }
        .expect("socket");
        if let Some(size) = receive_buffer {
            tcp.set_recv_buffer_size(size).expect("receive buffer");
        }
        let stream = tcp.connect(addr).await.expect("connect");
        // tungstenite zeroes `read_buffer_size` bytes before every read (128 KB by default):
        // with thousands of sockets in one process (bench-events) that memset, not the
        // server, would set the pace. Events are a few hundred bytes.
        let config = WebSocketConfig::default().read_buffer_size(4096);
        let (socket, _) = tokio_tungstenite::client_async_with_config(
            request,
            tokio_tungstenite::MaybeTlsStream::Plain(stream),
            Some(config),
        )
        .await
        .expect("websocket");
        let mut sub = Subscriber { socket };
        sub.send(json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {token}")}}))
            .await;
        let ack = sub.message(Duration::from_secs(10)).await.expect("an ack");
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        sub
    }

    pub async fn send(&mut self, value: Value) {
        self.socket
            .send(Message::Text(value.to_string().into()))
            .await
            .expect("send");
    }

    /// Starts operation `id`.
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}))
            .await;
    }

    /// The next protocol message other than pings, or None if none comes `within`.
    pub async fn message(&mut self, within: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let next = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .ok()?;
            match next {
                Some(Ok(Message::Text(text))) => {
                    let v: Value = serde_json::from_str(&text).expect("JSON");
                    if v["type"] == "ka" || v["type"] == "ping" || v["type"] == "pong" {
                        continue;
                    }
                    return Some(v);
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return None,
                Some(Ok(_)) => continue,
            }
        }
    }

    /// The `data` of the next `next` message (panics on an error message or after 10 s).
    pub async fn next_data(&mut self) -> Value {
        let msg = self
            .message(Duration::from_secs(10))
            .await
            .expect("an event within 10 s");
        assert_eq!(msg["type"], "next", "{msg}");
        assert!(msg["payload"]["errors"].is_null(), "{msg}");
        msg["payload"]["data"].clone()
    }
}

/// A second server process on `app`'s database, with its keys. Dropping it stops it.
pub struct Peer {
    pub addr: SocketAddr,
    pub state: server::state::AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Peer {
    pub async fn spawn(app: &TestApp) -> Peer {
        let mut settings = server::config::Settings::for_database(&app.url);
        settings.workers = 0;
        let db = server::db::connect(&app.url).await.expect("connect");
        let keys = (*app.state.keys).clone();
        let peer = server::startup::Application::with_parts(settings, db, keys)
            .await
            .expect("bind");
        let addr = peer.address();
        let state = peer.state().clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(peer.run_until_stopped(async {
            let _ = rx.await;
        }));
        Peer {
            addr,
            state,
            shutdown: Some(tx),
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
