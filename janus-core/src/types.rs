//! Requests, replies and events: plain data.

use crate::error::RequestError;
use crate::ids::{ExchangeId, HandleId, RequestId, SessionId};
use crate::plugin_data::PluginData;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use std::time::Instant;

/// A Janus API request, as queued by [`Connection::request`](crate::Connection::request).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Request {
    /// `info`: the server's description.
    Info,
    /// `ping`: a round trip to the server.
    Ping,
    /// `create`: a new session, with an optional id of the caller's choosing.
    Create {
        /// The id to ask for (Janus answers 468 if it is taken).
        id: Option<SessionId>,
    },
    /// `claim`: join an existing session by id and become its owner.
    Claim {
        /// The session to claim.
        session: SessionId,
        /// Whether this engine sends keepalives for it (a session joined by
        /// claim is kept alive only when asked).
        keepalive: bool,
    },
    /// `destroy`: end a session and every handle in it.
    Destroy {
        /// The session.
        session: SessionId,
    },
    /// `keepalive`: reset the session's server-side timeout.
    Keepalive {
        /// The session.
        session: SessionId,
    },
    /// `attach`: a new plugin handle.
    Attach {
        /// The session.
        session: SessionId,
        /// The plugin's package name, e.g. `janus.plugin.echotest`.
        plugin: String,
        /// An opaque id the server echoes in handle events when configured to.
        opaque_id: Option<String>,
    },
    /// `message`: a request to the handle's plugin.
    Message {
        /// The handle.
        handle: HandleId,
        /// The plugin request (arbitrary JSON object).
        body: Value,
        /// An SDP offer or answer.
        jsep: Option<Jsep>,
    },
    /// `trickle`: ICE candidates for the handle's PeerConnection.
    Trickle {
        /// The handle.
        handle: HandleId,
        /// The candidates.
        trickle: Trickle,
    },
    /// `hangup`: close the handle's PeerConnection.
    Hangup {
        /// The handle.
        handle: HandleId,
    },
    /// `detach`: end the handle.
    Detach {
        /// The handle.
        handle: HandleId,
    },
    /// An Admin API request (only on a connection whose
    /// [`Config::api`](crate::Config::api) is [`Api::Admin`](crate::Api::Admin)).
    Admin(Box<crate::admin::AdminRequest>),
}

impl Request {
    /// The Janus verb.
    pub fn verb(&self) -> &'static str {
        match self {
            Request::Info => "info",
            Request::Ping => "ping",
            Request::Create { .. } => "create",
            Request::Claim { .. } => "claim",
            Request::Destroy { .. } => "destroy",
            Request::Keepalive { .. } => "keepalive",
            Request::Attach { .. } => "attach",
            Request::Message { .. } => "message",
            Request::Trickle { .. } => "trickle",
            Request::Hangup { .. } => "hangup",
            Request::Detach { .. } => "detach",
            Request::Admin(admin) => admin.verb,
        }
    }

    /// Whether the request may be sent again after a transport failure.
    pub fn is_idempotent(&self) -> bool {
        matches!(
            self,
            Request::Info | Request::Ping | Request::Keepalive { .. }
        )
    }

    /// The session the request addresses directly (handle requests return `None`).
    pub(crate) fn session(&self) -> Option<SessionId> {
        match self {
            Request::Claim { session, .. }
            | Request::Destroy { session }
            | Request::Keepalive { session }
            | Request::Attach { session, .. } => Some(*session),
            _ => None,
        }
    }

    /// The handle the request addresses.
    pub(crate) fn handle(&self) -> Option<HandleId> {
        match self {
            Request::Message { handle, .. }
            | Request::Trickle { handle, .. }
            | Request::Hangup { handle }
            | Request::Detach { handle } => Some(*handle),
            _ => None,
        }
    }
}

/// The SDP type of a [`Jsep`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SdpType {
    /// An offer.
    Offer,
    /// An answer.
    Answer,
    /// A provisional answer.
    Pranswer,
    /// A rollback.
    Rollback,
}

