//! The event handlers' JSON (what sampleevh POSTs and wsevh sends), read
//! into the few facts the ledger needs.

use serde::Deserialize;
use serde_json::Value;

/// One event as an event handler delivers it.
#[derive(Debug, Deserialize)]
pub(super) struct Raw {
    /// The server's name (`emitter`); session ids are unique per server.
    #[serde(default)]
    pub emitter: Option<String>,
    #[serde(rename = "type")]
    pub kind: u32,
    #[serde(default)]
    pub subtype: Option<u32>,
    #[serde(default)]
    pub session_id: Option<u64>,
    #[serde(default)]
    pub handle_id: Option<u64>,
    #[serde(default)]
    pub event: Value,
}

/// What one event says, as far as the ledger cares.
#[derive(Debug, PartialEq)]
pub(super) enum Fact {
    SessionCreated {
        transport: Option<String>,
        instance: Option<String>,
    },
    SessionDestroyed,
    SessionTimeout,
    HandleAttached {
        plugin: Option<String>,
    },
    HandleDetached,
    TransportDisconnected {
        instance: String,
    },
    ServerStarted,
    /// Anything else (media, plugin, JSEP, WebRTC, requests, ...).
    Other,
}

/// The ids of a value that Janus writes as a number or a string.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Raw {
    pub(super) fn fact(&self) -> Fact {
        let name = self.event.get("name").and_then(Value::as_str);
        match (self.kind, name) {
            (1, Some("created")) => {
                let t = self.event.get("transport");
                Fact::SessionCreated {
                    transport: t
                        .and_then(|t| t.get("transport"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    instance: t.and_then(|t| t.get("id")).and_then(text),
                }
            }
            (1, Some("destroyed")) => Fact::SessionDestroyed,
            (1, Some("timeout")) => Fact::SessionTimeout,
            (2, Some("attached")) => Fact::HandleAttached {
                plugin: self
                    .event
                    .get("plugin")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            },
            (2, Some("detached")) => Fact::HandleDetached,
            (128, _) => {
                let data = self.event.get("data");
                let what = data.and_then(|d| d.get("event")).and_then(Value::as_str);
                match (what, self.event.get("id").and_then(text)) {
                    (Some("disconnected"), Some(instance)) => {
                        Fact::TransportDisconnected { instance }
                    }
                    _ => Fact::Other,
                }
            }
            (256, _) if self.subtype == Some(1) => Fact::ServerStarted,
            _ => Fact::Other,
        }
    }
}

/// The events of one delivery: one object, or an array of them (grouping
/// on). Elements that are not events are skipped and counted.
pub(super) fn decode(body: &[u8]) -> Result<(Vec<Raw>, usize), serde_json::Error> {
    let value: Value = serde_json::from_slice(body)?;
    let items = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    let mut skipped = 0;
    let events = items
        .into_iter()
        .filter_map(|v| match serde_json::from_value(v) {
            Ok(e) => Some(e),
            Err(_) => {
                skipped += 1;
                None
            }
        })
        .collect();
    Ok((events, skipped))
}
