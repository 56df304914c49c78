//! A small reader of an answer's JSON into hand-written types, for operations whose generated
//! types would cost a `serde` reader each (field visitor, map and sequence visitors): a
//! [`from_json!`] struct is read by looking its fields up in the `Value`, a few calls per
//! field. Field names are the Rust ones; the JSON name is their camelCase ([`field`]), with
//! graphql_client's trailing `_` of keywords (`type_`) left out.
//! Enums keep the generated types' own (small) string readers ([`via_serde!`]).

use super::ApiError;
use serde_json::Value;

/// A type read from an answer's JSON; `None` when the JSON has another shape.
pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Option<Self>;
}

/// Reads operation data (from [`crate::session::Session::run`]) into `T`.
pub fn read<T: FromJson>(data: &Value) -> Result<T, ApiError> {
    T::from_json(data).ok_or_else(unreadable)
}

pub fn unreadable() -> ApiError {
    ApiError::Network("unreadable answer".to_owned())
}

/// Field `name` (snake_case, as in Rust) of an object: its camelCase member, or null.
pub fn field<'a>(value: &'a Value, name: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    // `type_`: graphql_client's name for `type`.
    let name = name.strip_suffix('_').unwrap_or(name);
    let mut camel = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            camel.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            camel.push(c);
        }
    }
    value.get(&camel).unwrap_or(&NULL)
}

impl FromJson for String {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_str().map(str::to_owned)
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_i64()
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_f64()
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_bool()
    }
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Option<Self> {
        Some(value.clone())
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            _ => T::from_json(value).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Option<Self> {
        value.as_array()?.iter().map(T::from_json).collect()
    }
}

/// A struct and its [`FromJson`]: each field is read from the member
/// named its camelCase.
macro_rules! from_json {
    ($(
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)?
        }
    )*) => {$(
        $(#[$meta])*
        $vis struct $name {
            $($(#[$fmeta])* $fvis $field: $ty),*
        }

        impl $crate::api::json::FromJson for $name {
            fn from_json(value: &serde_json::Value) -> Option<Self> {
                Some(Self {
                    $($field: $crate::api::json::FromJson::from_json(
                        $crate::api::json::field(value, stringify!($field)),
                    )?),*
                })
            }
        }
    )*};
}

/// [`FromJson`] for types that are read by their `serde` reader (the generated enums).
macro_rules! via_serde {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::api::json::FromJson for $ty {
            fn from_json(value: &serde_json::Value) -> Option<Self> {
                // From the string itself: the generated readers take a `String`, and this
                // keeps serde_json's `Value` deserializer out of the app.
                serde::Deserialize::deserialize(serde::de::value::StrDeserializer::<
                    serde::de::value::Error,
                >::new(value.as_str()?))
                .ok()
            }
        }
    )*};
}
