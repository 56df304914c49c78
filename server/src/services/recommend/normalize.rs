//! Pure text work for recommendations: normalised names (lower-case, punctuation out, company
//! suffixes off), the index keys a name or an identifier yields, and name similarity.
//!
//! Keys carry a prefix per kind, so one indexed column holds them all:
//! `n:` the whole normalised name, `p:` two adjacent tokens, `t:` one token, `g:` a trigram of a
//! token, `f<field id>:` a normalised identifier value of one service field.

use entity::enums::FieldDataType;
use serde_json::Value;

/// Trailing words that say what kind of company a name is, not which one.
const COMPANY_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "pllc",
    "ltd",
    "limited",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "plc",
    "pty",
    "pc",
    "bv",
    "nv",
    "oy",
    "ab",
];

/// A name as comparable words: "Acme, Inc." and "ACME inc" are both `["acme"]`.
pub fn name_tokens(name: &str) -> Vec<String> {
    // Apostrophes join ("O'Brien" is one word); every other non-alphanumeric separates.
    let lower: String = name
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '\'' | '’'))
        .collect();
    let mut tokens: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    // "& Co." leaves "co" behind, then "Ltd": strip from the end while a word remains.
    while tokens.len() > 1
        && tokens
            .last()
            .is_some_and(|t| COMPANY_SUFFIXES.contains(&t.as_str()))
    {
        tokens.pop();
    }
    tokens
}

/// The keys a name is found by, most specific first.
pub fn name_keys(tokens: &[String]) -> Vec<String> {
    let mut keys = Vec::new();
    if tokens.is_empty() {
        return keys;
    }
    keys.push(format!("n:{}", tokens.join(" ")));
    for pair in tokens.windows(2) {
        keys.push(format!("p:{} {}", pair[0], pair[1]));
    }
    for token in tokens {
        if token.chars().count() >= 2 {
            keys.push(format!("t:{token}"));
        }
    }
    // Trigrams find a misspelt word; short words have too few to tell anything.
    for token in tokens {
        let chars: Vec<char> = token.chars().collect();
        if chars.len() >= 4 {
            for w in chars.windows(3) {
                keys.push(format!("g:{}", w.iter().collect::<String>()));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(k.clone()));
    keys
}

/// How alike two normalised names are, in 0..1: the best of edit distance on the names as
/// written, on their words sorted ("Plumbing Acme" = "Acme Plumbing"), and the share of words
/// in common (a name with an extra word stays close).
pub fn similarity(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let direct = strsim::normalized_levenshtein(&a.join(" "), &b.join(" "));
    let sorted = |t: &[String]| {
        let mut v = t.to_vec();
        v.sort();
        v.join(" ")
    };
    let reordered = strsim::normalized_levenshtein(&sorted(a), &sorted(b));
    let set_a: std::collections::HashSet<&String> = a.iter().collect();
    let set_b: std::collections::HashSet<&String> = b.iter().collect();
    let common = set_a.intersection(&set_b).count() as f64;
    let dice = 2.0 * common / (set_a.len() + set_b.len()) as f64;
    direct.max(reordered).max(dice)
}

/// A field value as an identifier two records can share, or `None` when it identifies nothing:
/// phone numbers by their last ten digits (so "+1 555…" equals "(555)…"), emails in lower
/// case, text (serial numbers, MAC addresses) as lower-case letters and digits, and only when
/// it has a digit or is a MAC address ("Active" is a state, not an identifier).
pub fn identifier(data_type: FieldDataType, value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    if text.is_empty() || text.chars().count() > 100 {
        return None;
    }
    match data_type {
        FieldDataType::Phone => {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            (digits.len() >= 5).then(|| digits[digits.len().saturating_sub(10)..].to_owned())
        }
        FieldDataType::Email => text.contains('@').then(|| text.to_lowercase()),
        FieldDataType::Text => {
            let alnum: String = text
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            let has_digit = alnum.chars().any(|c| c.is_ascii_digit());
            let mac = alnum.len() == 12
                && alnum.chars().all(|c| c.is_ascii_hexdigit())
                && text.len() > 12;
            (alnum.chars().count() >= 4 && (has_digit || mac)).then_some(alnum)
        }
        _ => None,
    }
}

/// The index key of an identifier value of one field.
pub fn field_key(field_id: i64, identifier: &str) -> String {
    format!("f{field_id}:{identifier}")
}

/// The field id of a `field_key`, if `key` is one.
pub fn field_of_key(key: &str) -> Option<i64> {
    key.strip_prefix('f')?.split_once(':')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn t(s: &str) -> Vec<String> {
        name_tokens(s)
    }

    #[test]
    fn names_lose_case_punctuation_and_company_suffixes() {
        assert_eq!(t("Acme, Inc."), vec!["acme"]);
        assert_eq!(t("ACME inc"), t("Acme Inc."));
        assert_eq!(t("Smith & Sons Co. Ltd"), vec!["smith", "sons"]);
        assert_eq!(t("O'Brien Plumbing"), vec!["obrien", "plumbing"]);
        // A name that is only a suffix keeps it.
        assert_eq!(t("Inc"), vec!["inc"]);
    }

    #[test]
    fn similarity_is_one_for_the_same_name_and_high_for_a_typo() {
        assert_eq!(
            similarity(&t("Acme Plumbing"), &t("ACME plumbing, LLC")),
            1.0
        );
        let typo = similarity(&t("Acme Plumbing"), &t("Acme Plumbng"));
        assert!(typo > 0.9 && typo < 1.0, "{typo}");
        assert_eq!(similarity(&t("Plumbing Acme"), &t("Acme Plumbing")), 1.0);
        let other = similarity(&t("Acme Dental"), &t("Bluewater Plumbing"));
        assert!(other < 0.5, "{other}");
    }

    #[test]
    fn identifiers_compare_by_kind() {
        use FieldDataType as T;
        assert_eq!(
            identifier(T::Phone, &json!("+1 (555) 010-0199")),
            identifier(T::Phone, &json!("555.010.0199"))
        );
        assert_eq!(
            identifier(T::Email, &json!(" Ann@Example.com")),
            Some("ann@example.com".into())
        );
        assert_eq!(
            identifier(T::Text, &json!("00:1A:2B:3C:4D:5E")),
            identifier(T::Text, &json!("001a.2b3c.4d5e"))
        );
        assert_eq!(
            identifier(T::Text, &json!("SN-12345")),
            Some("sn12345".into())
        );
        assert_eq!(identifier(T::Text, &json!("Active")), None);
        assert_eq!(identifier(T::Boolean, &json!(true)), None);
    }

    #[test]
    fn keys_name_the_whole_pairs_tokens_and_trigrams() {
        let keys = name_keys(&t("Acme Plumbing"));
        assert_eq!(keys[0], "n:acme plumbing");
        assert!(keys.contains(&"p:acme plumbing".to_owned()));
        assert!(keys.contains(&"t:plumbing".to_owned()));
        assert!(keys.contains(&"g:umb".to_owned()));
        assert_eq!(field_of_key(&field_key(42, "sn1")), Some(42));
        assert_eq!(field_of_key("t:f1"), None);
    }
}
