//! The JSON wire format: building requests, reading replies and events.

use crate::error::{JanusError, PluginError, ProtocolError};
use crate::types::{Candidate, Jsep, Request, ServerInfo, Trickle};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Serialize)]
#[serde(untagged)]
enum CandidateOut<'a> {
    One(&'a Candidate),
    Completed { completed: bool },
}

#[derive(Serialize)]
struct Envelope<'a> {
    janus: &'a str,
    transaction: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    handle_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plugin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opaque_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jsep: Option<&'a Jsep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    candidate: Option<CandidateOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    candidates: Option<&'a [Candidate]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    apisecret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
}

/// Where a request goes and who it is for.
pub(crate) struct Target {
    pub session: Option<u64>,
    pub handle: Option<u64>,
    /// Whether the ids go in the body (WebSocket) rather than the path (HTTP).
    pub ids_in_body: bool,
}

/// Serializes one request.
pub(crate) fn encode(
    req: &Request,
    transaction: &str,
    target: &Target,
    apisecret: Option<&str>,
    token: Option<&str>,
) -> String {
    let mut env = Envelope {
        janus: req.verb(),
        transaction,
        session_id: None,
        handle_id: None,
        id: None,
        plugin: None,
        opaque_id: None,
        body: None,
        jsep: None,
        candidate: None,
        candidates: None,
        apisecret,
        token,
    };
    if target.ids_in_body {
        env.session_id = target.session;
        env.handle_id = target.handle;
    }
    match req {
        Request::Create { id } => env.id = id.map(|s| s.0),
        Request::Attach {
            plugin, opaque_id, ..
        } => {
            env.plugin = Some(plugin);
            env.opaque_id = opaque_id.as_deref();
        }
        Request::Message { body, jsep, .. } => {
            env.body = Some(body);
            env.jsep = jsep.as_ref();
        }
        Request::Trickle { trickle, .. } => match trickle {
            Trickle::Candidate(c) => env.candidate = Some(CandidateOut::One(c)),
            Trickle::Candidates(cs) => env.candidates = Some(cs),
            Trickle::Completed => env.candidate = Some(CandidateOut::Completed { completed: true }),
        },
        _ => {}
    }
    // Serializing plain data with string keys cannot fail.
    serde_json::to_string(&env).unwrap_or_default()
}

/// Percent-encodes a query-string value.
pub(crate) fn query_escape(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(
                char::from_digit(u32::from(b >> 4), 16)
                    .unwrap_or('0')
                    .to_ascii_uppercase(),
            );
            out.push(
                char::from_digit(u32::from(b & 15), 16)
                    .unwrap_or('0')
                    .to_ascii_uppercase(),
            );
        }
    }
}

/// Splits a frame or body into its JSON messages (several objects may share
/// one WebSocket frame; a long poll with `maxev` ≥ 2 answers an array).
pub(crate) fn split_messages(
    bytes: &[u8],
    mut each: impl FnMut(Map<String, Value>),
) -> Result<(), ProtocolError> {
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<Value>();
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
            Some(Ok(Value::Object(map))) => {
                any = true;
                each(map);
            }
            Some(Ok(Value::Array(items))) => {
                any = true;
                for item in items {
                    match item {
                        Value::Object(map) => each(map),
                        other => {
                            return Err(ProtocolError::Malformed(format!(
                                "array element is not an object: {}",
                                kind_of(&other)
                            )))
                        }
                    }
                }
            }
            Some(Ok(other)) => {
                return Err(ProtocolError::Malformed(format!(
                    "message is not an object: {}",
                    kind_of(&other)
                )))
            }
        }
    }
    if any {
        Ok(())
    } else {
        Err(ProtocolError::Malformed("empty message".into()))
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads a Janus id (a JSON unsigned integer).
pub(crate) fn id_field(map: &Map<String, Value>, key: &str) -> Option<u64> {
    map.get(key).and_then(Value::as_u64)
}

pub(crate) fn str_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Reads `error: {code, reason}` of a Janus error message.
pub(crate) fn janus_error(map: &Map<String, Value>) -> Result<JanusError, ProtocolError> {
    let err = map
        .get("error")
        .and_then(Value::as_object)
        .ok_or_else(|| ProtocolError::Malformed("error reply without an `error` object".into()))?;
    let code = err
        .get("code")
        .and_then(Value::as_u64)
        .and_then(|c| u16::try_from(c).ok())
        .ok_or_else(|| {
            ProtocolError::Malformed("error reply without a numeric `error.code`".into())
        })?;
    let reason = err
        .get("reason")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(JanusError::new(code, reason))
}

/// Takes `plugindata: {plugin, data}` out of a message.
pub(crate) fn take_plugindata(
    map: &mut Map<String, Value>,
) -> Result<(String, Value), ProtocolError> {
    let Some(Value::Object(mut pd)) = map.remove("plugindata") else {
        return Err(ProtocolError::Malformed(
            "missing `plugindata` object".into(),
        ));
    };
    let plugin = match pd.remove("plugin") {
        Some(Value::String(s)) => s,
        _ => {
            return Err(ProtocolError::Malformed(
                "missing `plugindata.plugin`".into(),
            ))
        }
    };
    Ok((plugin, pd.remove("data").unwrap_or(Value::Null)))
}

/// Turns `data` with an `error_code` into a plugin error.
pub(crate) fn plugin_error(plugin: &str, data: &Value) -> Option<PluginError> {
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

/// Takes an optional `jsep` out of a message.
pub(crate) fn take_jsep(map: &mut Map<String, Value>) -> Result<Option<Jsep>, ProtocolError> {
    match map.remove("jsep") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v)
            .map(Some)
            .map_err(|e| ProtocolError::Malformed(format!("invalid `jsep`: {e}"))),
    }
}

