//! Switchboard's browser app (Leptos 0.8, client-side rendering).
//!
//! - [`app`]: the route table, the signed-in shell and the `Session` context.
//! - [`session`]: the bearer token kept in `localStorage`; signs out on UNAUTHENTICATED or expiry.
//! - [`api`]: one `post` for typed GraphQL operations (checked against `graphql/schema.graphql`
//!   at compile time) and the `ApiError` the contract's error codes map to.
//! - [`pages`]: one component per route.
//! - [`components`]: views shared by pages (nav, loading, error view).

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
pub mod session;
