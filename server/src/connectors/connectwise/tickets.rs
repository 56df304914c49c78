//! ConnectWise tickets, live (API-NOTES §1.6, §1.7): `GET service/tickets` newest first by id
//! (`orderBy=id desc`, keyset `id<N`, so a ticket created meanwhile cannot shift a page),
//! narrowed by `conditions`, counted by `service/tickets/count`; `POST service/tickets`;
//! `PATCH service/tickets/{id}` with a JSON Patch; the boards, priorities and board statuses.

use chrono::SecondsFormat;
use serde_json::{json, Value};

use super::write::patch_document;
use super::ConnectWise;
use crate::connectors::tickets::{text_of, time_of, TicketRef};
use crate::connectors::{ConnectorError, Ticket, TicketMeta, TicketPage, TicketQuery, TicketWrite};

const TICKETS: &str = "service/tickets";

/// A ConnectWise id given by the caller: digits only, or the field is at fault.
fn record_id(value: &str, field: &str) -> Result<String, ConnectorError> {
    let value = value.trim();
    if value.is_empty() || value.len() > 18 || !value.chars().all(|c| c.is_ascii_digit()) {
        return Err(ConnectorError::Invalid {
            field: field.into(),
            message: format!("{value:?} is not a ConnectWise id"),
        });
    }
    Ok(value.to_owned())
}

fn ids(values: &[String], field: &str) -> Result<String, ConnectorError> {
    Ok(values
        .iter()
        .map(|v| record_id(v, field))
        .collect::<Result<Vec<_>, _>>()?
        .join(","))
}

/// `conditions` for a query, without the paging key.
fn conditions(q: &TicketQuery) -> Result<Vec<String>, ConnectorError> {
    let mut out = Vec::new();
    if !q.boards.is_empty() {
        out.push(format!(
            "board/id in ({})",
            ids(&q.boards, "filter.boardExternalIds")?
        ));
    }
    if !q.statuses.is_empty() {
        out.push(format!(
            "status/id in ({})",
            ids(&q.statuses, "filter.statusExternalIds")?
        ));
    }
    if let Some(company) = &q.company {
        out.push(format!(
            "company/id={}",
            record_id(company, "filter.companyExternalId")?
        ));
    }
    if let Some(search) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // Strings go in double quotes (API-NOTES §1.2); a quote inside is escaped.
        let escaped = search.replace('\\', "\\\\").replace('"', "\\\"");
        out.push(format!("summary contains \"{escaped}\""));
    }
    if let Some(t) = q.updated_since {
        out.push(format!(
            "lastUpdated>[{}]",
            t.to_rfc3339_opts(SecondsFormat::Secs, true)
        ));
    }
    Ok(out)
}

fn reference(record: &Value, key: &str) -> Option<TicketRef> {
    let r = record.get(key)?;
    let external_id = text_of(r, "id")?;
    Some(TicketRef {
        name: text_of(r, "name").unwrap_or_else(|| external_id.clone()),
        external_id,
    })
}

/// A ticket record (API-NOTES §1.7) as a `Ticket`.
pub(super) fn ticket(record: &Value) -> Ticket {
    let external_id = text_of(record, "id").unwrap_or_default();
    Ticket {
        number: Some(external_id.clone()),
        external_id,
        summary: text_of(record, "summary").unwrap_or_default(),
        status: reference(record, "status"),
        priority: reference(record, "priority"),
        board: reference(record, "board"),
        ticket_type: reference(record, "type"),
        subtype: reference(record, "subType"),
        item: reference(record, "item"),
        company: record.get("company").and_then(|c| text_of(c, "id")),
        company_name: record.get("company").and_then(|c| text_of(c, "name")),
        contact_name: text_of(record, "contactName")
            .or_else(|| record.get("contact").and_then(|c| text_of(c, "name"))),
        created_at: time_of(record, "/_info/dateEntered"),
        updated_at: time_of(record, "/_info/lastUpdated"),
        resolved: record.get("closedFlag").and_then(Value::as_bool) == Some(true),
    }
}

fn refs(records: &[Value]) -> Vec<TicketRef> {
    records
        .iter()
        .filter_map(|r| {
            let external_id = text_of(r, "id")?;
            Some(TicketRef {
                name: text_of(r, "name").unwrap_or_else(|| external_id.clone()),
                external_id,
            })
        })
        .collect()
}

/// Whether the provider said 404: `provider_words` starts with the status.
pub(super) fn is_not_found(err: &ConnectorError) -> bool {
    matches!(err, ConnectorError::Upstream(words) if words.starts_with("404"))
}

