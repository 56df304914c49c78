//! A provider's error answer in words a person can act on: the message its body carries, or
//! its status.

use reqwest::StatusCode;
use serde_json::Value;

/// The provider's own message when its body has one, else the status. Bodies vary between
/// providers and endpoints (docs/CONNECTORS.md §1.4, §2.5): `error`, else `message`, else
/// `errors` (each a string or a list); an HTML page is reduced to the status; other text
/// (plain, XML) is kept, cut at 200 characters.
pub fn provider_words(body: &str, status: StatusCode) -> String {
    let body = body.trim();
    // An HTML error page says nothing a person can act on (XML, e.g. a SOAP fault, is kept
    // for the connector that reads it).
    let head = body.get(..14).unwrap_or(body).to_ascii_lowercase();
    if head.starts_with("<html") || head.starts_with("<!doctype html") {
        return status.to_string();
    }
    let said = serde_json::from_str::<Value>(body).ok().and_then(|json| {
        ["error", "message", "errors"]
            .iter()
            .find_map(|key| match json.get(key)? {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                Value::Array(items) if !items.is_empty() => Some(
                    items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                _ => None,
            })
    });
    match said
        .or_else(|| Some(body.chars().take(200).collect::<String>()).filter(|s| !s.is_empty()))
    {
        Some(m) => format!("{status}: {m}"),
        None => status.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::provider_words;
    use reqwest::StatusCode;

    #[test]
    fn error_bodies_read_as_words() {
        let w = provider_words(r#"{"error":"Not authorized."}"#, StatusCode::UNAUTHORIZED);
        assert_eq!(w, "401 Unauthorized: Not authorized.");
        let list = provider_words(
            r#"{"message":["Vendor is blank","Value is blank"]}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
        assert_eq!(
            list,
            "422 Unprocessable Entity: Vendor is blank; Value is blank"
        );
        assert_eq!(
            provider_words("<html>oops</html>", StatusCode::INTERNAL_SERVER_ERROR),
            "500 Internal Server Error"
        );
        let cw = provider_words(
            r#"{"code":"ConnectWiseApi","message":"The endpoint does not exist."}"#,
            StatusCode::NOT_FOUND,
        );
        assert_eq!(cw, "404 Not Found: The endpoint does not exist.");
        assert_eq!(
            provider_words(
                "Cannot route. Codebase/company is invalid",
                StatusCode::NOT_FOUND
            ),
            "404 Not Found: Cannot route. Codebase/company is invalid"
        );
        assert_eq!(
            provider_words("", StatusCode::BAD_GATEWAY),
            "502 Bad Gateway"
        );
    }
}
