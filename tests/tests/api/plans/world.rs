//! The setting plans, rules, undo, reconciliation and activity are tested in: a ConnectWise
//! source on the fake, imported once, an "Account" service type mapped from companies
//! (phoneNumber → phone, city → city), a customer, and the first companies linked to services
//! of their own — everything made through the API. `autoSyncFields` is off, so nothing reaches
//! a service until a test says so.

use entity::enums::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};
use server::graphql::ids::{self, Kind};
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::{gid, gql, Session, TestApp};

pub(crate) const ACCOUNT: &str = r#"mutation { createServiceType(input: {name: "Account", fields: [
  {key: "phone", label: "Phone", dataType: PHONE},
  {key: "city", label: "City", dataType: TEXT},
  {key: "tier", label: "Tier", dataType: TEXT},
  {key: "street", label: "Street", dataType: TEXT}
]}) { id fields { id key } } }"#;

pub(crate) const CREATE_SERVICE: &str = "mutation($n: String!, $c: ID!, $st: ID!) { createService(input: {name: $n, customerId: $c, serviceTypeId: $st, effectiveDate: \"2026-02-01\"}) { id } }";

pub(crate) const LINK: &str =
    "mutation($n: ID!, $s: ID!) { linkNode(nodeId: $n, serviceId: $s) { id } }";

pub(crate) const UPDATE_FIELDS: &str =
    "mutation($s: ID!, $f: JSON!) { updateServiceFields(serviceId: $s, fields: $f) { id } }";

pub(crate) const PLAN: &str = "mutation($s: ID!) { planSync(sourceId: $s) { id planHash createdAt source { id } changes(first: 500) { totalCount edges { node { action node { id } service { id } field { key } fieldMapping { id } rule { id name } oldValue newValue reason } } } } }";

pub(crate) const APPLY: &str =
    "mutation($p: ID!) { applySyncPlan(planId: $p) { id kind status stats { created updated } } }";

pub(crate) const UNDO: &str =
    "mutation($j: ID!) { undoSyncJob(id: $j) { id kind status stats { updated deleted } } }";

pub(crate) const CREATE_RULE: &str = "mutation($s: ID!, $i: SyncRuleInput!) { createSyncRule(sourceId: $s, input: $i) { id name position enabled nodeType condition action params matchedLastRun } }";

pub(crate) const SERVICE: &str = "query($id: ID!) { service(id: $id) { id name customer { id } serviceType { name } fields { field { key } value } links { id unlinkedAt node { id } } history(first: 200) { totalCount edges { node { field { key } oldValue newValue origin node { id } job { id kind } actor { label } } } } } }";

pub(crate) struct World {
    pub fake: ConnectWiseFake,
    pub admin: Session,
    pub operator: Session,
    pub source: String,
    pub source_id: i64,
    pub service_type: String,
    pub customer: String,
    pub type_mapping: String,
    /// The services linked to companies 1, 2, … in order.
    pub services: Vec<String>,
}

/// `companies` companies on the fake, the first `linked` of them linked.
pub(crate) async fn world(app: &TestApp, companies: u64, linked: u64) -> World {
    let fake = ConnectWiseFake::start(Config {
        companies,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let operator = app.login_as("Acme", Role::Operator).await;
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    let source = app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    set_settings(app, &admin, &source, json!({"autoSyncFields": false})).await;
    let job = tests::sync(app, &admin, &source).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    let st = app.ok(&admin, ACCOUNT, json!({})).await["createServiceType"].clone();
    let service_type = st["id"].as_str().unwrap().to_owned();
    let field = |key: &str| {
        st["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap()["id"]
            .clone()
    };
    let customer = app
        .ok(&admin, gql::CREATE_CUSTOMER, json!({"name": "Acme Co"}))
        .await["createCustomer"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let vars = json!({"p": "CONNECTWISE_MANAGE", "t": "Company", "st": service_type});
    let type_mapping = app.ok(&admin, gql::CREATE_TYPE_MAPPING, vars).await["createTypeMapping"]
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (node_field, key) in [("phoneNumber", "phone"), ("city", "city")] {
        let vars = json!({"tm": type_mapping, "nf": node_field, "sf": field(key), "d": null});
        app.ok(&admin, gql::CREATE_FIELD_MAPPING, vars).await;
    }
    let source_id = ids::decode(Kind::Source, &source).unwrap();
    let mut world = World {
        fake,
        admin,
        operator,
        source,
        source_id,
        service_type,
        customer,
        type_mapping,
        services: Vec::new(),
    };
    for n in 1..=linked {
        let service = world.service(app, &format!("Account {n}")).await;
        let node = world.node(app, "Company", &n.to_string()).await;
        app.ok(&world.operator, LINK, json!({"n": node, "s": service}))
            .await;
        world.services.push(service);
    }
    world
}

impl World {
    /// A new service of the Account type for the customer; its global id.
    pub async fn service(&self, app: &TestApp, name: &str) -> String {
        let vars = json!({"n": name, "c": self.customer, "st": self.service_type});
        app.ok(&self.admin, CREATE_SERVICE, vars).await["createService"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The global id of a node of the source.
    pub async fn node(&self, app: &TestApp, node_type: &str, external_id: &str) -> String {
        gid(
            Kind::SourceNode,
            self.node_row(app, node_type, external_id).await.id,
        )
    }

    pub async fn node_row(
        &self,
        app: &TestApp,
        node_type: &str,
        external_id: &str,
    ) -> entity::source_node::Model {
        entity::source_node::Entity::find()
            .filter(entity::source_node::Column::SourceId.eq(self.source_id))
            .filter(entity::source_node::Column::NodeType.eq(node_type))
            .filter(entity::source_node::Column::ExternalId.eq(external_id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{node_type} {external_id}"))
    }

    /// Imports now (run here) and returns the job as the API reads it.
    pub async fn import(&self, app: &TestApp) -> Value {
        let job = tests::sync(app, &self.operator, &self.source).await;
        assert_ne!(job["status"], "FAILED", "{job}");
        job
    }

    /// planSync as the operator: the plan and its changes.
    pub async fn plan(&self, app: &TestApp) -> (Value, Vec<Value>) {
        let plan = app
            .ok(&self.operator, PLAN, json!({"s": self.source}))
            .await["planSync"]
            .clone();
        let changes = plan["changes"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"].clone())
            .collect();
        (plan, changes)
    }

    /// The service's field values by key.
    pub async fn values(&self, app: &TestApp, service: &str) -> Value {
        let data = app.ok(&self.admin, SERVICE, json!({"id": service})).await;
        let mut out = serde_json::Map::new();
        for f in data["service"]["fields"].as_array().unwrap() {
            out.insert(
                f["field"]["key"].as_str().unwrap().to_owned(),
                f["value"].clone(),
            );
        }
        Value::Object(out)
    }

    /// The service's history, newest first.
    pub async fn history(&self, app: &TestApp, service: &str) -> Vec<Value> {
        let data = app.ok(&self.admin, SERVICE, json!({"id": service})).await;
        data["service"]["history"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"].clone())
            .collect()
    }

    pub async fn rule(&self, app: &TestApp, input: Value) -> Value {
        let vars = json!({"s": self.source, "i": input});
        app.ok(&self.operator, CREATE_RULE, vars).await["createSyncRule"].clone()
    }
}

pub(crate) async fn set_settings(app: &TestApp, admin: &Session, source: &str, settings: Value) {
    let q = "mutation($id: ID!, $s: SourceSettingsInput!) { updateSource(id: $id, input: {settings: $s}) { id } }";
    app.ok(admin, q, json!({"id": source, "s": settings})).await;
}
