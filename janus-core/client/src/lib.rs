//! The client core of janus-rs: everything between the sans-IO engine
//! ([`janus_core::Connection`]) and the user that is not I/O, written once
//! for every adapter (`janus-blocking`, and `janus-async` under
//! `janus-tokio` and `janus-smol`).
//!
//! * [`ClientCore`] wraps the engine: commands in ([`ClientCore::request`],
//!   [`ClientCore::forget`], [`ClientCore::local`], [`ClientCore::shutdown`]),
//!   transport input in, and one [`Action`] out at a time (connect, send,
//!   wait, stop). It keeps which caller waits for which request, feeds each
//!   session's and handle's event stream, undoes what a cancelled call
//!   created, lingers at shutdown for the destroys of dropped values, and
//!   answers every caller exactly once. A driver is a thin I/O loop around
//!   it: the async driver polls sockets and timers, the blocking one waits
//!   in `poll(2)`.
//! * [`api`]: what every adapter's `Client`, `Session` and `Handle` share:
//!   reply conversions and the destroy-or-detach-on-drop rule ([`api::Owned`]).
//! * [`Options`] (how to connect, [`Options::resolve`] for a URL),
//!   [`Error`] (every API call's error), [`ClientEvent`] (the connection's
//!   own events) and [`net`] (URL parsing, the one rustls configuration,
//!   the WebSocket handshake request), and [`unix`] (Janus's Unix-socket
//!   transport: its URLs and the packet socket every driver uses).
//!
//! The session and handle events are the engine's own types,
//! [`SessionEvent`] and [`HandleEvent`], each stream ending with its
//! `Ended` event.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod amqp;
pub mod api;
mod core;
mod error;
mod event;
pub mod fleet;
mod local;
mod log;
pub mod net;
mod options;
pub mod queue;
mod router;
pub mod unix;

pub use crate::core::{Action, Answer, Channels, ClientCore, ReplySender, SubscriberOf, LINGER};
pub use error::Error;
pub use event::{ClientEvent, TypedEvent};
pub use janus_core::{HandleEvent, SessionEvent};
pub use local::{Local, LocalWork, Metrics, SessionLifetime};
pub use options::Options;
pub use router::{EventSender, Subscriber};

pub use janus_core;
