//! `undoSyncJob`: every service value a finished job changed goes back to what it was before
//! the job, and every link the job made (and that is still live) ends — as one UNDO job, with
//! origin USER changes carrying it and the caller as actor, all in one transaction. When any of
//! those values changed again since (a later change in the history, or a value that is no
//! longer the job's), it is CONFLICT and nothing is undone. Services a CREATE_SERVICE rule
//! created stay (their link ends): a service is a billing record, deleted only by a person.

use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use entity::enums::{Role, SyncJobKind};
use entity::prelude::*;
use entity::{field_change, link, service_field_value, source_node, sync_job};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::{json, Value};

use crate::auth::Viewer;
use crate::error::{ApiError, ApiResult};
use crate::services::changes::{Provenance, ValueBatch};
use crate::services::plans::{finish_job, finished_job};

const CHUNK: usize = 500;

/// What the job did to one service field: the value before it, the value it left, and the id
/// of its last change.
struct Touched {
    before: Option<Value>,
    after: Option<Value>,
    last_change: i64,
    node_id: Option<i64>,
}

pub async fn undo_job(
    db: &(impl ConnectionTrait + TransactionTrait),
    viewer: &Viewer,
    job_id: i64,
) -> ApiResult<sync_job::Model> {
    viewer.require(Role::Operator)?;
    let txn = crate::db::begin_serializable(db).await?;
    let job = crate::services::jobs::get(&txn, viewer, job_id)
        .await?
        .ok_or_else(|| ApiError::not_found("sync job"))?;
    if !crate::sync::queue::is_finished(job.status) {
        return Err(ApiError::conflict("this job has not finished yet"));
    }
    if job.undone_by_job_id.is_some() {
        return Err(ApiError::conflict("this job has been undone already"));
    }
    if job.kind == SyncJobKind::Undo {
        return Err(ApiError::conflict("an undo cannot itself be undone"));
    }
    let src = crate::services::sources::get(&txn, viewer, job.source_id)
        .await?
        .ok_or_else(|| ApiError::not_found("sync job"))?;
    let changes = FieldChange::find()
        .filter(field_change::Column::OrganizationId.eq(viewer.org_id))
        .filter(field_change::Column::JobId.eq(job.id))
        .order_by_asc(field_change::Column::Id)
        .all(&txn)
        .await?;
    let mut touched: BTreeMap<(i64, i64), Touched> = BTreeMap::new();
    for c in changes {
        touched
            .entry((c.service_id, c.field_id))
            .and_modify(|t| {
                t.after = c.new_value.clone();
                t.last_change = c.id;
            })
            .or_insert(Touched {
                before: c.old_value.clone(),
                after: c.new_value.clone(),
                last_change: c.id,
                node_id: c.node_id,
            });
    }
    let moved = moved_since(&txn, job.id, &touched).await?;
    if moved > 0 {
        return Err(ApiError::conflict(format!(
            "{moved} of the values this job changed have changed again since; nothing was undone"
        )));
    }
    let links = Link::find()
        .filter(link::Column::OrganizationId.eq(viewer.org_id))
        .filter(link::Column::LinkedByJobId.eq(job.id))
        .filter(link::Column::UnlinkedAt.is_null())
        .all(&txn)
        .await?;
    let undo = finished_job(&txn, &src, SyncJobKind::Undo, viewer, |j| {
        j.undo_of_job_id = Set(Some(job.id));
    })
    .await?;
    let claimed = SyncJob::update_many()
        .col_expr(sync_job::Column::UndoneByJobId, Expr::value(Some(undo.id)))
        .filter(sync_job::Column::Id.eq(job.id))
        .filter(sync_job::Column::UndoneByJobId.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(ApiError::conflict("this job has been undone already"));
    }
    restore(&txn, viewer, undo.id, &touched).await?;
    end_links(&txn, viewer, undo.id, &links).await?;
    let stats = json!({"created": 0, "updated": touched.len(), "deleted": links.len(),
        "unchanged": 0, "skipped": 0, "failed": 0});
    let summary = format!(
        "undid job {}: {} values restored, {} links ended",
        job.id,
        touched.len(),
        links.len()
    );
    let undo = finish_job(&txn, undo, stats, &summary).await?;
    txn.commit().await?;
    Ok(undo)
}