/// A JSEP object: an SDP offer or answer plus Janus's optional flags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Jsep {
    /// Offer or answer.
    #[serde(rename = "type")]
    pub kind: SdpType,
    /// The SDP.
    pub sdp: String,
    /// `false` when every candidate is already in the SDP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trickle: Option<bool>,
    /// Any other fields (`e2ee`, `rid_order`, `force_relay`, ...).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Jsep {
    /// An offer with the given SDP.
    pub fn offer(sdp: impl Into<String>) -> Self {
        Self {
            kind: SdpType::Offer,
            sdp: sdp.into(),
            trickle: None,
            extra: Map::new(),
        }
    }

    /// An answer with the given SDP.
    pub fn answer(sdp: impl Into<String>) -> Self {
        Self {
            kind: SdpType::Answer,
            ..Self::offer(sdp)
        }
    }
}

/// One ICE candidate, in the browser's `RTCIceCandidate` JSON form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The `candidate:` line.
    pub candidate: String,
    /// The media stream identification tag.
    #[serde(rename = "sdpMid", default, skip_serializing_if = "Option::is_none")]
    pub sdp_mid: Option<String>,
    /// The index of the m-line.
    #[serde(
        rename = "sdpMLineIndex",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sdp_m_line_index: Option<u32>,
}

/// The payload of a trickle request or event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trickle {
    /// One candidate.
    Candidate(Candidate),
    /// Several candidates at once.
    Candidates(Vec<Candidate>),
    /// End of candidates.
    Completed,
}

/// A successful outcome of a request.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Reply {
    /// `info` answered.
    ServerInfo(Box<ServerInfo>),
    /// `create` made a session; it is now tracked (with automatic keepalive).
    SessionCreated(SessionId),
    /// `claim` succeeded; the session is now owned by this connection and tracked.
    Claimed(SessionId),
    /// `attach` made a handle; it is now tracked.
    Attached(HandleId),
    /// A plugin answered a `message`: synchronously (inside `success`) or
    /// with the `event` that followed the `ack`.
    Plugin(Box<PluginReply>),
    /// The server acknowledged (`keepalive`, `trickle`).
    Ack,
    /// The request succeeded with nothing to report (`ping`, `destroy`,
    /// `detach`, `hangup`).
    Done,
    /// An Admin API request succeeded: the fields of the `success` (every
    /// field but `janus` and `transaction`).
    Admin(Box<serde_json::Map<String, Value>>),
}

/// A plugin's answer to a `message`.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginReply {
    /// The plugin's package name.
    pub plugin: String,
    /// `plugindata.data`, parsed when first looked at.
    pub data: PluginData,
    /// The SDP the plugin sent along.
    pub jsep: Option<Jsep>,
    /// `false` for a synchronous `success`, `true` for an `event` after an `ack`.
    pub asynchronous: bool,
}

/// The parts of `server_info` the engine reads, plus the whole object.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerInfo {
    /// The numeric version, e.g. 1102.
    pub version: Option<u64>,
    /// The version string, e.g. "1.1.2".
    pub version_string: Option<String>,
    /// `session-timeout` in seconds (0: sessions never expire).
    pub session_timeout: Option<u64>,
    /// `reclaim-session-timeout` in seconds.
    pub reclaim_session_timeout: Option<u64>,
    /// Whether an API secret is required.
    pub api_secret: Option<bool>,
    /// Whether stored-token auth is on.
    pub auth_token: Option<bool>,
    /// The package names of the loaded plugins.
    pub plugins: Vec<String>,
    /// The complete reply.
    pub raw: Value,
}

