//! What the engine's getters report: snapshots of a session and a handle,
//! how much state the engine holds, and what it has counted.

use crate::ids::{HandleId, SessionId};
use std::time::Instant;

/// How a tracked session came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionOrigin {
    /// Created by this engine (`create`).
    Created,
    /// Joined by id (`claim`).
    Claimed,
}

/// A snapshot of one tracked session.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionInfo {
    /// Created here or claimed.
    pub origin: SessionOrigin,
    /// Whether the engine sends keepalives for it.
    pub keepalive: bool,
    /// Whether it is waiting to be claimed on a new connection.
    pub reclaiming: bool,
    /// The count of [`Connection::prevent_expire`](crate::Connection::prevent_expire) holds.
    pub holds: u32,
    /// The last request addressed to it (the server's notion of activity).
    pub last_activity: Instant,
    /// Its tracked handles.
    pub handles: Vec<HandleId>,
}

/// A snapshot of one tracked handle.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HandleInfo {
    /// The handle's session.
    pub session: SessionId,
    /// The plugin's package name.
    pub plugin: String,
    /// The opaque id given at attach.
    pub opaque_id: Option<String>,
}

/// What the engine has counted since it was created (for metrics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counters {
    /// WebSocket connections made again after a drop.
    pub reconnects: u64,
    /// Links found dead by the link timeout (a silent partition).
    pub dead_links: u64,
    /// Requests that got no reply before their deadline.
    pub timeouts: u64,
    /// Answers that came after their request timed out.
    pub late_replies: u64,
    /// Requests the engine sent to tidy up after a late answer (destroying
    /// a session, or detaching a handle, that nobody holds).
    pub cleanups: u64,
}

/// How much state the engine holds (for leak checks and metrics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Footprint {
    /// Tracked sessions.
    pub sessions: usize,
    /// Tracked handles.
    pub handles: usize,
    /// Requests not yet resolved (including automatic ones).
    pub requests: usize,
    /// Armed timers.
    pub timers: usize,
    /// HTTP exchanges awaiting an answer.
    pub exchanges: usize,
    /// Requests waiting to be transmitted.
    pub queued: usize,
    /// Events not yet polled.
    pub events: usize,
}

impl Footprint {
    /// Whether the engine holds nothing at all.
    pub fn is_empty(&self) -> bool {
        *self == Footprint::default()
    }
}
