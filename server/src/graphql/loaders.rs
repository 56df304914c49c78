//! Per-request DataLoaders: every parent→child field is batched into one `IN (…)` query per
//! kind and level, so a page of 500 nodes costs a bounded number of statements. Each loader
//! carries the caller's organization, so a cached row can never leak across organizations.

use std::collections::HashMap;
use std::sync::Arc;

use std::time::Duration;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{
    api_token, customer, field_mapping, link, package, service, service_field_value, service_type,
    service_type_field, source, source_node, type_mapping, user,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};

use crate::error::ApiError;

pub type LoadError = Arc<DbErr>;

/// Rows of an org-scoped table by id.
macro_rules! by_id_loader {
    ($name:ident, $module:ident, org) => {
        by_id_loader!($name, $module, |q: sea_orm::Select<$module::Entity>,
                                       org: i64| q
            .filter($module::Column::OrganizationId.eq(org)));
    };
    ($name:ident, $module:ident, $scope:expr) => {
        pub struct $name {
            db: DatabaseConnection,
            org: i64,
        }

        impl Loader<i64> for $name {
            type Value = $module::Model;
            type Error = LoadError;

            async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
                let scope = $scope;
                let query =
                    $module::Entity::find().filter($module::Column::Id.is_in(keys.iter().copied()));
                let rows = scope(query, self.org)
                    .all(&self.db)
                    .await
                    .map_err(Arc::new)?;
                Ok(rows.into_iter().map(|r| (r.id, r)).collect())
            }
        }
    };
}

by_id_loader!(SourceById, source, org);
by_id_loader!(NodeById, source_node, org);
by_id_loader!(CustomerById, customer, org);
by_id_loader!(ServiceTypeById, service_type, org);
by_id_loader!(PackageById, package, org);
by_id_loader!(ServiceById, service, org);
by_id_loader!(UserById, user, org);
by_id_loader!(ApiTokenById, api_token, org);
// Fields belong to service types, which are org-scoped: the type check happens on the type.
by_id_loader!(
    FieldById,
    service_type_field,
    |q: sea_orm::Select<service_type_field::Entity>, _org: i64| q
);

/// Field mappings by id. They carry no organization: the scope is their type mapping's. A
/// deleted mapping is simply absent (history shows it as null).
pub struct FieldMappingById {
    db: DatabaseConnection,
    org: i64,
}

impl Loader<i64> for FieldMappingById {
    type Value = field_mapping::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = field_mapping::Entity::find()
            .inner_join(type_mapping::Entity)
            .filter(field_mapping::Column::Id.is_in(keys.iter().copied()))
            .filter(type_mapping::Column::OrganizationId.eq(self.org))
            .all(&self.db)
            .await
            .map_err(Arc::new)?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// Live children per parent node.
pub struct ChildCount {
    db: DatabaseConnection,
    org: i64,
}

#[derive(FromQueryResult)]
struct CountRow {
    parent_id: i64,
    n: i64,
}

impl Loader<i64> for ChildCount {
    type Value = i64;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, i64>, Self::Error> {
        let rows = source_node::Entity::find()
            .select_only()
            .column(source_node::Column::ParentId)
            .column_as(Expr::col(source_node::Column::Id).count(), "n")
            .filter(source_node::Column::OrganizationId.eq(self.org))
            .filter(source_node::Column::ParentId.is_in(keys.iter().copied()))
            .filter(source_node::Column::DeletedAt.is_null())
            .group_by(source_node::Column::ParentId)
            .into_model::<CountRow>()
            .all(&self.db)
            .await
            .map_err(Arc::new)?;
        let mut out: HashMap<i64, i64> = keys.iter().map(|k| (*k, 0)).collect();
        out.extend(rows.into_iter().map(|r| (r.parent_id, r.n)));
        Ok(out)
    }
}

/// The live link of each node (nodes without one are absent).
pub struct LiveLinkOfNode {
    db: DatabaseConnection,
    org: i64,
}

impl Loader<i64> for LiveLinkOfNode {
    type Value = link::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = link::Entity::find()
            .filter(link::Column::OrganizationId.eq(self.org))
            .filter(link::Column::NodeId.is_in(keys.iter().copied()))
            .filter(link::Column::UnlinkedAt.is_null())
            .all(&self.db)
            .await
            .map_err(Arc::new)?;
        Ok(rows.into_iter().map(|l| (l.node_id, l)).collect())
    }
}

/// A service type's fields, in order.
pub struct FieldsOfType {
    db: DatabaseConnection,
}

impl Loader<i64> for FieldsOfType {
    type Value = Vec<service_type_field::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = service_type_field::Entity::find()
            .filter(service_type_field::Column::ServiceTypeId.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(Arc::new)?;
        let mut out: HashMap<i64, Self::Value> = keys.iter().map(|k| (*k, vec![])).collect();
        for row in rows {
            out.entry(row.service_type_id).or_default().push(row);
        }
        for fields in out.values_mut() {
            fields.sort_by_key(|f| (f.position, f.id));
        }
        Ok(out)
    }
}

/// A service's stored field values.
pub struct ValuesOfService {
    db: DatabaseConnection,
}

impl Loader<i64> for ValuesOfService {
    type Value = Vec<service_field_value::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = service_field_value::Entity::find()
            .filter(service_field_value::Column::ServiceId.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(Arc::new)?;
        let mut out: HashMap<i64, Self::Value> = keys.iter().map(|k| (*k, vec![])).collect();
        for row in rows {
            out.entry(row.service_id).or_default().push(row);
        }
        Ok(out)
    }
}

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
