//! `bench-plans`: the sync plan benchmark of issue #7. On a fresh database per engine it writes
//! a ConnectWise source with `--nodes` companies, each linked to its own service whose two
//! mapped fields (phone, city) are in step with the node, except every tenth node, whose city
//! differs. It then times `planSync` and `applySyncPlan` through the service layer and prints
//! one table row per engine (BENCHMARKS.md); figures, not assertions — but the plan must list
//! exactly the changed tenth, and applying it must leave nothing to plan. Run it in release mode:
//!
//! `cargo run --release -p tests --bin bench-plans -- --engines sqlite,postgres`

use std::time::Instant;

use anyhow::{bail, ensure, Result};
use chrono::Utc;
use clap::Parser;
use entity::enums::{FieldDataType, MappingDirection, Provider, Role, SourceStatus};
use entity::prelude::*;
use entity::{customer, field_mapping, link, service, service_field_value, source, source_node};
use entity::{sync_plan_change, type_mapping};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use serde_json::json;
use server::auth::Viewer;
use server::services::billing::{self, NewField};
use server::services::plans;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 100_000)]
    nodes: usize,
    /// Engines to run: sqlite, postgres.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    engines: Vec<String>,
    /// An existing PostgreSQL database to create the benchmark database from.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/test")]
    postgres: String,
}

