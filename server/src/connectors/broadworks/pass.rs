//! One import pass over a logged-in session (docs/CONNECTORS.md §3.3, §3.4): the service
//! provider list, then the groups of up to 15 service providers per document, then users and
//! hunt groups of up to 7 groups per document (two commands each). Pages go to the sink as
//! they arrive, parents always in an earlier page than their children, as the import resolves
//! parents among the nodes already stored.
//!
//! An `ErrorResponse` to a list command gets one more login and one retry. After that the
//! service provider list failing fails the pass; a group's or a service provider's list failing
//! (deleted mid-pass, most likely) leaves the pass incomplete, as does a table that reaches
//! `responseSizeLimit`. Each such table gets its own coverage entry saying why (the first ten).

use super::nodes::{self, GROUP_ID, SERVICE_USER_ID, SP_ID, USER_ID};
use super::oci::{Command, Reply, MAX_COMMANDS};
use super::session::Session;
use crate::connectors::{ConnectorError, Coverage, PageSink, RawNode};

/// The most problem tables reported one by one; the rest are counted.
const PROBLEMS_LISTED: usize = 10;

pub struct Pass<'a> {
    session: &'a Session,
    limit: usize,
    sink: &'a mut dyn PageSink,
    tallies: [Coverage; 4],
    problems: Vec<Coverage>,
    unlisted_problems: usize,
}

const SPS: usize = 0;
const GROUPS: usize = 1;
const USERS: usize = 2;
const HUNT_GROUPS: usize = 3;

fn tally(entity: &str) -> Coverage {
    Coverage {
        entity: entity.into(),
        reported: None,
        received: 0,
        complete: true,
    }
}

