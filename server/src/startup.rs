//! Building and running the application: bind first (so the real port is known, and tests can
//! ask for port 0), then serve until a shutdown future completes.

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use axum::serve::ListenerExt;
use tokio::net::TcpListener;

use crate::config::Settings;
use crate::crypto::Keys;
use crate::state::AppState;
use crate::{db, http, sync, webhooks};

pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Connects and migrates the database, loads keys and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let keys = Keys::load(&settings)?;
        let database = db::connect_for_workers(&settings.database_url, settings.workers).await?;
        db::migrate(&database, &settings.database_url).await?;
        Application::with_parts(settings, database, keys).await
    }

    /// For callers (tests) that bring their own migrated database and keys.
    pub async fn with_parts(
        mut settings: Settings,
        database: sea_orm::DatabaseConnection,
        keys: Keys,
    ) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&settings.listen)
            .await
            .with_context(|| format!("binding {}", settings.listen))?;
        let addr = listener.local_addr()?;
        settings.listen = addr.to_string();
        let state = AppState::new(database, settings, keys);
        Ok(Application { listener, state })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves the API and runs the sync workers, the scheduler and the catch-up poll (unless
    /// `workers` is 0) until `shutdown` completes; running jobs keep their lease and are
    /// resumed after a restart.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(address = %self.address(), "listening");
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut background = if self.state.settings.workers > 0 {
            let mut handles = sync::spawn(self.state.clone(), stop_rx.clone());
            handles.push(webhooks::poll::spawn(self.state.clone(), stop_rx.clone()));
            handles
        } else {
            Vec::new()
        };
        if !self.state.settings.is_sqlite() {
            let events = self.state.events.clone();
            background.push(tokio::spawn(events.listen_postgres(
                self.state.settings.database_url.clone(),
                self.state.db.clone(),
                stop_rx,
            )));
        }
        let app = http::router(self.state.clone());
        // No Nagle: a live event is one small frame per socket, and a frame written while the
        // last one waits for its (delayed) ACK would otherwise be held back for it.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::warn!(error = %err, "TCP_NODELAY could not be set");
            }
        });
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        let _ = stop_tx.send(true);
        for handle in background {
            let _ = handle.await;
        }
        served?;
        Ok(())
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
