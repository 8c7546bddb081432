//! A sans-IO engine for the [Janus WebRTC Gateway](https://janus.conf.meetecho.com/)
//! client API.
//!
//! [`Connection`] holds all protocol state for one transport connection to one
//! Janus server: its sessions, their plugin handles, every transaction in flight,
//! keepalives, request deadlines, the local estimate of each session's
//! server-side expiry, reconnect and re-claim, and (in the HTTP transport) the
//! long poll of every session. It never opens a socket, reads a clock, sleeps,
//! spawns or draws random numbers: bytes, transport events and the current
//! time come in as arguments; frames to send, the next deadline and typed
//! events come out. Runtime adapters (tokio, smol, blocking) do the I/O.
//!
//! # The driving contract
//!
//! 1. Commands ([`Connection::create_session`], [`Connection::attach`],
//!    [`Connection::message`], ...) only queue work and return a
//!    [`RequestId`] at once. Each id resolves **exactly once**, through
//!    [`Event::Response`]: a [`Reply`], or a [`RequestError`] (a typed Janus
//!    or plugin error, a timeout, the transport closing, the session ending).
//! 2. Inputs ([`Connection::handle_input`]) tell the engine what happened:
//!    the WebSocket connected or closed, a text frame arrived, an HTTP
//!    exchange answered or failed, or time passed.
//! 3. **After every command and every input, call [`Connection::poll_output`]
//!    until it returns [`Output::Idle`]**: send each [`Output::Transmit`],
//!    report each [`Output::Event`], open a connection on [`Output::Connect`],
//!    and when idle, wait for input or until the deadline in `Idle`, then
//!    feed [`Input::Timeout`].
//!
//! Every session and every handle ends exactly once with an [`EndReason`]
//! ([`SessionEvent::Ended`], [`HandleEvent::Ended`]), whether the engine
//! destroyed it, the server timed it out or detached it, the server said it
//! was gone (458/459, or a 404 long poll), the local expiry estimate passed,
//! or the transport was lost and it could not be reclaimed. Janus itself is
//! silent on some of these paths; the engine reports them all the same way.
//!
//! Time is an argument of every mutating call and never goes backwards (an
//! earlier `now` counts as the last one), so tests drive the engine with a
//! fake clock at memory speed.
//!
//! # Example: driving the engine by hand
//!
//! The "server" below is a test double that answers with frames Janus 1.1.2
//! really sends; an adapter would move the same bytes over a WebSocket.
//!
//! ```
//! use janus_core::{Config, Connection, Event, Input, Output, Reply, Transmit};
//! use std::time::{Duration, Instant};
//!
//! let mut now = Instant::now(); // the only clock read, in the caller
//! let mut conn = Connection::new(Config::websocket("ws://127.0.0.1:8188"), now);
//!
//! // Drain outputs until idle; collect what there is to send and report.
//! fn drain(conn: &mut Connection, sent: &mut Vec<String>, events: &mut Vec<Event>) {
//!     loop {
//!         match conn.poll_output() {
//!             Output::Connect { server } => assert_eq!(server, "ws://127.0.0.1:8188"),
//!             Output::Transmit(Transmit::Text(text)) => sent.push(text),
//!             Output::Transmit(other) => panic!("unexpected {other:?}"),
//!             Output::Event(e) => events.push(e),
//!             Output::Idle(_deadline) => break,
//!             _ => {}
//!         }
//!     }
//! }
//! let (mut sent, mut events) = (Vec::new(), Vec::new());
//! drain(&mut conn, &mut sent, &mut events); // asks the adapter to connect
//!
//! conn.handle_input(now, Input::Connected).unwrap();
//! let create = conn.create_session(now).unwrap();
//! drain(&mut conn, &mut sent, &mut events);
//! let frame: serde_json::Value = serde_json::from_str(&sent[0]).unwrap();
//! assert_eq!(frame["janus"], "create");
//! let tx = frame["transaction"].as_str().unwrap();
//!
//! // The server's reply arrives.
//! let reply = format!(r#"{{"janus":"success","transaction":"{tx}","data":{{"id":8688074183371751}}}}"#);
//! now += Duration::from_millis(3);
//! conn.handle_input(now, Input::Frame(reply.as_bytes())).unwrap();
//! drain(&mut conn, &mut sent, &mut events);
//! let session = match &events[..] {
//!     [Event::Connected, Event::Response { id, result: Ok(Reply::SessionCreated(s)) }] => {
//!         assert_eq!(*id, create);
//!         *s
//!     }
//!     other => panic!("unexpected {other:?}"),
//! };
//!
//! // Keepalive is automatic: jump the clock to the engine's deadline.
//! let deadline = conn.poll_timeout().unwrap();
//! conn.handle_input(deadline, Input::Timeout).unwrap();
//! drain(&mut conn, &mut sent, &mut events);
//! let keepalive: serde_json::Value = serde_json::from_str(sent.last().unwrap()).unwrap();
//! assert_eq!(keepalive["janus"], "keepalive");
//! assert_eq!(keepalive["session_id"], session.0);
//! ```
//!
//! # Flavours
//!
//! * [`Transport::WebSocket`]: one connection carries every session; the engine
//!   emits [`Transmit::Text`] and asks for (re)connection with
//!   [`Output::Connect`]. On a drop it fails the requests in flight with
//!   [`RequestError::TransportClosed`] (idempotent ones, `keepalive`, `info`
//!   and `ping`, are retried), reconnects under the [`ReconnectPolicy`], and
//!   `claim`s every live session on the new connection, reporting each as
//!   [`SessionEvent::Reclaimed`] or ended with [`EndReason::TransportLost`]. A
//!   session is never silently replaced by a new one. The same flavour
//!   carries Janus's Unix-socket transport (`janus.transport.pfunix`): one
//!   packet per message, the adapter's `Connected`/`Closed` standing for the
//!   socket's; [`Config::max_request_size`] (8 KiB there,
//!   [`UNIX_MAX_REQUEST`]) refuses a request the server could not read.
//! * [`Transport::Http`]: every request is a [`Transmit::Http`] POST to
//!   `/<session>[/<handle>]` under the base URL, answered by its response
//!   body; events arrive through one long poll per session (a GET) that the
//!   engine keeps armed, re-arms after every answer, and backs off after
//!   failures.
//!
//! # What the server does that its documentation does not say
//!
//! The engine accepts an `event` for a transaction before the `ack` of that
//! transaction; reports a plugin's failure carried inside a Janus `success`
//! as [`RequestError::Plugin`]; reads several JSON objects from one
//! WebSocket frame; takes a 404 long poll as the session being gone; and
//! keeps a grace period ([`Config::expiry_grace`]) past the nominal
//! deadline, since the server's watchdog fires 2 to 4 s late.