/// Why a session or handle ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndReason {
    /// This engine destroyed the session (or the handle's session).
    Destroyed,
    /// This engine detached the handle.
    Detached,
    /// The server sent `timeout` for the session.
    ServerTimeout,
    /// The server sent `detached` for a handle this engine had not detached.
    ServerDetached,
    /// The server answered that the session (458, or a 404 long poll) or
    /// handle (459) does not exist.
    NotFound,
    /// The local estimate of the server-side deadline passed with no sign of life.
    Expired,
    /// The transport was lost and the session could not be reclaimed.
    TransportLost,
    /// The engine was closed by its owner.
    Closed,
}

impl fmt::Display for EndReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EndReason::Destroyed => "destroyed",
            EndReason::Detached => "detached",
            EndReason::ServerTimeout => "timed out on the server",
            EndReason::ServerDetached => "detached by the server",
            EndReason::NotFound => "not found on the server",
            EndReason::Expired => "expired (no sign of life before the estimated deadline)",
            EndReason::TransportLost => "transport lost",
            EndReason::Closed => "connection closed",
        })
    }
}

/// Something that happened to a plugin handle.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum HandleEvent {
    /// A plugin event that answers no pending request.
    Plugin {
        /// The plugin's package name.
        plugin: String,
        /// `plugindata.data`, parsed when first looked at.
        data: PluginData,
        /// The SDP the plugin sent.
        jsep: Option<Box<Jsep>>,
        /// The transaction of the request that caused it, if any.
        transaction: Option<String>,
    },
    /// The PeerConnection is up.
    WebrtcUp,
    /// Janus started or stopped receiving a medium.
    Media {
        /// The m-line's mid.
        mid: Option<String>,
        /// "audio" or "video".
        kind: Option<String>,
        /// Whether media is flowing.
        receiving: bool,
        /// The whole message (substream, seconds, ...).
        raw: Value,
    },
    /// Janus saw losses on the PeerConnection.
    Slowlink {
        /// The m-line's mid.
        mid: Option<String>,
        /// "audio" or "video".
        media: Option<String>,
        /// Direction, from Janus's point of view.
        uplink: bool,
        /// Packets lost.
        lost: u64,
    },
    /// The PeerConnection closed; the handle stays.
    Hangup {
        /// Why, e.g. "DTLS alert".
        reason: Option<String>,
    },
    /// Janus's ICE candidates (only with `full_trickle`).
    Trickle(Trickle),
    /// An event type this crate does not know, kept whole.
    Unknown(Value),
    /// The plugin's answer to a request that had already failed as timed
    /// out ([`RequestError::TimedOut`](crate::RequestError::TimedOut)):
    /// what the plugin did is here, though its caller gave up.
    LateReply {
        /// The request it answers.
        request: RequestId,
        /// The plugin's reply, or its error.
        reply: Result<Box<PluginReply>, RequestError>,
    },
    /// The handle ended. Reported exactly once per handle; nothing follows.
    Ended(EndReason),
    /// Not from the server: the reader fell behind and a client's bounded
    /// event queue dropped this many of the oldest events.
    Lagged {
        /// How many events were lost.
        dropped: u64,
    },
}

/// Something that happened to a session.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SessionEvent {
    /// After a reconnect, the session was claimed on the new connection: it
    /// is the same session, still usable.
    Reclaimed,
    /// A message for the session that no tracked handle takes, kept whole:
    /// an unknown message type, or an event of a handle attached by another
    /// client before this one claimed the session.
    Unknown(Value),
    /// The session ended; its handles ended just before (each with
    /// [`HandleEvent::Ended`]). Reported exactly once per session; nothing
    /// follows.
    Ended(EndReason),
    /// Not from the server: the reader fell behind and a client's bounded
    /// event queue dropped this many of the oldest events.
    Lagged {
        /// How many events were lost.
        dropped: u64,
    },
}

