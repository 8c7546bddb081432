//! The async client for the [Janus WebRTC Gateway](https://janus.conf.meetecho.com/)
//! shared by the runtime adapters `janus-tokio` and `janus-smol`, on top of
//! the sans-IO engine [`janus_core`].
//!
//! Use it through an adapter, which names the runtime: `janus_tokio::Client`
//! is `Client<janus_tokio::Tokio>`, `janus_smol::Client` is
//! `Client<janus_smol::Smol>`. Code can also be written for any runtime:
//!
//! ```no_run
//! use janus_async::{Client, Error, Runtime};
//! use janus_async::janus_core::serde_json::json;
//! use futures_util::StreamExt;
//!
//! async fn echo<R: Runtime>() -> Result<(), Error> {
//!     let janus = Client::<R>::connect("ws://127.0.0.1:8188").await?;
//!     let session = janus.create_session().await?;
//!     let handle = session.attach("janus.plugin.echotest").await?;
//!     let mut events = handle.events(); // a Stream of HandleEvent
//!     let reply = handle.message(json!({"audio": true})).await?; // through the ack to the event
//!     println!("{}", reply.data);
//!     handle.detach().await?;
//!     while let Some(event) = events.next().await {
//!         println!("{event:?}"); // ..., then Ended(Detached)
//!     }
//!     session.destroy().await?;
//!     janus.close().await;
//!     Ok(())
//! }
//! ```
//!
//! # How it works
//!
//! Everything here is written once, for any runtime: the [`Runtime`] trait
//! is the whole of what an adapter supplies (spawn a task, sleep until an
//! instant, open a WebSocket, open a TCP or TLS stream for HTTP, register a
//! Unix packet socket with its reactor). A Unix socket (`unix://`,
//! `unix+dgram://`) reaches the driver as a WebSocket whose messages are
//! packets ([`PacketIo`]).
//!
//! [`Client::connect`] spawns one driver task per connection. It owns the
//! [`janus_core::Connection`] and runs one loop: take in commands, WebSocket
//! messages and finished HTTP exchanges, feed the engine with a fresh
//! `Instant::now()`, drain its outputs (frames to the socket, HTTP
//! exchanges started, waiting callers woken through oneshot channels,
//! events fanned out to each session's and handle's stream), then wait on
//! the socket, the command channel, the exchanges and the engine's one
//! deadline. Keepalives, long polls and reconnects go on whether or not the
//! caller is polling anything.
//!
//! * **WebSocket** (`ws://`, `wss://`): `tokio-tungstenite` or
//!   `async-tungstenite`, subprotocol `janus-protocol`, TLS by rustls (ring,
//!   webpki roots). A dropped connection is reopened and its sessions
//!   claimed again under the engine's `ReconnectPolicy`.
//! * **HTTP** (`http://`, `https://`, the base path such as
//!   `http://127.0.0.1:8088/janus`): hyper's HTTP/1.1 client connections
//!   with a small keep-alive pool; each exchange (a POST, or a session's
//!   long poll) runs inside the driver task and is bounded by the engine's
//!   deadline.
//!
//! # Lifetimes and cancellation
//!
//! Each [`Session`] and [`Handle`] has an [`Events`] stream that ends with
//! an `Ended` event carrying its `EndReason`, exactly once, whatever the
//! cause. Dropping a `Session` destroys it on the server and dropping a
//! `Handle` detaches it (queued, not awaited), unless it already ended or
//! was destroyed or detached explicitly.
//!
//! Every future is cancellation-safe: dropping one leaves the engine
//! consistent; the request still resolves inside the engine and its outcome
//! is discarded, and a dropped `create_session`, `claim` or `attach` whose
//! reply arrives anyway has what it created destroyed or detached, as if
//! the `Session` or `Handle` had been dropped.
//!
//! [`Client::close`] stops the driver and waits for it; dropping the last
//! clone of the client (sessions and handles hold one) stops it too, after
//! giving queued destroys and detaches up to 2 s.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "amqp")]
mod amqp;
mod client;
mod driver;
mod fleet;
mod http;
#[cfg(feature = "media")]
mod media;
mod receive;
mod runtime;
#[cfg(unix)]
mod unix;

pub use client::{AdminClient, Client, Events, Handle, Hold, Session};
pub use fleet::{Fleet, FleetBuilder, FleetSession, PING_INTERVAL};
pub use janus_client::fleet::{
    DrainCause, FleetError, PlaceFn, Policy, ServerState, ServerView, Unavailable,
};
pub use janus_client::net::{
    endpoint, server_name, tls_config, websocket_config, websocket_request, SUBPROTOCOL,
};
pub use janus_client::{
    ClientEvent, Error, HandleEvent, Metrics, Options, SessionEvent, SessionLifetime, TypedEvent,
};
/// The media crate, with the `media` feature.
#[cfg(feature = "media")]
pub use janus_media;
#[cfg(feature = "media")]
pub use media::{MediaEvents, MediaHandle};
pub use receive::{Delivery, EventReceiver};
pub use runtime::{
    Accepting, BoxFuture, BoxHttpIo, BoxUdp, BoxWebSocket, Endpoint, HttpIo, Runtime, UdpIo,
    WebSocket,
};
#[cfg(unix)]
pub use unix::{BoxPacketIo, PacketIo};

pub use janus_client;
pub use janus_core;
/// The AMQP client behind `amqp://` URLs, with the `amqp` feature.
#[cfg(feature = "amqp")]
pub use lapin;
pub use tungstenite;
