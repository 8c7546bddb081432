//! Real WebRTC media for Janus handles, sans-IO.
//!
//! A [`PeerConnection`] wraps one [str0m](https://docs.rs/str0m) `Rtc`
//! and speaks Janus's side of it: it makes the JSEP offer or answer a
//! plugin message carries, takes Janus's JSEP and trickled candidates,
//! plays media files at their own pace, records what comes back, and
//! carries data channel messages by label. Like the signalling engine it
//! never touches a socket or a clock: UDP datagrams and the time go in,
//! datagrams to send, events and the next deadline come out. The adapters
//! (`janus-tokio`, `janus-smol`, `janus-blocking`, each with its `media`
//! feature) own the UDP socket and the timer.
//!
//! ```no_run
//! use std::time::Instant;
//! use janus_media::{Direction, Output, PeerConnection, Tracks};
//!
//! let now = Instant::now();
//! let mut pc = PeerConnection::new("192.0.2.10:40000".parse().unwrap(), now).unwrap();
//! let offer = pc.create_offer(
//!     &Tracks::new().audio(Direction::SendRecv).video(Direction::SendRecv).data_channel("chat"),
//! ).unwrap();
//! // ... send `offer` with a plugin message; then, with the reply's JSEP:
//! # let answer = offer.clone();
//! pc.accept_answer(&answer).unwrap();
//! loop {
//!     match pc.poll_output() {
//!         Output::Transmit { to, data } => { /* socket.send_to(&data, to) */ }
//!         Output::Event(event) => { /* Connected, Frame, ChannelMessage, Ended, ... */ }
//!         Output::Timeout(at) => break, // wait for a datagram or `at`
//!     }
//! }
//! ```
//!
//! Janus gathers no ICE candidate on a loopback interface: the socket must
//! be bound to an address of an interface Janus uses.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod container;
mod error;
mod files;
mod frame;
mod peer;
mod playback;
mod shared;

pub use error::MediaError;
pub use files::{local_ip_toward, Event, FilePlan, MediaOptions};
pub use frame::Frame;
pub use peer::{MediaEnd, MediaEvent, Output, PeerConnection, Tracks, DEFAULT_CONNECT_TIMEOUT};
pub use playback::{create_file, open_file, FrameSink, Source};
pub use shared::{SharedPeer, EVENT_CAPACITY};
pub use str0m::format::Codec;
pub use str0m::media::{Direction, MediaKind, Mid};