const CHUNK: usize = 1000;

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    println!("| engine | linked nodes | changed | planSync s | changes | applySyncPlan s |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for engine in &args.engines {
        let dir =
            std::env::temp_dir().join(format!("switchboard-bench-plans-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let url = match engine.as_str() {
            "sqlite" => format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()),
            "postgres" => fresh_postgres(&args.postgres, "switchboard_bench_plans").await?,
            other => bail!("unknown engine {other}"),
        };
        let db = server::db::connect(&url).await?;
        server::db::migrate(&db, &url).await?;
        let (viewer, source_id, changed) = load(&db, args.nodes).await?;
        let started = Instant::now();
        let plan = plans::plan_sync(&db, &viewer, source_id)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let plan_time = started.elapsed();
        let listed = SyncPlanChange::find()
            .filter(sync_plan_change::Column::PlanId.eq(plan.id))
            .count(&db)
            .await?;
        ensure!(listed == changed, "planned {listed}, changed {changed}");
        let started = Instant::now();
        plans::apply_plan(&db, &viewer, plan.id)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let apply_time = started.elapsed();
        let after = plans::plan_sync(&db, &viewer, source_id)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let left = SyncPlanChange::find()
            .filter(sync_plan_change::Column::PlanId.eq(after.id))
            .count(&db)
            .await?;
        ensure!(left == 0, "{left} changes left after applying");
        println!(
            "| {engine} | {} | {changed} | {:.2} | {listed} | {:.2} |",
            args.nodes,
            plan_time.as_secs_f64(),
            apply_time.as_secs_f64(),
        );
        db.close().await?;
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// The organization, source, mappings, and `n` linked companies; returns how many differ.
async fn load(db: &DatabaseConnection, n: usize) -> Result<(Viewer, i64, u64)> {
    let org = server::services::identity::ensure_organization(db, "Bench")
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let viewer = Viewer {
        org_id: org.id,
        role: Role::Admin,
        user_id: None,
        token_id: None,
        label: "bench".into(),
        expires_at: None,
    };
    let now = Utc::now();
    let src = source::ActiveModel {
        organization_id: Set(org.id),
        name: Set("Bench CW".into()),
        provider: Set(Provider::ConnectwiseManage),
        base_url: Set("https://cw.example.com/v4_6_release/apis/3.0".into()),
        webhook_id: Set(uuid::Uuid::new_v4().simple().to_string()),
        status: Set(SourceStatus::Active),
        settings: Set(json!({"autoSyncFields": false})),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let field = |key: &str, data_type| NewField {
        key: key.into(),
        label: key.into(),
        data_type,
        required: false,
        read_only: false,
        max_length: None,
        allowed_values: None,
        default_value: None,
    };
    let st = billing::create_service_type(
        db,
        &viewer,
        "Account",
        vec![
            field("phone", FieldDataType::Phone),
            field("city", FieldDataType::Text),
        ],
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let fields = billing::fields_of(db, st.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let tm = type_mapping::ActiveModel {
        organization_id: Set(org.id),
        provider: Set(Provider::ConnectwiseManage),
        node_type: Set("Company".into()),
        service_type_id: Set(st.id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for (node_field, f) in [("phoneNumber", &fields[0]), ("city", &fields[1])] {
        field_mapping::ActiveModel {
            type_mapping_id: Set(tm.id),
            node_field: Set(node_field.into()),
            service_field_id: Set(f.id),
            direction: Set(MappingDirection::SourceToService),
            enabled: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let cust = customer::ActiveModel {
        organization_id: Set(org.id),
        name: Set("Bench Customer".into()),
        search_text: Set("bench customer".into()),
        account_number: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut changed = 0u64;
    let ids: Vec<usize> = (1..=n).collect();
    for chunk in ids.chunks(CHUNK) {
        let txn = db.begin().await?;
        let (mut svcs, mut values, mut nodes, mut links) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for &i in chunk {
            let id = i as i64;
            let phone = format!("813{:07}", i);
            let city = if i % 10 == 0 { "Orlando" } else { "Tampa" };
            changed += u64::from(i % 10 == 0);
            let name = format!("Company {i:07}");
            svcs.push(service::ActiveModel {
                id: Set(id),
                organization_id: Set(org.id),
                customer_id: Set(cust.id),
                service_type_id: Set(st.id),
                package_id: Set(None),
                search_text: Set(name.to_lowercase()),
                name: Set(name.clone()),
                provider: Set(Some(Provider::ConnectwiseManage)),
                effective_date: Set(now.date_naive()),
                created_at: Set(now),
                updated_at: Set(now),
            });
            for (f, v) in [(&fields[0], json!(phone)), (&fields[1], json!("Tampa"))] {
                values.push(service_field_value::ActiveModel {
                    service_id: Set(id),
                    field_id: Set(f.id),
                    value: Set(Some(v)),
                    updated_at: Set(now),
                    ..Default::default()
                });
            }
            let node_fields = json!({"id": i, "identifier": format!("C{i:07}"), "name": name, "phoneNumber": phone, "city": city});
            nodes.push(source_node::ActiveModel {
                id: Set(id),
                organization_id: Set(org.id),
                source_id: Set(src.id),
                node_type: Set("Company".into()),
                type_rank: Set(0),
                external_id: Set(i.to_string()),
                parent_id: Set(None),
                parent_ref: Set(None),
                search_text: Set(server::services::nodes::search_text(&name, &i.to_string())),
                content_hash: Set(server::services::nodes::content_hash(
                    &name,
                    None,
                    &node_fields,
                )),
                name: Set(name),
                fields: Set(node_fields),
                first_seen_at: Set(now),
                last_seen_at: Set(now),
                last_seen_job_id: Set(None),
                deleted_at: Set(None),
                linked: Set(true),
            });
            links.push(link::ActiveModel {
                id: Set(id),
                organization_id: Set(org.id),
                node_id: Set(id),
                service_id: Set(id),
                linked_at: Set(now),
                last_field_sync: Set(json!([])),
                ..Default::default()
            });
        }
        Service::insert_many(svcs)
            .exec_without_returning(&txn)
            .await?;
        ServiceFieldValue::insert_many(values)
            .exec_without_returning(&txn)
            .await?;
        SourceNode::insert_many(nodes)
            .exec_without_returning(&txn)
            .await?;
        Link::insert_many(links)
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        for table in ["services", "source_nodes", "links"] {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .await?;
        }
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok((viewer, src.id, changed))
}

/// Creates an empty database `name` beside `admin_url`'s and returns its URL.
async fn fresh_postgres(admin_url: &str, name: &str) -> Result<String> {
    let admin = sea_orm::Database::connect(admin_url).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let (base, _) = admin_url
        .rsplit_once('/')
        .ok_or_else(|| anyhow::anyhow!("a database URL has a path"))?;
    Ok(format!("{base}/{name}"))
}
