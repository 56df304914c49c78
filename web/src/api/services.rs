//! Services and customers (`graphql/services.graphql`): both lists with search, one service
//! with its fields and links, and its history a page at a time.

use super::{ApiError, Date, DateTime, Json};
use crate::session::Session;

/// The GraphQL `ID` scalar, as graphql_client names it under Rust normalization.
type Id = String;

operations!("graphql/services.graphql";
    /// `query Services`: by name, optionally of one customer.
    Services,
    /// `query Customers`: by name or account number.
    Customers,
    /// `query Service`: one service, its fields and links.
    Service,
    /// `query ServiceHistory`: its changes, newest first.
    ServiceHistory,
);

pub use customers::CustomersCustomersEdgesNode as CustomerRow;
pub use service::{ServiceService as ServiceDetail, ServiceServiceLinks as ServiceLink};
pub use service_history::ServiceHistoryServiceHistoryEdgesNode as Change;
pub use services::ServicesServicesEdgesNode as ServiceRow;

/// A page of rows and the cursor of the next one.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub next: Option<String>,
}

/// The cursor of the next page, when there is one.
fn next(has_next: bool, end: Option<String>) -> Option<String> {
    has_next.then_some(end).flatten()
}

/// Services matching `search`, of `customer` when given.
pub async fn services(
    session: Session,
    search: Option<String>,
    customer: Option<String>,
    first: i64,
    after: Option<String>,
) -> Result<Page<ServiceRow>, ApiError> {
    let data = session
        .call::<Services>(services::Variables {
            search,
            customer,
            first: Some(first),
            after,
        })
        .await?
        .services;
    Ok(Page {
        rows: data.edges.into_iter().map(|e| e.node).collect(),
        total: data.total_count,
        next: next(data.page_info.has_next_page, data.page_info.end_cursor),
    })
}

/// Customers matching `search`.
pub async fn customers(
    session: Session,
    search: Option<String>,
    first: i64,
    after: Option<String>,
) -> Result<Page<CustomerRow>, ApiError> {
    let data = session
        .call::<Customers>(customers::Variables {
            search,
            first: Some(first),
            after,
        })
        .await?
        .customers;
    Ok(Page {
        rows: data.edges.into_iter().map(|e| e.node).collect(),
        total: data.total_count,
        next: next(data.page_info.has_next_page, data.page_info.end_cursor),
    })
}

/// Service `id` (NOT_FOUND when it is not the organization's).
pub async fn service(session: Session, id: String) -> Result<ServiceDetail, ApiError> {
    session
        .call::<Service>(service::Variables { id })
        .await?
        .service
        .ok_or_else(|| ApiError::NotFound("this service does not exist".into()))
}

/// A page of service `id`'s history.
pub async fn history(
    session: Session,
    id: String,
    first: i64,
    after: Option<String>,
) -> Result<Page<Change>, ApiError> {
    let data = session
        .call::<ServiceHistory>(service_history::Variables {
            id,
            first: Some(first),
            after,
        })
        .await?
        .service
        .ok_or_else(|| ApiError::NotFound("this service does not exist".into()))?
        .history;
    Ok(Page {
        rows: data.edges.into_iter().map(|e| e.node).collect(),
        total: data.total_count,
        next: next(data.page_info.has_next_page, data.page_info.end_cursor),
    })
}
