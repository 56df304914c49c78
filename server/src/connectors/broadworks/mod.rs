//! Cisco BroadWorks OCI-P over SOAP (docs/CONNECTORS.md §3): one session per import or
//! connection test, logged in with the nonce-signed password (or plain `LoginRequest22V5` over
//! https), then a full enumeration — service providers and enterprises, their groups, each
//! group's users and hunt groups — and a `LogoutRequest`. OCI-P has no paging and no change
//! tracking, so every pass is complete unless a table reaches `responseSizeLimit` or a list
//! command keeps failing; then the pass is incomplete and nothing is deleted.
//!
//! `oci` writes and reads OCI documents, `soap` wraps them, `session` logs in and keeps the
//! session cookie, `nodes` maps table rows to nodes and `pass` walks the tree.

mod nodes;
mod oci;
mod pass;
mod session;
mod soap;

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;

pub use session::{signed_password, LoginMode};

use super::http::Upstream;
use super::{Connector, ConnectorError, Coverage, Net, PageSink};
use crate::services::source_settings::SourceSettings;
use session::{Account, Session};

/// The `responseSizeLimit` sent with every list that takes one (§3.3: 1000, as in §6.1). A
/// table with this many rows may have been cut, and makes the pass incomplete.
pub const RESPONSE_SIZE_LIMIT: usize = 1000;

pub struct BroadWorks {
    http: Arc<Upstream>,
    url: String,
    user_id: String,
    password: String,
    mode: LoginMode,
    limit: usize,
}

impl BroadWorks {
    pub fn new(
        base_url: &str,
        credentials: &Value,
        _settings: &SourceSettings,
        net: &Net,
    ) -> Result<BroadWorks, ConnectorError> {
        let get = |key: &str| {
            credentials
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| ConnectorError::Config(format!("the source has no {key}")))
        };
        // No request limit is documented for BroadWorks (docs/CONNECTORS.md §0).
        let budget = super::budget_key(entity::enums::Provider::Broadworks, base_url);
        Ok(BroadWorks {
            http: Arc::new(Upstream::new(net, base_url, &budget, None)?),
            url: base_url.trim().to_owned(),
            user_id: get("userId")?,
            password: get("password")?,
            mode: LoginMode::Auto,
            limit: RESPONSE_SIZE_LIMIT,
        })
    }

    /// Overrides how to log in (the default: plain over https, nonce-signed otherwise).
    pub fn with_login(mut self, mode: LoginMode) -> BroadWorks {
        self.mode = mode;
        self
    }

    /// Overrides the `responseSizeLimit` sent with each list.
    pub fn with_response_size_limit(mut self, limit: usize) -> BroadWorks {
        self.limit = limit.max(1);
        self
    }

    async fn session(&self) -> Result<Session, ConnectorError> {
        Session::open(Arc::new(Account {
            http: self.http.clone(),
            url: self.url.clone(),
            user_id: self.user_id.clone(),
            password: self.password.clone(),
            mode: self.mode,
        }))
        .await
    }
}

#[async_trait]
impl Connector for BroadWorks {
    async fn test(&self) -> Result<String, ConnectorError> {
        let session = self.session().await?;
        let info = session.info.clone();
        session.close().await;
        let mut message = format!(
            "Connected to BroadWorks as {} (login type {}, {}).",
            self.user_id, info.login_type, info.via
        );
        if !matches!(info.login_type.as_str(), "System" | "Provisioning") {
            message.push_str(
                " An import lists every service provider and enterprise, which needs a System or \
                 Provisioning administrator; this login may not be allowed to.",
            );
        }
        Ok(message)
    }

    async fn import(&self, sink: &mut dyn PageSink) -> Result<Vec<Coverage>, ConnectorError> {
        let session = self.session().await?;
        let outcome = pass::Pass::new(&session, self.limit, sink).run().await;
        session.close().await;
        outcome
    }
}
