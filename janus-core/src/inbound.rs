//! Inbound decoding: a WebSocket frame or HTTP body becomes typed Janus
//! [`Message`]s, read in one pass with borrowed strings. Nested parts the
//! engine may not need (`plugindata.data`, `jsep`, candidates, the whole
//! message for events kept raw) stay as borrowed JSON text until asked for.
//!
//! Leniency is part of the contract: a field of the wrong type counts as
//! absent, as it did when messages were read as `serde_json::Value`s.

use crate::error::{JanusError, ProtocolError};
use crate::plugin_data::PluginData;
use crate::types::{Candidate, HandleEvent, Jsep, ServerInfo, Trickle};
use serde_json::{Map, Value};
use std::borrow::Cow;

mod fields;

use fields::{for_each_field, scalar, Fields, Item, PluginPart, Scalar};

/// The `janus` field: what a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Success,
    Ack,
    Error,
    ServerInfo,
    Pong,
    Event,
    WebrtcUp,
    Media,
    Slowlink,
    Hangup,
    Trickle,
    Detached,
    Timeout,
    Keepalive,
    /// A kind this crate does not know (kept whole).
    Other,
}

impl Kind {
    pub(super) fn of(name: &str) -> Kind {
        match name {
            "success" => Kind::Success,
            "ack" => Kind::Ack,
            "error" => Kind::Error,
            "server_info" => Kind::ServerInfo,
            "pong" => Kind::Pong,
            "event" => Kind::Event,
            "webrtcup" => Kind::WebrtcUp,
            "media" => Kind::Media,
            "slowlink" => Kind::Slowlink,
            "hangup" => Kind::Hangup,
            "trickle" => Kind::Trickle,
            "detached" => Kind::Detached,
            "timeout" => Kind::Timeout,
            "keepalive" => Kind::Keepalive,
            _ => Kind::Other,
        }
    }

    /// The wire name (for error messages).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Success => "success",
            Kind::Ack => "ack",
            Kind::Error => "error",
            Kind::ServerInfo => "server_info",
            Kind::Pong => "pong",
            Kind::Event => "event",
            Kind::WebrtcUp => "webrtcup",
            Kind::Media => "media",
            Kind::Slowlink => "slowlink",
            Kind::Hangup => "hangup",
            Kind::Trickle => "trickle",
            Kind::Detached => "detached",
            Kind::Timeout => "timeout",
            Kind::Keepalive => "keepalive",
            Kind::Other => "unknown",
        }
    }
}

/// The `transaction` field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Transaction<'a> {
    /// No `transaction` at all.
    Absent,
    /// A string.
    Text(Cow<'a, str>),
    /// Present, but not a string.
    NotText,
}

impl Transaction<'_> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Transaction::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// One Janus message.
#[derive(Debug)]
pub(crate) struct Message<'a> {
    /// What it is.
    pub(crate) kind: Kind,
    /// Its transaction.
    pub(crate) transaction: Transaction<'a>,
    /// `session_id`.
    pub(crate) session: Option<u64>,
    /// `sender`: the handle it comes from.
    pub(crate) sender: Option<u64>,
    fields: &'a Fields<'a>,
    /// The whole message, as received.
    raw: &'a str,
}

impl<'a> Message<'a> {
    /// The whole message as a JSON value (for messages reported whole).
    pub(crate) fn to_value(&self) -> Value {
        serde_json::from_str(self.raw).unwrap_or(Value::Null)
    }

    /// The fields of an Admin API `success`: all but `janus` and `transaction`.
    pub(crate) fn admin_fields(&self) -> Map<String, Value> {
        let mut map = self.body_map();
        map.remove("transaction");
        map
    }

    /// The message's fields other than `janus`.
    fn body_map(&self) -> Map<String, Value> {
        match self.to_value() {
            Value::Object(mut map) => {
                map.remove("janus");
                map
            }
            _ => Map::new(),
        }
    }

