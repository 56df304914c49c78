//! Sources: connections to one provider instance. Credentials are sealed on write and never
//! read back out; names are unique among an organization's live sources; delete is soft.

use chrono::Utc;
use entity::enums::{Provider, Role, SourceStatus};
use entity::prelude::*;
use entity::source;
use rand::distributions::{Alphanumeric, DistString};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use serde_json::{json, Map, Value};

mod secrets;

use super::audit;
use super::source_settings::{SettingsPatch, SourceSettings};
use crate::auth::Viewer;
use crate::connectors;
use crate::crypto::Keys;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{Page, PageArgs};
use crate::upstream_url;
use secrets::{merge_objects, new_webhook_secret, seal_credentials};
pub use secrets::{open_credentials, validate_credentials, webhook_url};

pub struct NewSource {
    pub name: String,
    pub provider: Provider,
    pub base_url: String,
    pub credentials: Value,
    pub settings: Option<SettingsPatch>,
}

#[derive(Default)]
pub struct SourceUpdate {
    pub name: Option<String>,
    pub base_url: Option<String>,
    pub credentials: Option<Value>,
    pub settings: Option<SettingsPatch>,
}

/// The organization's live sources, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    args: &PageArgs,
) -> ApiResult<Page<source::Model>> {
    let base = Source::find()
        .filter(source::Column::OrganizationId.eq(viewer.org_id))
        .filter(source::Column::DeletedAt.is_null());
    let total = base.clone().count(db).await?;
    let mut query = base.order_by_asc(source::Column::Id).limit(args.first + 1);
    if let Some(after) = args.after_i64(0) {
        query = query.filter(source::Column::Id.gt(after));
    }
    let rows = query.all(db).await?;
    Ok(Page::from_rows(rows, args, total, |s| vec![json!(s.id)]))
}

