//! Shared subscriptions: subscribers whose subscriptions have the same shape (`key`) join one
//! group, whose task runs the subscription once and serialises each answer once; every member
//! then only wraps those bytes in its own `next` frame (`member`). The group's broadcast is
//! bounded: a member that falls behind skips ahead on its own and never holds up the others.
//! A group ends when its last member leaves (its task is aborted) or when its run ends.

mod key;
pub mod member;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use async_graphql::Data;
use futures_util::stream::BoxStream;
use futures_util::{FutureExt, StreamExt};
use tokio::sync::broadcast;
use tokio::task::AbortHandle;

pub use key::{Shape, ShapeKey};

use crate::graphql::{AppSchema, Auth, EventTap, LazyLoaders};
use crate::state::AppState;

/// Answers a member may fall behind by before it skips ahead.
const MEMBER_BUFFER: usize = 64;

/// One answer of a group's run, serialised once.
pub struct Item {
    /// The GraphQL response as JSON; None once the run has ended.
    pub payload: Option<Box<str>>,
    /// The event the answer was made of and the run's own `lagged` for it (ticket events),
    /// so that a member that skipped some can have it answered again with its own count.
    pub event: Option<(Arc<crate::events::LiveEvent>, u64)>,
}

type Groups = Mutex<HashMap<ShapeKey, Weak<Group>>>;

/// Every group of this process, by shape.
pub struct Shapes {
    schema: AppSchema,
    state: AppState,
    groups: Arc<Groups>,
}

/// One shape's run; members hold it, and the last one to let go ends the run.
pub struct Group {
    pub shape: Shape,
    sender: broadcast::Sender<Arc<Item>>,
    task: Mutex<Option<AbortHandle>>,
    groups: Weak<Groups>,
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(task) = self.task.lock().unwrap_or_else(|p| p.into_inner()).take() {
            task.abort();
        }
        if let Some(groups) = self.groups.upgrade() {
            let mut groups = groups.lock().unwrap_or_else(|p| p.into_inner());
            if groups
                .get(&self.shape.key)
                .is_some_and(|g| g.strong_count() == 0)
            {
                groups.remove(&self.shape.key);
            }
        }
    }
}

impl Shapes {
    pub fn new(schema: AppSchema, state: AppState) -> Shapes {
        Shapes {
            schema,
            state,
            groups: Arc::default(),
        }
    }

    pub fn schema(&self) -> &AppSchema {
        &self.schema
    }

    /// Operation `id`'s frames (`legacy`: the `graphql-ws` protocol's) as a member of the group
    /// of its shape, if the operation (a subscribe message's `payload`) by `auth` is shareable.
    pub fn subscribe(
        self: &Arc<Self>,
        id: &str,
        legacy: bool,
        payload: serde_json::Value,
        auth: &Auth,
    ) -> Option<BoxStream<'static, member::Frame>> {
        let Auth::Viewer(viewer) = auth else {
            return None;
        };
        let request = serde_json::from_value::<async_graphql::Request>(payload).ok()?;
        let shape = Shape::of(&request, viewer)?;
        let group = self.join(shape, auth);
        Some(member::frames(id, legacy, group, auth.clone(), self.clone()).boxed())
    }

    /// Joins the group of `shape` (starting it, run as `auth`, if there is none), listening from
    /// now on.
    fn join(&self, shape: Shape, auth: &Auth) -> (Arc<Group>, broadcast::Receiver<Arc<Item>>) {
        let mut groups = self.groups.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(group) = groups.get(&shape.key).and_then(Weak::upgrade) {
            let receiver = group.sender.subscribe();
            return (group, receiver);
        }
        let (sender, receiver) = broadcast::channel(MEMBER_BUFFER);
        let tap = EventTap::default();
        let request = shape
            .request()
            .data(auth.clone())
            .data(self.lazy_loaders(auth))
            .data(tap.clone());
        let group = Arc::new(Group {
            shape,
            sender: sender.clone(),
            task: Mutex::new(None),
            groups: Arc::downgrade(&self.groups),
        });
        let run = run(
            self.schema.clone(),
            request,
            tap,
            sender,
            Arc::downgrade(&self.groups),
            Arc::downgrade(&group),
        );
        let task = tokio::spawn(run).abort_handle();
        *group.task.lock().unwrap_or_else(|p| p.into_inner()) = Some(task);
        groups.insert(group.shape.key.clone(), Arc::downgrade(&group));
        (group, receiver)
    }

    /// Request data of one operation by `auth` on a socket.
    pub fn data(&self, auth: &Auth) -> Data {
        let mut data = Data::default();
        data.insert(auth.clone());
        data.insert(self.lazy_loaders(auth));
        data
    }

    fn lazy_loaders(&self, auth: &Auth) -> LazyLoaders {
        let org = match auth {
            Auth::Viewer(v) => v.org_id,
            _ => 0,
        };
        LazyLoaders::new(self.state.db.clone(), org)
    }
}

/// A group's run: each answer serialised once and sent to every member. When the run ends, the
/// group leaves the registry before its last answers go out, so a subscriber joining meanwhile
/// either has them (it joined before) or starts a new run.
async fn run(
    schema: AppSchema,
    request: async_graphql::Request,
    tap: EventTap,
    sender: broadcast::Sender<Arc<Item>>,
    groups: Weak<Groups>,
    me: Weak<Group>,
) {
    let mut stream = schema.execute_stream(request);
    let mut next = stream.next().await;
    while let Some(response) = next {
        let item = Arc::new(Item {
            payload: Some(payload(&response)),
            event: tap.take(),
        });
        // A run that fails (a refused source, a bad variable) ends at once after its error.
        match stream.next().now_or_never() {
            Some(None) => {
                leave_registry(&groups, &me);
                let _ = sender.send(item);
                break;
            }
            Some(Some(more)) => next = Some(more),
            None => {
                let _ = sender.send(item);
                next = stream.next().await;
                continue;
            }
        }
        let _ = sender.send(item);
    }
    leave_registry(&groups, &me);
    let _ = sender.send(Arc::new(Item {
        payload: None,
        event: None,
    }));
}

fn payload(response: &async_graphql::Response) -> Box<str> {
    serde_json::to_string(response)
        .unwrap_or_else(|err| {
            tracing::error!(error = %err, "serialising a subscription answer failed");
            r#"{"data":null,"errors":[{"message":"INTERNAL"}]}"#.to_owned()
        })
        .into_boxed_str()
}

fn leave_registry(groups: &Weak<Groups>, me: &Weak<Group>) {
    let Some(groups) = groups.upgrade() else {
        return;
    };
    let mut groups = groups.lock().unwrap_or_else(|p| p.into_inner());
    groups.retain(|_, g| !Weak::ptr_eq(g, me));
}