//!
//! # Layout
//!
//! [`Connection`] is split by protocol concept, quinn-proto style, each file
//! one `impl Connection` block: `connection.rs` (the public contract:
//! commands, getters, `handle_input`, `poll_output`), `transaction.rs`
//! (requests in flight, deadlines, retries, resolution), `session.rs`
//! (session and handle tables and every way they end), `liveness.rs`
//! (keepalive, expiry estimate, holds, the learned session timeout),
//! `link.rs` (connect, back-off, server rotation, reclaim), `long_poll.rs`
//! (HTTP exchanges and long polls) and `dispatch.rs` (what each inbound
//! message does). Bytes become typed messages in `inbound.rs` (one pass,
//! borrowed strings; nested parts stay raw text until needed, so the state
//! machine never reads JSON fields by name), and requests become JSON text
//! in `outbound.rs`. A plugin's data stays raw in a [`PluginData`] until the
//! caller looks at it. `timers.rs` holds every deadline in one ordered set.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod admin;
mod config;
mod connection;
mod dispatch;
mod error;
mod ids;
mod inbound;
mod late;
mod link;
mod liveness;
mod long_poll;
pub mod monitor;
mod outbound;
mod plugin_data;
pub mod plugins;
mod session;
mod snapshot;
mod timers;
mod transaction;
mod types;

pub use config::{
    Api, Config, KeepaliveInterval, ReconnectPolicy, Secret, Transport, UNIX_MAX_REQUEST,
};
pub use connection::Connection;
pub use error::{
    CommandError, InputError, JanusError, JanusErrorKind, PluginError, ProtocolError, RequestError,
};
pub use ids::{ExchangeId, HandleId, RequestId, SessionId};
pub use plugin_data::PluginData;
pub use snapshot::{Counters, Footprint, HandleInfo, SessionInfo, SessionOrigin};
pub use types::{
    Candidate, EndReason, Event, HandleEvent, HttpMethod, HttpRequest, Input, Jsep, Output,
    PluginReply, Reply, Request, SdpType, ServerInfo, SessionEvent, Transmit, Trickle,
};

/// Re-exported so callers can build message bodies without naming the crate.
pub use serde_json;
