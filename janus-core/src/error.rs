//! Error types.
//!
//! Two kinds, as in every sans-IO engine: misuse of the API by the caller is
//! returned as an `Err` from the call ([`CommandError`]); problems caused by
//! the peer or the network are reported as events ([`RequestError`] inside
//! [`Event::Response`](crate::Event::Response), [`ProtocolError`] inside
//! [`Event::ProtocolError`](crate::Event::ProtocolError)).

use crate::ids::{HandleId, SessionId};
use serde_json::Value;

/// The caller used the engine wrongly; nothing was queued and no state changed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// The session is not known to this engine (never created here, or already ended).
    #[error("unknown session {0}")]
    UnknownSession(SessionId),
    /// The handle is not known to this engine (never attached here, or already ended).
    #[error("unknown handle {0}")]
    UnknownHandle(HandleId),
    /// The WebSocket is down and reconnecting, and
    /// `Config::fail_fast_when_disconnected` is on: nothing was queued.
    #[error("not connected: the WebSocket is down and reconnecting (try again once connected)")]
    NotConnected,
    /// The maximum number of requests in flight (`Config::max_in_flight`) is reached.
    #[error("too many requests in flight (limit {limit})")]
    TooManyRequests {
        /// The configured limit.
        limit: usize,
    },
    /// The connection is closed for good (closed by the caller, or every
    /// reconnect attempt failed); no new request can be sent.
    #[error("the connection is closed")]
    Closed,
    /// The request belongs to the other API: an Admin API request on a
    /// Janus API connection, or a session or handle request on an Admin API
    /// connection.
    #[error(
        "`{request}` cannot be sent on a connection to the {api}: Admin API requests need a \
         connection to the admin endpoint (HTTP `/admin`, port 7088, or WebSocket port 7188), \
         sessions and handles a connection to the Janus API"
    )]
    WrongApi {
        /// The request's verb.
        request: &'static str,
        /// The API the connection speaks.
        api: &'static str,
    },
    /// `create` with an id this engine still holds a session under (its
    /// destroy may be on its way): whether a reply then speaks of the old
    /// session or the new one could not be told. Nothing was sent.
    #[error(
        "session {0} is still held here: destroy it and wait for the destroy to finish before \
         creating a session with the same id"
    )]
    SessionIdInUse(SessionId),
    /// The command's arguments are not acceptable.
    #[error("invalid argument: {0}")]
    InvalidArgument(&'static str),
    /// The request's JSON text is longer than the transport can carry
    /// (`Config::max_request_size`; Janus reads at most 8 KiB of a request
    /// over its Unix-socket transport and one AMQP body frame, 128 KiB,
    /// over RabbitMQ, and would drop or refuse the rest): nothing was sent.
    #[error(
        "the `{request}` request is {size} bytes, over this transport's limit of {limit} bytes \
         (Janus reads at most 8 KiB of a request over its Unix sockets and 128 KiB over \
         RabbitMQ): nothing was sent; make it smaller, or send it over WebSocket or HTTP"
    )]
    RequestTooLarge {
        /// The request's verb.
        request: &'static str,
        /// Its size, in bytes, as it would have been sent.
        size: usize,
        /// The limit (`Config::max_request_size`).
        limit: usize,
    },
}

/// The caller fed an input that does not fit the engine's state.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The input belongs to the other transport (for example a WebSocket frame
    /// given to an HTTP engine).
    #[error("input {input} does not apply to the {transport} transport")]
    WrongTransport {
        /// The input's name.
        input: &'static str,
        /// The engine's transport.
        transport: &'static str,
    },
}

