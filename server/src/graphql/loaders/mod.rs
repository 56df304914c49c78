//! Per-request DataLoaders: every parent→child field is batched into one `IN (…)` query per
//! kind and level, so a page of 500 nodes costs a bounded number of statements. Each loader
//! carries the caller's organization, so a cached row can never leak across organizations.

use std::sync::Arc;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::{DatabaseConnection, DbErr};

use crate::error::ApiError;

pub type LoadError = Arc<DbErr>;

mod kinds;

pub use kinds::*;

/// How long a batch waits for more keys. Siblings of a list resolve in one poll pass, but a
/// debug build (or a slow poll) can take longer than async-graphql's default 1 ms, splitting
/// one batch into many; a few milliseconds keeps a page at one query per field and level.
const BATCH_DELAY: Duration = Duration::from_millis(5);

/// A loader that batches and caches for the length of one request (safe: every loader is
/// scoped to the request's organization and lives only as long as the request).
fn batched<K, L>(loader: L) -> DataLoader<L, HashMapCache>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    L: Loader<K>,
{
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default()).delay(BATCH_DELAY)
}

/// All loaders of one request.
pub struct Loaders {
    pub source: DataLoader<SourceById, HashMapCache>,
    pub node: DataLoader<NodeById, HashMapCache>,
    pub child_count: DataLoader<ChildCount, HashMapCache>,
    pub customer: DataLoader<CustomerById, HashMapCache>,
    pub service_type: DataLoader<ServiceTypeById, HashMapCache>,
    pub package: DataLoader<PackageById, HashMapCache>,
    pub service: DataLoader<ServiceById, HashMapCache>,
    pub live_link: DataLoader<LiveLinkOfNode, HashMapCache>,
    pub user: DataLoader<UserById, HashMapCache>,
    pub api_token: DataLoader<ApiTokenById, HashMapCache>,
    pub field: DataLoader<FieldById, HashMapCache>,
    pub field_mapping: DataLoader<FieldMappingById, HashMapCache>,
    pub fields_of_type: DataLoader<FieldsOfType, HashMapCache>,
    pub values_of_service: DataLoader<ValuesOfService, HashMapCache>,
}

impl Loaders {
    pub fn new(db: DatabaseConnection, org: i64) -> Loaders {
        Loaders {
            source: batched(SourceById {
                db: db.clone(),
                org,
            }),
            node: batched(NodeById {
                db: db.clone(),
                org,
            }),
            child_count: batched(ChildCount {
                db: db.clone(),
                org,
            }),
            customer: batched(CustomerById {
                db: db.clone(),
                org,
            }),
            service_type: batched(ServiceTypeById {
                db: db.clone(),
                org,
            }),
            package: batched(PackageById {
                db: db.clone(),
                org,
            }),
            service: batched(ServiceById {
                db: db.clone(),
                org,
            }),
            live_link: batched(LiveLinkOfNode {
                db: db.clone(),
                org,
            }),
            user: batched(UserById {
                db: db.clone(),
                org,
            }),
            api_token: batched(ApiTokenById {
                db: db.clone(),
                org,
            }),
            field: batched(FieldById {
                db: db.clone(),
                org,
            }),
            field_mapping: batched(FieldMappingById {
                db: db.clone(),
                org,
            }),
            fields_of_type: batched(FieldsOfType { db: db.clone() }),
            values_of_service: batched(ValuesOfService { db }),
        }
    }
}

impl Loaders {
    /// For a WebSocket, whose loaders live as long as the connection: batching stays, caching
    /// goes, so a long-lived subscription never reads a stale row.
    pub fn uncached(self) -> Loaders {
        self.source.enable_all_cache(false);
        self.node.enable_all_cache(false);
        self.child_count.enable_all_cache(false);
        self.customer.enable_all_cache(false);
        self.service_type.enable_all_cache(false);
        self.package.enable_all_cache(false);
        self.service.enable_all_cache(false);
        self.live_link.enable_all_cache(false);
        self.user.enable_all_cache(false);
        self.api_token.enable_all_cache(false);
        self.field.enable_all_cache(false);
        self.field_mapping.enable_all_cache(false);
        self.fields_of_type.enable_all_cache(false);
        self.values_of_service.enable_all_cache(false);
        self
    }
}

/// A socket's loaders, made (uncached) when its first operation needs them: most sockets only
/// listen to a shared subscription and would hold fourteen idle loaders each.
pub struct LazyLoaders {
    db: DatabaseConnection,
    org: i64,
    loaders: std::sync::OnceLock<Loaders>,
}

impl LazyLoaders {
    pub fn new(db: DatabaseConnection, org: i64) -> LazyLoaders {
        LazyLoaders {
            db,
            org,
            loaders: std::sync::OnceLock::new(),
        }
    }

    pub fn get(&self) -> &Loaders {
        self.loaders
            .get_or_init(|| Loaders::new(self.db.clone(), self.org).uncached())
    }
}

/// One value through a request's loader, its failure in the contract's terms.
pub async fn one<K, L>(
    loader: &DataLoader<L, HashMapCache>,
    key: K,
) -> crate::error::ApiResult<Option<L::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    L: Loader<K, Error = LoadError>,
{
    loader.load_one(key).await.map_err(load_error)
}

pub fn load_error(err: LoadError) -> ApiError {
    ApiError::internal(anyhow::anyhow!("loading failed: {err}"))
}
