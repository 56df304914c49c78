//! One subscriber of a group: its frames are the group's serialised answers wrapped with its
//! own operation id (`next`, or `data` on the legacy protocol), then `complete` when the run
//! ends. A member that fell behind skips ahead; if the answer it resumes with is a ticket
//! event, that one answer is made again for it alone, run as its own caller, so that its
//! `lagged` says how many it missed.

use std::sync::Arc;

use futures_util::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use super::{payload, Group, Item, Shapes};
use crate::events::LiveEvent;
use crate::graphql::{Auth, Replay};

/// A frame to send, and whether it is the member's last.
pub type Frame = (String, bool);

struct Member {
    /// The operation id as a JSON string.
    id: Box<str>,
    legacy: bool,
    group: Arc<Group>,
    receiver: Receiver<Arc<Item>>,
    auth: Auth,
    shapes: Arc<Shapes>,
    missed: u64,
    done: bool,
}

/// The frames of operation `id` as a member of `group`.
pub fn frames(
    id: &str,
    legacy: bool,
    (group, receiver): (Arc<Group>, Receiver<Arc<Item>>),
    auth: Auth,
    shapes: Arc<Shapes>,
) -> impl Stream<Item = Frame> + Send + 'static {
    let member = Member {
        id: json_id(id),
        legacy,
        group,
        receiver,
        auth,
        shapes,
        missed: 0,
        done: false,
    };
    futures_util::stream::unfold(member, |mut m| async move {
        if m.done {
            return None;
        }
        let frame = m.next_frame().await;
        Some((frame, m))
    })
}

impl Member {
    async fn next_frame(&mut self) -> Frame {
        loop {
            let item = match self.receiver.recv().await {
                Ok(item) => item,
                Err(RecvError::Lagged(n)) => {
                    self.missed += n;
                    continue;
                }
                Err(RecvError::Closed) => return self.complete(),
            };
            let Some(shared) = &item.payload else {
                return self.complete();
            };
            let missed = std::mem::take(&mut self.missed);
            if missed > 0 {
                if let Some((event, lagged)) = &item.event {
                    if let Some(own) = self.replay(event.clone(), lagged + missed).await {
                        return (next(self.legacy, &self.id, &own), false);
                    }
                }
            }
            return (next(self.legacy, &self.id, shared), false);
        }
    }

    fn complete(&mut self) -> Frame {
        self.done = true;
        (complete(&self.id), true)
    }

    /// The answer to `event` alone, for this member, with its own `lagged`.
    async fn replay(&self, event: Arc<LiveEvent>, lagged: u64) -> Option<Box<str>> {
        let mut request = self.group.shape.request();
        request.data = self.shapes.data(&self.auth);
        let request = request.data(Replay { event, lagged });
        let response = self.shapes.schema().execute_stream(request).next().await?;
        Some(payload(&response))
    }
}

/// Operation `id` as a JSON string.
fn json_id(id: &str) -> Box<str> {
    serde_json::to_string(id)
        .unwrap_or_else(|_| "\"\"".into())
        .into_boxed_str()
}

/// The `complete` frame of operation `id` (both protocols).
pub fn complete_frame(id: &str) -> String {
    complete(&json_id(id))
}

/// The `complete` frame of an operation whose id is already JSON.
fn complete(json_id: &str) -> String {
    format!(r#"{{"type":"complete","id":{json_id}}}"#)
}

/// A `next` frame (`data` on the legacy protocol) as async-graphql writes one.
fn next(legacy: bool, id: &str, payload: &str) -> String {
    let kind = if legacy { "data" } else { "next" };
    format!(r#"{{"type":"{kind}","id":{id},"payload":{payload}}}"#)
}
