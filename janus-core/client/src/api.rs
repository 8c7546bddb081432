//! What every adapter's `Client`, `Session` and `Handle` share, whether
//! their calls block or are awaited: the requests they send, how replies
//! become return values, and the drop rules.

use crate::Error;
use janus_core::plugins::PluginRequest;
use janus_core::serde_json::Value;
use janus_core::{
    CommandError, EndReason, HandleId, PluginReply, Reply, Request, ServerInfo, SessionId,
    SessionOrigin,
};
use std::sync::atomic::{AtomicBool, Ordering};

pub use crate::router::undo;

/// A reply to `create` or `claim`: the session and how it came to be.
pub fn opened_session(reply: Reply) -> Result<(SessionId, SessionOrigin), Error> {
    match reply {
        Reply::SessionCreated(id) => Ok((id, SessionOrigin::Created)),
        Reply::Claimed(id) => Ok((id, SessionOrigin::Claimed)),
        other => Err(Error::UnexpectedReply(Box::new(other))),
    }
}

/// A reply to `attach`: the new handle.
pub fn attached(reply: Reply) -> Result<HandleId, Error> {
    match reply {
        Reply::Attached(id) => Ok(id),
        other => Err(Error::UnexpectedReply(Box::new(other))),
    }
}

/// A reply to `message`: the plugin's answer.
pub fn plugin_reply(reply: Reply) -> Result<PluginReply, Error> {
    match reply {
        Reply::Plugin(reply) => Ok(*reply),
        other => Err(Error::UnexpectedReply(Box::new(other))),
    }
}

/// A reply to `info`.
pub fn server_info(reply: Reply) -> Result<ServerInfo, Error> {
    match reply {
        Reply::ServerInfo(info) => Ok(*info),
        other => Err(Error::UnexpectedReply(Box::new(other))),
    }
}

/// The typed reply of an Admin API call.
pub fn admin_reply<C: janus_core::admin::AdminCall>(
    request: &'static str,
    reply: Reply,
) -> Result<C::Reply, Error> {
    match reply {
        Reply::Admin(fields) => C::parse_reply(*fields).map_err(|e| Error::AdminReply {
            request,
            reason: e.to_string(),
        }),
        other => Err(Error::UnexpectedReply(Box::new(other))),
    }
}

/// What the first request of an Admin API connect (`get_status`) says
/// about it: a Janus API endpoint (457) or a refused secret (403) fails the
/// connect with an error that says so; a 403 when no secret was given lets
/// it stand (`info` and `ping` need none, and every other request will be
/// refused with Janus's own "wrong or missing secret").
pub fn admin_probe<T>(url: &str, result: Result<T, Error>, has_secret: bool) -> Result<(), Error> {
    let error = match result {
        Ok(_) => return Ok(()),
        Err(e) => e,
    };
    let reason = match error.janus_error().map(|e| e.code) {
        Some(457) => "the server does not know Admin API requests (457): this is the Janus API; \
                      connect an AdminClient to the Admin API (HTTP /admin, port 7088 by default, \
                      or WebSocket port 7188) and a Client to this one"
            .to_owned(),
        Some(403) if !has_secret => return Ok(()),
        Some(403) => "the admin secret was refused (403): give the server's `admin_secret` \
                      (Options::admin_secret)"
            .to_owned(),
        _ => return Err(connect_error(url, error)),
    };
    Err(Error::Connect {
        url: url.to_owned(),
        reason,
    })
}

/// The error of a failed `connect` to `url`, with a hint at the usual fix
/// when the failure has a telltale shape (a missing `/janus` path, a
/// WebSocket port spoken to over HTTP or the reverse, TLS spoken to a
/// plain port, nothing listening).
pub fn connect_error(url: &str, reason: impl std::fmt::Display) -> Error {
    let reason = reason.to_string();
    let hint = connect_hint(url, &reason);
    Error::Connect {
        url: url.to_owned(),
        reason: match hint {
            Some(hint) => format!("{reason} ({hint})"),
            None => reason,
        },
    }
}

fn connect_hint(url: &str, reason: &str) -> Option<&'static str> {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    let (websocket, tls) = match scheme.as_deref() {
        // The Unix socket's own errors carry their hints.
        Some(s) if crate::unix::SCHEMES.contains(&s) => return None,
        Some("ws") => (true, false),
        Some("wss") => (true, true),
        Some("https") => (false, true),
        _ => (false, false),
    };
    let reason = reason.to_ascii_lowercase();
    let has = |s: &str| reason.contains(s);
    if has("connection refused") {
        return Some("nothing listens there: is Janus running, and is the port right?");
    }
    if tls && (has("corrupt message") || has("invalidcontenttype") || has("end of file")) {
        return Some("the server does not speak TLS on this port: try ws:// or http://");
    }
    if websocket && (has("404") || has("400")) {
        return Some(
            "this looks like an HTTP port: use http://host:port/janus for it, \
             or the WebSocket port (8188 by default) with ws://",
        );
    }
    if !websocket && has("status 404") {
        return Some(
            "Janus's HTTP API lives under a path, usually /janus: \
             e.g. http://127.0.0.1:8088/janus",
        );
    }
    if !websocket && has("status 403") {
        return Some(
            "a bare 403 is what Janus's WebSocket port answers to plain HTTP: \
             use ws:// or wss:// for this port",
        );
    }
    if websocket
        && (has("handshake not finished")
            || has("connection reset")
            || has("unexpected end of file")
            || has("subprotocol"))
    {
        return Some(
            "Janus closes the handshake when the WebSocket subprotocol does not fit the port: \
             the Janus API (port 8188 by default) takes a Client, the Admin API (port 7188) an \
             AdminClient",
        );
    }
    if websocket && (has("no websocket handshake") || has("timed out")) {
        return Some("no WebSocket answer: is this Janus's WebSocket port?");
    }
    None
}