/// Why a request did not succeed. Every request resolves exactly once, with
/// either a [`Reply`](crate::Reply) or one of these.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// Janus answered with `"janus": "error"`.
    #[error(transparent)]
    Janus(#[from] JanusError),
    /// The plugin reported a failure, inside a Janus `success` or `event`
    /// (`plugindata.data.error_code`).
    #[error(transparent)]
    Plugin(#[from] PluginError),
    /// No final reply arrived before the request's deadline.
    #[error("no reply to `{request}` within {after:?} (the server is slow or unreachable; a longer timeout can be given per call)")]
    TimedOut {
        /// The request's `janus` verb.
        request: &'static str,
        /// The deadline it had.
        after: std::time::Duration,
    },
    /// The transport closed before a reply arrived.
    #[error("transport closed before the reply arrived")]
    TransportClosed,
    /// The request's HTTP exchange failed (no connection, TLS, reset, ...),
    /// as the adapter reported it, after any retries.
    #[error("the HTTP exchange failed: {0}")]
    HttpFailed(String),
    /// The session or handle the request addressed ended before the reply arrived.
    #[error("the session or handle ended before the reply arrived ({0})")]
    Ended(crate::EndReason),
    /// An HTTP reply came back with a status other than 200.
    #[error("HTTP status {status}")]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
    },
    /// The reply could not be understood.
    #[error("malformed reply: {0}")]
    Protocol(#[from] ProtocolError),
}

/// An error reply from the Janus core: the numeric code and reason are kept as sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Janus error {code} ({kind:?}): {reason}")]
pub struct JanusError {
    /// The numeric code, as sent by the server.
    pub code: u16,
    /// The code's name, when it is a known one.
    pub kind: JanusErrorKind,
    /// The server's reason text.
    pub reason: String,
}

impl JanusError {
    /// Builds an error from the server's code and reason.
    pub fn new(code: u16, reason: impl Into<String>) -> Self {
        Self {
            code,
            kind: JanusErrorKind::from_code(code),
            reason: reason.into(),
        }
    }
}

/// The known Janus core error codes (`apierror.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JanusErrorKind {
    /// 403: wrong or missing API secret or token.
    Unauthorized,
    /// 405: the token may not use this plugin.
    UnauthorizedPlugin,
    /// 450: transport-specific error.
    TransportSpecific,
    /// 452: missing request.
    MissingRequest,
    /// 453: unknown request.
    UnknownRequest,
    /// 454: invalid JSON.
    InvalidJson,
    /// 455: JSON is not an object.
    InvalidJsonObject,
    /// 456: a mandatory element is missing.
    MissingMandatoryElement,
    /// 457: the request is not valid at this path.
    InvalidRequestPath,
    /// 458: no such session.
    SessionNotFound,
    /// 459: no such handle.
    HandleNotFound,
    /// 460: no such plugin.
    PluginNotFound,
    /// 461: the plugin refused the attach.
    PluginAttach,
    /// 462: error handling the plugin message.
    PluginMessage,
    /// 463: error detaching from the plugin.
    PluginDetach,
    /// 464: unknown JSEP type.
    JsepUnknownType,
    /// 465: invalid SDP.
    JsepInvalidSdp,
    /// 466: invalid trickle stream.
    TrickleInvalidStream,
    /// 467: an element has the wrong type.
    InvalidElementType,
    /// 468: the session id is already in use.
    SessionConflict,
    /// 469: unexpected answer.
    UnexpectedAnswer,
    /// 470: token not found.
    TokenNotFound,
    /// 471: WebRTC state error.
    WebrtcState,
    /// 472: the server is not accepting new sessions.
    NotAcceptingSessions,
    /// 490: unknown error.
    Unknown,
    /// A code this crate does not name.
    Other,
}

impl JanusErrorKind {
    /// Names a numeric Janus core error code.
    pub fn from_code(code: u16) -> Self {
        use JanusErrorKind::*;
        match code {
            403 => Unauthorized,
            405 => UnauthorizedPlugin,
            450 => TransportSpecific,
            452 => MissingRequest,
            453 => UnknownRequest,
            454 => InvalidJson,
            455 => InvalidJsonObject,
            456 => MissingMandatoryElement,
            457 => InvalidRequestPath,
            458 => SessionNotFound,
            459 => HandleNotFound,
            460 => PluginNotFound,
            461 => PluginAttach,
            462 => PluginMessage,
            463 => PluginDetach,
            464 => JsepUnknownType,
            465 => JsepInvalidSdp,
            466 => TrickleInvalidStream,
            467 => InvalidElementType,
            468 => SessionConflict,
            469 => UnexpectedAnswer,
            470 => TokenNotFound,
            471 => WebrtcState,
            472 => NotAcceptingSessions,
            490 => Unknown,
            _ => Other,
        }
    }
}

/// A failure reported by a plugin (its codes overlap the core's; they are
/// told apart by where they appear).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("plugin {plugin} error {code}: {reason}")]
pub struct PluginError {
    /// The plugin's package name, e.g. `janus.plugin.videoroom`.
    pub plugin: String,
    /// The plugin's `error_code`.
    pub code: i64,
    /// The plugin's `error` text.
    pub reason: String,
    /// The whole `plugindata.data` object.
    pub data: Value,
}

/// Input from the peer that the engine could not use. The engine's other
/// state is left as it was.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A frame or body was larger than `Config::max_frame_size`.
    #[error("frame of {size} bytes exceeds the limit of {limit} bytes")]
    FrameTooLarge {
        /// The frame's size.
        size: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The bytes were not valid JSON.
    #[error("invalid JSON at byte {offset}: {detail}")]
    InvalidJson {
        /// Byte offset of the first bad JSON text in the frame.
        offset: usize,
        /// The parser's message.
        detail: String,
    },
    /// A message was JSON but not of the expected shape.
    #[error("malformed message: {0}")]
    Malformed(String),
    /// The server sent an error that belongs to no request (for example a
    /// request it could not parse).
    #[error("server error without a transaction: {0}")]
    Unsolicited(JanusError),
}
