//! One component per client route (the route table is in `crate::app`).

pub mod login;
pub mod not_found;
pub mod sources;
