//! The one integration test binary: one module per feature.

mod audit;
mod auth;
mod billing;
mod contract;
mod nodes;
mod sources;
mod tenancy;
mod websocket;
