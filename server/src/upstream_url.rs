//! Which upstream addresses a source may point at. 169.254.0.0/16 (cloud metadata) is always
//! refused; with `SWITCHBOARD_BLOCK_PRIVATE_UPSTREAMS` loopback, private and link-local
//! addresses are refused too (connectors check again after name resolution).

use std::net::IpAddr;

use reqwest::Url;

use crate::error::{ApiError, ApiResult};

/// A base URL as stored: http(s), a host, no credentials, query or fragment, no trailing slash.
pub fn validate(raw: &str, block_private: bool, field: &str) -> ApiResult<String> {
    let bad = |msg: &str| ApiError::bad_input(field, msg);
    let url = Url::parse(raw.trim()).map_err(|_| bad("not a URL; copy it as https://host/path"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("only http and https URLs are allowed"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "put credentials in the credentials field, not in the URL",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("a base URL has no query or fragment"));
    }
    let host = url.host_str().ok_or_else(|| bad("the URL has no host"))?;
    let ip = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok();
    if let Some(ip) = ip {
        check_ip(ip, block_private).map_err(|msg| bad(&msg))?;
    } else if block_private
        && (host.eq_ignore_ascii_case("localhost") || host.ends_with(".localhost"))
    {
        return Err(bad("loopback addresses are not allowed on this server"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Whether an address may be reached: never link-local metadata; private ones only when allowed.
pub fn check_ip(ip: IpAddr, block_private: bool) -> Result<(), String> {
    let link_local = match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    };
    if let IpAddr::V4(v4) = ip {
        if v4.octets()[0] == 169 && v4.octets()[1] == 254 {
            return Err("link-local addresses (169.254.0.0/16) are never allowed".into());
        }
    }
    if block_private {
        let private = match ip {
            IpAddr::V4(v4) => {
                v4.is_loopback() || v4.is_private() || v4.is_unspecified() || link_local
            }
            IpAddr::V6(v6) => {
                v6.is_loopback()
                    || v6.is_unspecified()
                    || (v6.segments()[0] & 0xfe00) == 0xfc00
                    || link_local
            }
        };
        if private {
            return Err(
                "loopback, private and link-local addresses are not allowed on this server".into(),
            );
        }
    }
    Ok(())
}

/// scheme://host:port of a URL, for same-origin checks.
pub fn origin(raw: &str) -> String {
    Url::parse(raw)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}
