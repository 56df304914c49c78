//! Import: a connector's pass streamed into the source's node tree (`sink`), and the job's end:
//! after a complete pass, nodes this job did not see are marked deleted; an incomplete pass
//! deletes nothing. Running the same pass again changes nothing.

mod ahead;
mod bulk;
mod counts;
mod cursor;
mod journal;
mod pipe;
mod presence;
mod scan;
mod sink;
mod write;

use chrono::Utc;
use entity::prelude::*;
use entity::source;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

pub use sink::{ImportSink, Stats};

/// Runs an import job to its end: SUCCEEDED after a complete pass (deletions applied),
/// PARTIAL when anything was incomplete or failed after retries (nothing deleted), FAILED when
/// the provider refused the credentials. Stats, coverage and a readable log are stored.
pub async fn run(
    state: &crate::state::AppState,
    job: &entity::sync_job::Model,
    source: &source::Model,
) -> (entity::enums::SyncJobStatus, Option<String>) {
    use entity::enums::{LogLevel, SyncJobStatus};

    use super::worker::log;
    use crate::connectors::{self, ConnectorError};
    use crate::services::source_settings::SourceSettings;

    let spec = crate::providers::spec(source.provider);
    let Some(credentials) = crate::services::sources::open_credentials(&state.keys, source) else {
        let message =
            "the source's credentials are missing or unreadable; enter them again".to_owned();
        log(state, job.id, LogLevel::Error, &message).await;
        return (SyncJobStatus::Failed, Some(message));
    };
    let mut settings = SourceSettings::from_json(&source.settings);
    // Hardware types mapped to don't sync leave the pass like the other filters' rejects (and
    // so their existing nodes are marked deleted after a complete pass).
    match crate::services::value_mappings::not_synced(
        &state.db,
        source.id,
        entity::enums::ValueMappingKind::HardwareType,
    )
    .await
    {
        Ok(types) => settings.hardware_types_not_synced = types,
        Err(err) => {
            let message = format!("reading the source's value mappings failed: {err}");
            log(state, job.id, LogLevel::Error, &message).await;
            return (SyncJobStatus::Failed, Some(message));
        }
    }
    let connector = match connectors::for_source(
        source.provider,
        &source.base_url,
        &credentials,
        &settings,
        &state.net,
    ) {
        Some(Ok(c)) => c,
        Some(Err(err)) => return (SyncJobStatus::Failed, Some(err.message())),
        None => {
            let message = format!(
                "no connector for {} is available yet, so this source cannot be imported",
                spec.label
            );
            log(state, job.id, LogLevel::Error, &message).await;
            return (SyncJobStatus::Failed, Some(message));
        }
    };
    log(
        state,
        job.id,
        LogLevel::Info,
        &format!("import from {} started", spec.label),
    )
    .await;
    let mut sink = ImportSink::new(state, source, spec, job);
    // SKIP rules leave records out of the pass; compiled once, asked of every record.
    match crate::services::rules::RuleSet::load(&state.db, source.id).await {
        Ok(rules) => sink.rules = rules,
        Err(err) => {
            let message = format!("reading the source's rules failed: {err}");
            log(state, job.id, LogLevel::Error, &message).await;
            return (SyncJobStatus::Failed, Some(message));
        }
    }
    if let Err(err) = sink.note_if_empty().await {
        // Then every page looks for stored nodes first: slower, never wrong.
        tracing::warn!(source_id = source.id, error = %err, "checking for stored nodes failed");
    }
    // Metadata first: the filters and value mappings of this pass read it.
    let clock = std::time::Instant::now();
    let metadata = match connector.metadata().await {
        Ok(items) => match super::metadata::replace(&state.db, source.id, items).await {
            Ok(n) => Some(n as i64),
            Err(err) => {
                log(
                    state,
                    job.id,
                    LogLevel::Warn,
                    &format!("storing PSA metadata failed: {err}"),
                )
                .await;
                None
            }
        },
        Err(err) => {
            log(
                state,
                job.id,
                LogLevel::Warn,
                &format!("PSA metadata not refreshed: {}", err.message()),
            )
            .await;
            None
        }
    };
    tracing::debug!(
        ms = clock.elapsed().as_millis() as u64,
        "import: PSA metadata"
    );
    let since = match cursor::load(&state.db, source.id).await {
        // A SKIP rule added or changed since that pass needs every record looked at again
        // (an incremental pass reads only what changed upstream).
        Ok(Some((_, started)))
            if sink
                .rules
                .skip_changed_at()
                .is_some_and(|at| started.is_none_or(|s| at >= s)) =>
        {
            None
        }
        Ok(since) => since.map(|(cursor, _)| cursor),
        Err(err) => {
            // Without it the pass is full: slower, never wrong.
            tracing::warn!(source_id = source.id, error = %err, "reading the last cursor failed");
            None
        }
    };
    let outcome = pipe::run(connector, &mut sink, since).await;
    let found = sink.seal();
    if let Err(err) = journal::summary(&state.db, job.id, &sink.stats).await {
        tracing::error!(job_id = job.id, error = %err, "writing a job log line failed");
    }
    let mut next_cursor = None;
    let outcome = outcome.map(|pass| {
        next_cursor = pass.cursor;
        (pass.coverage, pass.summary)
    });
    if let Ok((_, Some(summary))) = &outcome {
        log(state, job.id, LogLevel::Info, summary).await;
    }
    let outcome = outcome.map(|(mut coverage, _)| {
        if spec.is_psa {
            let received = metadata.unwrap_or(0);
            coverage.insert(
                0,
                connectors::Coverage {
                    entity: "metadata".into(),
                    reported: None,
                    received,
                    complete: metadata.is_some(),
                },
            );
        }
        coverage
    });
    let (status, error, coverage) = match outcome {
        Ok(coverage) => {
            let missing: Vec<String> = coverage
                .iter()
                .filter(|c| !c.complete)
                .map(|c| {
                    format!(
                        "{}: received {} of {}",
                        c.entity,
                        c.received,
                        c.reported.map_or("?".into(), |r| r.to_string())
                    )
                })
                .collect();
            if missing.is_empty() {
                let clock = std::time::Instant::now();
                let marked = sink.mark_unseen_deleted().await;
                tracing::debug!(
                    ms = clock.elapsed().as_millis() as u64,
                    "import: unseen nodes marked deleted"
                );
                match marked {
                    Ok(()) => {
                        if let Some(next) = next_cursor.take() {
                            if let Err(err) = cursor::save(&state.db, job.id, next).await {
                                tracing::warn!(job_id = job.id, error = %err, "saving the cursor failed");
                            }
                        }
                        (SyncJobStatus::Succeeded, None, coverage)
                    }
                    Err(err) => (
                        SyncJobStatus::Partial,
                        Some(format!("marking deleted nodes failed: {err:#}")),
                        coverage,
                    ),
                }
            } else {
                let message = format!("incomplete pass, nothing deleted: {}", missing.join("; "));
                log(state, job.id, LogLevel::Warn, &message).await;
                (SyncJobStatus::Partial, Some(message), coverage)
            }
        }
        Err(ConnectorError::Unauthorized(words)) => {
            let message = ConnectorError::Unauthorized(words).message();
            log(state, job.id, LogLevel::Error, &message).await;
            (SyncJobStatus::Failed, Some(message), Vec::new())
        }
        Err(err) => {
            let message = format!(
                "{}; the pass is incomplete and nothing was deleted",
                err.message()
            );
            log(state, job.id, LogLevel::Error, &message).await;
            (SyncJobStatus::Partial, Some(message), Vec::new())
        }
    };
    let coverage_json: Vec<serde_json::Value> = coverage
        .iter()
        .map(|c| serde_json::json!({"entity": c.entity, "reported": c.reported, "received": c.received, "complete": c.complete}))
        .collect();
    let stats = serde_json::to_value(&sink.stats).unwrap_or_default();
    let saved = entity::sync_job::Entity::update_many()
        .col_expr(entity::sync_job::Column::Stats, Expr::value(stats))
        .col_expr(
            entity::sync_job::Column::Coverage,
            Expr::value(serde_json::Value::Array(coverage_json)),
        )
        .col_expr(entity::sync_job::Column::ProgressDone, Expr::value(found))
        .col_expr(
            entity::sync_job::Column::ProgressTotal,
            Expr::value(Some(found)),
        )
        .filter(entity::sync_job::Column::Id.eq(job.id))
        .exec(&state.db)
        .await;
    if let Err(err) = saved {
        tracing::error!(job_id = job.id, error = %err, "saving job stats failed");
    }
    let s = &sink.stats;
    let summary = format!(
        "{} received: {} created, {} updated, {} unchanged, {} deleted",
        found, s.created, s.updated, s.unchanged, s.deleted
    );
    log(state, job.id, LogLevel::Info, &summary).await;
    // autoSyncFields: linked services take their nodes' mapped values (never after FAILED).
    let clock = std::time::Instant::now();
    if status != SyncJobStatus::Failed {
        crate::services::field_sync::after_import(&state.db, job, source).await;
        crate::services::rules::after_import::after_import(
            &state.db,
            job,
            source,
            &sink.skipped_by_rule,
        )
        .await;
    }
    tracing::debug!(
        ms = clock.elapsed().as_millis() as u64,
        "import: field sync and rules after the pass"
    );
    // What is left of the provider's request budget, for `health.rateLimit` on every process.
    let key = connectors::budget_key(source.provider, &source.base_url);
    if let Some(budget) = state.net.snapshot(&key) {
        let _ = Source::update_many()
            .col_expr(source::Column::RateLimit, Expr::value(Some(budget)))
            .filter(source::Column::Id.eq(source.id))
            .exec(&state.db)
            .await;
    }
    if status == SyncJobStatus::Succeeded {
        let _ = Source::update_many()
            .col_expr(
                source::Column::LastSuccessfulSyncAt,
                Expr::value(Some(Utc::now())),
            )
            .filter(source::Column::Id.eq(source.id))
            .exec(&state.db)
            .await;
    }
    (status, error)
}