/// One source of the caller's organization, deleted ones included (their history stays readable).
pub async fn get(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<Option<source::Model>> {
    Ok(Source::find_by_id(id)
        .filter(source::Column::OrganizationId.eq(viewer.org_id))
        .one(db)
        .await?)
}

/// Like `get`, but NOT_FOUND when absent or deleted (for mutations).
pub async fn get_live(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<source::Model> {
    get(db, viewer, id)
        .await?
        .filter(|s| s.deleted_at.is_none())
        .ok_or_else(|| ApiError::not_found("source"))
}

pub async fn create(
    db: &(impl ConnectionTrait + TransactionTrait),
    keys: &Keys,
    viewer: &Viewer,
    input: NewSource,
    block_private: bool,
) -> ApiResult<source::Model> {
    viewer.require(Role::Admin)?;
    let name = clean_name(&input.name, "input.name")?;
    let base_url = upstream_url::validate(&input.base_url, block_private, "input.baseUrl")?;
    let credentials =
        validate_credentials(input.provider, &input.credentials, "input.credentials")?;
    let settings =
        SourceSettings::default().apply(input.settings.unwrap_or_default(), "input.settings")?;
    connectors::check_write_back(input.provider, &settings, "input.settings.writeBackFields")?;
    ensure_name_free(db, viewer.org_id, &name, None).await?;
    let now = Utc::now();
    let webhook_id = Alphanumeric.sample_string(&mut rand::thread_rng(), 20);
    let txn = crate::db::begin_write(db).await?;
    let row = source::ActiveModel {
        organization_id: Set(viewer.org_id),
        name: Set(name),
        provider: Set(input.provider),
        base_url: Set(base_url),
        webhook_id: Set(webhook_id),
        status: Set(SourceStatus::Active),
        settings: Set(settings.to_json()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| ApiError::on_unique(e, "a source with this name already exists"))?;
    // The ciphertexts are bound to the source's id, which exists only now.
    let mut active: source::ActiveModel = row.into();
    active.credentials_ciphertext = Set(Some(seal_credentials(
        keys,
        viewer.org_id,
        &active,
        &credentials,
    )));
    active.webhook_secret_ciphertext = Set(Some(new_webhook_secret(keys, viewer.org_id, &active)));
    let row = active.update(&txn).await?;
    audit::record(
        &txn,
        viewer,
        "source.create",
        "Source",
        Some(row.id),
        json!({"name": row.name, "provider": row.provider}),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn update(
    db: &(impl ConnectionTrait + TransactionTrait),
    keys: &Keys,
    viewer: &Viewer,
    id: i64,
    input: SourceUpdate,
    block_private: bool,
) -> ApiResult<source::Model> {
    viewer.require(Role::Operator)?;
    let current = get_live(db, viewer, id).await?;
    if input.base_url.is_some() || input.credentials.is_some() {
        viewer.require(Role::Admin)?;
    }
    let mut active: source::ActiveModel = current.clone().into();
    let mut audit_details = Map::new();
    if let Some(name) = &input.name {
        let name = clean_name(name, "input.name")?;
        if !name.eq_ignore_ascii_case(&current.name) {
            ensure_name_free(db, viewer.org_id, &name, Some(id)).await?;
        }
        active.name = Set(name);
    }
    let mut host_changed = false;
    if let Some(url) = &input.base_url {
        let url = upstream_url::validate(url, block_private, "input.baseUrl")?;
        host_changed = upstream_url::origin(&url) != upstream_url::origin(&current.base_url);
        audit_details.insert("baseUrl".into(), json!(url));
        active.base_url = Set(url);
    }
    match &input.credentials {
        Some(creds) => {
            // Given keys replace stored ones; a new host must get all its credentials anew,
            // so secrets meant for one host are never sent to another.
            let merged = if host_changed {
                creds.clone()
            } else {
                merge_objects(open_credentials(keys, &current).unwrap_or_default(), creds)
            };
            let merged = validate_credentials(current.provider, &merged, "input.credentials")?;
            active.credentials_ciphertext = Set(Some(seal_credentials(
                keys,
                viewer.org_id,
                &active,
                &merged,
            )));
            audit_details.insert("credentials".into(), json!("changed"));
        }
        None if host_changed => {
            return Err(ApiError::bad_input(
                "input.credentials",
                "a new host needs its credentials in the same call",
            ))
        }
        None => {}
    }
    if let Some(patch) = input.settings {
        let settings =
            SourceSettings::from_json(&current.settings).apply(patch, "input.settings")?;
        connectors::check_write_back(
            current.provider,
            &settings,
            "input.settings.writeBackFields",
        )?;
        active.settings = Set(settings.to_json());
    }
    active.updated_at = Set(Utc::now());
    let row = active
        .update(db)
        .await
        .map_err(|e| ApiError::on_unique(e, "a source with this name already exists"))?;
    if !audit_details.is_empty() {
        audit::record(
            db,
            viewer,
            "source.update",
            "Source",
            Some(row.id),
            Value::Object(audit_details),
        )
        .await?;
    }
    Ok(row)
}

pub async fn delete(db: &impl ConnectionTrait, viewer: &Viewer, id: i64) -> ApiResult<i64> {
    viewer.require(Role::Admin)?;
    let current = get_live(db, viewer, id).await?;
    let mut active: source::ActiveModel = current.into();
    active.deleted_at = Set(Some(Utc::now()));
    let row = active.update(db).await?;
    audit::record(
        db,
        viewer,
        "source.delete",
        "Source",
        Some(row.id),
        json!({"name": row.name}),
    )
    .await?;
    Ok(row.id)
}

pub async fn set_status(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: i64,
    status: SourceStatus,
) -> ApiResult<source::Model> {
    viewer.require(Role::Operator)?;
    let current = get_live(db, viewer, id).await?;
    if current.status == status {
        return Ok(current);
    }
    let mut active: source::ActiveModel = current.into();
    active.status = Set(status);
    active.updated_at = Set(Utc::now());
    Ok(active.update(db).await?)
}

pub async fn rotate_webhook_secret(
    db: &impl ConnectionTrait,
    keys: &Keys,
    viewer: &Viewer,
    id: i64,
) -> ApiResult<source::Model> {
    viewer.require(Role::Admin)?;
    let current = get_live(db, viewer, id).await?;
    let mut active: source::ActiveModel = current.into();
    active.webhook_secret_ciphertext = Set(Some(new_webhook_secret(keys, viewer.org_id, &active)));
    active.updated_at = Set(Utc::now());
    let row = active.update(db).await?;
    audit::record(
        db,
        viewer,
        "source.rotate_webhook_secret",
        "Source",
        Some(row.id),
        json!({}),
    )
    .await?;
    Ok(row)
}

fn clean_name(name: &str, field: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(ApiError::bad_input(
            field,
            "a name needs 1 to 200 characters",
        ));
    }
    Ok(name.to_owned())
}

async fn ensure_name_free(
    db: &impl ConnectionTrait,
    org_id: i64,
    name: &str,
    except: Option<i64>,
) -> ApiResult<()> {
    let live = Source::find()
        .filter(source::Column::OrganizationId.eq(org_id))
        .filter(source::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    if live
        .iter()
        .any(|s| Some(s.id) != except && s.name.eq_ignore_ascii_case(name))
    {
        return Err(ApiError::conflict("a source with this name already exists"));
    }
    Ok(())
}
