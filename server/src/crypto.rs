//! Keys and secrets at rest.
//!
//! - The JWT signing key and the credentials key come from the settings, or, beside an SQLite
//!   database, from key files generated on first start. They are never stored in the database.
//! - Source credentials (and webhook secrets) are sealed with XChaCha20-Poly1305. The associated
//!   data binds a ciphertext to its organization, source and purpose, so a ciphertext copied to
//!   another row does not open.
//! - Cursors are signed with a key derived from the JWT key, so a cursor the server did not
//!   issue is refused.

use std::path::Path;

use anyhow::{bail, Context};
use base64::{engine::general_purpose::STANDARD, Engine};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use crate::config::Settings;

const NONCE_LEN: usize = 24;

/// What a sealed secret is for; part of the associated data.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    Credentials,
    WebhookSecret,
}

impl Purpose {
    fn label(self) -> &'static str {
        match self {
            Purpose::Credentials => "credentials",
            Purpose::WebhookSecret => "webhook-secret",
        }
    }
}

/// The process's keys.
#[derive(Clone)]
pub struct Keys {
    jwt: Vec<u8>,
    cipher: XChaCha20Poly1305,
    cursor: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

impl Keys {
    /// From the settings, or from key files beside the SQLite database (made on first start).
    pub fn load(settings: &Settings) -> anyhow::Result<Keys> {
        let sqlite_file = settings.sqlite_file();
        let jwt = resolve(
            settings.jwt_secret.as_ref(),
            "SWITCHBOARD_JWT_SECRET",
            sqlite_file.as_deref(),
            "jwt-secret",
            settings.is_sqlite(),
        )?;
        if jwt.len() < 32 {
            bail!("SWITCHBOARD_JWT_SECRET must be at least 32 bytes (base64)");
        }
        let creds = resolve(
            settings.credentials_key.as_ref(),
            "SWITCHBOARD_CREDENTIALS_KEY",
            sqlite_file.as_deref(),
            "credentials-key",
            settings.is_sqlite(),
        )?;
        Keys::from_bytes(jwt, &creds)
    }

    pub fn from_bytes(jwt: Vec<u8>, credentials_key: &[u8]) -> anyhow::Result<Keys> {
        if credentials_key.len() != 32 {
            bail!("SWITCHBOARD_CREDENTIALS_KEY must be exactly 32 bytes (base64)");
        }
        let cipher = XChaCha20Poly1305::new_from_slice(credentials_key)
            .map_err(|_| anyhow::anyhow!("bad credentials key"))?;
        let cursor = hmac_sha256(&jwt, b"switchboard cursor key");
        Ok(Keys {
            jwt,
            cipher,
            cursor,
        })
    }

    /// Fresh random keys (tests, in-memory databases).
    pub fn random() -> Keys {
        let mut jwt = vec![0u8; 48];
        let mut creds = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut jwt);
        rand::thread_rng().fill_bytes(&mut creds);
        // Both lengths are right by construction.
        Keys::from_bytes(jwt, &creds).unwrap_or_else(|_| unreachable!())
    }

    pub fn jwt_secret(&self) -> &[u8] {
        &self.jwt
    }

    /// nonce ‖ ciphertext of `plaintext`, bound to (organization, source, purpose).
    pub fn seal(&self, org_id: i64, source_id: i64, purpose: Purpose, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let aad = associated_data(org_id, source_id, purpose);
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens what `seal` made for the same (organization, source, purpose), or fails.
    pub fn open(
        &self,
        org_id: i64,
        source_id: i64,
        purpose: Purpose,
        sealed: &[u8],
    ) -> anyhow::Result<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            bail!("sealed value too short");
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let aad = associated_data(org_id, source_id, purpose);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("sealed value does not open for this source"))
    }

    /// A short MAC over a cursor's payload.
    pub fn cursor_mac(&self, payload: &[u8]) -> [u8; 32] {
        hmac_sha256(&self.cursor, payload)
    }
}

fn associated_data(org_id: i64, source_id: i64, purpose: Purpose) -> String {
    format!(
        "switchboard/{}/org:{org_id}/source:{source_id}",
        purpose.label()
    )
}

pub fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// A key from its setting, else from (or into) a file beside the SQLite database.
fn resolve(
    setting: Option<&SecretString>,
    variable: &str,
    sqlite_file: Option<&Path>,
    suffix: &str,
    is_sqlite: bool,
) -> anyhow::Result<Vec<u8>> {
    if let Some(value) = setting {
        return STANDARD
            .decode(value.expose_secret().trim())
            .with_context(|| format!("{variable} must be base64"));
    }
    if !is_sqlite {
        bail!("{variable} is required with PostgreSQL (base64 of random bytes; see README)");
    }
    let Some(db_file) = sqlite_file else {
        // An in-memory database lives only as long as the process: so may its keys.
        let mut key = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        return Ok(key);
    };
    let mut name = db_file.as_os_str().to_owned();
    name.push(format!(".{suffix}"));
    let path = std::path::PathBuf::from(name);
    if path.exists() {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        return STANDARD
            .decode(text.trim())
            .with_context(|| format!("{} must hold base64", path.display()));
    }
    let mut key = vec![0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    write_private(&path, &STANDARD.encode(&key))?;
    tracing::info!(path = %path.display(), "generated a key file");
    Ok(key)
}

fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(())
}
