//! One OCI-P session (docs/CONNECTORS.md §3.1, §3.2): a client-chosen UUID `sessionId` and the
//! HTTP session cookie, both kept here — per connector session, never in a client-wide jar, so
//! two sources on one host never share a session. Login is nonce-signed
//! (`AuthenticationRequest` → `LoginRequest14sp4`) or, over https, plain `LoginRequest22V5`
//! falling back to the nonce login; `LogoutRequest` closes the session, also when a cancelled
//! import drops it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use md5::{Digest, Md5};
use reqwest::header::{HeaderMap, COOKIE, SET_COOKIE};
use sha1::Sha1;

use super::oci::{self, Command, Reply};
use super::soap;
use crate::connectors::http::Upstream;
use crate::connectors::ConnectorError;

/// How to log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMode {
    /// Plain over https, nonce-signed otherwise (the documents' choice).
    Auto,
    /// Always `AuthenticationRequest` + `LoginRequest14sp4` with `signedPassword`.
    Signed,
    /// `LoginRequest22V5` with the password, falling back to the signed login if refused.
    Plain,
}

/// What a login answered.
#[derive(Debug, Clone)]
pub struct LoginInfo {
    /// `loginType`: System, Provisioning, Service Provider, Group or User.
    pub login_type: String,
    /// Which request logged in, in words.
    pub via: &'static str,
}

/// Where and as whom to log in.
pub struct Account {
    pub http: Arc<Upstream>,
    pub url: String,
    pub user_id: String,
    pub password: String,
    pub mode: LoginMode,
}

/// A logged-in session; dropping it without `close` still logs out (in the background).
pub struct Session {
    inner: Arc<Inner>,
    pub info: LoginInfo,
}

struct Inner {
    account: Arc<Account>,
    id: String,
    /// `name=value` pairs from `Set-Cookie`, sent back on every later call.
    cookies: Mutex<Vec<(String, String)>>,
    logged_in: AtomicBool,
}

/// `lowercase_hex(MD5(nonce + ":" + lowercase_hex(SHA1(password))))`, the password as UTF-8.
pub fn signed_password(nonce: &str, password: &str) -> String {
    let sha = hex::encode(Sha1::digest(password.as_bytes()));
    hex::encode(Md5::digest(format!("{nonce}:{sha}").as_bytes()))
}

impl Session {
    /// A new session (fresh `sessionId`, no cookie yet), logged in.
    pub async fn open(account: Arc<Account>) -> Result<Session, ConnectorError> {
        let inner = Arc::new(Inner {
            account,
            id: uuid::Uuid::new_v4().to_string(),
            cookies: Mutex::new(Vec::new()),
            logged_in: AtomicBool::new(false),
        });
        let info = inner.login().await?;
        Ok(Session { inner, info })
    }

    /// Sends 1–15 commands in one document; the replies come back in the same order.
    pub async fn call(&self, commands: &[Command]) -> Result<Vec<Reply>, ConnectorError> {
        self.inner.call(commands).await
    }

    /// Logs in again on the same session (after an error that may mean it expired).
    pub async fn relogin(&self) -> Result<(), ConnectorError> {
        self.inner.login().await.map(|_| ())
    }

    /// Logs out; a failure only costs the server an idle session, so it is logged, not raised.
    pub async fn close(self) {
        self.inner.logout().await;
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.inner.logged_in.load(Ordering::SeqCst) {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let inner = self.inner.clone();
                runtime.spawn(async move { inner.logout().await });
            }
        }
    }
}

impl Inner {
    async fn call(&self, commands: &[Command]) -> Result<Vec<Reply>, ConnectorError> {
        let body = soap::envelope(&oci::document(&self.id, commands));
        let cookie = self.cookie_header();
        let url = &self.account.url;
        let expected = commands.len();
        let (replies, headers) = self
            .account
            .http
            .fetch(
                |client| {
                    let request = client
                        .post(url)
                        .header("Content-Type", "text/xml; charset=utf-8")
                        // Not documented; SOAP 1.1 wants the header, and public clients send "".
                        .header("SOAPAction", "\"\"")
                        .body(body.clone());
                    match &cookie {
                        Some(c) => request.header(COOKIE, c),
                        None => request,
                    }
                },
                |text| read_reply(text, expected),
            )
            .await
            .map_err(soap::readable)?;
        self.keep_cookies(&headers);
        Ok(replies)
    }

