//! A socket's writer, its own task: the shared subscriptions' frames (`shapes`), what
//! async-graphql answers, and keep-alive. Every `PING_EVERY` it sends a WebSocket ping, which
//! browsers and WebSocket libraries answer by themselves; a client heard from neither in
//! messages nor in pongs for `SILENT_LIMIT` is closed. A client need not send graphql-ws
//! pings of its own (the reference client sends none by default).

use std::future::poll_fn;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::channel::mpsc::{Receiver, UnboundedReceiver};
use futures_util::stream::{BoxStream, SplitSink};
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
            frame = poll_fn(|cx| shared.poll_frame(cx)), if !shared.members.is_empty() => {
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

/// One shared subscription of the socket: its operation id and its frames.
struct Joined {
    id: String,
    frames: BoxStream<'static, member::Frame>,
}

/// The shared subscriptions of one socket, polled in place: a socket has one or a few, and
/// polling them directly (no `SelectAll`, no per-stream wakers, no abort handles) is the
/// cheapest path from a group's broadcast to this socket's write, which every event takes
/// once per subscriber.
#[derive(Default)]
struct Shared {
    members: Vec<Joined>,
    /// Where the next poll starts, so that one busy subscription cannot starve another.
    next: usize,
}

impl Shared {
    /// The next frame of any member; a member whose frames ended is dropped.
    fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<String> {
        let count = self.members.len();
        for turn in 0..count {
            let at = (self.next + turn) % count;
            match self.members[at].frames.poll_next_unpin(cx) {
                Poll::Ready(Some((frame, last))) => {
                    if last {
                        self.members.swap_remove(at);
                    }
                    self.next = at + 1;
                    return Poll::Ready(frame);
                }
                Poll::Ready(None) => {
                    self.members.swap_remove(at);
                    // Polled again at once: the rest may be ready, and none has a waker yet.
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                Poll::Pending => {}
            }
        }
        Poll::Pending
    }

    /// Applies a control message; returns a frame to send, if any.
    fn control(&mut self, control: Control) -> Option<String> {
        match control {
            Control::Join { id, frames } => {
                // A reused id replaces the operation that had it.
                self.members.retain(|m| m.id != id);
                self.members.push(Joined { id, frames });
                None
            }
            Control::Leave { id, answer } => {
                let at = self.members.iter().position(|m| m.id == id)?;
                self.members.swap_remove(at);
                answer.then(|| member::complete_frame(&id))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::stream;
    use std::task::Waker;

    fn join(shared: &mut Shared, id: &str, frames: &[(&str, bool)]) {
        let frames: Vec<member::Frame> = frames.iter().map(|(f, l)| (f.to_string(), *l)).collect();
        let control = Control::Join {
            id: id.to_owned(),
            // A live member: after these frames it waits for the next event.
            frames: stream::iter(frames).chain(stream::pending()).boxed(),
        };
        assert_eq!(shared.control(control), None);
    }

    /// Every frame ready now, in the order the writer would send them.
    fn drain(shared: &mut Shared) -> Vec<String> {
        let mut cx = Context::from_waker(Waker::noop());
        let mut out = Vec::new();
        for _ in 0..100 {
            match shared.poll_frame(&mut cx) {
                Poll::Ready(frame) => out.push(frame),
                // An ended member is dropped and the writer is woken to poll again.
                Poll::Pending if shared.members.is_empty() => break,
                Poll::Pending => {}
            }
        }
        out
    }

    #[test]
    fn members_take_turns_and_leave_after_their_last_frame() {
        let mut shared = Shared::default();
        join(
            &mut shared,
            "a",
            &[("a1", false), ("a2", false), ("a3", true)],
        );
        join(&mut shared, "b", &[("b1", false), ("b2", true)]);
        assert_eq!(drain(&mut shared), ["a1", "b1", "a2", "b2", "a3"]);
        assert!(shared.members.is_empty());
    }

    #[test]
    fn a_reused_id_replaces_its_operation_and_leave_answers_complete_once() {
        let mut shared = Shared::default();
        join(&mut shared, "a", &[("old", false)]);
        join(&mut shared, "a", &[("new", false)]);
        assert_eq!(shared.members.len(), 1);
        assert_eq!(drain(&mut shared), ["new"]);
        let leave = |answer| Control::Leave {
            id: "a".to_owned(),
            answer,
        };
        assert_eq!(
            shared.control(leave(true)),
            Some(member::complete_frame("a"))
        );
        assert!(shared.members.is_empty());
        // Already gone: nothing to confirm a second time.
        assert_eq!(shared.control(leave(true)), None);
    }
}
