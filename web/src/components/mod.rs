//! Views shared by the pages.

pub mod error_view;
pub mod loading;
pub mod nav;
