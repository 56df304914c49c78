//! [`Loader`]: data a page loads from the server, loaded again when a signal its request reads
//! changes or when asked to. It does for the pages what Leptos' `LocalResource` and
//! `<Transition>` did, in much less code: those are generic over every resource's type and
//! future, and carry `Suspense`'s machinery, which made them a large share of the wasm.
//!
//! While a new load is under way the last value stays shown (as `<Transition>` did); an answer
//! that a newer load has overtaken is dropped, so a slow old request never overwrites a new one.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::error_view::{ErrorView, ErrorViewProps};
use crate::components::loading::Loading;

/// A loaded value: `None` until the first load ends.
pub struct Loader<T: 'static> {
    value: RwSignal<Option<T>, LocalStorage>,
    reload: Trigger,
}

impl<T> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Loader<T> {}

impl<T: 'static> Loader<T> {
    /// Loads `fetch()` now, and again whenever a signal `fetch` reads before its future starts
    /// changes. Signals read inside the future itself are not tracked.
    pub fn new<Fut>(fetch: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let value = RwSignal::new_local(None);
        let reload = Trigger::new();
        let latest = StoredValue::new(0u64);
        watch(Box::new(move || {
            reload.track();
            let load = fetch();
            let ticket = latest.get_value().wrapping_add(1);
            latest.set_value(ticket);
            spawn_local(async move {
                let loaded = load.await;
                // Disposed (the page is gone) or overtaken by a newer load: dropped.
                if latest.try_get_value() == Some(ticket) {
                    value.try_set(Some(loaded));
                }
            });
        }));
        Loader { value, reload }
    }

    /// Loads again, keeping the current value until the new one arrives.
    pub fn refetch(&self) {
        self.reload.notify();
    }
}

impl<T: Clone + 'static> Loader<T> {
    /// The value, once loaded (tracked).
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }
}

impl<U: Clone + 'static> Loader<Result<U, ApiError>> {
    /// A page's body: "Loading…" until the data arrives, then `view` of it, or the error.
    pub fn page<V: IntoView + 'static>(
        self,
        view: impl Fn(U) -> V + Send + Sync + 'static,
    ) -> impl IntoView {
        move || match self.get() {
            Some(Ok(value)) => view(value).into_any(),
            Some(Err(error)) => ErrorView(ErrorViewProps { error }).into_any(),
            None => Loading().into_any(),
        }
    }
}

/// Runs `run` now and again whenever a signal it read changes. Not generic, so that every
/// loader shares one effect's code.
fn watch(run: Box<dyn Fn()>) {
    Effect::new(move |_| run());
}
