//! A blocking client for the [Janus WebRTC Gateway](https://janus.conf.meetecho.com/),
//! for scripts and tools, on top of the sans-IO engine [`janus_core`].
//!
//! ```no_run
//! use janus_blocking::{Client, HandleEvent};
//! use janus_blocking::janus_core::serde_json::json;
//! use std::time::Duration;
//!
//! # fn main() -> Result<(), janus_blocking::Error> {
//! let client = Client::connect("ws://127.0.0.1:8188")?; // or http://127.0.0.1:8088/janus
//! let session = client.create_session()?;
//! let handle = session.attach("janus.plugin.echotest")?;
//! let reply = handle.message(json!({"audio": true}))?; // waits through the ack to the event
//! println!("{}", reply.data);
//! if let Ok(e) = handle.events().recv_timeout(Duration::from_millis(100)) {
//!     println!("{e:?}");
//! }
//! handle.detach()?;
//! session.destroy()?;
//! # Ok(())
//! # }
//! ```
//!
//! # How it works
//!
//! [`Client::connect`] starts one background thread per connection. It
//! owns the [`janus_core::Connection`] and runs one loop: take commands from
//! the API side, feed the engine with a fresh `Instant::now()`, drain its
//! outputs (send frames, start HTTP exchanges, open the WebSocket, wake the
//! waiting callers, hand events to subscribers), then sleep until the
//! socket, a command or the engine's next deadline needs it. So keepalives,
//! long polls and reconnects go on while the caller is blocked or busy.
//!
//! * **WebSocket** (`ws://`, `wss://`): tungstenite, subprotocol
//!   `janus-protocol`, TLS by rustls (ring provider, webpki roots). The
//!   socket is non-blocking and the thread waits in `poll(2)` on it and on a
//!   doorbell rung with every command. A dropped connection is reopened and
//!   its sessions claimed again under the [`ReconnectPolicy`](janus_core::ReconnectPolicy).
//! * **HTTP** (`http://`, `https://`, the base path such as
//!   `http://127.0.0.1:8088/janus`): ureq; each exchange (a POST request or
//!   a session's long poll, which blocks up to 30 s) runs on a short-lived
//!   thread of its own and hands its result back.
//!
//! # Lifetimes
//!
//! Every call blocks until its reply, bounded by the request timeout
//! (`Config::request_timeout`, 15 s by default). Each [`Session`] and
//! [`Handle`] has an [`Events`] receiver; each ends exactly once with an
//! `Ended` event carrying its [`EndReason`](janus_core::EndReason), whatever
//! the cause (destroyed, detached, timed out on the server, gone, expired,
//! transport lost, client closed).
//!
//! Dropping a `Session` destroys it on the server and dropping a `Handle`
//! detaches it (fire and forget: queued, not awaited), unless it already
//! ended or was destroyed or detached explicitly. [`Client::close`] stops
//! the thread without destroying anything (sessions end locally with
//! `Closed`); so does dropping the last clone of the client (sessions and
//! handles hold one), after giving queued destroys and detaches up to 2 s.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod driver;
mod fleet;
mod http;
mod link;
#[cfg(feature = "media")]
pub mod media;
mod wake;
mod ws;

pub use client::{AdminClient, Client, Events, Handle, Hold, Session, TypedEvents};
pub use fleet::{Fleet, FleetSession, PING_INTERVAL};
pub use janus_client::fleet::{
    DrainCause, FleetError, PlaceFn, Policy, ServerState, ServerView, Unavailable,
};
pub use janus_client::{
    ClientEvent, Error, HandleEvent, Metrics, Options, SessionEvent, SessionLifetime, TypedEvent,
};

pub use janus_client;
pub use janus_core;
/// The media crate, with the `media` feature.
#[cfg(feature = "media")]
pub use janus_media;
