//! ConnectWise lists: paged by id (`conditions=id>N`, `orderBy=id asc`, 1000 a page), which a
//! deletion between two requests cannot make skip a record, optionally narrowed by another
//! condition (`lastUpdated>[T]`), and counted before and after a pass (`/count`, with the same
//! condition) to tell a complete list from a short one.

use serde_json::Value;

use super::cursor::Marks;
use super::records::{id_of, store};
use super::{ConnectWise, PAGE_SIZE};
use crate::connectors::{ConnectorError, Coverage, PageSink, RawNode};

/// What a paged list brought.
pub(super) struct Listed {
    pub(super) coverage: Coverage,
    /// Records the filters left out.
    pub(super) skipped: i64,
}

/// How large an answer is expected. A small one (a count, a company's few sites) is asked
/// for uncompressed: gzip would save a few hundred bytes on the wire and cost both ends a
/// compressor's or decompressor's setup (tens of KB zeroed), which over a pass's hundred
/// thousand per-company lists was a fifth of the CPU of both sides.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer {
    Small,
    Large,
}

impl ConnectWise {
    pub(super) async fn get(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Value, ConnectorError> {
        self.get_as(path, query, Answer::Large).await
    }

    pub(super) async fn get_as(
        &self,
        path: &str,
        query: &[(&str, String)],
        answer: Answer,
    ) -> Result<Value, ConnectorError> {
        let url = format!("{}/{path}", self.base);
        let (json, _) = self
            .http
            .json(|client| {
                let request = client
                    .get(&url)
                    .query(query)
                    .header("Authorization", &self.authorization)
                    .header("clientId", &self.client_id)
                    .header("Accept", "application/json");
                match answer {
                    // The client asks for gzip only when the request names no encoding.
                    Answer::Small => request.header("Accept-Encoding", "identity"),
                    Answer::Large => request,
                }
            })
            .await?;
        Ok(json)
    }

    /// `{path}/count`, under `condition` when there is one.
    pub(super) async fn count(
        &self,
        path: &str,
        condition: Option<&str>,
    ) -> Result<i64, ConnectorError> {
        let query: Vec<(&str, String)> = condition
            .map(|c| vec![("conditions", c.to_owned())])
            .unwrap_or_default();
        let json = self
            .get_as(&format!("{path}/count"), &query, Answer::Small)
            .await?;
        json.get("count")
            .and_then(Value::as_i64)
            .ok_or_else(|| ConnectorError::Decode(format!("{path}/count has no count")))
    }

    /// Every record of a list (under `condition`), in id order, page by page into `each`;
    /// returns (received, skipped).
    async fn pages(
        &self,
        path: &str,
        condition: Option<&str>,
        mut each: impl FnMut(Vec<Value>) -> Vec<RawNode>,
        sink: &mut dyn PageSink,
        marks: &mut Marks,
    ) -> Result<(i64, i64), ConnectorError> {
        let mut last_id = 0i64;
        let (mut received, mut skipped) = (0i64, 0i64);
        loop {
            let records = self
                .page_after(path, &last_id.to_string(), condition, None, Answer::Large)
                .await?;
            let len = records.len();
            received += len as i64;
            marks.see(path, &records);
            if let Some(id) = records
                .last()
                .and_then(|r| r.get("id"))
                .and_then(Value::as_i64)
            {
                last_id = id;
            }
            let nodes = each(records);
            skipped += (len - nodes.len()) as i64;
            store(sink, nodes).await?;
            if len < PAGE_SIZE {
                return Ok((received, skipped));
            }
        }
    }

    /// The page of `path` after id `last`, in id order: keyset paging, which a deletion
    /// between two requests cannot make skip a record.
    pub(super) async fn page_after(
        &self,
        path: &str,
        last: &str,
        condition: Option<&str>,
        fields: Option<&str>,
        answer: Answer,
    ) -> Result<Vec<Value>, ConnectorError> {
        let conditions = match condition {
            Some(c) => format!("({c}) and id>{last}"),
            None => format!("id>{last}"),
        };
        let mut query = vec![
            ("conditions", conditions),
            ("orderBy", "id asc".into()),
            ("pageSize", PAGE_SIZE.to_string()),
        ];
        if let Some(fields) = fields {
            query.push(("fields", fields.to_owned()));
        }
        match self.get_as(path, &query, answer).await? {
            Value::Array(records) => Ok(records),
            _ => Err(ConnectorError::Decode(format!(
                "{path} did not return a list"
            ))),
        }
    }

    /// A whole small list, in id order.
    pub(super) async fn all(&self, path: &str) -> Result<Vec<Value>, ConnectorError> {
        self.all_with(path, None).await
    }

    /// `all`, narrowed to `fields` when there are some.
    pub(super) async fn all_with(
        &self,
        path: &str,
        fields: Option<&str>,
    ) -> Result<Vec<Value>, ConnectorError> {
        let mut out = Vec::new();
        loop {
            let last = out.last().map(id_of).unwrap_or_else(|| "0".into());
            let records = self
                .page_after(path, &last, None, fields, Answer::Small)
                .await?;
            let done = records.len() < PAGE_SIZE;
            out.extend(records);
            if done {
                return Ok(out);
            }
        }
    }

    /// The records with these ids, whole, a chunk per request (`id in (…)`).
    pub(super) async fn by_ids(
        &self,
        path: &str,
        ids: &[i64],
        mut each: impl FnMut(Vec<Value>) -> Vec<RawNode>,
        sink: &mut dyn PageSink,
        marks: &mut Marks,
    ) -> Result<(), ConnectorError> {
        for chunk in ids.chunks(BY_ID_CHUNK) {
            let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
            let condition = format!("id in ({})", list.join(","));
            let records = self
                .page_after(path, "0", Some(&condition), None, Answer::Large)
                .await?;
            marks.see(path, &records);
            store(sink, each(records)).await?;
        }
        Ok(())
    }

    /// A counted pass over one top-level list (under `condition`): complete when what
    /// arrived lies between the counts taken before and after (a record deleted or added
    /// mid-pass may or may not arrive).
    pub(super) async fn counted(
        &self,
        entity: &str,
        path: &str,
        condition: Option<&str>,
        each: impl FnMut(Vec<Value>) -> Vec<RawNode>,
        sink: &mut dyn PageSink,
        marks: &mut Marks,
    ) -> Result<Listed, ConnectorError> {
        let before = self.count(path, condition).await?;
        let (received, skipped) = self.pages(path, condition, each, sink, marks).await?;
        let after = self.count(path, condition).await?;
        let complete = before.min(after) <= received && received <= before.max(after);
        Ok(Listed {
            coverage: Coverage {
                entity: entity.into(),
                reported: Some(after),
                received,
                complete,
            },
            skipped,
        })
    }
}

/// Ids per `id in (…)` request: the query string stays short.
const BY_ID_CHUNK: usize = 100;

/// What the light walks ask for: enough to apply the filters and find the parent company.
pub(super) const CONTACT_FIELDS: &str = "id,company/id";
pub(super) const CONFIGURATION_FIELDS: &str = "id,company/id,status/name,type,serialNumber";
pub(super) const COMPANY_FIELDS: &str = "id,status/name,types/name,deletedFlag";
pub(super) const AGREEMENT_FIELDS: &str = "id,company/id";
