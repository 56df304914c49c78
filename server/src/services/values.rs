//! Service field values: conversion of a JSON value to a field's data type (the table in
//! ../shared/api/SEMANTICS.md, "Field mappings") and the field's constraints (required,
//! maxLength, allowedValues). Used for values people type and for values synced from nodes
//! (`services::field_sync`), where a date-time becomes a DATE in the source's time zone.

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use entity::enums::FieldDataType;
use entity::service_type_field;
use serde_json::Value;

use crate::error::{ApiError, ApiResult};

/// Why a value does not fit a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Misfit {
    /// The value cannot become this data type (a sync marks it FAILED).
    Invalid(String),
    /// The value converts but a constraint refuses it (a sync marks it SKIPPED).
    NotAllowed(String),
}

impl Misfit {
    pub fn message(&self) -> &str {
        match self {
            Misfit::Invalid(m) | Misfit::NotAllowed(m) => m,
        }
    }
}

/// `value` converted to `data_type`. Null stays null. A date-time given for a DATE keeps the
/// date it names in its own offset (what a person typed is taken as they wrote it).
pub fn convert(data_type: FieldDataType, value: &Value) -> Result<Value, Misfit> {
    convert_in(data_type, value, None)
}

/// `convert`, with a date-time given for a DATE read in `zone` when one is given (a synced
/// node value: its date in the source's time zone, SEMANTICS "Field mappings").
pub fn convert_in(
    data_type: FieldDataType,
    value: &Value,
    zone: Option<Tz>,
) -> Result<Value, Misfit> {
    use FieldDataType as T;
    if value.is_null() {
        return Ok(Value::Null);
    }
    let text = || match value {
        Value::String(s) => Some(s.trim().to_owned()),
        _ => None,
    };
    let invalid = |what: &str| Misfit::Invalid(format!("{value} is not {what}"));
    match data_type {
        T::Text => Ok(Value::String(match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => other.to_string(),
        })),
        T::Json => Ok(value.clone()),
        T::Number => match value {
            Value::Number(_) => Ok(value.clone()),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map(|f| {
                    if f.fract() == 0.0 && f.abs() < 9.0e15 {
                        Value::from(f as i64)
                    } else {
                        Value::from(f)
                    }
                })
                .ok_or_else(|| invalid("a number")),
            _ => Err(invalid("a number")),
        },
        T::Boolean => match value {
            Value::Bool(_) => Ok(value.clone()),
            Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            _ => Err(invalid("true or false")),
        },
        T::Date => {
            let s = text().ok_or_else(|| invalid("a date"))?;
            if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
                return Ok(Value::String(d.format("%Y-%m-%d").to_string()));
            }
            DateTime::parse_from_rfc3339(&s)
                .map(|dt| match zone {
                    Some(tz) => dt.with_timezone(&tz).date_naive(),
                    None => dt.date_naive(),
                })
                .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
                .map_err(|_| invalid("a date (YYYY-MM-DD)"))
        }
        T::Datetime => {
            let s = text().ok_or_else(|| invalid("a date-time"))?;
            DateTime::parse_from_rfc3339(&s)
                .map(|dt| Value::String(dt.to_rfc3339()))
                .map_err(|_| invalid("a date-time with offset (RFC 3339)"))
        }
        T::Email => {
            let s = text().ok_or_else(|| invalid("an email address"))?;
            let ok = s
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.ends_with('.'))
                && !s.chars().any(char::is_whitespace);
            ok.then_some(Value::String(s))
                .ok_or_else(|| invalid("an email address"))
        }
        T::Phone => {
            let s = text().ok_or_else(|| invalid("a phone number"))?;
            let digits = s.chars().filter(char::is_ascii_digit).count();
            let allowed = s
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().x".contains(c));
            (allowed && (5..=20).contains(&digits))
                .then_some(Value::String(s))
                .ok_or_else(|| invalid("a phone number"))
        }
        T::Enum => match value {
            Value::String(s) => Ok(Value::String(s.trim().to_owned())),
            _ => Err(invalid("one of the allowed values")),
        },
    }
}

/// A converted value against the field's constraints; an allowed value takes its canonical case.
pub fn constrain(field: &service_type_field::Model, value: Value) -> Result<Value, Misfit> {
    if value.is_null() {
        return if field.required {
            Err(Misfit::NotAllowed("a value is required".into()))
        } else {
            Ok(Value::Null)
        };
    }
    if let Value::String(s) = &value {
        if let Some(max) = field.max_length {
            if s.chars().count() > max as usize {
                return Err(Misfit::NotAllowed(format!("longer than {max} characters")));
            }
        }
        if let Some(Value::Array(allowed)) = &field.allowed_values {
            let hit = allowed
                .iter()
                .filter_map(Value::as_str)
                .find(|a| a.eq_ignore_ascii_case(s));
            return match hit {
                Some(canonical) => Ok(Value::String(canonical.to_owned())),
                None => Err(Misfit::NotAllowed("value not allowed".into())),
            };
        }
    }
    Ok(value)
}

/// A value a person typed for `field`, or BAD_USER_INPUT naming `path`.
pub fn validate(field: &service_type_field::Model, value: &Value, path: &str) -> ApiResult<Value> {
    convert(field.data_type, value)
        .and_then(|v| constrain(field, v))
        .map_err(|m| ApiError::bad_input(path, format!("{}: {}", field.key, m.message())))
}
