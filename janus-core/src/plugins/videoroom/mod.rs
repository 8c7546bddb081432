//! The VideoRoom plugin (`janus.plugin.videoroom`): an SFU where publishers
//! send their media once and subscribers pick the streams they want.
//!
//! A handle is either a publisher or a subscriber, decided by its first
//! request: [`JoinPublisher`] (answered by [`Joined`]) or [`JoinSubscriber`]
//! (answered by [`Attached`] with an SDP offer from Janus). Publishers then
//! [`Publish`] / [`Configure`] / [`Unpublish`]; subscribers [`Start`] (with
//! their SDP answer), [`Pause`], [`Switch`], [`Update`] and
//! [`ConfigureSubscriber`]; both [`Leave`].
//!
//! Room management ([`Create`], [`Edit`], [`Destroy`], [`Exists`],
//! [`List`], [`ListParticipants`], [`Allowed`], [`Kick`], [`Moderate`],
//! [`EnableRecording`], [`RtpForward`], [`StopRtpForward`],
//! [`ListForwarders`]) is answered synchronously, on any handle attached to
//! the plugin.
//!
//! Everything the plugin sends on a handle, answers and unsolicited
//! notifications alike, reads as an [`Event`]. Multistream shapes are those
//! of Janus 1.1: streams are identified by their `mid`, and subscriptions
//! name the publisher's feed and, optionally, one of its mids.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    bare_request, error_codes, plugin_struct, read_with_from_data, requests, typed, ErrorEvent,
    SlowLinkEvent,
};
pub use super::{AllowedAction, Layers, MediaType, ParticipantId, RoomId, Success};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.videoroom";

super::plugin!(
    /// The VideoRoom plugin, for `attach_as` and typed events.
    VideoRoom
);

/// Fields a struct does not name, kept as they came: the plugin's tag
/// (`"videoroom": "event"`) and anything a newer Janus adds.
pub type Extra = Map<String, Value>;

mod shared;
pub use shared::*;
mod publisher;
pub use publisher::*;
mod subscriber;
pub use subscriber::*;
mod rooms;
pub use rooms::*;
mod replies;
pub use replies::*;
mod events;
pub use events::*;
