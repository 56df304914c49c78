//! The one integration test binary: one module per feature.

// Test code fails by panicking: unwrap and expect are how it says what broke.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod auth;
mod billing;
mod broadworks;
mod browser;
mod cli;
mod contract;
mod database;
mod fakes;
mod import;
mod incremental;
mod nodes;
mod queue;
mod resume;
mod sources;
mod syncro;
mod tenancy;
mod upstream;
mod websocket;
