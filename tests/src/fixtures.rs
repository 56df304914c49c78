//! Fixtures and helpers the API tests share: rows written as an import or a link would write
//! them, sources created through the API, and forcing a sync and reading its job.

use serde_json::{json, Value};

use crate::{gql, Session, TestApp};

impl TestApp {
    /// Inserts a node into a source (as an import will), returning its row.
    pub async fn insert_node(
        &self,
        source_gid: &str,
        node_type: &str,
        external_id: &str,
        name: &str,
        parent: Option<i64>,
    ) -> entity::source_node::Model {
        use sea_orm::EntityTrait;
        let id = server::graphql::ids::decode(server::graphql::ids::Kind::Source, source_gid)
            .expect("a source id");
        let source = entity::source::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .unwrap()
            .expect("source");
        let node = server::services::nodes::NewNode {
            node_type: node_type.into(),
            external_id: external_id.into(),
            name: name.into(),
            parent_id: parent,
            fields: json!({"id": external_id, "name": name}),
            deleted_at: None,
        };
        server::services::nodes::insert(&self.db, &source, node)
            .await
            .expect("insert node")
    }

    /// Creates a ConnectWise source as `admin` and returns its global id.
    pub async fn create_cw_source(&self, admin: &Session, name: &str) -> String {
        let input = json!({"input": {"name": name, "provider": "CONNECTWISE_MANAGE", "baseUrl": "https://cw.example.com/v4_6_release/apis/3.0", "credentials": gql::cw_credentials()}});
        let data = self.ok(admin, gql::CREATE_SOURCE, input).await;
        data["createSource"]["id"].as_str().expect("id").to_owned()
    }
}

impl TestApp {
    /// An Autotask source (no connector yet): its jobs end at once without any network traffic.
    pub async fn create_offline_source(&self, admin: &Session, name: &str) -> String {
        let input = json!({"input": {"name": name, "provider": "AUTOTASK", "baseUrl": "https://webservices5.autotask.net/ATServicesRest/V1.0", "credentials": {"username": "api@acme.example", "secret": "s3cret", "integrationCode": "CODE"}}});
        let data = self.ok(admin, gql::CREATE_SOURCE, input).await;
        data["createSource"]["id"].as_str().expect("id").to_owned()
    }
}

/// The global id of a row.
pub fn gid(kind: server::graphql::ids::Kind, id: i64) -> String {
    server::graphql::ids::encode(kind, id).0
}

/// What the import tests read of a job.
pub const SYNC_JOB: &str = "query($id: ID!) { syncJob(id: $id) { status error stats { created updated deleted unchanged skipped } coverage { entity reported received complete } logs(level: INFO, first: 500) { edges { node { level message } } } } }";

/// Queues a forced sync of `source` and returns the job's id.
pub async fn force_sync(app: &TestApp, session: &Session, source: &str) -> Value {
    app.ok(
        session,
        "mutation($id: ID!) { forceSync(sourceId: $id) { id } }",
        json!({"id": source}),
    )
    .await["forceSync"]["id"]
        .clone()
}

/// A job as the API reads it (`SYNC_JOB`).
pub async fn sync_job(app: &TestApp, session: &Session, id: &Value) -> Value {
    app.ok(session, SYNC_JOB, json!({"id": id})).await["syncJob"].clone()
}

/// Forces a sync, runs it here with one worker, and returns the job as the API reads it.
pub async fn sync(app: &TestApp, session: &Session, source: &str) -> Value {
    let id = force_sync(app, session, source).await;
    server::sync::worker::Worker::new(app.state.clone(), 0)
        .try_run_next()
        .await
        .expect("run the job");
    sync_job(app, session, &id).await
}

/// `type:name` of each node of a connection, in order.
pub fn typed_names(conn: &Value) -> Vec<String> {
    conn["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["node"]["type"].as_str().unwrap_or_default(),
                e["node"]["name"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// A job's log, one "LEVEL message" line per entry.
pub fn log_text(job: &Value) -> String {
    job["logs"]["edges"]
        .as_array()
        .expect("log edges")
        .iter()
        .map(|l| {
            format!(
                "{} {}\n",
                l["node"]["level"].as_str().unwrap_or_default(),
                l["node"]["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

impl TestApp {
    /// Links a node to a service by writing the rows `linkNode` writes (a live `links` row and
    /// `source_nodes.linked`), for tests of what happens to linked nodes. Returns the link's id.
    pub async fn link_directly(&self, node_id: i64, service_id: i64) -> i64 {
        use sea_orm::sea_query::Expr;
        use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
        let node = entity::source_node::Entity::find_by_id(node_id)
            .one(&self.db)
            .await
            .unwrap()
            .expect("node");
        let link = entity::link::ActiveModel {
            organization_id: Set(node.organization_id),
            node_id: Set(node_id),
            service_id: Set(service_id),
            linked_at: Set(chrono::Utc::now()),
            last_field_sync: Set(json!([])),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .expect("insert link");
        entity::source_node::Entity::update_many()
            .col_expr(entity::source_node::Column::Linked, Expr::value(true))
            .filter(entity::source_node::Column::Id.eq(node_id))
            .exec(&self.db)
            .await
            .expect("mark linked");
        link.id
    }
}
