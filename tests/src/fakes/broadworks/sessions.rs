//! The fake's OCI sessions and commands (docs/CONNECTORS.md §4.3): a session cookie set on
//! the first reply and required, with the same `sessionId`, on every later call (another
//! session's cookie is refused); the nonce and plain logins; `LogoutRequest` ending the
//! session; and the four list commands, which need a login, read `responseSizeLimit` and cut
//! tables at it silently.

use std::collections::HashMap;

use md5::{Digest, Md5};
use sha1::Sha1;

use super::records::{self as r, GROUP_HEADINGS, HUNT_GROUP_HEADINGS, SP_HEADINGS, USER_HEADINGS};
use super::xml::{self, Document, Request};
use super::Fake;

/// The cookie the fake's sessions go by (a Java servlet container's name; not documented).
pub const COOKIE: &str = "JSESSIONID";

pub const INVALID_PASSWORD: &str = "[Error 4962] Invalid password";
pub const NOT_LOGGED_IN: &str = "Not logged in";

#[derive(Debug, Default)]
pub struct Sessions {
    by_cookie: HashMap<String, Session>,
    issued: u64,
}

#[derive(Debug)]
struct Session {
    session_id: String,
    user: Option<String>,
    nonce: Option<String>,
}

/// What one document gets back: the reply commands, and a cookie to set if a session began.
pub struct Answer {
    pub commands: Vec<String>,
    pub set_cookie: Option<String>,
}

/// Answers a document sent with `cookie` (the value of the fake's session cookie, if any).
pub fn answer(fake: &Fake, cookie: Option<&str>, doc: &Document) -> Answer {
    let mut sessions = fake.sessions.lock().unwrap_or_else(|p| p.into_inner());
    let refuse = |words: &str| Answer {
        commands: doc
            .commands
            .iter()
            .map(|c| xml::error(&c.echo, words))
            .collect(),
        set_cookie: None,
    };
    if doc.commands.is_empty() || doc.commands.len() > 15 {
        return Answer {
            commands: vec![xml::error("", "A document carries 1 to 15 commands")],
            set_cookie: None,
        };
    }
    let (key, set_cookie) = match cookie {
        Some(c) => match sessions.by_cookie.get(c) {
            None => return refuse("Unknown session cookie"),
            Some(s) if s.session_id != doc.session_id => {
                return refuse("The session cookie belongs to another session")
            }
            Some(_) => (c.to_owned(), None),
        },
        None => {
            if sessions
                .by_cookie
                .values()
                .any(|s| s.session_id == doc.session_id)
            {
                return refuse("Session cookie missing");
            }
            sessions.issued += 1;
            let value = format!("{:016x}{:08x}", rand_part(&doc.session_id), sessions.issued);
            let session = Session {
                session_id: doc.session_id.clone(),
                user: None,
                nonce: None,
            };
            sessions.by_cookie.insert(value.clone(), session);
            (value.clone(), Some(value))
        }
    };
    let mut commands = Vec::new();
    for command in &doc.commands {
        let Some(session) = sessions.by_cookie.get_mut(&key) else {
            commands.push(xml::error(&command.echo, NOT_LOGGED_IN));
            continue;
        };
        let (reply, ended) = one(fake, session, command);
        commands.push(reply);
        if ended {
            sessions.by_cookie.remove(&key);
        }
    }
    Answer {
        commands,
        set_cookie,
    }
}

