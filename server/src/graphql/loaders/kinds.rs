//! The loaders themselves: rows by id, scoped to the caller's organization, and the
//! parent-to-children lookups (child counts, live links, a type's fields, a service's values).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::{
    api_token, customer, field_mapping, link, package, service, service_field_value, service_type,
    service_type_field, source, source_node, type_mapping, user,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};

use super::LoadError;

/// Rows of an org-scoped table by id.
macro_rules! by_id_loader {
    ($name:ident, $module:ident, org) => {
        by_id_loader!($name, $module, |q: sea_orm::Select<$module::Entity>,
                                       org: i64| q
            .filter($module::Column::OrganizationId.eq(org)));
    };
    ($name:ident, $module:ident, $scope:expr) => {
        pub struct $name {
            pub(super) db: DatabaseConnection,
            pub(super) org: i64,
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
    pub(super) db: DatabaseConnection,
    pub(super) org: i64,
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
    pub(super) db: DatabaseConnection,
    pub(super) org: i64,
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
    pub(super) db: DatabaseConnection,
    pub(super) org: i64,
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
    pub(super) db: DatabaseConnection,
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
    pub(super) db: DatabaseConnection,
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
