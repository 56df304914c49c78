//! Writing to a source's provider from the API: createSourceRecord, updateSourceRecord,
//! deleteSourceRecord (the provider first, then the node), and callSourceApi with HttpMethod
//! and ApiCallResult (services/source_records.rs, services/source_api.rs).

use async_graphql::{Context, Enum, Json, Object, SimpleObject, ID};
use serde_json::{Map, Value};

use super::ids::{self, Kind};
use super::nodes::SourceNodeObj;
use super::ContextExt;
use crate::error::ApiResult;
use crate::services::source_api::{self, RawCall};
use crate::services::source_records;

#[derive(Enum, Debug, Copy, Clone, Eq, PartialEq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl From<HttpMethod> for reqwest::Method {
    fn from(m: HttpMethod) -> Self {
        match m {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Delete => reqwest::Method::DELETE,
        }
    }
}

#[derive(SimpleObject)]
pub struct ApiCallResult {
    status: i32,
    headers: Json<Value>,
    body: String,
    /// The body parsed, when it is JSON.
    json: Option<Json<Value>>,
}

#[derive(Default)]
pub struct SourceRecordMutation;

#[Object]
impl SourceRecordMutation {
    /// Written upstream first (e.g. a Syncro customer or lead), then stored as a node.
    async fn create_source_record(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
        #[graphql(name = "type")] node_type: String,
        fields: Json<Value>,
    ) -> ApiResult<SourceNodeObj> {
        let viewer = ctx.viewer()?;
        let source = ids::require(Kind::Source, &source_id)?;
        let node =
            source_records::create(ctx.state()?, viewer, source, &node_type, &fields.0).await?;
        Ok(SourceNodeObj(node))
    }

    async fn update_source_record(
        &self,
        ctx: &Context<'_>,
        node_id: ID,
        fields: Json<Value>,
    ) -> ApiResult<SourceNodeObj> {
        let viewer = ctx.viewer()?;
        let node = ids::require(Kind::SourceNode, &node_id)?;
        let node = source_records::update(ctx.state()?, viewer, node, &fields.0).await?;
        Ok(SourceNodeObj(node))
    }

    async fn delete_source_record(
        &self,
        ctx: &Context<'_>,
        node_id: ID,
    ) -> ApiResult<SourceNodeObj> {
        let viewer = ctx.viewer()?;
        let node = ids::require(Kind::SourceNode, &node_id)?;
        let node = source_records::delete(ctx.state()?, viewer, node).await?;
        Ok(SourceNodeObj(node))
    }

    /// ADMIN; path under the source's base URL; audited.
    #[allow(clippy::too_many_arguments)]
    async fn call_source_api(
        &self,
        ctx: &Context<'_>,
        source_id: ID,
        method: HttpMethod,
        path: String,
        query: Option<Json<Value>>,
        headers: Option<Json<Value>>,
        body: Option<Json<Value>>,
    ) -> ApiResult<ApiCallResult> {
        let viewer = ctx.viewer()?;
        let source = ids::require(Kind::Source, &source_id)?;
        let call = RawCall {
            method: method.into(),
            path,
            query: query.map(|q| q.0),
            headers: headers.map(|h| h.0),
            body: body.map(|b| b.0),
        };
        let reply = source_api::call(ctx.state()?, viewer, source, call).await?;
        let mut headers = Map::new();
        for (name, value) in reply.headers {
            // A header sent twice keeps its values together, as HTTP reads it.
            match headers.get_mut(&name) {
                Some(Value::String(prior)) => {
                    prior.push_str(", ");
                    prior.push_str(&value);
                }
                _ => {
                    headers.insert(name, Value::String(value));
                }
            }
        }
        let json = serde_json::from_str::<Value>(&reply.body).ok().map(Json);
        Ok(ApiCallResult {
            status: i32::from(reply.status),
            headers: Json(Value::Object(headers)),
            body: reply.body,
            json,
        })
    }
}