/// What the engine reports, pulled with [`Connection::poll_output`](crate::Connection::poll_output).
///
/// Exhaustive on purpose, like [`Output`]: the client core routes every
/// kind, so a new one is a breaking change rather than a dropped event.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A command resolved. Each [`RequestId`] appears here exactly once.
    Response {
        /// The command's id.
        id: RequestId,
        /// Its outcome.
        result: Result<Reply, RequestError>,
    },
    /// An event for a tracked handle.
    Handle {
        /// The handle's session.
        session: SessionId,
        /// The handle.
        handle: HandleId,
        /// What happened.
        event: HandleEvent,
    },
    /// Something happened to a tracked session, its end included.
    Session {
        /// The session.
        session: SessionId,
        /// What happened.
        event: SessionEvent,
    },
    /// The WebSocket connection is up (first connect or reconnect).
    Connected,
    /// The WebSocket connection went down.
    Disconnected {
        /// The reason the adapter gave.
        reason: String,
        /// Whether the engine will try to reconnect.
        reconnecting: bool,
    },
    /// A message this crate cannot route or does not know, naming no
    /// session this engine tracks (those go to [`SessionEvent::Unknown`]).
    Unknown {
        /// The session it named, if any.
        session: Option<SessionId>,
        /// The whole message.
        raw: Value,
    },
    /// Input that could not be used (dropped; other state unchanged).
    ProtocolError(crate::ProtocolError),
}

/// The HTTP method of a [`HttpRequest`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpMethod {
    /// A long poll.
    Get,
    /// A request.
    Post,
}

/// One HTTP exchange for the adapter to perform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    /// Hand it back with the response.
    pub id: ExchangeId,
    /// GET (long poll) or POST (request).
    pub method: HttpMethod,
    /// What to append to the server's base URL (e.g. `http://host:8088/janus`):
    /// empty, `/<session>`, `/<session>/<handle>`, or for a long poll
    /// `/<session>?maxev=N` plus auth parameters.
    pub path: String,
    /// The JSON body of a POST.
    pub body: Option<String>,
    /// When the engine stops waiting for the answer (a later answer is ignored).
    pub deadline: Instant,
}

/// Bytes for the adapter to send.
///
/// Exhaustive on purpose: a driver must handle every kind, so a new one is
/// a breaking change rather than a silently dropped output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transmit {
    /// One WebSocket text message.
    Text(String),
    /// One HTTP exchange.
    Http(HttpRequest),
}

/// What the adapter must do next.
///
/// Exhaustive on purpose: a driver must handle every output, so a new one
/// is a breaking change rather than a silently dropped output.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Open the WebSocket connection to this address, then feed
    /// [`Input::Connected`] (or [`Input::Closed`] if it fails).
    Connect {
        /// One of `Config::servers`, in turn (empty when that list is
        /// empty: the adapter then uses the address it was given).
        server: String,
    },
    /// Close the WebSocket now, without feeding [`Input::Closed`] (the engine
    /// already knows: it found the link dead); an [`Output::Connect`]
    /// follows after the reconnect back-off.
    Close {
        /// Why, for the logs.
        reason: String,
    },
    /// Send this.
    Transmit(Transmit),
    /// Report this.
    Event(Event),
    /// Nothing more to do now: wait for input, or until the deadline (then
    /// feed [`Input::Timeout`]). `None`: no timer is armed.
    Idle(Option<Instant>),
}

/// What happened on the transport, fed with [`Connection::handle_input`](crate::Connection::handle_input).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Input<'a> {
    /// The WebSocket connection asked for by [`Output::Connect`] is open.
    Connected,
    /// The WebSocket connection closed or could not be opened.
    Closed(&'a str),
    /// One WebSocket text message.
    Frame(&'a [u8]),
    /// The response to an HTTP exchange.
    HttpResponse {
        /// The exchange's id.
        id: ExchangeId,
        /// The HTTP status.
        status: u16,
        /// The body.
        body: &'a [u8],
    },
    /// An HTTP exchange failed without a response (connection refused, reset, ...).
    HttpFailed {
        /// The exchange's id.
        id: ExchangeId,
        /// What went wrong.
        reason: &'a str,
    },
    /// Time passed (the deadline of [`Output::Idle`] is reached).
    Timeout,
}