/// Some bits from the session id, so cookies of two fakes differ too (not a secret).
fn rand_part(session_id: &str) -> u64 {
    session_id.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// One command; `true` when it ended the session.
fn one(fake: &Fake, session: &mut Session, c: &Request) -> (String, bool) {
    let config = &fake.config;
    let echo = c.echo.as_str();
    let user_ok = c.field("userId") == Some(config.user_id.as_str());
    let logged_in = |kind: &str| {
        let fields = [
            ("loginType", "System".to_owned()),
            ("locale", "en_US".into()),
            ("encoding", "ISO-8859-1".into()),
            ("isEnterprise", "false".into()),
            ("userDomain", "switchboard.test".into()),
        ];
        xml::response(echo, kind, &fields)
    };
    let reply = match c.kind.as_str() {
        "AuthenticationRequest" => {
            let nonce = fake.next_nonce();
            session.nonce = Some(nonce.clone());
            let fields = [
                ("userId", c.field("userId").unwrap_or_default().to_owned()),
                ("nonce", nonce),
                ("passwordAlgorithm", "MD5".into()),
            ];
            xml::response(echo, "AuthenticationResponse", &fields)
        }
        "LoginRequest14sp4" => {
            let signed = match (&session.nonce, c.field("signedPassword")) {
                (Some(nonce), Some(sent)) => sent == signed_password(nonce, &config.password),
                _ => false,
            };
            let plain = c.field("plainTextPassword") == Some(config.password.as_str());
            if user_ok && (signed || plain) {
                session.user = Some(config.user_id.clone());
                logged_in("LoginResponse14sp4")
            } else {
                xml::error(echo, INVALID_PASSWORD)
            }
        }
        "LoginRequest22V5" if config.refuse_plain_login_over_http => xml::error(
            echo,
            "LoginRequest22V5 is refused over an insecure connection; use the signed login",
        ),
        "LoginRequest22V5" => {
            if user_ok && c.field("password") == Some(config.password.as_str()) {
                session.user = Some(config.user_id.clone());
                logged_in("LoginResponse22V5")
            } else {
                xml::error(echo, INVALID_PASSWORD)
            }
        }
        "LogoutRequest" => return (xml::response(echo, "SuccessResponse", &[]), true),
        _ if session.user.is_none() => xml::error(echo, NOT_LOGGED_IN),
        _ => list(fake, c).unwrap_or_else(|words| xml::error(echo, &words)),
    };
    (reply, false)
}

pub fn signed_password(nonce: &str, password: &str) -> String {
    let sha = hex::encode(Sha1::digest(password.as_bytes()));
    hex::encode(Md5::digest(format!("{nonce}:{sha}").as_bytes()))
}

/// The four list commands of §3.3.
fn list(fake: &Fake, c: &Request) -> Result<String, String> {
    let config = &fake.config;
    let faults = &fake.faults;
    let limit = match c.field("responseSizeLimit") {
        Some(v) => Some(
            v.trim()
                .parse::<usize>()
                .map_err(|_| "Invalid responseSizeLimit")?,
        ),
        None => config.default_response_size_limit,
    }
    .unwrap_or(usize::MAX);
    let sp = || {
        let id = c.field("serviceProviderId").unwrap_or_default();
        r::sp_index(config, id)
            .filter(|_| !faults.is_deleted(&format!("serviceProviders/{id}")))
            .map(|i| (i, id.to_owned()))
            .ok_or(format!("Service provider not found: {id}"))
    };
    let group = |field: &str| {
        let (i, sp) = sp()?;
        let id = c.field(field).unwrap_or_default();
        r::group_index(config, id)
            .filter(|_| !faults.is_deleted(&format!("groups/{sp}/{id}")))
            .map(|j| (i, sp, j))
            .ok_or(format!("Group not found: {id}"))
    };
    let table = |name, headings: &[&str], rows: Vec<Vec<String>>, kind| {
        let order = r::column_order(headings.len(), config.shuffle_columns);
        let heads: Vec<&str> = order.iter().map(|i| headings[*i]).collect();
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .map(|row| order.iter().map(|i| row[*i].clone()).collect())
            .collect();
        format!(
            "<command echo=\"{}\" xsi:type=\"{kind}\" xmlns=\"\">{}</command>",
            xml::escape(&c.echo),
            xml::table(name, &heads, &rows)
        )
    };
    Ok(match c.kind.as_str() {
        "ServiceProviderGetListRequest" => {
            let rows = (1..=config.service_providers)
                .filter(|i| !faults.is_deleted(&format!("serviceProviders/{}", r::sp_id(*i))))
                .take(limit)
                .map(r::sp_row)
                .collect();
            table(
                "serviceProviderTable",
                SP_HEADINGS,
                rows,
                "ServiceProviderGetListResponse",
            )
        }
        "GroupGetListInServiceProviderRequest" => {
            let (_, sp) = sp()?;
            let rows = (1..=config.groups_per_sp)
                .filter(|j| !faults.is_deleted(&format!("groups/{sp}/grp{j}")))
                .take(limit)
                .map(r::group_row)
                .collect();
            // Scheduled mid-pass deletions happen once a groups step has been answered.
            faults.page_served();
            table(
                "groupTable",
                GROUP_HEADINGS,
                rows,
                "GroupGetListInServiceProviderResponse",
            )
        }
        "UserGetListInGroupRequest" => {
            if c.field("GroupId").is_none() {
                return Err("UserGetListInGroupRequest needs GroupId (with a capital G)".into());
            }
            let (i, sp, j) = group("GroupId")?;
            // The truncation fault: this group has more users than the limit lets through.
            let count = if faults.take_short_page() && limit != usize::MAX {
                limit as u64
            } else {
                config.users_per_group
            };
            let rows = (1..=count)
                .filter(|k| !faults.is_deleted(&format!("users/{}", r::user_id(&sp, j, *k))))
                .take(limit)
                .map(|k| r::user_row(config, i, j, k))
                .collect();
            table(
                "userTable",
                USER_HEADINGS,
                rows,
                "UserGetListInGroupResponse",
            )
        }
        "GroupHuntGroupGetInstanceListRequest" => {
            let (i, _, j) = group("groupId")?;
            let rows = (1..=config.hunt_groups_per_group)
                .map(|h| r::hunt_group_row(config, i, j, h))
                .collect();
            table(
                "huntGroupTable",
                HUNT_GROUP_HEADINGS,
                rows,
                "GroupHuntGroupGetInstanceListResponse",
            )
        }
        other => return Err(format!("Unsupported command: {other}")),
    })
}
