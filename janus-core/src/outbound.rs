//! Outbound encoding: each request written straight into its JSON text,
//! strings and values by serde_json, no intermediate `Value`.

use crate::types::{Request, Trickle};
use serde::Serialize;
use std::fmt::Write;

/// Where a request goes and what it carries besides itself.
pub(crate) struct Envelope<'a> {
    /// `Config::transaction_prefix`.
    pub prefix: &'a str,
    /// The request id (the rest of the transaction).
    pub id: u64,
    pub session: Option<u64>,
    pub handle: Option<u64>,
    /// Whether the ids go in the body (WebSocket) rather than the path (HTTP).
    pub ids_in_body: bool,
    pub apisecret: Option<&'a str>,
    pub token: Option<&'a str>,
    /// Admin API: `admin_secret`.
    pub admin_secret: Option<&'a str>,
}

/// Serializes one request.
pub(crate) fn encode(req: &Request, env: &Envelope<'_>) -> String {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(b"{\"janus\":\"");
    out.extend_from_slice(req.verb().as_bytes());
    out.extend_from_slice(b"\",\"transaction\":");
    if env.prefix.is_empty() {
        out.push(b'"');
        push_u64(&mut out, env.id);
        out.push(b'"');
    } else {
        json(&mut out, &format!("{}{}", env.prefix, env.id));
    }
    if env.ids_in_body {
        if let Some(s) = env.session {
            key(&mut out, "session_id");
            push_u64(&mut out, s);
        }
        if let Some(h) = env.handle {
            key(&mut out, "handle_id");
            push_u64(&mut out, h);
        }
    }
    match req {
        Request::Create { id: Some(id) } => {
            key(&mut out, "id");
            push_u64(&mut out, id.0);
        }
        Request::Attach {
            plugin, opaque_id, ..
        } => {
            key(&mut out, "plugin");
            json(&mut out, plugin);
            if let Some(o) = opaque_id {
                key(&mut out, "opaque_id");
                json(&mut out, o);
            }
        }
        Request::Message { body, jsep, .. } => {
            key(&mut out, "body");
            json(&mut out, body);
            if let Some(j) = jsep {
                key(&mut out, "jsep");
                json(&mut out, j);
            }
        }
        Request::Admin(admin) => {
            for (k, v) in &admin.fields {
                key(&mut out, k);
                json(&mut out, v);
            }
        }
        Request::Trickle { trickle, .. } => match trickle {
            Trickle::Candidate(c) => {
                key(&mut out, "candidate");
                json(&mut out, c);
            }
            Trickle::Candidates(cs) => {
                key(&mut out, "candidates");
                json(&mut out, cs);
            }
            Trickle::Completed => {
                key(&mut out, "candidate");
                out.extend_from_slice(b"{\"completed\":true}");
            }
        },
        _ => {}
    }
    if let Some(s) = env.apisecret {
        key(&mut out, "apisecret");
        json(&mut out, s);
    }
    if let Some(t) = env.token {
        key(&mut out, "token");
        json(&mut out, t);
    }
    if let Some(s) = env.admin_secret {
        key(&mut out, "admin_secret");
        json(&mut out, s);
    }
    out.push(b'}');
    // Pieces of UTF-8 text (and JSON from serde_json) joined: checked
    // once, as a whole; it cannot fail.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `,"<name>":`
fn key(out: &mut Vec<u8>, name: &str) {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

/// A value as JSON (plain data with string keys: serializing cannot fail).
fn json<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    let _ = serde_json::to_writer(&mut *out, value);
}

/// A number in decimal.
fn push_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// The path of a POST: empty, `/<session>` or `/<session>/<handle>`.
pub(crate) fn post_path(session: Option<u64>, handle: Option<u64>) -> String {
    let mut path = String::new();
    if let Some(s) = session {
        let _ = write!(path, "/{s}");
        if let Some(h) = handle {
            let _ = write!(path, "/{h}");
        }
    }
    path
}

/// The path of a long poll, auth included.
pub(crate) fn poll_path(
    session: u64,
    max_events: u32,
    apisecret: Option<&str>,
    token: Option<&str>,
) -> String {
    let mut path = format!("/{}?maxev={}", session, max_events.max(1));
    if let Some(secret) = apisecret {
        path.push_str("&apisecret=");
        query_escape(&mut path, secret);
    }
    if let Some(token) = token {
        path.push_str("&token=");
        query_escape(&mut path, token);
    }
    path
}

/// Percent-encodes a query-string value.
fn query_escape(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Candidate;
    use crate::{HandleId, Jsep, SessionId};
    use serde_json::{json, Value};

    fn env(id: u64) -> Envelope<'static> {
        Envelope {
            prefix: "",
            id,
            session: Some(1),
            handle: Some(2),
            ids_in_body: true,
            apisecret: None,
            token: None,
            admin_secret: None,
        }
    }

    fn parsed(req: &Request, env: &Envelope<'_>) -> Value {
        serde_json::from_str(&encode(req, env)).unwrap()
    }

    #[test]
    fn encodes_trickle_forms() {
        let c = Candidate {
            candidate: "candidate:1 1 udp 1 192.0.2.1 5000 typ host".into(),
            sdp_mid: Some("0".into()),
            sdp_m_line_index: Some(0),
        };
        let one = Request::Trickle {
            handle: HandleId(2),
            trickle: Trickle::Candidate(c.clone()),
        };
        assert_eq!(
            parsed(&one, &env(1)),
            json!({"janus":"trickle","transaction":"1","session_id":1,"handle_id":2,
                   "candidate":{"candidate":c.candidate,"sdpMid":"0","sdpMLineIndex":0}})
        );
        let done = Request::Trickle {
            handle: HandleId(2),
            trickle: Trickle::Completed,
        };
        let mut e = env(2);
        e.apisecret = Some("s");
        e.token = Some("k\"");
        let v = parsed(&done, &e);
        assert_eq!(v["candidate"], json!({"completed": true}));
        assert_eq!(v["apisecret"], "s");
        assert_eq!(v["token"], "k\"");
    }

    #[test]
    fn encodes_every_field_escaped() {
        let mut e = env(12345);
        e.prefix = "p\"x-";
        e.ids_in_body = false;
        let attach = Request::Attach {
            session: SessionId(1),
            plugin: "janus.plugin.\u{1}\\".into(),
            opaque_id: Some("é\n".into()),
        };
        assert_eq!(
            parsed(&attach, &e),
            json!({"janus":"attach","transaction":"p\"x-12345",
                   "plugin":"janus.plugin.\u{1}\\","opaque_id":"é\n"})
        );
        let msg = Request::Message {
            handle: HandleId(2),
            body: json!({"a": [1, "b"]}),
            jsep: Some(Jsep::offer("v=0\r\n")),
        };
        assert_eq!(
            parsed(&msg, &env(0)),
            json!({"janus":"message","transaction":"0","session_id":1,"handle_id":2,
                   "body":{"a":[1,"b"]},"jsep":{"type":"offer","sdp":"v=0\r\n"}})
        );
        let create = Request::Create {
            id: Some(SessionId(u64::MAX)),
        };
        assert_eq!(parsed(&create, &env(7))["id"], json!(u64::MAX));
    }

    #[test]
    fn builds_paths() {
        assert_eq!(post_path(None, Some(2)), "");
        assert_eq!(post_path(Some(1), Some(2)), "/1/2");
        assert_eq!(
            poll_path(5, 0, Some("a b&c=d/é"), Some("t")),
            "/5?maxev=1&apisecret=a%20b%26c%3Dd%2F%C3%A9&token=t"
        );
    }
}
