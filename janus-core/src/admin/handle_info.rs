//! `handle_info`: what the server knows about one handle, typed where
//! operators read it (plugin, ICE and DTLS state, traffic), the rest kept
//! as JSON.

use crate::ids::{HandleId, SessionId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The `info` of a `handle_info` reply.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HandleInfo {
    /// The session.
    pub session_id: Option<SessionId>,
    /// The session's last activity, on the server's monotonic clock (µs).
    pub session_last_activity: Option<u64>,
    /// The session's timeout in seconds.
    pub session_timeout: Option<u64>,
    /// The transport that created the session (`janus.transport.http`, ...).
    pub session_transport: Option<String>,
    /// The handle.
    pub handle_id: Option<HandleId>,
    /// The opaque id given at attach.
    pub opaque_id: Option<String>,
    /// Whether the handle's event loop runs.
    #[serde(rename = "loop-running")]
    pub loop_running: Option<bool>,
    /// When the handle was created, on the server's monotonic clock (µs).
    pub created: Option<u64>,
    /// The server's monotonic clock when it answered (µs).
    pub current_time: Option<u64>,
    /// The plugin's package name.
    pub plugin: Option<String>,
    /// What the plugin reports about the handle.
    pub plugin_specific: Option<Value>,
    /// The WebRTC state flags (absent when only the plugin's part was asked for).
    pub flags: Option<HandleFlags>,
    /// When the ICE agent was created (µs).
    #[serde(rename = "agent-created")]
    pub agent_created: Option<u64>,
    /// `full` or `lite`.
    #[serde(rename = "ice-mode")]
    pub ice_mode: Option<String>,
    /// `controlling` or `controlled`.
    #[serde(rename = "ice-role")]
    pub ice_role: Option<String>,
    /// The negotiated SDPs.
    pub sdps: Option<Value>,
    /// Packets waiting to be sent.
    #[serde(rename = "queued-packets")]
    pub queued_packets: Option<i64>,
    /// The PeerConnection's streams (one with a PeerConnection, none before).
    #[serde(default)]
    pub streams: Vec<Stream>,
    /// Fields of a newer server not known here.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl HandleInfo {
    /// Whether the PeerConnection is up (ICE and DTLS done).
    pub fn webrtc_ready(&self) -> bool {
        self.flags.as_ref().is_some_and(|f| f.ready)
    }

    /// The ICE state of the first component (`connected`, `ready`,
    /// `failed`, ...), if there is a PeerConnection.
    pub fn ice_state(&self) -> Option<&str> {
        self.components().find_map(|c| c.state.as_deref())
    }

    /// The DTLS state of the first component (`connected`, `trying`, ...).
    pub fn dtls_state(&self) -> Option<&str> {
        self.components()
            .find_map(|c| c.dtls.as_ref()?.dtls_state.as_deref())
    }

    /// Bytes received and sent over the PeerConnection so far (every
    /// `bytes` counter of the components' inbound and outbound statistics).
    pub fn bytes(&self) -> (u64, u64) {
        self.components().fold((0, 0), |(i, o), c| {
            (
                i + c.in_stats.as_ref().map_or(0, sum_bytes),
                o + c.out_stats.as_ref().map_or(0, sum_bytes),
            )
        })
    }

    fn components(&self) -> impl Iterator<Item = &Component> {
        self.streams.iter().flat_map(|s| s.components.iter())
    }
}

/// Adds up every `bytes` number in a statistics object (its shape varies
/// with the media the PeerConnection carries).
fn sum_bytes(stats: &Value) -> u64 {
    match stats {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                Value::Number(n) if k == "bytes" || k.ends_with("_bytes") => {
                    n.as_u64().unwrap_or(0)
                }
                other => sum_bytes(other),
            })
            .sum(),
        Value::Array(items) => items.iter().map(sum_bytes).sum(),
        _ => 0,
    }
}

/// A handle's WebRTC flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", default)]
#[non_exhaustive]
pub struct HandleFlags {
    /// An offer was received.
    pub got_offer: bool,
    /// An answer was received.
    pub got_answer: bool,
    /// The negotiation is complete.
    pub negotiated: bool,
    /// An offer is being processed.
    pub processing_offer: bool,
    /// The PeerConnection is starting.
    pub starting: bool,
    /// An ICE restart is under way.
    pub ice_restart: bool,
    /// ICE and DTLS are done: media can flow.
    pub ready: bool,
    /// The PeerConnection was stopped.
    pub stopped: bool,
    /// A DTLS alert was sent or received (the PeerConnection is closing).
    pub alert: bool,
    /// Candidates are trickled.
    pub trickle: bool,
    /// Every candidate was trickled.
    pub all_trickles: bool,
    /// Trickled candidates are to be sent again.
    pub resend_trickles: bool,
    /// Trickled candidates are in sync.
    pub trickle_synced: bool,
    /// Data channels are negotiated.
    pub data_channels: bool,
    /// Audio is negotiated.
    pub has_audio: bool,
    /// Video is negotiated.
    pub has_video: bool,
    /// Data channels were added in a renegotiation.
    pub new_datachan_sdp: bool,
    /// RTX (RFC 4588) is negotiated.
    pub rfc4588_rtx: bool,
    /// The handle's WebRTC resources are being cleaned up.
    pub cleaning: bool,
    /// End-to-end encryption is in use.
    pub e2ee: bool,
}

/// One stream of a PeerConnection.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stream {
    /// The stream's id.
    pub id: Option<u64>,
    /// Its components (one with bundle and rtcp-mux).
    #[serde(default)]
    pub components: Vec<Component>,
    /// The other fields (SSRCs, payload types, ...).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// One ICE component of a stream.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Component {
    /// The component's id.
    pub id: Option<u64>,
    /// The ICE state (`connected`, `ready`, `failed`, ...).
    pub state: Option<String>,
    /// When ICE connected (µs).
    pub connected: Option<u64>,
    /// The local candidates.
    #[serde(rename = "local-candidates", default)]
    pub local_candidates: Vec<String>,
    /// The remote candidates.
    #[serde(rename = "remote-candidates", default)]
    pub remote_candidates: Vec<String>,
    /// The selected candidate pair.
    #[serde(rename = "selected-pair")]
    pub selected_pair: Option<String>,
    /// The DTLS state.
    pub dtls: Option<Dtls>,
    /// Inbound traffic statistics.
    pub in_stats: Option<Value>,
    /// Outbound traffic statistics.
    pub out_stats: Option<Value>,
    /// The other fields.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The DTLS side of a component.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Dtls {
    /// Our fingerprint.
    pub fingerprint: Option<String>,
    /// The peer's fingerprint.
    pub remote_fingerprint: Option<String>,
    /// `client` or `server`.
    pub dtls_role: Option<String>,
    /// `created`, `trying`, `connected`, `failed`.
    pub dtls_state: Option<String>,
    /// Whether the peer's certificate matched its fingerprint.
    pub valid: Option<bool>,
    /// Whether the handshake is done.
    pub ready: Option<bool>,
    /// The other fields.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