impl<'a> Pass<'a> {
    pub fn new(session: &'a Session, limit: usize, sink: &'a mut dyn PageSink) -> Pass<'a> {
        Pass {
            session,
            limit,
            sink,
            tallies: [
                tally("service providers and enterprises"),
                tally("groups"),
                tally("users"),
                tally("hunt groups"),
            ],
            problems: Vec::new(),
            unlisted_problems: 0,
        }
    }

    pub async fn run(mut self) -> Result<Vec<Coverage>, ConnectorError> {
        let providers = self.service_providers().await?;
        let mut groups = Vec::new();
        for batch in providers.chunks(MAX_COMMANDS) {
            groups.extend(self.groups(batch).await?);
        }
        for batch in groups.chunks(MAX_COMMANDS / 2) {
            self.members(batch).await?;
        }
        let mut coverage: Vec<Coverage> = self.tallies.to_vec();
        coverage.extend(self.problems);
        if self.unlisted_problems > 0 {
            coverage.push(Coverage {
                entity: format!("{} more incomplete tables", self.unlisted_problems),
                reported: None,
                received: 0,
                complete: false,
            });
        }
        Ok(coverage)
    }

    /// Step 1: every service provider and enterprise, as roots. Returns (type, id) of each.
    async fn service_providers(&mut self) -> Result<Vec<(&'static str, String)>, ConnectorError> {
        let command = Command::new("ServiceProviderGetListRequest")
            .field("responseSizeLimit", self.limit.to_string());
        let reply = match ask(self.session, vec![command]).await?.remove(0) {
            Ok(reply) => reply,
            // Nothing can be imported without this list, and a second login did not help: the
            // account is not allowed to list them, which a person must fix (FAILED, §3.2).
            Err(words) => {
                return Err(ConnectorError::Unauthorized(format!(
                    "listing service providers was refused: {words}"
                )))
            }
        };
        let name = "serviceProviderTable";
        let Some(table) = reply.table(name) else {
            return Err(ConnectorError::Decode(format!("the reply has no {name}")));
        };
        nodes::require(table, name, SP_ID)?;
        self.check_size(SPS, name, "the system", table.rows.len(), true);
        let found: Vec<RawNode> = table
            .rows
            .iter()
            .filter_map(|row| nodes::service_provider(table, row))
            .collect();
        let parents = found
            .iter()
            .map(|n| (n.node_type, n.external_id.clone()))
            .collect();
        self.store(found).await?;
        Ok(parents)
    }

    /// Step 2 for a batch of service providers. Returns (sp, group id) of each group.
    async fn groups(
        &mut self,
        providers: &[(&'static str, String)],
    ) -> Result<Vec<(String, String)>, ConnectorError> {
        let commands = providers
            .iter()
            .map(|(_, sp)| {
                Command::new("GroupGetListInServiceProviderRequest")
                    .field("serviceProviderId", sp)
                    .field("responseSizeLimit", self.limit.to_string())
            })
            .collect();
        let replies = ask(self.session, commands).await?;
        let mut page = Vec::new();
        let mut groups = Vec::new();
        for (parent, reply) in providers.iter().zip(replies) {
            let what = format!("{} {}", parent.0.to_lowercase(), parent.1);
            let Some(table) = self.table(GROUPS, "groupTable", &what, reply, GROUP_ID)? else {
                continue;
            };
            self.check_size(GROUPS, "groupTable", &what, table.rows.len(), true);
            for row in &table.rows {
                if let Some(node) = nodes::group(parent, &table, row) {
                    groups.push((
                        parent.1.clone(),
                        table.cell(row, GROUP_ID).trim().to_owned(),
                    ));
                    page.push(node);
                }
            }
        }
        self.store(page).await?;
        Ok(groups)
    }

    /// Steps 3 and 4 for a batch of groups: each group's users and hunt groups.
    async fn members(&mut self, groups: &[(String, String)]) -> Result<(), ConnectorError> {
        let mut commands = Vec::new();
        for (sp, group) in groups {
            // `GroupId` with a capital G here, `groupId` in the hunt-group request (§3.3).
            commands.push(
                Command::new("UserGetListInGroupRequest")
                    .field("serviceProviderId", sp)
                    .field("GroupId", group)
                    .field("responseSizeLimit", self.limit.to_string()),
            );
            commands.push(
                Command::new("GroupHuntGroupGetInstanceListRequest")
                    .field("serviceProviderId", sp)
                    .field("groupId", group),
            );
        }
        let mut replies = ask(self.session, commands).await?.into_iter();
        let mut page = Vec::new();
        for (sp, group) in groups {
            let external = format!("{sp}/{group}");
            let what = format!("group {external}");
            let users = replies.next().unwrap_or_else(|| Err("no answer".into()));
            if let Some(table) = self.table(USERS, "userTable", &what, users, USER_ID)? {
                self.check_size(USERS, "userTable", &what, table.rows.len(), true);
                page.extend(
                    table
                        .rows
                        .iter()
                        .filter_map(|r| nodes::user(&external, &table, r)),
                );
            }
            let hunts = replies.next().unwrap_or_else(|| Err("no answer".into()));
            let name = "huntGroupTable";
            if let Some(table) = self.table(HUNT_GROUPS, name, &what, hunts, SERVICE_USER_ID)? {
                // This request takes no responseSizeLimit, so it cannot be cut by one.
                self.check_size(HUNT_GROUPS, name, &what, table.rows.len(), false);
                page.extend(
                    table
                        .rows
                        .iter()
                        .filter_map(|r| nodes::hunt_group(&external, &table, r)),
                );
            }
        }
        self.store(page).await
    }

    /// The table of a reply; `None` (the pass noted incomplete) when the command failed.
    fn table(
        &mut self,
        entity: usize,
        name: &str,
        what: &str,
        reply: Result<Reply, String>,
        key: &str,
    ) -> Result<Option<super::oci::Table>, ConnectorError> {
        match reply {
            Ok(mut reply) => {
                let table = reply.tables.remove(name).ok_or_else(|| {
                    ConnectorError::Decode(format!("the reply for {what} has no {name}"))
                })?;
                nodes::require(&table, name, key)?;
                Ok(Some(table))
            }
            Err(words) => {
                tracing::warn!(%what, %words, "a BroadWorks list failed; the pass is incomplete");
                self.problem(
                    entity,
                    format!("{name} of {what} could not be read ({words})"),
                    0,
                );
                Ok(None)
            }
        }
    }

    /// Counts a table's rows; one that reaches the limit may have been cut (no flag says so).
    fn check_size(&mut self, entity: usize, name: &str, what: &str, rows: usize, limited: bool) {
        self.tallies[entity].received += rows as i64;
        if limited && rows >= self.limit {
            tracing::warn!(%what, rows, "a BroadWorks table reached responseSizeLimit");
            let words = format!(
                "{name} of {what} reached responseSizeLimit {}, so rows may be missing",
                self.limit
            );
            self.problem(entity, words, rows as i64);
        }
    }

    fn problem(&mut self, entity: usize, words: String, received: i64) {
        self.tallies[entity].complete = false;
        if self.problems.len() < PROBLEMS_LISTED {
            self.problems.push(Coverage {
                entity: words,
                reported: None,
                received,
                complete: false,
            });
        } else {
            self.unlisted_problems += 1;
        }
    }

    async fn store(&mut self, page: Vec<RawNode>) -> Result<(), ConnectorError> {
        if page.is_empty() {
            return Ok(());
        }
        self.sink
            .page(page)
            .await
            .map_err(|e| ConnectorError::Upstream(format!("storing a page failed: {e:#}")))
    }
}

/// Sends commands in one document. Commands answered with an `ErrorResponse` get one more
/// login (the session may have expired) and are sent once more; what still fails comes back
/// as the server's words.
async fn ask(
    session: &Session,
    commands: Vec<Command>,
) -> Result<Vec<Result<Reply, String>>, ConnectorError> {
    let replies = session.call(&commands).await?;
    let failed: Vec<usize> = (0..replies.len())
        .filter(|i| replies[*i].error().is_some())
        .collect();
    let mut out: Vec<Result<Reply, String>> = replies.into_iter().map(Ok).collect();
    if failed.is_empty() {
        return Ok(out);
    }
    session.relogin().await?;
    let again: Vec<Command> = failed.iter().map(|i| commands[*i].clone()).collect();
    let retried = session.call(&again).await?;
    for (i, reply) in failed.into_iter().zip(retried) {
        out[i] = match reply.error() {
            Some(words) => Err(words),
            None => Ok(reply),
        };
    }
    Ok(out)
}