impl ConnectWise {
    pub(super) async fn list_tickets(&self, q: &TicketQuery) -> Result<TicketPage, ConnectorError> {
        let base = conditions(q)?;
        let total = self
            .count(
                TICKETS,
                (!base.is_empty()).then(|| base.join(" and ")).as_deref(),
            )
            .await?;
        if q.first == 0 {
            return Ok(TicketPage {
                tickets: Vec::new(),
                has_next: total > 0,
                total: Some(total),
            });
        }
        let mut all = base;
        if let Some(after) = q.after {
            all.push(format!("id<{after}"));
        }
        let mut query = vec![
            ("orderBy", "id desc".to_owned()),
            ("pageSize", (q.first + 1).min(1000).to_string()),
            ("page", "1".to_owned()),
        ];
        if !all.is_empty() {
            query.push(("conditions", all.join(" and ")));
        }
        let page = self.get(TICKETS, &query).await?;
        let records = page
            .as_array()
            .ok_or_else(|| ConnectorError::Decode("service/tickets is not a list".into()))?;
        let mut tickets: Vec<(i64, Ticket)> = records
            .iter()
            .map(|r| {
                let t = ticket(r);
                (t.external_id.parse().unwrap_or(0), t)
            })
            .collect();
        let has_next = tickets.len() > q.first;
        tickets.truncate(q.first);
        Ok(TicketPage {
            tickets,
            has_next,
            total: Some(total),
        })
    }

    pub(super) async fn one_ticket(
        &self,
        external_id: &str,
    ) -> Result<Option<Ticket>, ConnectorError> {
        let Ok(id) = record_id(external_id, "externalId") else {
            return Ok(None);
        };
        match self.get(&format!("{TICKETS}/{id}"), &[]).await {
            Ok(record) => Ok(Some(ticket(&record))),
            Err(err) if is_not_found(&err) => Ok(None),
            Err(err) => Err(err),
        }
    }

    pub(super) async fn meta_of_tickets(&self) -> Result<TicketMeta, ConnectorError> {
        let boards = refs(&self.all("service/boards").await?);
        let priorities = refs(&self.all("service/priorities").await?);
        let mut statuses = Vec::new();
        for board in &boards {
            let list = self
                .all(&format!("service/boards/{}/statuses", board.external_id))
                .await?;
            statuses.extend(refs(&list));
        }
        Ok(TicketMeta {
            boards,
            priorities,
            statuses,
        })
    }

    pub(super) async fn post_ticket(&self, w: &TicketWrite) -> Result<Ticket, ConnectorError> {
        let company: i64 = record_id(
            w.company.as_deref().unwrap_or_default(),
            "input.companyExternalId",
        )?
        .parse()
        .unwrap_or(0);
        let mut body = json!({
            "summary": w.summary.clone().unwrap_or_default(),
            "company": {"id": company},
        });
        for (key, value, field) in [
            ("board", &w.board, "input.boardExternalId"),
            ("status", &w.status, "input.statusExternalId"),
            ("priority", &w.priority, "input.priorityExternalId"),
        ] {
            if let Some(v) = value {
                let id: i64 = record_id(v, field)?.parse().unwrap_or(0);
                body[key] = json!({ "id": id });
            }
        }
        if let Some(d) = &w.description {
            body["initialDescription"] = json!(d);
        }
        let url = format!("{}/{TICKETS}", self.base);
        let (record, _) = self
            .http
            .json(|client| self.authorized(client.post(&url)).json(&body))
            .await?;
        Ok(ticket(&record))
    }

    pub(super) async fn patch_ticket(
        &self,
        external_id: &str,
        w: &TicketWrite,
    ) -> Result<Ticket, ConnectorError> {
        let id = record_id(external_id, "externalId")?;
        let mut changes: Vec<(String, Value)> = Vec::new();
        if let Some(s) = &w.summary {
            changes.push(("summary".into(), json!(s)));
        }
        for (key, value, field) in [
            ("board", &w.board, "input.boardExternalId"),
            ("status", &w.status, "input.statusExternalId"),
            ("priority", &w.priority, "input.priorityExternalId"),
        ] {
            if let Some(v) = value {
                let id: i64 = record_id(v, field)?.parse().unwrap_or(0);
                changes.push((key.into(), json!({ "id": id })));
            }
        }
        let url = format!("{}/{TICKETS}/{id}", self.base);
        if changes.is_empty() {
            let record = self.get(&format!("{TICKETS}/{id}"), &[]).await?;
            return Ok(ticket(&record));
        }
        let body = patch_document(&changes);
        let (record, _) = self
            .http
            .json(|client| self.authorized(client.patch(&url)).json(&body))
            .await?;
        Ok(ticket(&record))
    }

    /// A request with the source's credentials.
    pub(super) fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request
            .header("Authorization", &self.authorization)
            .header("clientId", &self.client_id)
            .header("Accept", "application/json")
    }
}
