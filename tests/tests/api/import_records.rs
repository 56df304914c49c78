//! What an import does with single records beyond the tree: a ConnectWise company flagged
//! `deletedFlag` is a deleted node and takes its subtree with it (SEMANTICS.md "Node states"),
//! on a full and on an incremental pass; and each created or updated node is named in the job
//! log (type, external id, name; DEBUG lines), up to a cap per job, then counted in one line.

use std::collections::HashMap;

use entity::enums::Role;
use entity::prelude::*;
use entity::{source_node, sync_job, sync_log};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use server::graphql::ids::{decode, Kind};
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::{dual_db, gql, sync, Session, TestApp};

dual_db!(
    a_company_flagged_deleted_upstream_is_a_deleted_node_with_its_subtree,
    imports_name_changed_nodes_in_the_log_up_to_a_cap,
);

async fn source(app: &TestApp, admin: &Session, fake: &ConnectWiseFake, name: &str) -> String {
    let input = json!({"input": {"name": name, "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn rows(app: &TestApp, gid: &str) -> Vec<source_node::Model> {
    SourceNode::find()
        .filter(source_node::Column::SourceId.eq(decode(Kind::Source, gid).unwrap()))
        .order_by_asc(source_node::Column::NodeType)
        .order_by_asc(source_node::Column::ExternalId)
        .all(&app.db)
        .await
        .unwrap()
}

/// The live nodes as (type, external id, name, parent's external id, fields).
async fn live_tree(app: &TestApp, gid: &str) -> Vec<Value> {
    let rows = rows(app, gid).await;
    let ext: HashMap<i64, String> = rows.iter().map(|r| (r.id, r.external_id.clone())).collect();
    rows.iter()
        .filter(|r| r.deleted_at.is_none())
        .map(|r| {
            json!([
                r.node_type,
                r.external_id,
                r.name,
                r.parent_id.map(|p| ext[&p].clone()),
                r.fields
            ])
        })
        .collect()
}

/// Company `external_id`'s node and every node under it.
fn subtree<'a>(rows: &'a [source_node::Model], external_id: &str) -> Vec<&'a source_node::Model> {
    let root = rows
        .iter()
        .find(|r| r.node_type == "Company" && r.external_id == external_id)
        .expect("the company has a node");
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let id = out[i].id;
        out.extend(rows.iter().filter(|r| r.parent_id == Some(id)));
        i += 1;
    }
    out
}

