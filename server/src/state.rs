//! The state every request, socket and worker shares.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::sync::broadcast;

use crate::config::Settings;
use crate::crypto::Keys;
use crate::events::Events;

/// A credential that stopped working: open sockets that used it close at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    ApiToken(i64),
    User(i64),
}

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub keys: Arc<Keys>,
    pub revocations: broadcast::Sender<Revoked>,
    /// Base of webhook URLs: the setting, else `http://<bound address>`.
    pub public_url: String,
    /// Change events for subscriptions, across processes.
    pub events: Events,
    /// Request budgets per provider host and the upstream address guard.
    pub net: crate::connectors::Net,
    /// Webhook intake: ConnectWise signing keys, per-source delivery budgets.
    pub webhooks: crate::webhooks::Intake,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Settings, keys: Keys) -> AppState {
        let (revocations, _) = broadcast::channel(256);
        let public_url = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", settings.listen));
        let net = crate::connectors::Net::new(settings.block_private_upstreams);
        AppState {
            db,
            settings: Arc::new(settings),
            keys: Arc::new(keys),
            revocations,
            public_url,
            events: Events::default(),
            net,
            webhooks: crate::webhooks::Intake::default(),
        }
    }
}