/// How many touched fields changed after the job: a later change in their history, or a
/// stored value that is not the one the job left.
async fn moved_since(
    txn: &impl ConnectionTrait,
    job_id: i64,
    touched: &BTreeMap<(i64, i64), Touched>,
) -> ApiResult<usize> {
    let services: Vec<i64> = {
        let mut s: Vec<i64> = touched.keys().map(|(s, _)| *s).collect();
        s.dedup();
        s
    };
    let Some(first) = touched.values().map(|t| t.last_change).min() else {
        return Ok(0);
    };
    let mut moved = std::collections::BTreeSet::new();
    for chunk in services.chunks(CHUNK) {
        let later = FieldChange::find()
            .filter(field_change::Column::ServiceId.is_in(chunk.iter().copied()))
            .filter(field_change::Column::Id.gt(first))
            .filter(
                Condition::any()
                    .add(field_change::Column::JobId.is_null())
                    .add(field_change::Column::JobId.ne(job_id)),
            )
            .all(txn)
            .await?;
        for c in later {
            if touched
                .get(&(c.service_id, c.field_id))
                .is_some_and(|t| c.id > t.last_change)
            {
                moved.insert((c.service_id, c.field_id));
            }
        }
        let stored: HashMap<(i64, i64), Option<Value>> = ServiceFieldValue::find()
            .filter(service_field_value::Column::ServiceId.is_in(chunk.iter().copied()))
            .all(txn)
            .await?
            .into_iter()
            .map(|v| ((v.service_id, v.field_id), v.value.filter(|v| !v.is_null())))
            .collect();
        for (key, t) in touched.range((chunk[0], i64::MIN)..=(chunk[chunk.len() - 1], i64::MAX)) {
            let now = stored.get(key).cloned().flatten();
            if now != t.after.clone().filter(|v| !v.is_null()) {
                moved.insert(*key);
            }
        }
    }
    Ok(moved.len())
}

async fn restore(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    undo_id: i64,
    touched: &BTreeMap<(i64, i64), Touched>,
) -> ApiResult<()> {
    let now = Utc::now();
    let mut batch = ValueBatch::default();
    for (&(service_id, field_id), t) in touched {
        let by = Provenance {
            job_id: Some(undo_id),
            node_id: t.node_id,
            ..Provenance::user(viewer)
        };
        batch.push(
            &by,
            service_id,
            field_id,
            t.after.clone(),
            t.before.clone(),
            now,
        );
    }
    batch.write(txn, now).await?;
    Ok(())
}

async fn end_links(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    undo_id: i64,
    links: &[link::Model],
) -> ApiResult<()> {
    let now = Utc::now();
    for chunk in links.chunks(CHUNK) {
        Link::update_many()
            .col_expr(link::Column::UnlinkedAt, Expr::value(Some(now)))
            .col_expr(link::Column::UnlinkedByUserId, Expr::value(viewer.user_id))
            .col_expr(
                link::Column::UnlinkedByTokenId,
                Expr::value(viewer.token_id),
            )
            .col_expr(link::Column::UnlinkedByJobId, Expr::value(Some(undo_id)))
            .filter(link::Column::Id.is_in(chunk.iter().map(|l| l.id)))
            .exec(txn)
            .await?;
        SourceNode::update_many()
            .col_expr(source_node::Column::Linked, Expr::value(false))
            .filter(source_node::Column::Id.is_in(chunk.iter().map(|l| l.node_id)))
            .exec(txn)
            .await?;
    }
    Ok(())
}
