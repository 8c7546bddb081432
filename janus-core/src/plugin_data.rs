//! A plugin's `plugindata.data`, kept as the server sent it until asked for.

use crate::error::PluginError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;
use std::fmt;
use std::ops::Deref;
use std::sync::OnceLock;

/// The `plugindata.data` object of a plugin reply or event.
///
/// The engine keeps the JSON text as received and parses it only when it is
/// looked at: through `Deref` to a [`serde_json::Value`] (parsed once, on
/// first use, then cached), or straight into a typed struct with
/// [`parse`](Self::parse).
///
/// ```
/// use janus_core::PluginData;
/// use serde_json::json;
///
/// let data = PluginData::from(json!({"echotest": "event", "result": "ok"}));
/// assert_eq!(data["result"], "ok");
/// assert_eq!(data, json!({"echotest": "event", "result": "ok"}));
/// assert_eq!(data.as_json(), r#"{"echotest":"event","result":"ok"}"#);
/// ```
pub struct PluginData {
    raw: Box<RawValue>,
    /// Boxed so that a `PluginData` (and every reply and event holding one)
    /// stays small until someone asks for the value.
    value: OnceLock<Box<Value>>,
}

impl PluginData {
    /// Wraps JSON text already known to be valid.
    pub(crate) fn from_raw(raw: Box<RawValue>) -> Self {
        Self {
            raw,
            value: OnceLock::new(),
        }
    }

    /// `null`, for a `plugindata` without `data`.
    pub(crate) fn null() -> Self {
        Self::from(Value::Null)
    }

    /// The JSON text, exactly as the server sent it.
    pub fn as_json(&self) -> &str {
        self.raw.get()
    }

    /// Parses the data into a type of the caller's choosing.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.raw.get())
    }

    /// The data as a [`serde_json::Value`] (a copy).
    pub fn to_value(&self) -> Value {
        self.value().clone()
    }

    /// The data as a [`serde_json::Value`], without a copy if it was already parsed.
    pub fn into_value(self) -> Value {
        let raw = self.raw;
        self.value
            .into_inner()
            .map_or_else(|| parse_value(raw.get()), |v| *v)
    }

    fn value(&self) -> &Value {
        self.value
            .get_or_init(|| Box::new(parse_value(self.raw.get())))
    }

    /// The plugin's failure, when the data carries an `error_code` (an
    /// integer): plugins report errors inside a Janus `success` or `event`.
    pub(crate) fn plugin_error(&self, plugin: &str) -> Option<PluginError> {
        let text = self.raw.get();
        // Without the key written out (or an escape that could spell it),
        // there is no error: no need to parse.
        if !mentions(text, b"error_code") && !text.as_bytes().contains(&b'\\') {
            return None;
        }
        let data = self.value();
        let code = data.get("error_code")?.as_i64()?;
        Some(PluginError {
            plugin: plugin.to_owned(),
            code,
            reason: data
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            data: data.clone(),
        })
    }
}

/// Whether `word` appears in `text` (a plain scan: the texts are short, and
/// building a substring searcher costs more than the search).
fn mentions(text: &str, word: &[u8]) -> bool {
    let (bytes, mut from) = (text.as_bytes(), 0);
    while let Some(at) = bytes[from..].iter().position(|&b| b == word[0]) {
        if bytes[from + at..].starts_with(word) {
            return true;
        }
        from += at + 1;
    }
    false
}

/// Text a `RawValue` accepted is valid JSON; `Null` covers the impossible.
fn parse_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

impl Deref for PluginData {
    type Target = Value;

    /// The data as a [`serde_json::Value`], parsed on first use.
    fn deref(&self) -> &Value {
        self.value()
    }
}

impl Clone for PluginData {
    fn clone(&self) -> Self {
        Self {
            raw: self.raw.clone(),
            value: self.value.clone(),
        }
    }
}

impl fmt::Debug for PluginData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PluginData").field(&self.as_json()).finish()
    }
}

impl fmt::Display for PluginData {
    /// The JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_json())
    }
}

impl PartialEq for PluginData {
    /// Equal JSON values (whatever the spacing or key order of the text).
    fn eq(&self, other: &Self) -> bool {
        self.as_json() == other.as_json() || self.value() == other.value()
    }
}

impl PartialEq<Value> for PluginData {
    fn eq(&self, other: &Value) -> bool {
        self.value() == other
    }
}

impl PartialEq<PluginData> for Value {
    fn eq(&self, other: &PluginData) -> bool {
        self == other.value()
    }
}

impl From<Value> for PluginData {
    fn from(value: Value) -> Self {
        // Serializing a `Value` cannot fail.
        let raw = serde_json::value::to_raw_value(&value)
            .unwrap_or_else(|_| RawValue::from_string("null".into()).expect("valid JSON"));
        Self {
            raw,
            value: OnceLock::from(Box::new(value)),
        }
    }
}

impl From<PluginData> for Value {
    fn from(data: PluginData) -> Self {
        data.into_value()
    }
}

impl Serialize for PluginData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PluginData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(Self::from_raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn raw(text: &str) -> PluginData {
        PluginData::from_raw(RawValue::from_string(text.into()).unwrap())
    }

    #[test]
    fn parses_on_demand_and_compares_by_value() {
        let d = raw(r#"{ "result" : "ok", "n": 1 }"#);
        assert_eq!(d.as_json(), r#"{ "result" : "ok", "n": 1 }"#);
        assert_eq!(d["result"], "ok");
        assert_eq!(d, raw(r#"{"n":1,"result":"ok"}"#));
        assert_eq!(d, json!({"n": 1, "result": "ok"}));
        assert_eq!(json!({"n": 1, "result": "ok"}), d);
        #[derive(serde::Deserialize)]
        struct R {
            n: u32,
        }
        assert_eq!(d.parse::<R>().unwrap().n, 1);
        assert_eq!(d.clone().into_value(), json!({"n": 1, "result": "ok"}));
        assert_eq!(d.to_string(), r#"{ "result" : "ok", "n": 1 }"#);
        fn send_sync<T: Send + Sync>() {}
        send_sync::<PluginData>();
    }

    #[test]
    fn finds_plugin_errors_however_the_key_is_written() {
        assert!(raw(r#"{"result":"ok"}"#).plugin_error("p").is_none());
        let e = raw(r#"{"error_code":423,"error":"Unknown request"}"#)
            .plugin_error("p")
            .unwrap();
        assert_eq!((e.code, e.reason.as_str()), (423, "Unknown request"));
        let e = raw(r#"{"error\u005fcode":5}"#).plugin_error("p").unwrap();
        assert_eq!(e.code, 5);
        assert!(raw(r#"{"error_code":"x"}"#).plugin_error("p").is_none());
    }
}
