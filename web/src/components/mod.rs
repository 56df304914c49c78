//! Views shared by the pages.

pub mod check_group;
pub mod error_view;
pub mod field_error;
pub mod job_bar;
pub mod loader;
pub mod loading;
pub mod me;
pub mod nav;