    fn cookie_header(&self) -> Option<String> {
        let cookies = self.cookies.lock().unwrap_or_else(|p| p.into_inner());
        (!cookies.is_empty()).then(|| {
            cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    fn keep_cookies(&self, headers: &HeaderMap) {
        let mut cookies = self.cookies.lock().unwrap_or_else(|p| p.into_inner());
        for value in headers.get_all(SET_COOKIE) {
            let Some((name, value)) = value
                .to_str()
                .ok()
                .and_then(|v| v.split(';').next())
                .and_then(|pair| pair.split_once('='))
            else {
                continue;
            };
            let (name, value) = (name.trim().to_owned(), value.trim().to_owned());
            cookies.retain(|(n, _)| *n != name);
            cookies.push((name, value));
        }
    }

    /// One command that must succeed; an `ErrorResponse` is the server refusing the login.
    async fn login_step(&self, command: Command) -> Result<Reply, ConnectorError> {
        let reply = self.call(&[command]).await?.remove(0);
        match reply.error() {
            Some(words) => Err(ConnectorError::Unauthorized(words)),
            None => Ok(reply),
        }
    }

    async fn login(&self) -> Result<LoginInfo, ConnectorError> {
        let account = &self.account;
        let plain = match account.mode {
            LoginMode::Plain => true,
            LoginMode::Signed => false,
            LoginMode::Auto => account.url.to_ascii_lowercase().starts_with("https://"),
        };
        if plain {
            let command = Command::new("LoginRequest22V5")
                .field("userId", &account.user_id)
                .field("password", &account.password);
            match self.login_step(command).await {
                Ok(reply) => return Ok(self.logged_in(&reply, "LoginRequest22V5")),
                // A wrong password stays wrong with the other request; do not try it twice.
                Err(ConnectorError::Unauthorized(words)) if !invalid_password(&words) => {
                    tracing::info!(%words, "LoginRequest22V5 refused; trying the nonce-signed login");
                }
                Err(err) => return Err(err),
            }
        }
        let auth = self
            .login_step(Command::new("AuthenticationRequest").field("userId", &account.user_id))
            .await?;
        let algorithm = auth.field("passwordAlgorithm").unwrap_or("MD5");
        if !algorithm.eq_ignore_ascii_case("MD5") {
            return Err(ConnectorError::Unauthorized(format!(
                "the server asks for the password algorithm {algorithm}, which Switchboard does not support"
            )));
        }
        let nonce = auth
            .field("nonce")
            .ok_or_else(|| ConnectorError::Decode("AuthenticationResponse has no nonce".into()))?;
        let command = Command::new("LoginRequest14sp4")
            .field("userId", &account.user_id)
            .field("signedPassword", signed_password(nonce, &account.password));
        let reply = self.login_step(command).await?;
        Ok(self.logged_in(&reply, "LoginRequest14sp4, nonce-signed"))
    }

    fn logged_in(&self, reply: &Reply, via: &'static str) -> LoginInfo {
        self.logged_in.store(true, Ordering::SeqCst);
        LoginInfo {
            login_type: reply.field("loginType").unwrap_or("unknown").to_owned(),
            via,
        }
    }

    async fn logout(&self) {
        if !self.logged_in.swap(false, Ordering::SeqCst) {
            return;
        }
        let command = Command::new("LogoutRequest").field("userId", &self.account.user_id);
        if let Err(err) = self.call(&[command]).await {
            tracing::warn!(error = %err.message(), "BroadWorks logout failed");
        }
    }
}

fn invalid_password(words: &str) -> bool {
    words.contains("4962") || words.to_ascii_lowercase().contains("invalid password")
}

/// The replies of one document, exactly one per command sent, each echoing its position.
fn read_reply(text: &str, expected: usize) -> Result<Vec<Reply>, ConnectorError> {
    let oci = soap::unwrap(text)?;
    let replies = oci::parse(&oci).map_err(ConnectorError::Decode)?;
    if replies.len() != expected {
        return Err(ConnectorError::Decode(format!(
            "{} commands sent, {} answered",
            expected,
            replies.len()
        )));
    }
    for (i, reply) in replies.iter().enumerate() {
        if !reply.echo.is_empty() && reply.echo != i.to_string() {
            return Err(ConnectorError::Decode(format!(
                "answer {i} echoes command {}",
                reply.echo
            )));
        }
    }
    Ok(replies)
}

#[cfg(test)]
mod tests {
    #[test]
    fn signed_password_matches_the_documented_test_vector() {
        assert_eq!(
            hex::encode(<sha1::Sha1 as md5::Digest>::digest(b"switchboard-demo")),
            "7bec0ebf97b7cbdc0afcd0167c1a2fc7bc9252a8"
        );
        assert_eq!(
            super::signed_password("1700000000000", "switchboard-demo"),
            "201ec69e2e93fe2e1d63ee603d84b794"
        );
    }
}
