//! The provider catalog as the API shows it: `providers` and `providerNodeTypes`.

use async_graphql::{Context, Object};

use super::enums::Provider;
use super::nodes::NodeTypeObj;
use super::ContextExt;
use crate::error::ApiResult;
use crate::providers::{self, CredentialSpec, ProviderSpec};

pub struct ProviderInfo(&'static ProviderSpec);

#[Object(name = "ProviderInfo")]
impl ProviderInfo {
    async fn provider(&self) -> Provider {
        self.0.provider.into()
    }
    async fn label(&self) -> &str {
        self.0.label
    }
    async fn base_url_hint(&self) -> &str {
        self.0.base_url_hint
    }
    async fn credential_fields(&self) -> Vec<CredentialField> {
        self.0.credentials.iter().map(CredentialField).collect()
    }
    async fn node_types(&self) -> Vec<NodeTypeObj> {
        self.0.node_types.iter().map(NodeTypeObj).collect()
    }
    async fn has_webhooks(&self) -> bool {
        self.0.has_webhooks
    }
    async fn has_tickets(&self) -> bool {
        self.0.has_tickets
    }
    /// False while its connector is not built yet.
    async fn available(&self) -> bool {
        providers::connector_available(self.0.provider)
    }
}

pub struct CredentialField(&'static CredentialSpec);

#[Object(name = "CredentialField")]
impl CredentialField {
    async fn key(&self) -> &str {
        self.0.key
    }
    async fn label(&self) -> &str {
        self.0.label
    }
    async fn secret(&self) -> bool {
        self.0.secret
    }
    async fn required(&self) -> bool {
        self.0.required
    }
}

#[derive(Default)]
pub struct ProviderQuery;

#[Object]
impl ProviderQuery {
    async fn providers(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProviderInfo>> {
        ctx.viewer()?;
        Ok(providers::CATALOG.iter().map(ProviderInfo).collect())
    }

    async fn provider_node_types(
        &self,
        ctx: &Context<'_>,
        provider: Provider,
    ) -> ApiResult<Vec<NodeTypeObj>> {
        ctx.viewer()?;
        Ok(providers::spec(provider.into())
            .node_types
            .iter()
            .map(NodeTypeObj)
            .collect())
    }
}
