//! The demo organization that `switchboard serve --demo` (the README's run command) seeds, so
//! a newcomer can log in at once. Idempotent: a second start changes nothing.

use entity::enums::{Provider, Role};
use entity::prelude::*;
use entity::{source, user};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::auth::Viewer;
use crate::crypto::Keys;
use crate::error::ApiResult;
use crate::services::identity;
use crate::services::sources::{self, NewSource, SourceUpdate};

pub const DEMO_ORG: &str = "Demo MSP";
pub const DEMO_EMAIL: &str = "demo@switchboard.local";
pub const DEMO_PASSWORD: &str = "switchboard-demo";
pub const DEMO_SOURCE: &str = "Demo ConnectWise";

/// The credentials the ConnectWise fake accepts by default (tests/src/fakes/connectwise; a test
/// keeps the two equal).
pub fn fake_connectwise_credentials() -> serde_json::Value {
    serde_json::json!({"companyId": "acme", "publicKey": "fake-public", "privateKey": "fake-private", "clientId": "fake-client-id"})
}

/// The demo's sources: name, provider, path under the fakes' address, and the credentials the
/// fakes accept by default (tests/src/fakes; a test keeps them equal).
pub fn demo_sources() -> Vec<(&'static str, Provider, &'static str, serde_json::Value)> {
    vec![
        (
            DEMO_SOURCE,
            Provider::ConnectwiseManage,
            "/v4_6_release/apis/3.0",
            fake_connectwise_credentials(),
        ),
        (
            "Demo Syncro",
            Provider::Syncro,
            "/api/v1",
            serde_json::json!({"apiToken": "fake-syncro-token"}),
        ),
        (
            "Demo BroadWorks",
            Provider::Broadworks,
            "/webservice/services/ProvisioningService",
            serde_json::json!({"userId": "switchboard-admin", "password": "fake-bw-password"}),
        ),
    ]
}

/// Makes sure the demo organization and its admin exist, and, when the provider fakes run
/// beside the server (`fakes`: their base URL), a source of each faked provider pointing at them.
pub async fn seed(db: &DatabaseConnection, keys: &Keys, fakes: Option<&str>) -> ApiResult<()> {
    let org = identity::ensure_organization(db, DEMO_ORG).await?;
    let exists = User::find()
        .filter(user::Column::Email.eq(DEMO_EMAIL))
        .one(db)
        .await?
        .is_some();
    if !exists {
        identity::create_user(
            db,
            org.id,
            DEMO_EMAIL,
            "Demo Admin",
            DEMO_PASSWORD,
            Role::Admin,
        )
        .await?;
    }
    let Some(fakes) = fakes else { return Ok(()) };
    let admin = Viewer::system(org.id);
    for (name, provider, path, credentials) in demo_sources() {
        let base_url = format!("{}{path}", fakes.trim_end_matches('/'));
        let existing = Source::find()
            .filter(source::Column::OrganizationId.eq(org.id))
            .filter(source::Column::Name.eq(name))
            .filter(source::Column::DeletedAt.is_null())
            .one(db)
            .await?;
        match existing {
            // The fakes listen on a new port each run: follow them.
            Some(s) if s.base_url != base_url => {
                let update = SourceUpdate {
                    base_url: Some(base_url),
                    credentials: Some(credentials),
                    ..Default::default()
                };
                sources::update(db, keys, &admin, s.id, update, false).await?;
            }
            Some(_) => {}
            None => {
                let new = NewSource {
                    name: name.into(),
                    provider,
                    base_url,
                    credentials,
                    settings: None,
                };
                sources::create(db, keys, &admin, new, false).await?;
            }
        }
    }
    Ok(())
}