/// An error and its chain of sources, joined with ": " (libraries such as
/// hyper keep the useful part, "connection refused", in a source).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let part = e.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = e.source();
    }
    text
}

/// A call's outcome, with "unknown session" or "unknown handle" (the
/// engine no longer knows it) explained by why it ended, when its stream
/// says so.
pub fn explain_ended<T>(result: Result<T, Error>, ended: Option<EndReason>) -> Result<T, Error> {
    match (result, ended) {
        (Err(Error::Command(CommandError::UnknownSession(s))), Some(reason)) => Err(Error::Ended {
            target: format!("session {s}"),
            reason,
        }),
        (Err(Error::Command(CommandError::UnknownHandle(h))), Some(reason)) => Err(Error::Ended {
            target: format!("handle {h}"),
            reason,
        }),
        (result, _) => result,
    }
}

/// The body of a typed plugin request for a handle attached to `plugin`;
/// a request meant for another plugin is refused before anything is sent.
pub fn typed_body<R: PluginRequest>(request: &R, plugin: &str) -> Result<Value, Error> {
    same_plugin(R::PLUGIN, plugin)?;
    Ok(request.to_body())
}

/// `Ok` if a handle attached to `handle` speaks the plugin `wanted`.
pub fn same_plugin(wanted: &'static str, handle: &str) -> Result<(), Error> {
    if wanted == handle {
        Ok(())
    } else {
        Err(Error::WrongPlugin {
            request: wanted,
            handle: handle.to_owned(),
        })
    }
}

/// A typed plugin request's answer, read from the plugin's reply (a
/// plugin's refusal has already come back as
/// [`RequestError::Plugin`](janus_core::RequestError::Plugin)).
pub fn typed_reply<R: PluginRequest>(reply: PluginReply) -> Result<R::Reply, Error> {
    R::parse_reply(reply.data.into_value()).map_err(Error::PluginReply)
}

/// Whether a session's `destroy` or a handle's `detach` that returned
/// `result` leaves nothing to end on the server: it succeeded, or the
/// session or handle is gone anyway (ended, unknown, 458/459, client
/// closed). Any other failure (a timeout, a lost transport) leaves it
/// possibly alive, so dropping it must still try.
pub fn is_gone(result: &Result<(), Error>) -> bool {
    match result {
        Ok(()) => true,
        Err(Error::Command(
            CommandError::UnknownSession(_) | CommandError::UnknownHandle(_) | CommandError::Closed,
        ))
        | Err(Error::Closed) => true,
        Err(e) => e.end_reason().is_some() || e.is_janus_code(458) || e.is_janus_code(459),
    }
}

/// What a `Session` or `Handle` owns on the server, and the drop rule:
/// dropping it destroys or detaches it unless it is known to be gone.
#[derive(Debug)]
pub struct Owned {
    request: Request,
    gone: AtomicBool,
}

impl Owned {
    /// A session this value owns: dropping it destroys it.
    pub fn session(session: SessionId) -> Self {
        Self {
            request: Request::Destroy { session },
            gone: AtomicBool::new(false),
        }
    }

    /// A handle this value owns: dropping it detaches it.
    pub fn handle(handle: HandleId) -> Self {
        Self {
            request: Request::Detach { handle },
            gone: AtomicBool::new(false),
        }
    }

    /// The request that ends it (`destroy` or `detach`).
    pub fn end_request(&self) -> Request {
        self.request.clone()
    }

    /// Records the outcome of an explicit destroy or detach, and returns it.
    pub fn ended(&self, result: Result<Reply, Error>) -> Result<(), Error> {
        let result = result.map(drop);
        if is_gone(&result) {
            self.gone.store(true, Ordering::Relaxed);
        }
        result
    }

