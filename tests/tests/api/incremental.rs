//! Incremental ConnectWise passes: after a complete pass, the next fetches whole only what
//! changed since each list's mark (and what the import lacks), learns presence from id-only
//! walks, and ends with the same tree a full pass makes; a full pass again once a day.

use entity::enums::Role;
use entity::prelude::*;
use entity::{source_node, sync_job};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use server::graphql::ids::{decode, Kind};
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::{dual_db, gql, sync, Session, TestApp};

dual_db!(
    an_incremental_pass_fetches_only_what_changed_and_ends_as_a_full_pass,
    a_full_pass_runs_again_once_a_day,
    long_walks_run_in_id_ranges_and_miss_nothing,
);

async fn source(app: &TestApp, admin: &Session, fake: &ConnectWiseFake, name: &str) -> String {
    let input = json!({"input": {"name": name, "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials()}});
    app.ok(admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The live nodes of a source as (type, external id, name, parent's external id, fields).
async fn tree(app: &TestApp, gid: &str) -> Vec<Value> {
    let id = decode(Kind::Source, gid).unwrap();
    let rows = SourceNode::find()
        .filter(source_node::Column::SourceId.eq(id))
        .order_by_asc(source_node::Column::NodeType)
        .order_by_asc(source_node::Column::ExternalId)
        .all(&app.db)
        .await
        .unwrap();
    let ext: std::collections::HashMap<i64, String> =
        rows.iter().map(|r| (r.id, r.external_id.clone())).collect();
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

fn logged(job: &Value, words: &str) -> bool {
    job["logs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["node"]["message"].as_str().unwrap().contains(words))
}

async fn an_incremental_pass_fetches_only_what_changed_and_ends_as_a_full_pass(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 20,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let cw = source(&app, &admin, &fake, "CW").await;
    let first = sync(&app, &admin, &cw).await;
    assert_eq!(first["status"], "SUCCEEDED", "{first}");
    assert!(logged(&first, "full pass"), "{first}");

    // Upstream: company 2, site 3, contact 5 and configuration 7 change; configuration 12
    // goes; a 21st company arrives with its site, 2 contacts and 5 configurations (one
    // without a serial number, so skipped).
    fake.faults.touch("companies/2");
    fake.faults.touch("sites/3");
    fake.faults.touch("contacts/5");
    fake.faults.touch("configurations/7");
    fake.faults.delete("configurations/12");
    fake.faults.add_companies(1);
    fake.faults.reset_served();
    let job = sync(&app, &admin, &cw).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert!(logged(&job, "incremental pass"), "{job}");
    assert_eq!(
        job["stats"],
        json!({"created": 8, "updated": 4, "deleted": 1, "unchanged": 160, "skipped": 21})
    );
    // Whole records: only the changed and new ones; everything else by light walks. Sites
    // are listed per company, light (id and stamp), and whole only where one changed (company
    // 3) or is lacking (company 21).
    let whole = |list: &str| fake.faults.served_whole(list);
    assert_eq!(
        [
            whole("companies"),
            whole("contacts"),
            whole("configurations"),
            whole("agreements"),
            whole("sites")
        ],
        [2, 3, 6, 0, 2]
    );
    assert_eq!(fake.faults.served_narrow("configurations"), 104);
    assert_eq!(fake.faults.served_narrow("sites"), 21);
    let contact = SourceNode::find()
        .filter(source_node::Column::SourceId.eq(decode(Kind::Source, &cw).unwrap()))
        .filter(source_node::Column::NodeType.eq("Contact"))
        .filter(source_node::Column::ExternalId.eq("5"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let touched = fake.faults.touched("contacts/5").unwrap();
    assert_eq!(
        contact.fields["_info.lastUpdated"],
        touched.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );

    // A full pass over the same upstream data makes the same tree.
    let reference = source(&app, &admin, &fake, "Reference").await;
    let full = sync(&app, &admin, &reference).await;
    assert_eq!(full["status"], "SUCCEEDED");
    assert_eq!(full["stats"]["created"], 172);
    assert_eq!(tree(&app, &cw).await, tree(&app, &reference).await);

    // Nothing changed since: nothing whole but what lies within the marks' margin (the
    // records touched just now), nothing written.
    fake.faults.reset_served();
    let quiet = sync(&app, &admin, &cw).await;
    assert_eq!(
        quiet["stats"],
        json!({"created": 0, "updated": 0, "deleted": 0, "unchanged": 172, "skipped": 21})
    );
    assert_eq!(whole("agreements"), 0);

    // Configuration 12 comes back unchanged (its stamp is old): the walk finds it, the import
    // lacks it, so it is fetched by id and is live again.
    fake.faults.restore("configurations/12");
    fake.faults.reset_served();
    let back = sync(&app, &admin, &cw).await;
    assert_eq!(back["status"], "SUCCEEDED", "{back}");
    assert_eq!(back["stats"]["updated"], 1, "{back}");
    assert_eq!(back["stats"]["deleted"], 0);
    let again = sync(&app, &admin, &reference).await;
    assert_eq!(again["stats"]["created"], 1);
    assert_eq!(tree(&app, &cw).await, tree(&app, &reference).await);
}

async fn a_full_pass_runs_again_once_a_day(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 8,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let cw = source(&app, &admin, &fake, "CW").await;
    assert!(logged(&sync(&app, &admin, &cw).await, "full pass"));
    assert!(logged(&sync(&app, &admin, &cw).await, "incremental pass"));
    // The last full pass is a day old: the stored cursor says so.
    let id = decode(Kind::Source, &cw).unwrap();
    let jobs = SyncJob::find()
        .filter(sync_job::Column::SourceId.eq(id))
        .all(&app.db)
        .await
        .unwrap();
    for job in jobs {
        let Some(mut cursor) = job.checkpoint else {
            continue;
        };
        let day_ago = chrono::Utc::now() - server::connectors::connectwise::FULL_PASS_EVERY;
        cursor["fullAt"] = json!(day_ago);
        SyncJob::update_many()
            .col_expr(sync_job::Column::Checkpoint, Expr::value(Some(cursor)))
            .filter(sync_job::Column::Id.eq(job.id))
            .exec(&app.db)
            .await
            .unwrap();
    }
    fake.faults.reset_served();
    let daily = sync(&app, &admin, &cw).await;
    assert_eq!(daily["status"], "SUCCEEDED");
    assert!(logged(&daily, "full pass"), "{daily}");
    assert_eq!(fake.faults.served_whole("contacts"), 16);
    assert!(logged(&sync(&app, &admin, &cw).await, "incremental pass"));
}

/// 1,700 companies make 8,330 configurations: more than 8 pages, so their walk runs in four id
/// ranges side by side (the largest id from `orderBy=id desc`). The filters keep only inactive
/// companies, so the walks are long and the tree small. Every walked record is found: nothing
/// is taken as gone, and a change and a deletion in two different ranges are both seen.
async fn long_walks_run_in_id_ranges_and_miss_nothing(app: TestApp) {
    let fake = ConnectWiseFake::start(Config {
        companies: 1700,
        ..Config::default()
    })
    .await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let input = json!({"input": {"name": "CW", "provider": "CONNECTWISE_MANAGE", "baseUrl": fake.base_url(), "credentials": fake.config.credentials(),
        "settings": {"companyStatuses": ["Inactive"]}}});
    let cw = app.ok(&admin, gql::CREATE_SOURCE, input).await["createSource"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = sync(&app, &admin, &cw).await;
    assert_eq!(first["status"], "SUCCEEDED", "{first}");
    let created = first["stats"]["created"].as_i64().unwrap();
    // 136 kept companies (inactive, with members), 9 nodes and an agreement on every 4th.
    assert!(created > 136 * 8, "{first}");

    fake.faults.reset_served();
    let quiet = sync(&app, &admin, &cw).await;
    assert!(logged(&quiet, "incremental pass"), "{quiet}");
    assert_eq!(quiet["stats"]["unchanged"], created, "{quiet}");
    assert_eq!(quiet["stats"]["deleted"], 0, "{quiet}");
    // Every configuration once, light, and the one record that gave the largest id.
    assert_eq!(fake.faults.served_narrow("configurations"), 8330 + 1);

    // Company 660's configuration 3297 changes (the second range); company 1080's 5397 goes
    // (the third).
    fake.faults.touch("configurations/3297");
    fake.faults.delete("configurations/5397");
    let after = sync(&app, &admin, &cw).await;
    assert_eq!(after["status"], "SUCCEEDED", "{after}");
    assert_eq!(after["stats"]["updated"], 1, "{after}");
    assert_eq!(after["stats"]["deleted"], 1, "{after}");
    assert_eq!(after["stats"]["created"], 0, "{after}");
}