    /// `data.id` of a `success` (the new session or handle).
    pub(crate) fn data_id(&self) -> Option<u64> {
        self.fields.data_id
    }

    /// `error: {code, reason}` of an `error`.
    pub(crate) fn error(&self) -> Result<JanusError, ProtocolError> {
        let (mut code, mut reason) = (None, None);
        let is_object = self.fields.error.is_some_and(|e| {
            for_each_field(e.get(), |k, v| match k {
                "code" => code = Some(scalar(v.get())),
                "reason" => reason = Some(scalar(v.get())),
                _ => {}
            })
        });
        if !is_object {
            return Err(malformed("error reply without an `error` object"));
        }
        let code = code
            .and_then(|c| c.as_u64())
            .and_then(|c| u16::try_from(c).ok())
            .ok_or_else(|| malformed("error reply without a numeric `error.code`"))?;
        let reason = reason.as_ref().and_then(Scalar::as_str).unwrap_or_default();
        Ok(JanusError::new(code, reason))
    }

    /// Whether the message has a `plugindata` field.
    pub(crate) fn has_plugindata(&self) -> bool {
        self.fields.plugindata.is_some()
    }

    /// `plugindata: {plugin, data}`; `data` stays raw.
    pub(crate) fn plugindata(&self) -> Result<(String, PluginData), ProtocolError> {
        let Some(PluginPart(Some((plugin, data)))) = &self.fields.plugindata else {
            return Err(malformed("missing `plugindata` object"));
        };
        let plugin = match plugin {
            Some(Scalar::Str(s)) => s.to_string(),
            _ => return Err(malformed("missing `plugindata.plugin`")),
        };
        let data = match data {
            Some(raw) => PluginData::from_raw((*raw).to_owned()),
            None => PluginData::null(),
        };
        Ok((plugin, data))
    }

    /// The optional `jsep`.
    pub(crate) fn jsep(&self) -> Result<Option<Jsep>, ProtocolError> {
        match self.fields.jsep {
            None => Ok(None),
            Some(raw) if raw.get() == "null" => Ok(None),
            Some(raw) => serde_json::from_str(raw.get())
                .map(Some)
                .map_err(|e| ProtocolError::Malformed(format!("invalid `jsep`: {e}"))),
        }
    }

    /// A trickle event's `candidate` or `candidates`.
    pub(crate) fn trickle(&self) -> Result<Trickle, ProtocolError> {
        let bad = |e: serde_json::Error| ProtocolError::Malformed(format!("invalid trickle: {e}"));
        if let Some(c) = self.fields.candidate {
            let mut completed = false;
            for_each_field(c.get(), |k, v| {
                if k == "completed" {
                    completed = scalar(v.get()).as_bool() == Some(true);
                }
            });
            if completed {
                return Ok(Trickle::Completed);
            }
            return serde_json::from_str::<Candidate>(c.get())
                .map(Trickle::Candidate)
                .map_err(bad);
        }
        if let Some(cs) = self.fields.candidates {
            return serde_json::from_str(cs.get())
                .map(Trickle::Candidates)
                .map_err(bad);
        }
        Err(malformed("trickle without `candidate` or `candidates`"))
    }

    /// The handle event of a `webrtcup`, `media`, `slowlink` or `hangup`
    /// message (their fields are read from the message's text here, as
    /// they are needed).
    pub(crate) fn media_event(&self) -> HandleEvent {
        let (mut mid, mut kind, mut media, mut reason) = (None, None, None, None);
        let (mut receiving, mut uplink, mut lost) = (None, None, None);
        for_each_field(self.raw, |k, v| {
            let slot = match k {
                "mid" => &mut mid,
                "type" => &mut kind,
                "media" => &mut media,
                "reason" => &mut reason,
                "receiving" => &mut receiving,
                "uplink" => &mut uplink,
                "lost" => &mut lost,
                _ => return,
            };
            *slot = Some(scalar(v.get()));
        });
        let text = |s: Option<Scalar<'_>>| s.as_ref().and_then(Scalar::as_str).map(str::to_owned);
        let flag = |s: Option<Scalar<'_>>| s.as_ref().and_then(Scalar::as_bool).unwrap_or(false);
        match self.kind {
            Kind::Media => HandleEvent::Media {
                mid: text(mid),
                kind: text(kind),
                receiving: flag(receiving),
                raw: Value::Object(self.body_map()),
            },
            Kind::Slowlink => HandleEvent::Slowlink {
                mid: text(mid),
                media: text(media),
                uplink: flag(uplink),
                lost: lost.as_ref().and_then(Scalar::as_u64).unwrap_or(0),
            },
            Kind::Hangup => HandleEvent::Hangup {
                reason: text(reason),
            },
            _ => HandleEvent::WebrtcUp,
        }
    }

