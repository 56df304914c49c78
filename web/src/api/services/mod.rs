//! Services and customers (`graphql/services.graphql`): both lists with search, one service
//! with its fields and links, and its history a page at a time.

use super::json::read;
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

mod types;

pub use types::*;

/// A page of rows and the cursor of the next one.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: i64,
    pub next: Option<String>,
}

impl<T> Page<T> {
    fn from(connection: super::connection::Connection<T>) -> Self {
        let (rows, total, next) = connection.into_parts();
        Self { rows, total, next }
    }
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
        .run::<Services>(services::Variables {
            search,
            customer,
            first: Some(first),
            after,
        })
        .await?;
    Ok(Page::from(read::<ServicesData>(&data)?.services))
}

/// Customers matching `search`.
pub async fn customers(
    session: Session,
    search: Option<String>,
    first: i64,
    after: Option<String>,
) -> Result<Page<CustomerRow>, ApiError> {
    let data = session
        .run::<Customers>(customers::Variables {
            search,
            first: Some(first),
            after,
        })
        .await?;
    Ok(Page::from(read::<CustomersData>(&data)?.customers))
}

/// Service `id` (NOT_FOUND when it is not the organization's).
pub async fn service(session: Session, id: String) -> Result<ServiceDetail, ApiError> {
    let data = session.run::<Service>(service::Variables { id }).await?;
    read::<ServiceData>(&data)?
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
        .run::<ServiceHistory>(service_history::Variables {
            id,
            first: Some(first),
            after,
        })
        .await?;
    let history = read::<HistoryData>(&data)?
        .service
        .ok_or_else(|| ApiError::NotFound("this service does not exist".into()))?
        .history;
    Ok(Page::from(history))
}
