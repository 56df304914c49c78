//! The demo organization that `switchboard serve --demo` (the README's run command) seeds, so
//! a newcomer can log in at once. Idempotent: a second start changes nothing.

use entity::enums::Role;
use entity::prelude::*;
use entity::user;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::error::ApiResult;
use crate::services::identity;

pub const DEMO_ORG: &str = "Demo MSP";
pub const DEMO_EMAIL: &str = "demo@switchboard.local";
pub const DEMO_PASSWORD: &str = "switchboard-demo";

/// Makes sure the demo organization and its admin exist.
pub async fn seed(db: &DatabaseConnection) -> ApiResult<()> {
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
    Ok(())
}
