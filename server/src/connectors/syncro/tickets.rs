//! Syncro tickets, live (API-NOTES §2.2–2.4, SY-SPEC `/tickets`): `GET /tickets` 25 to a page
//! by page number, narrowed by `customer_id`, `query`, `since_updated_at` and one `status`
//! (several statuses are matched here, as the API takes one); `GET /tickets/{id}`, `POST
//! /tickets`, `PUT /tickets/{id}`, each answering `{"ticket": …}`. Syncro has no boards (that
//! filter is ignored) and names its statuses and priorities, so names are their ids.
//!
//! A ticket's position is its index in the provider's list plus one, so the next page starts
//! at the page and offset that holds the ticket after it.

use chrono::SecondsFormat;
use serde_json::{json, Value};

use super::Syncro;
use crate::connectors::tickets::{text_of, time_of, TicketRef};
use crate::connectors::{ConnectorError, Ticket, TicketMeta, TicketPage, TicketQuery, TicketWrite};

/// "Each 'page' contains 25 results" (SY-SPEC).
const PER_PAGE: i64 = 25;
/// Pages one request reads at most while matching several statuses.
const MAX_PAGES: i64 = 40;

fn named(name: Option<String>) -> Option<TicketRef> {
    name.map(|n| TicketRef {
        external_id: n.clone(),
        name: n,
    })
}

/// A ticket record (API-NOTES §2.4) as a `Ticket`.
pub(super) fn ticket(record: &Value) -> Ticket {
    let status = text_of(record, "status");
    Ticket {
        external_id: text_of(record, "id").unwrap_or_default(),
        number: text_of(record, "number"),
        summary: text_of(record, "subject").unwrap_or_default(),
        resolved: status.as_deref() == Some("Resolved")
            || record.get("resolved_at").is_some_and(|r| !r.is_null()),
        status: named(status),
        priority: named(text_of(record, "priority")),
        board: None,
        ticket_type: named(text_of(record, "problem_type")),
        subtype: None,
        item: None,
        company: text_of(record, "customer_id"),
        company_name: text_of(record, "customer_business_then_name"),
        contact_name: text_of(record, "contact_fullname"),
        created_at: time_of(record, "/created_at"),
        updated_at: time_of(record, "/updated_at"),
    }
}

fn wrapped(answer: &Value) -> Result<&Value, ConnectorError> {
    answer
        .get("ticket")
        .ok_or_else(|| ConnectorError::Decode("the answer has no ticket".into()))
}

/// Whether the provider said 404 (`provider_words` starts with the status).
fn is_not_found(err: &ConnectorError) -> bool {
    matches!(err, ConnectorError::Upstream(words) if words.starts_with("404"))
}