    /// On drop: the request to send (fire and forget), unless it is gone.
    pub fn on_drop(&mut self) -> Option<Request> {
        (!*self.gone.get_mut()).then(|| self.request.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use janus_core::{JanusError, RequestError};

    #[test]
    fn a_failed_destroy_still_destroys_on_drop() {
        let mut owned = Owned::session(SessionId(1));
        let timed_out = owned.ended(Err(Error::Request(RequestError::TimedOut {
            request: "destroy",
            after: std::time::Duration::from_secs(15),
        })));
        assert!(timed_out.unwrap_err().is_timeout());
        assert_eq!(
            owned.on_drop(),
            Some(Request::Destroy {
                session: SessionId(1)
            })
        );
        assert!(owned.ended(Ok(Reply::Done)).is_ok());
        assert_eq!(owned.on_drop(), None);
    }

    #[test]
    fn connect_errors_hint_at_the_fix() {
        let reason = |url: &str, why: &str| connect_error(url, why).to_string();
        let missing_path = reason("http://127.0.0.1:8088/", "HTTP status 404");
        assert!(missing_path.contains("usually /janus"), "{missing_path}");
        let ws_port = reason("http://127.0.0.1:8188/janus", "HTTP status 403");
        assert!(ws_port.contains("use ws://"), "{ws_port}");
        let http_port = reason("ws://127.0.0.1:8088/janus", "HTTP error: 404 Not Found");
        assert!(http_port.contains("http://host:port/janus"), "{http_port}");
        let plain = reason(
            "wss://127.0.0.1:8188",
            "IO error: received corrupt message of type InvalidContentType",
        );
        assert!(plain.contains("does not speak TLS"), "{plain}");
        let refused = reason(
            "http://127.0.0.1:1/janus",
            "io: Connection refused (os error 111)",
        );
        assert!(refused.contains("nothing listens"), "{refused}");
        assert_eq!(
            reason("ws://x", "something else"),
            "cannot connect to ws://x: something else"
        );
        let unix = reason(
            "unix:///run/j.sock",
            "/run/j.sock: Connection refused (nothing listens there: is Janus running?)",
        );
        assert_eq!(unix.matches("nothing listens").count(), 1, "{unix}");
    }

    #[test]
    fn unknown_means_ended_when_the_stream_says_why() {
        let unknown = || Err::<(), _>(Error::Command(CommandError::UnknownHandle(HandleId(4))));
        let explained = explain_ended(unknown(), Some(EndReason::ServerDetached)).unwrap_err();
        assert_eq!(explained.end_reason(), Some(EndReason::ServerDetached));
        assert_eq!(
            explained.to_string(),
            "handle 4 already ended (detached by the server); it cannot be used any more"
        );
        assert!(is_gone(&Err(explained)));
        assert!(matches!(
            explain_ended(unknown(), None),
            Err(Error::Command(CommandError::UnknownHandle(_)))
        ));
    }

    #[test]
    fn gone_means_nothing_left_to_end() {
        let janus = |code| {
            Err(Error::Request(RequestError::Janus(JanusError::new(
                code, "gone",
            ))))
        };
        assert!(is_gone(&janus(458)) && is_gone(&janus(459)));
        assert!(!is_gone(&janus(403)));
        assert!(is_gone(&Err(Error::Request(RequestError::Ended(
            EndReason::ServerTimeout
        )))));
        assert!(is_gone(&Err(Error::Closed)));
        assert!(!is_gone(&Err(Error::Request(
            RequestError::TransportClosed
        ))));
        let mut handle = Owned::handle(HandleId(2));
        assert!(handle
            .ended(Err(Error::Command(CommandError::UnknownHandle(HandleId(
                2
            )))))
            .is_err());
        assert_eq!(handle.on_drop(), None);
    }

    fn janus(code: u16) -> Error {
        Error::Request(RequestError::Janus(JanusError::new(code, "r")))
    }

    #[test]
    fn the_admin_probe_tells_the_endpoint_and_the_secret_apart() {
        let url = "http://h/x";
        let text = |r: Result<(), Error>| r.unwrap_err().to_string();
        let janus_api = text(admin_probe::<()>(url, Err(janus(457)), true));
        assert!(janus_api.contains("this is the Janus API"), "{janus_api}");
        let refused = text(admin_probe::<()>(url, Err(janus(403)), true));
        assert!(refused.contains("secret was refused"), "{refused}");
        assert!(admin_probe::<()>(url, Err(janus(403)), false).is_ok());
        assert!(admin_probe(url, Ok(()), true).is_ok());
        assert!(matches!(
            admin_probe::<()>(url, Err(Error::Closed), true),
            Err(Error::Connect { .. })
        ));
    }

    #[test]
    fn each_client_refuses_the_other_apis_http_path() {
        let janus = crate::Options::new();
        let admin = crate::Options::new().configure(|c| c.api = janus_core::Api::Admin);
        let err = janus.resolve("http://127.0.0.1:7088/admin").unwrap_err();
        assert!(err.to_string().contains("AdminClient"), "{err}");
        let err = admin.resolve("HTTP://127.0.0.1:8088/janus/").unwrap_err();
        assert!(err.to_string().contains("Janus API"), "{err}");
        assert!(admin.resolve("http://127.0.0.1:7088/admin").is_ok());
        assert!(janus.resolve("http://127.0.0.1:8088/janus?x=1").is_ok());
        let (endpoint, _) = admin.resolve("ws://127.0.0.1:7188").unwrap();
        assert_eq!(endpoint.subprotocol, "janus-admin-protocol");
    }
}
