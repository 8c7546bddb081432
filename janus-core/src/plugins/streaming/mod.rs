//! The Streaming plugin (`janus.plugin.streaming`): relays media that
//! Janus receives from elsewhere (RTP, RTSP, files) to WebRTC viewers, one
//! "mountpoint" per source.
//!
//! A viewer sends [`Watch`] and gets an [`Event::Status`] `preparing` with
//! Janus's SDP offer; it answers with [`Start`] (carrying the SDP answer),
//! then may [`Pause`], [`Configure`], [`Switch`] to another mountpoint, or
//! [`Stop`]. Mountpoint management ([`List`], [`Info`], [`Create`],
//! [`Edit`], [`Destroy`], [`Enable`], [`Disable`], [`Recording`],
//! [`KickAll`]) is answered synchronously.
//!
//! Viewer events carry their content in a nested `result` object:
//! `{"streaming": "event", "result": {"status": "preparing"}}`.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{json, Value};

use super::{
    bare_request, error_codes, plugin_struct, read_with_from_data, requests, typed, ErrorEvent,
};
pub use super::{Layers, MediaType, MountpointId, Success};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.streaming";

super::plugin!(
    /// The Streaming plugin, for `attach_as` and typed events.
    Streaming
);

/// Where a new mountpoint's media comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceType {
    /// RTP sent to ports Janus listens on.
    Rtp,
    /// A file played to all viewers at once.
    Live,
    /// A file played from the start for each viewer.
    Ondemand,
    /// An RTSP server Janus pulls from.
    Rtsp,
}

mod viewer;
pub use viewer::*;
mod mountpoints;
pub use mountpoints::*;
mod replies;
pub use replies::*;
mod events;
pub use events::*;
