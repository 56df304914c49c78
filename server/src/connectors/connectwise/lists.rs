//! ConnectWise lists: paged by id (`conditions=id>N`, `orderBy=id asc`, 1000 a page), which a
//! deletion between two requests cannot make skip a record, and counted before and after a
//! pass (`/count`) to tell a complete list from a short one.

use std::collections::HashSet;

use serde_json::Value;

use super::records::{id_of, reference, store};
use super::{ConnectWise, PAGE_SIZE};
use crate::connectors::{ConnectorError, Coverage, PageSink, RawNode};

impl ConnectWise {
    pub(super) async fn get(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Value, ConnectorError> {
        let url = format!("{}/{path}", self.base);
        let (json, _) = self
            .http
            .json(|client| {
                client
                    .get(&url)
                    .query(query)
                    .header("Authorization", &self.authorization)
                    .header("clientId", &self.client_id)
                    .header("Accept", "application/json")
            })
            .await?;
        Ok(json)
    }

    pub(super) async fn count(&self, path: &str) -> Result<i64, ConnectorError> {
        let json = self.get(&format!("{path}/count"), &[]).await?;
        json.get("count")
            .and_then(Value::as_i64)
            .ok_or_else(|| ConnectorError::Decode(format!("{path}/count has no count")))
    }

    /// Every record of a list, in id order, page by page into `each`.
    pub(super) async fn pages(
        &self,
        path: &str,
        mut each: impl FnMut(Vec<Value>) -> Vec<RawNode>,
        sink: &mut dyn PageSink,
    ) -> Result<i64, ConnectorError> {
        let mut last_id = 0i64;
        let mut received = 0i64;
        loop {
            let records = self.page_after(path, &last_id.to_string(), None).await?;
            let len = records.len();
            received += len as i64;
            if let Some(id) = records
                .last()
                .and_then(|r| r.get("id"))
                .and_then(Value::as_i64)
            {
                last_id = id;
            }
            let nodes = each(records);
            sink.skipped((len - nodes.len()) as i64);
            store(sink, nodes).await?;
            if len < PAGE_SIZE {
                return Ok(received);
            }
        }
    }

    /// The page of `path` after id `last`, in id order: keyset paging, which a deletion
    /// between two requests cannot make skip a record.
    pub(super) async fn page_after(
        &self,
        path: &str,
        last: &str,
        fields: Option<&str>,
    ) -> Result<Vec<Value>, ConnectorError> {
        let mut query = vec![
            ("conditions", format!("id>{last}")),
            ("orderBy", "id asc".into()),
            ("pageSize", PAGE_SIZE.to_string()),
        ];
        if let Some(fields) = fields {
            query.push(("fields", fields.to_owned()));
        }
        let page = self.get(path, &query).await?;
        page.as_array()
            .cloned()
            .ok_or_else(|| ConnectorError::Decode(format!("{path} did not return a list")))
    }

    /// Calls `each` on every record of a list, page by page, keeping nothing (`fields` narrows
    /// what the provider sends).
    pub(super) async fn walk(
        &self,
        path: &str,
        fields: &str,
        mut each: impl FnMut(&Value),
    ) -> Result<(), ConnectorError> {
        // Checked like every pass: a short page here must not leave companies out (and so
        // delete them), so an incomplete walk fails the pass instead.
        let before = self.count(path).await?;
        let mut walked = 0i64;
        let mut last = "0".to_owned();
        loop {
            let records = self.page_after(path, &last, Some(fields)).await?;
            walked += records.len() as i64;
            records.iter().for_each(&mut each);
            match records.last() {
                Some(r) if records.len() >= PAGE_SIZE => last = id_of(r),
                _ => break,
            }
        }
        let after = self.count(path).await?;
        if before.min(after) <= walked && walked <= before.max(after) {
            Ok(())
        } else {
            Err(ConnectorError::Upstream(format!(
                "{path}: received {walked} of {after} records"
            )))
        }
    }

    /// Companies with at least one contact or one configuration the filters keep: a company
    /// with neither is not synced (SEMANTICS.md "Filters"; sites do not count).
    pub(super) async fn companies_with_members(&self) -> Result<HashSet<String>, ConnectorError> {
        let mut with = HashSet::new();
        self.walk("company/contacts", "id,company/id", |r| {
            with.extend(reference(r, "company"));
        })
        .await?;
        self.walk(
            "company/configurations",
            "id,company/id,status/name,serialNumber,type/id,type/name",
            |r| {
                if self.filters.configuration(r) {
                    with.extend(reference(r, "company"));
                }
            },
        )
        .await?;
        Ok(with)
    }

    /// A whole (small) list, in id order.
    pub(super) async fn all(&self, path: &str) -> Result<Vec<Value>, ConnectorError> {
        let mut out = Vec::new();
        loop {
            let last = out.last().map(id_of).unwrap_or_else(|| "0".into());
            let records = self.page_after(path, &last, None).await?;
            let done = records.len() < PAGE_SIZE;
            out.extend(records);
            if done {
                return Ok(out);
            }
        }
    }

    /// A counted pass over one top-level list: complete when what arrived lies between the
    /// counts taken before and after (a record deleted or added mid-pass may or may not arrive).
    pub(super) async fn counted(
        &self,
        entity: &str,
        path: &str,
        each: impl FnMut(Vec<Value>) -> Vec<RawNode>,
        sink: &mut dyn PageSink,
    ) -> Result<Coverage, ConnectorError> {
        let before = self.count(path).await?;
        let received = self.pages(path, each, sink).await?;
        let after = self.count(path).await?;
        let complete = before.min(after) <= received && received <= before.max(after);
        Ok(Coverage {
            entity: entity.into(),
            reported: Some(after),
            received,
            complete,
        })
    }
}
