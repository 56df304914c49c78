//! Identity: viewer, users, API tokens; login, createUser, createApiToken, revokeApiToken.

use async_graphql::{ComplexObject, Context, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{api_token, organization, user};

use super::enums::Role;
use super::ids::{self, Kind};
use super::ContextExt;
use crate::error::ApiResult;
use crate::services::{identity, tokens};

pub struct UserObj(pub user::Model);

#[Object(name = "User")]
impl UserObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::User, self.0.id)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct OrganizationObj(pub organization::Model);

#[Object(name = "Organization")]
impl OrganizationObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Organization, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
}

pub struct ApiTokenObj(pub api_token::Model);

#[Object(name = "ApiToken")]
impl ApiTokenObj {
    pub async fn id(&self) -> ID {
        ids::encode(Kind::ApiToken, self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn role(&self) -> Role {
        self.0.role.into()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }
    async fn revoked(&self) -> bool {
        self.0.revoked_at.is_some()
    }
}

/// Who did something: a person, a script, or the system.
#[derive(SimpleObject)]
#[graphql(name = "Actor", complex)]
pub struct ActorObj {
    #[graphql(skip)]
    pub user_id: Option<i64>,
    #[graphql(skip)]
    pub token_id: Option<i64>,
    pub label: String,
}

#[ComplexObject]
impl ActorObj {
    async fn user(&self, ctx: &Context<'_>) -> ApiResult<Option<UserObj>> {
        let Some(id) = self.user_id else {
            return Ok(None);
        };
        let row = super::loaders::one(&ctx.loaders()?.user, id).await?;
        Ok(row.map(UserObj))
    }
    async fn api_token(&self, ctx: &Context<'_>) -> ApiResult<Option<ApiTokenObj>> {
        let Some(id) = self.token_id else {
            return Ok(None);
        };
        let row = super::loaders::one(&ctx.loaders()?.api_token, id).await?;
        Ok(row.map(ApiTokenObj))
    }
}

pub struct ViewerObj;

#[Object(name = "Viewer")]
impl ViewerObj {
    async fn user(&self, ctx: &Context<'_>) -> ApiResult<Option<UserObj>> {
        let viewer = ctx.viewer()?;
        let Some(id) = viewer.user_id else {
            return Ok(None);
        };
        let row = super::loaders::one(&ctx.loaders()?.user, id).await?;
        Ok(row.map(UserObj))
    }
    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<OrganizationObj> {
        let state = ctx.state()?;
        Ok(OrganizationObj(
            identity::organization(&state.db, ctx.viewer()?).await?,
        ))
    }
    async fn role(&self, ctx: &Context<'_>) -> ApiResult<Role> {
        Ok(ctx.viewer()?.role.into())
    }
}

#[derive(SimpleObject)]
#[graphql(name = "AuthPayload")]
pub struct AuthPayload {
    token: String,
    expires_at: DateTime<Utc>,
    user: UserObj,
}

#[derive(SimpleObject)]
#[graphql(name = "CreatedApiToken")]
pub struct CreatedApiToken {
    api_token: ApiTokenObj,
    /// Shown once, never again.
    secret: String,
}

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    async fn viewer(&self, ctx: &Context<'_>) -> ApiResult<ViewerObj> {
        ctx.viewer()?;
        Ok(ViewerObj)
    }

    async fn users(&self, ctx: &Context<'_>) -> ApiResult<Vec<UserObj>> {
        let rows = identity::users(&ctx.state()?.db, ctx.viewer()?).await?;
        Ok(rows.into_iter().map(UserObj).collect())
    }

    async fn api_tokens(&self, ctx: &Context<'_>) -> ApiResult<Vec<ApiTokenObj>> {
        let rows = tokens::api_tokens(&ctx.state()?.db, ctx.viewer()?).await?;
        Ok(rows.into_iter().map(ApiTokenObj).collect())
    }
}

#[derive(Default)]
pub struct ViewerMutation;

#[Object]
impl ViewerMutation {
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> ApiResult<AuthPayload> {
        let state = ctx.state()?;
        let (token, expires_at, user) = identity::login(
            &state.db,
            &state.keys,
            state.settings.jwt_ttl_seconds,
            &email,
            &password,
        )
        .await?;
        Ok(AuthPayload {
            token,
            expires_at,
            user: UserObj(user),
        })
    }

    async fn create_user(
        &self,
        ctx: &Context<'_>,
        email: String,
        name: String,
        password: String,
        role: Role,
    ) -> ApiResult<UserObj> {
        let state = ctx.state()?;
        let user = identity::create_user_as(
            &state.db,
            ctx.viewer()?,
            &email,
            &name,
            &password,
            role.into(),
        )
        .await?;
        Ok(UserObj(user))
    }

    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        name: String,
        role: Role,
        expires_at: Option<DateTime<Utc>>,
    ) -> ApiResult<CreatedApiToken> {
        let state = ctx.state()?;
        let (token, secret) =
            tokens::create_api_token(&state.db, ctx.viewer()?, &name, role.into(), expires_at)
                .await?;
        Ok(CreatedApiToken {
            api_token: ApiTokenObj(token),
            secret,
        })
    }

    async fn revoke_api_token(&self, ctx: &Context<'_>, id: ID) -> ApiResult<ApiTokenObj> {
        let state = ctx.state()?;
        let viewer = ctx.viewer()?;
        let row_id = ids::require(Kind::ApiToken, &id)?;
        let token = tokens::revoke_api_token(&state.db, viewer, row_id).await?;
        // Open sockets authenticated by this token close now.
        let _ = state
            .revocations
            .send(crate::state::Revoked::ApiToken(token.id));
        Ok(ApiTokenObj(token))
    }
}