impl Syncro {
    pub(super) async fn list_tickets(&self, q: &TicketQuery) -> Result<TicketPage, ConnectorError> {
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(c) = &q.company {
            if c.is_empty() || !c.chars().all(|ch| ch.is_ascii_digit()) {
                return Err(ConnectorError::Invalid {
                    field: "filter.companyExternalId".into(),
                    message: format!("{c:?} is not a Syncro customer id"),
                });
            }
            params.push(("customer_id", c.clone()));
        }
        if let Some(s) = q.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            params.push(("query", s.to_owned()));
        }
        if let Some(t) = q.updated_since {
            params.push((
                "since_updated_at",
                t.to_rfc3339_opts(SecondsFormat::Secs, true),
            ));
        }
        let here = q.statuses.len() > 1;
        if let [one] = q.statuses.as_slice() {
            params.push(("status", one.clone()));
        }
        let start = q.after.unwrap_or(0).max(0);
        let mut page = start / PER_PAGE + 1;
        let mut skip = (start % PER_PAGE) as usize;
        let mut out: Vec<(i64, Ticket)> = Vec::new();
        let mut total = None;
        let mut has_next = false;
        let mut ended = false;
        for _ in 0..MAX_PAGES {
            let mut query = params.clone();
            query.push(("page", page.to_string()));
            let answer = self.get("tickets", &query).await?;
            let records = answer
                .get("tickets")
                .and_then(Value::as_array)
                .ok_or_else(|| ConnectorError::Decode("GET /tickets has no tickets".into()))?;
            total = answer
                .pointer("/meta/total_entries")
                .and_then(Value::as_i64);
            let total_pages = answer.pointer("/meta/total_pages").and_then(Value::as_i64);
            for (i, record) in records.iter().enumerate().skip(skip) {
                let t = ticket(record);
                let matches = !here
                    || t.status.as_ref().is_some_and(|s| {
                        q.statuses.iter().any(|w| w.eq_ignore_ascii_case(&s.name))
                    });
                if !matches {
                    continue;
                }
                if out.len() == q.first {
                    has_next = true;
                    break;
                }
                out.push(((page - 1) * PER_PAGE + i as i64 + 1, t));
            }
            skip = 0;
            ended = records.is_empty() || total_pages.is_some_and(|n| page >= n);
            if has_next || ended {
                break;
            }
            page += 1;
        }
        // The page limit ran out before the list did: the next page resumes after the last
        // match; with no match at all there is nothing to resume from, so the caller is told.
        if !has_next && !ended {
            if out.is_empty() {
                return Err(ConnectorError::Invalid {
                    field: "filter.statusExternalIds".into(),
                    message: format!(
                        "none of the {} tickets read has one of these statuses; filter by one status, which Syncro matches itself",
                        MAX_PAGES * PER_PAGE
                    ),
                });
            }
            has_next = true;
        }
        Ok(TicketPage {
            tickets: out,
            has_next,
            // Matching several statuses here leaves the provider's count unknowable.
            total: if here { None } else { total },
        })
    }

    pub(super) async fn one_ticket(
        &self,
        external_id: &str,
    ) -> Result<Option<Ticket>, ConnectorError> {
        if external_id.is_empty() || !external_id.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        match self.get(&format!("tickets/{external_id}"), &[]).await {
            Ok(answer) => Ok(Some(ticket(wrapped(&answer)?))),
            Err(err) if is_not_found(&err) => Ok(None),
            Err(err) => Err(err),
        }
    }

    pub(super) async fn meta_of_tickets(&self) -> Result<TicketMeta, ConnectorError> {
        let settings = self.get("settings", &[]).await?;
        let tickets = self.get("tickets/settings", &[]).await?;
        let names = |list: Option<&Value>| -> Vec<TicketRef> {
            list.and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| {
                    named(
                        v.as_str()
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned),
                    )
                })
                .collect()
        };
        Ok(TicketMeta {
            boards: Vec::new(),
            priorities: names(settings.pointer("/ticket/priorities")),
            statuses: names(tickets.get("ticket_status_list")),
        })
    }

    /// `POST /tickets`: the description becomes the first comment (Syncro has no description
    /// field; a comment needs a subject).
    pub(super) async fn post_ticket(&self, w: &TicketWrite) -> Result<Ticket, ConnectorError> {
        let customer = w.company.clone().unwrap_or_default();
        let customer: i64 = customer.parse().map_err(|_| ConnectorError::Invalid {
            field: "input.companyExternalId".into(),
            message: format!("{customer:?} is not a Syncro customer id"),
        })?;
        let mut body =
            json!({"customer_id": customer, "subject": w.summary.clone().unwrap_or_default()});
        if let Some(s) = &w.status {
            body["status"] = json!(s);
        }
        if let Some(p) = &w.priority {
            body["priority"] = json!(p);
        }
        if let Some(d) = &w.description {
            body["comments_attributes"] = json!([{"subject": "Initial issue", "body": d, "hidden": false, "do_not_email": true}]);
        }
        let answer = self
            .send(reqwest::Method::POST, "tickets", Some(&body))
            .await?;
        Ok(ticket(wrapped(&answer)?))
    }

    pub(super) async fn put_ticket(
        &self,
        external_id: &str,
        w: &TicketWrite,
    ) -> Result<Ticket, ConnectorError> {
        if external_id.is_empty() || !external_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(ConnectorError::Invalid {
                field: "externalId".into(),
                message: format!("{external_id:?} is not a Syncro ticket id"),
            });
        }
        let mut body = json!({});
        if let Some(s) = &w.summary {
            body["subject"] = json!(s);
        }
        if let Some(s) = &w.status {
            body["status"] = json!(s);
        }
        if let Some(p) = &w.priority {
            body["priority"] = json!(p);
        }
        let answer = self
            .send(
                reqwest::Method::PUT,
                &format!("tickets/{external_id}"),
                Some(&body),
            )
            .await?;
        Ok(ticket(wrapped(&answer)?))
    }
}