fn logged(job: &Value, words: &str) -> bool {
    job["logs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["node"]["message"].as_str().unwrap().contains(words))
}

async fn a_company_flagged_deleted_upstream_is_a_deleted_node_with_its_subtree(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 6,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    // Company 4 is flagged deleted before the first import: a deleted node, nothing under it.
    fake.faults
        .edits
        .set("companies/4", "deletedFlag", json!(true));
    let cw = source(&app, &admin, &fake, "CW").await;
    let first = sync(&app, &admin, &cw).await;
    assert_eq!(first["status"], "SUCCEEDED", "{first}");
    assert_eq!(first["stats"]["deleted"], 1, "{first}");
    let all = rows(&app, &cw).await;
    let four = subtree(&all, "4");
    assert_eq!(four.len(), 1, "nothing is stored under a flagged company");
    assert!(four[0].deleted_at.is_some());
    assert_eq!(four[0].fields["deletedFlag"], true);

    // Company 2 is flagged after it was imported: the incremental pass deletes it and its
    // subtree, and names it in the log.
    let before = subtree(&all, "2").len();
    assert!(before > 1);
    fake.faults
        .edits
        .set("companies/2", "deletedFlag", json!(true));
    // The fake lists a record as changed since a mark when it was touched.
    fake.faults.touch("companies/2");
    let second = sync(&app, &admin, &cw).await;
    assert_eq!(second["status"], "SUCCEEDED", "{second}");
    assert!(logged(&second, "incremental pass"), "{second}");
    assert!(
        logged(&second, "deleted (flagged deleted upstream): "),
        "{second}"
    );
    assert_eq!(second["stats"]["deleted"], before as i64, "{second}");
    assert_eq!(second["stats"]["created"], 0);
    assert_eq!(second["stats"]["updated"], 0);
    let all = rows(&app, &cw).await;
    let two = subtree(&all, "2");
    assert_eq!(two.len(), before);
    assert!(two.iter().all(|n| n.deleted_at.is_some()), "{two:?}");

    // A full pass of the same data makes the same live tree.
    let reference = source(&app, &admin, &fake, "Reference").await;
    let full = sync(&app, &admin, &reference).await;
    assert_eq!(full["status"], "SUCCEEDED", "{full}");
    assert_eq!(full["stats"]["deleted"], 2, "{full}");
    assert_eq!(
        live_tree(&app, &cw).await,
        live_tree(&app, &reference).await
    );

    // Nothing changed: nothing written.
    let quiet = sync(&app, &admin, &cw).await;
    assert_eq!(quiet["stats"]["created"], 0, "{quiet}");
    assert_eq!(quiet["stats"]["updated"], 0, "{quiet}");
    assert_eq!(quiet["stats"]["deleted"], 0, "{quiet}");

    // Unflagged, company 2 is live again with its subtree, as a full pass has it.
    fake.faults
        .edits
        .set("companies/2", "deletedFlag", json!(false));
    fake.faults.touch("companies/2");
    let back = sync(&app, &admin, &cw).await;
    assert_eq!(back["status"], "SUCCEEDED", "{back}");
    assert_eq!(back["stats"]["updated"], before as i64, "{back}");
    let again = sync(&app, &admin, &reference).await;
    assert_eq!(again["status"], "SUCCEEDED", "{again}");
    assert_eq!(
        live_tree(&app, &cw).await,
        live_tree(&app, &reference).await
    );
    let all = rows(&app, &cw).await;
    assert!(subtree(&all, "2").iter().all(|n| n.deleted_at.is_none()));
}

async fn imports_name_changed_nodes_in_the_log_up_to_a_cap(app: TestApp) {
    // About 1,040 nodes (8 a company: a configuration without a serial number is left out):
    // more than the 1,000 a job names one by one.
    let fake = ConnectWiseFake::start(Config {
        companies: 130,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let cw = source(&app, &admin, &fake, "CW").await;
    let first = sync(&app, &admin, &cw).await;
    assert_eq!(first["status"], "SUCCEEDED", "{first}");
    let created = first["stats"]["created"].as_i64().unwrap();
    assert!(created > 1_000, "{created}");
    let job = SyncJob::find()
        .order_by_desc(sync_job::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let lines = |words: &'static str| {
        SyncLog::find()
            .filter(sync_log::Column::JobId.eq(job.id))
            .filter(sync_log::Column::Message.starts_with(words))
    };
    assert_eq!(lines("created: ").count(&app.db).await.unwrap(), 1_000);
    let company = lines("created: ")
        .filter(sync_log::Column::NodeType.eq("Company"))
        .filter(sync_log::Column::ExternalId.eq("1"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("company 1 is named");
    let node = rows(&app, &cw)
        .await
        .into_iter()
        .find(|n| n.node_type == "Company" && n.external_id == "1")
        .unwrap();
    assert_eq!(company.message, format!("created: {}", node.name));
    let rest = format!(
        "{} more nodes created, updated or flagged deleted (not listed one by one)",
        created - 1_000
    );
    assert_eq!(
        SyncLog::find()
            .filter(sync_log::Column::JobId.eq(job.id))
            .filter(sync_log::Column::Message.eq(rest))
            .count(&app.db)
            .await
            .unwrap(),
        1
    );

    // An update is named too.
    fake.faults.touch("contacts/5");
    let second = sync(&app, &admin, &cw).await;
    assert_eq!(second["stats"]["updated"], 1, "{second}");
    let updated = SyncLog::find()
        .filter(sync_log::Column::Message.starts_with("updated: "))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0].level, entity::enums::LogLevel::Debug);
    assert_eq!(updated[0].node_type.as_deref(), Some("Contact"));
    assert_eq!(updated[0].external_id.as_deref(), Some("5"));
    assert!(!logged(&second, "more nodes created"), "{second}");
}