    /// A `server_info` reply.
    pub(crate) fn server_info(&self) -> ServerInfo {
        let map = self.body_map();
        let id = |k: &str| map.get(k).and_then(Value::as_u64);
        let flag = |k: &str| map.get(k).and_then(Value::as_bool);
        ServerInfo {
            version: id("version"),
            version_string: map
                .get("version_string")
                .and_then(Value::as_str)
                .map(str::to_owned),
            session_timeout: id("session-timeout"),
            reclaim_session_timeout: id("reclaim-session-timeout"),
            api_secret: flag("api_secret"),
            auth_token: flag("auth_token"),
            plugins: map
                .get("plugins")
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default(),
            raw: Value::Object(map),
        }
    }
}

fn malformed(what: &str) -> ProtocolError {
    ProtocolError::Malformed(what.to_owned())
}

/// Decodes a frame or body into its messages (several objects may share one
/// WebSocket frame; a long poll with `maxev` ≥ 2 answers an array), handing
/// each to `each` in order: a message, or what was wrong with it (a message
/// without a `janus` string; the others still count). `Err`: the input
/// cannot be read any further (messages before the bad part were handed on).
pub(crate) fn decode(
    bytes: &[u8],
    each: impl FnMut(Result<Message<'_>, ProtocolError>),
) -> Result<(), ProtocolError> {
    // Text checked once up front is read without checking it again; bytes
    // that are not UTF-8 take the path that checks each message (the
    // messages before the bad one still count, as before).
    match std::str::from_utf8(bytes) {
        Ok(text) => read(
            serde_json::Deserializer::from_str(text).into_iter(),
            bytes,
            Some(text),
            each,
        ),
        Err(_) => read(
            serde_json::Deserializer::from_slice(bytes).into_iter(),
            bytes,
            None,
            each,
        ),
    }
}

/// Reads the messages of a frame; `text`: the frame, known to be UTF-8.
fn read<'a, R: serde_json::de::Read<'a>>(
    mut stream: serde_json::StreamDeserializer<'a, R, Item<'a>>,
    bytes: &'a [u8],
    text: Option<&'a str>,
    mut each: impl FnMut(Result<Message<'_>, ProtocolError>),
) -> Result<(), ProtocolError> {
    let mut any = false;
    loop {
        let offset = stream.byte_offset();
        match stream.next() {
            None => break,
            Some(Err(e)) => {
                return Err(ProtocolError::InvalidJson {
                    offset,
                    detail: e.to_string(),
                })
            }
            Some(Ok(Item::Object(mut fields))) => {
                any = true;
                let range = offset..stream.byte_offset();
                // Skipped fields are not checked for UTF-8 by the parser.
                let raw = match text {
                    Some(text) => text.get(range),
                    None => std::str::from_utf8(&bytes[range]).ok(),
                };
                let Some(raw) = raw else {
                    return Err(ProtocolError::InvalidJson {
                        offset,
                        detail: "invalid UTF-8".into(),
                    });
                };
                each(fields.message(raw.trim_start()));
            }
            Some(Ok(Item::Array(items))) => {
                any = true;
                for item in items {
                    match serde_json::from_str::<Item<'a>>(item.get()) {
                        Ok(Item::Object(mut fields)) => each(fields.message(item.get())),
                        Ok(other) => {
                            return Err(ProtocolError::Malformed(format!(
                                "array element is not an object: {}",
                                other.describe()
                            )))
                        }
                        Err(e) => {
                            return Err(ProtocolError::InvalidJson {
                                offset,
                                detail: e.to_string(),
                            })
                        }
                    }
                }
            }
            Some(Ok(other)) => {
                return Err(ProtocolError::Malformed(format!(
                    "message is not an object: {}",
                    other.describe()
                )))
            }
        }
    }
    if any {
        Ok(())
    } else {
        Err(malformed("empty message"))
    }
}

impl<'a> Fields<'a> {
    /// The message these fields are part of; `raw` is its text.
    fn message<'m>(&'m mut self, raw: &'m str) -> Result<Message<'m>, ProtocolError> {
        let Some(Some(kind)) = self.kind else {
            return Err(malformed("message without a `janus` string"));
        };
        let transaction = match self.transaction.take() {
            None => Transaction::Absent,
            Some(Scalar::Str(t)) => Transaction::Text(t),
            Some(_) => Transaction::NotText,
        };
        let fields: &'m Fields<'m> = self;
        Ok(Message {
            kind,
            transaction,
            session: fields.session_id,
            sender: fields.sender,
            fields,
            raw,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(bytes: &[u8]) -> (Vec<Result<Kind, ProtocolError>>, Result<(), ProtocolError>) {
        let mut seen = Vec::new();
        let r = decode(bytes, |m| seen.push(m.map(|m| m.kind)));
        (seen, r)
    }

    #[test]
    fn splits_concatenated_objects_and_arrays() {
        let (seen, r) =
            kinds(br#"{"janus":"ack"}{"janus":"pong"} [{"janus":"event"},{"janus":"x"}]"#);
        r.unwrap();
        let seen: Vec<Kind> = seen.into_iter().map(Result::unwrap).collect();
        assert_eq!(seen, [Kind::Ack, Kind::Pong, Kind::Event, Kind::Other]);
        assert!(matches!(
            kinds(b"{\"a\":").1,
            Err(ProtocolError::InvalidJson { offset: 0, .. })
        ));
        assert!(matches!(kinds(b"[1]").1, Err(ProtocolError::Malformed(_))));
        assert!(kinds(b"  ").1.is_err());
        assert!(matches!(
            kinds(b"{}").0[..],
            [Err(ProtocolError::Malformed(_))]
        ));
        // Invalid UTF-8 in a skipped field is still invalid.
        assert!(matches!(
            kinds(b"{\"janus\":\"ack\",\"x\":\"\xff\"}").1,
            Err(ProtocolError::InvalidJson { .. })
        ));
    }

    #[test]
    fn reads_fields_leniently_and_borrows_strings() {
        let text = br#"{"janus":"event","transaction":"t\"1","session_id":-1,"sender":7,
            "plugindata":{"plugin":"p","data":{"a":1}},"jsep":null}"#;
        let mut out = None;
        decode(text, |m| {
            out = Some(m.unwrap().transaction.as_str().map(str::to_owned))
        })
        .unwrap();
        assert_eq!(out.unwrap().as_deref(), Some("t\"1"));
        decode(text, |m| {
            let m = m.unwrap();
            assert_eq!((m.session, m.sender), (None, Some(7)));
            let (plugin, data) = m.plugindata().unwrap();
            assert_eq!((plugin.as_str(), data.as_json()), ("p", r#"{"a":1}"#));
            assert_eq!(m.jsep().unwrap(), None);
        })
        .unwrap();
        decode(
            br#"{"janus":"error","transaction":5,"error":{"code":458,"reason":"No"}}"#,
            |m| {
                let m = m.unwrap();
                assert_eq!(m.transaction, Transaction::NotText);
                assert_eq!(m.error().unwrap().code, 458);
            },
        )
        .unwrap();
    }
}
