//! A socket's writer, its own task: the shared subscriptions' frames (`shapes`), what
//! async-graphql answers, and keep-alive. Every `PING_EVERY` it sends a WebSocket ping, which
//! browsers and WebSocket libraries answer by themselves; a client heard from neither in
//! messages nor in pongs for `SILENT_LIMIT` is closed. A client need not send graphql-ws
//! pings of its own (the reference client sends none by default).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::channel::mpsc::{Receiver, UnboundedReceiver};
use futures_util::stream::{AbortHandle, BoxStream, SelectAll, SplitSink};
use futures_util::{SinkExt, StreamExt};
use tokio::time::{Instant, MissedTickBehavior};

use super::Control;
use crate::http::shapes::member;

/// How often the server pings each socket.
const PING_EVERY: Duration = Duration::from_secs(30);
/// Silence after which a client is taken for gone (three pings unanswered).
const SILENT_LIMIT: Duration = Duration::from_secs(95);
/// Close code for a client that stopped answering (graphql-ws' own "timeout" code).
const CLOSE_SILENT: u16 = 3008;

/// When the client was last heard from, shared by the reading side and the writer.
#[derive(Clone)]
pub(super) struct Heard {
    start: Instant,
    /// Milliseconds after `start`.
    at: Arc<AtomicU64>,
}

impl Default for Heard {
    fn default() -> Self {
        Heard {
            start: Instant::now(),
            at: Arc::default(),
        }
    }
}

impl Heard {
    pub(super) fn now(&self) {
        let ms = self.start.elapsed().as_millis() as u64;
        self.at.store(ms, Ordering::Relaxed);
    }

    fn silent_for(&self) -> Duration {
        let at = Duration::from_millis(self.at.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(at)
    }
}

/// Writes until async-graphql's side is done (its senders dropped), the client is gone, or it
/// fell silent.
pub(super) async fn run(
    mut sink: SplitSink<WebSocket, Message>,
    mut out_rx: Receiver<Message>,
    mut control_rx: UnboundedReceiver<Control>,
    heard: Heard,
) {
    let mut shared = Shared::default();
    let mut ping = tokio::time::interval_at(Instant::now() + PING_EVERY, PING_EVERY);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        // Shared frames first: with thousands of sockets an event wakes every writer, and a
        // ready frame then costs one poll, not four.
        let message = tokio::select! {
            biased;
            Some((id, serial, (frame, last))) = shared.members.next(), if !shared.members.is_empty() => {
                if last {
                    shared.ended(&id, serial);
                }
                Message::Text(frame.into())
            }
            Some(control) = control_rx.next() => match shared.control(control) {
                Some(frame) => Message::Text(frame.into()),
                None => continue,
            },
            message = out_rx.next() => match message {
                Some(message) => message,
                None => break,
            },
            _ = ping.tick() => {
                if heard.silent_for() > SILENT_LIMIT {
                    let reason = "no answer to pings".into();
                    Message::Close(Some(CloseFrame { code: CLOSE_SILENT, reason }))
                } else {
                    Message::Ping(Bytes::new())
                }
            }
        };
        let closing = matches!(message, Message::Close(_));
        if sink.send(message).await.is_err() || closing {
            break;
        }
    }
    let _ = sink.close().await;
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
                answer.then(|| member::complete_frame(&id))
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
