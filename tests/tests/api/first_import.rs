//! A first import into an empty source inserts its pages without looking for stored nodes
//! first, and on PostgreSQL writes two pages at once. These tests drive the import's page sink
//! directly, page by page, so that what the pages meet is certain: a node stored meanwhile
//! turns the import back to looking (no node twice, the counts exact), and a page whose
//! parents are in the page still being written waits for it.

use entity::enums::Role;
use entity::prelude::*;
use entity::{source_node, sync_job};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;
use server::connectors::{PageSink, RawNode};
use server::sync::import::ImportSink;
use tests::fakes::connectwise::{Config, ConnectWiseFake};
use tests::{dual_db, TestApp};

use crate::resume::{create, force, held, job, tree};

dual_db!(
    a_node_stored_during_a_first_import_is_met_and_nothing_is_doubled,
    pages_whose_parents_are_still_being_written_wait_for_them,
    a_page_waiting_for_one_that_met_a_stored_node_is_written_after_it,
);

/// A source with a job this test holds (as a worker would, by its lease).
async fn held_job(app: &TestApp, name: &str) -> (entity::source::Model, sync_job::Model) {
    let fake = ConnectWiseFake::start(Config::default()).await;
    let admin = app.login_as("Acme", Role::Admin).await;
    let source = create(app, &admin, &fake, name).await;
    let id = force(app, &admin, source).await;
    held(app, (source, id), "this test", "this test").await
}

fn company(id: u64) -> RawNode {
    RawNode {
        node_type: "Company",
        external_id: id.to_string(),
        name: format!("Company {id}"),
        parent: None,
        fields: json!({"id": id}),
        deleted: false,
    }
}

fn site(id: u64, company: u64) -> RawNode {
    RawNode {
        node_type: "Site",
        external_id: id.to_string(),
        name: format!("Site {id}"),
        parent: Some(("Company", company.to_string())),
        fields: json!({"id": id}),
        deleted: false,
    }
}

async fn nodes(app: &TestApp, source: i64) -> u64 {
    SourceNode::find()
        .filter(source_node::Column::SourceId.eq(source))
        .count(&app.db)
        .await
        .unwrap()
}

/// Stores company `id` as something else than the import would (a webhook of another
/// process, say), with other content than the provider's.
async fn store_meanwhile(app: &TestApp, source: &entity::source::Model, id: u64) {
    source_node::ActiveModel {
        organization_id: Set(source.organization_id),
        source_id: Set(source.id),
        node_type: Set("Company".into()),
        type_rank: Set(0),
        external_id: Set(id.to_string()),
        name: Set("Stored meanwhile".into()),
        search_text: Set(format!("stored meanwhile\u{1f}{id}")),
        fields: Set(json!({})),
        content_hash: Set("another".into()),
        first_seen_at: Set(chrono::Utc::now()),
        last_seen_at: Set(chrono::Utc::now()),
        linked: Set(false),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// Every site's parent, by external id, checked against `parent_of` its own.
async fn assert_site_parents(app: &TestApp, source: i64, count: usize, parent_of: fn(u64) -> u64) {
    let tree = tree(app, source).await;
    let sites: Vec<_> = tree.iter().filter(|n| n[0] == "Site").collect();
    assert_eq!(sites.len(), count);
    for s in sites {
        let id: u64 = s[1].as_str().unwrap().parse().unwrap();
        assert_eq!(s[3], json!(parent_of(id).to_string()), "site {id}'s parent");
    }
}

async fn a_node_stored_during_a_first_import_is_met_and_nothing_is_doubled(app: TestApp) {
    let (source, held) = held_job(&app, "CW").await;
    let spec = server::providers::spec(source.provider);
    let mut sink = ImportSink::new(&app.state, &source, spec, &held);
    sink.note_if_empty().await.unwrap();
    // After the import found the source empty, something else stores company 5 (a webhook
    // of another process, say), with other content than the provider's.
    store_meanwhile(&app, &source, 5).await;
    // The first page meets it; on PostgreSQL the second is being written beside it by then,
    // and is written again after it; the third looks before it writes.
    sink.page((1..=1000).map(company).collect()).await.unwrap();
    sink.page((1001..=2000).map(company).collect())
        .await
        .unwrap();
    sink.page((2001..=2500).map(company).collect())
        .await
        .unwrap();
    sink.settle().await.unwrap();

    assert_eq!(nodes(&app, source.id).await, 2500, "no node twice");
    assert_eq!(sink.stats.created, 2499);
    assert_eq!(
        sink.stats.updated, 1,
        "the stored node took the provider's content"
    );
    let stored = job(&app, held.id).await;
    assert_eq!(stored.progress_done, 2500);
    assert_eq!(stored.stats["created"], 2499);
    assert_eq!(stored.stats["updated"], 1);
    let five = tree(&app, source.id)
        .await
        .into_iter()
        .find(|n| n[1] == "5")
        .unwrap();
    assert_eq!(five[2], "Company 5");
}

async fn pages_whose_parents_are_still_being_written_wait_for_them(app: TestApp) {
    let (source, held) = held_job(&app, "CW").await;
    let spec = server::providers::spec(source.provider);
    let mut sink = ImportSink::new(&app.state, &source, spec, &held);
    sink.note_if_empty().await.unwrap();
    // Sites right behind their companies' page (they wait for it), then sites of companies
    // written earlier (they need not wait), beside a page of companies.
    sink.page((1..=300).map(company).collect()).await.unwrap();
    sink.page((1..=300).map(|c| site(c, c)).collect())
        .await
        .unwrap();
    sink.page((301..=600).map(company).collect()).await.unwrap();
    sink.page((701..=800).map(|s| site(s, s - 700)).collect())
        .await
        .unwrap();
    sink.page((801..=900).map(|s| site(s, s - 400)).collect())
        .await
        .unwrap();
    sink.settle().await.unwrap();

    assert_eq!(sink.stats.created, 1100);
    assert_eq!(job(&app, held.id).await.progress_done, 1100);
    assert_site_parents(&app, source.id, 500, |id| match id {
        ..=300 => id,
        701..=800 => id - 700,
        _ => id - 400,
    })
    .await;
}

async fn a_page_waiting_for_one_that_met_a_stored_node_is_written_after_it(app: TestApp) {
    let (source, held) = held_job(&app, "CW").await;
    let spec = server::providers::spec(source.provider);
    let mut sink = ImportSink::new(&app.state, &source, spec, &held);
    sink.note_if_empty().await.unwrap();
    store_meanwhile(&app, &source, 5).await;
    // The sites wait for their companies' page, which meets the stored node and is written
    // again: the sites are then written in order, looking first.
    sink.page((1..=100).map(company).collect()).await.unwrap();
    sink.page((1..=100).map(|c| site(c, c)).collect())
        .await
        .unwrap();
    sink.settle().await.unwrap();

    assert_eq!(nodes(&app, source.id).await, 200, "no node twice");
    assert_eq!((sink.stats.created, sink.stats.updated), (199, 1));
    assert_eq!(job(&app, held.id).await.progress_done, 200);
    assert_site_parents(&app, source.id, 100, |id| id).await;
}