/// Reads a trickle event's `candidate` or `candidates`.
pub(crate) fn parse_trickle(map: &mut Map<String, Value>) -> Result<Trickle, ProtocolError> {
    let bad = |e: serde_json::Error| ProtocolError::Malformed(format!("invalid trickle: {e}"));
    if let Some(c) = map.remove("candidate") {
        if c.get("completed").and_then(Value::as_bool) == Some(true) {
            return Ok(Trickle::Completed);
        }
        return serde_json::from_value(c)
            .map(Trickle::Candidate)
            .map_err(bad);
    }
    if let Some(cs) = map.remove("candidates") {
        return serde_json::from_value(cs)
            .map(Trickle::Candidates)
            .map_err(bad);
    }
    Err(ProtocolError::Malformed(
        "trickle without `candidate` or `candidates`".into(),
    ))
}

/// Reads a `server_info` reply.
pub(crate) fn server_info(map: Map<String, Value>) -> ServerInfo {
    let flag = |k: &str| map.get(k).and_then(Value::as_bool);
    ServerInfo {
        version: id_field(&map, "version"),
        version_string: str_field(&map, "version_string"),
        session_timeout: id_field(&map, "session-timeout"),
        reclaim_session_timeout: id_field(&map, "reclaim-session-timeout"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_trickle_forms() {
        let t = Target {
            session: Some(1),
            handle: Some(2),
            ids_in_body: true,
        };
        let c = Candidate {
            candidate: "candidate:1 1 udp 1 192.0.2.1 5000 typ host".into(),
            sdp_mid: Some("0".into()),
            sdp_m_line_index: Some(0),
        };
        let one = encode(
            &Request::Trickle {
                handle: crate::HandleId(2),
                trickle: Trickle::Candidate(c.clone()),
            },
            "t1",
            &t,
            None,
            None,
        );
        let v: Value = serde_json::from_str(&one).unwrap();
        assert_eq!(
            v,
            json!({"janus":"trickle","transaction":"t1","session_id":1,"handle_id":2,
                   "candidate":{"candidate":c.candidate,"sdpMid":"0","sdpMLineIndex":0}})
        );
        let done = encode(
            &Request::Trickle {
                handle: crate::HandleId(2),
                trickle: Trickle::Completed,
            },
            "t2",
            &t,
            Some("s"),
            Some("k"),
        );
        let v: Value = serde_json::from_str(&done).unwrap();
        assert_eq!(v["candidate"], json!({"completed": true}));
        assert_eq!(v["apisecret"], "s");
        assert_eq!(v["token"], "k");
    }

    #[test]
    fn splits_concatenated_objects_and_arrays() {
        let mut seen = Vec::new();
        split_messages(br#"{"a":1}{"b":2} [{"c":3},{"d":4}]"#, |m| {
            seen.push(m.keys().next().unwrap().clone())
        })
        .unwrap();
        assert_eq!(seen, ["a", "b", "c", "d"]);
        assert!(matches!(
            split_messages(b"{\"a\":", |_| {}),
            Err(ProtocolError::InvalidJson { offset: 0, .. })
        ));
        assert!(matches!(
            split_messages(b"[1]", |_| {}),
            Err(ProtocolError::Malformed(_))
        ));
        assert!(split_messages(b"  ", |_| {}).is_err());
    }

    #[test]
    fn escapes_query_values() {
        let mut s = String::new();
        query_escape(&mut s, "a b&c=d/é");
        assert_eq!(s, "a%20b%26c%3Dd%2F%C3%A9");
    }
}
