//! The AudioBridge plugin (`janus.plugin.audiobridge`): an audio conference
//! bridge that decodes every participant, mixes the room on the server and
//! sends each one the mix of the others.
//!
//! A participant handle sends [`Join`] (answered, after an `ack`, by
//! [`Joined`] with the others already there), then [`Configure`] to change
//! its mute state or name, [`ChangeRoom`] to move without a new
//! PeerConnection, and [`Leave`]. Unlike VideoRoom, a participant can join
//! and be listed before it has negotiated any media.
//!
//! Room management ([`Create`], [`Edit`], [`Destroy`], [`Exists`],
//! [`Allowed`], [`List`], [`ListParticipants`], [`Kick`], [`KickAll`],
//! [`Mute`], [`Unmute`], [`MuteRoom`], [`UnmuteRoom`]), file playback
//! ([`PlayFile`], [`IsPlaying`], [`StopFile`]), plain RTP forwarding
//! ([`RtpForward`], [`StopRtpForward`], [`ListForwarders`]) and recording
//! ([`EnableRecording`] of the mix, [`EnableMjrs`] of each participant) are
//! answered synchronously, on any handle attached to the plugin.
//!
//! Everything the plugin sends on a participant's handle reads as an
//! [`Event`]. Changes to other participants (joins, mutes, renames) arrive
//! as lists of [`ParticipantInfo`] with their new state.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    bare_request, error_codes, plugin_struct, read_with_from_data, requests, typed, ErrorEvent,
};
pub use super::{AllowedAction, ParticipantId, RoomId, Success};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.audiobridge";

super::plugin!(
    /// The AudioBridge plugin, for `attach_as` and typed events.
    AudioBridge
);

/// Fields a struct does not name, kept as they came: the plugin's tag
/// (`"audiobridge": "event"`) and anything a newer Janus adds.
pub type Extra = Map<String, Value>;

mod rooms;
pub use rooms::*;
mod participant;
pub use participant::*;
mod replies;
pub use replies::*;
mod events;
pub use events::*;
