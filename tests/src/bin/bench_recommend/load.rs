//! Writing the benchmark's data: the organization, a ConnectWise source whose Company and
//! Configuration types map onto one service type, and the generated customers, services (with
//! field values and recommendation keys, written in bulk) and nodes.

use std::collections::HashMap;

use anyhow::Result;
use chrono::Utc;
use entity::enums::{FieldDataType, MappingDirection, Provider, Role, SourceStatus};
use entity::prelude::*;
use entity::{
    customer, field_mapping, service, service_field_value, source, source_node, type_mapping,
};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait,
};
use serde_json::{json, Value};
use server::auth::Viewer;
use server::services::billing::{self, NewField};
use server::services::recommend::{index, normalize};

use crate::data::{Data, NodeKind};

pub struct Loaded {
    pub viewer: Viewer,
    /// Each node, with the services that count as the right answer on top.
    pub nodes: Vec<(source_node::Model, Option<Vec<i64>>)>,
}

const CHUNK: usize = 1000;

pub async fn load(db: &DatabaseConnection, data: &Data) -> Result<Loaded> {
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
        settings: Set(json!({})),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let field = |key: &str, label: &str, data_type| NewField {
        key: key.into(),
        label: label.into(),
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
        "Line",
        vec![
            field("phone", "Phone number", FieldDataType::Phone),
            field("serial", "Serial number", FieldDataType::Text),
            field("mac", "MAC address", FieldDataType::Text),
        ],
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let fields = billing::fields_of(db, st.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let fid = |key: &str| {
        fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.id)
            .unwrap_or_default()
    };
    for (node_type, maps) in [
        ("Company", vec![("phoneNumber", "phone")]),
        (
            "Configuration",
            vec![("serialNumber", "serial"), ("macAddress", "mac")],
        ),
    ] {
        let tm = type_mapping::ActiveModel {
            organization_id: Set(org.id),
            provider: Set(Provider::ConnectwiseManage),
            node_type: Set(node_type.into()),
            service_type_id: Set(st.id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        for (node_field, key) in maps {
            field_mapping::ActiveModel {
                type_mapping_id: Set(tm.id),
                node_field: Set(node_field.into()),
                service_field_id: Set(fid(key)),
                direction: Set(MappingDirection::SourceToService),
                enabled: Set(true),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }

    let txn = db.begin().await?;
    for (chunk_no, chunk) in data.customers.chunks(CHUNK).enumerate() {
        let rows = chunk
            .iter()
            .enumerate()
            .map(|(i, c)| customer::ActiveModel {
                id: Set((chunk_no * CHUNK + i + 1) as i64),
                organization_id: Set(org.id),
                search_text: Set(c.name.to_lowercase()),
                name: Set(c.name.clone()),
                account_number: Set(None),
                created_at: Set(now),
            });
        Customer::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;

    // Services, their values and keys, as createService would write them, in bulk.
    for (chunk_no, chunk) in data.services.chunks(CHUNK).enumerate() {
        let txn = db.begin().await?;
        let mut svcs = Vec::new();
        let mut values = Vec::new();
        let mut keys = Vec::new();
        for (i, s) in chunk.iter().enumerate() {
            let id = (chunk_no * CHUNK + i + 1) as i64;
            svcs.push(service::ActiveModel {
                id: Set(id),
                organization_id: Set(org.id),
                customer_id: Set(s.customer as i64 + 1),
                service_type_id: Set(st.id),
                package_id: Set(None),
                search_text: Set(s.name.to_lowercase()),
                name: Set(s.name.clone()),
                provider: Set(Some(Provider::Broadworks)),
                effective_date: Set(now.date_naive()),
                created_at: Set(now),
                updated_at: Set(now),
            });
            let own: Vec<(i64, Value)> = vec![
                (fid("phone"), json!(s.phone)),
                (fid("serial"), json!(s.serial)),
                (fid("mac"), json!(s.mac)),
            ];
            for (field_id, value) in &own {
                values.push(service_field_value::ActiveModel {
                    service_id: Set(id),
                    field_id: Set(*field_id),
                    value: Set(Some(value.clone())),
                    updated_at: Set(now),
                    ..Default::default()
                });
            }
            keys.extend(
                index::keys_of(&s.name, &fields, &own)
                    .into_iter()
                    .map(|k| (id, st.id, k)),
            );
        }
        Service::insert_many(svcs)
            .exec_without_returning(&txn)
            .await?;
        ServiceFieldValue::insert_many(values)
            .exec_without_returning(&txn)
            .await?;
        index::write_keys(&txn, keys)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        txn.commit().await?;
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // The state autovacuum reaches by itself soon after a bulk insert: statistics, and a
        // visibility map that lets the key counts be index-only scans. Measured without it,
        // each count also visits the heap (p99 28 ms instead of the steady state's).
        db.execute_unprepared("VACUUM ANALYZE").await?;
    }

    // The right answers: every customer of the same normalised name, by its bare-named service.
    let mut by_name: HashMap<Vec<String>, Vec<i64>> = HashMap::new();
    for (i, c) in data.customers.iter().enumerate() {
        by_name
            .entry(normalize::name_tokens(&c.name))
            .or_default()
            .push(i as i64 + 1);
    }
    let mut nodes = Vec::new();
    for (i, n) in data.nodes.iter().enumerate() {
        let (node_type, want) = match n.kind {
            NodeKind::Company(c) => (
                "Company",
                c.map(|c| by_name[&normalize::name_tokens(&data.customers[c].name)].clone()),
            ),
            NodeKind::Configuration(s) => ("Configuration", s.map(|s| vec![s as i64 + 1])),
        };
        let new = server::services::nodes::NewNode {
            node_type: node_type.into(),
            external_id: (i + 1).to_string(),
            name: n.name.clone(),
            parent_id: None,
            fields: n.fields.clone(),
            deleted_at: None,
        };
        let row = server::services::nodes::insert(db, &src, new)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        nodes.push((row, want));
    }
    Ok(Loaded { viewer, nodes })
}
