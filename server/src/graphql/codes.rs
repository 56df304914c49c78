//! Gives every error an `extensions.code`: the resolvers' errors carry theirs (`ApiError`);
//! this extension labels the rest — GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, and input
//! that failed to coerce at execution time as BAD_USER_INPUT.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{
    PathSegment, Response, ServerError, ServerResult, ValidationResult, Variables,
};

pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

fn has_code(err: &ServerError) -> bool {
    err.extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some())
}

fn set_code(err: &mut ServerError, code: &str) {
    if !has_code(err) {
        err.extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}

#[async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|mut err| {
            set_code(&mut err, "GRAPHQL_PARSE_FAILED");
            err
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|mut err| {
                    set_code(&mut err, "GRAPHQL_VALIDATION_FAILED");
                    err
                })
                .collect()
        })
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        for err in response.errors.iter_mut().filter(|e| !has_code(e)) {
            if err.message.starts_with("Failed to parse")
                || err.message.starts_with("Invalid value")
            {
                let field = argument_name(&err.message)
                    .or_else(|| match err.path.last() {
                        Some(PathSegment::Field(f)) => Some(f.clone()),
                        _ => None,
                    })
                    .unwrap_or_default();
                err.extensions
                    .get_or_insert_with(Default::default)
                    .set("field", field);
                set_code(err, "BAD_USER_INPUT");
            } else if err.path.is_empty() {
                set_code(err, "GRAPHQL_VALIDATION_FAILED");
            } else {
                // A resolver error that did not come through ApiError: say nothing more.
                tracing::error!(message = %err.message, "uncoded resolver error");
                err.message = "internal error".into();
                set_code(err, "INTERNAL");
            }
        }
        response
    }
}

/// `... argument "input" ...` → `input`.
fn argument_name(message: &str) -> Option<String> {
    let rest = message.split("argument \"").nth(1)?;
    Some(rest.split('"').next()?.to_owned())
}
