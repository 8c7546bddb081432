//! Server settings: `get_status` and the requests that change one setting.

use super::*;

/// `get_status`: the server's current settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GetStatus;

/// The server's settings, as `get_status` reports them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Status {
    /// Whether stored-token authentication is on.
    pub token_auth: Option<bool>,
    /// The session timeout in seconds (0: sessions never expire).
    pub session_timeout: Option<u64>,
    /// How long a session whose transport went away can still be claimed, in seconds.
    pub reclaim_session_timeout: Option<u64>,
    /// How long trickled candidates for an unknown stream are kept, in seconds.
    pub candidates_timeout: Option<u64>,
    /// The log level (0 none to 7 huge).
    pub log_level: Option<u8>,
    /// Whether log lines carry timestamps.
    pub log_timestamps: Option<bool>,
    /// Whether log lines are coloured.
    pub log_colors: Option<bool>,
    /// Whether lock debugging is on.
    pub locking_debug: Option<bool>,
    /// Whether reference-count debugging is on.
    pub refcount_debug: Option<bool>,
    /// Whether libnice debugging is on.
    pub libnice_debug: Option<bool>,
    /// The minimum size of the NACK queue, in milliseconds.
    pub min_nack_queue: Option<u32>,
    /// Whether NACK optimizations are on.
    #[serde(rename = "nack-optimizations")]
    pub nack_optimizations: Option<bool>,
    /// Seconds without media before a `media` event says it stopped.
    pub no_media_timer: Option<u32>,
    /// NACKs per second above which a `slowlink` is reported (0: never).
    pub slowlink_threshold: Option<u32>,
    /// Settings of a newer server not known here.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

admin_call!(GetStatus => Status, "status", |_s| AdminRequest::new("get_status"));

/// `set_session_timeout`: the session timeout of the whole server (when
/// built with [`global`](Self::global)) or of one session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SetSessionTimeout {
    #[serde(skip)]
    session: Option<SessionId>,
    timeout: i64,
}

impl SetSessionTimeout {
    /// The server's session timeout, in seconds (0: sessions never expire).
    pub fn global(seconds: u64) -> Self {
        Self {
            session: None,
            timeout: seconds.min(i64::MAX as u64) as i64,
        }
    }

    /// One session's timeout: `Some(seconds)` (0: never expires), or
    /// `None` to follow the server's again.
    pub fn session(session: SessionId, seconds: Option<u64>) -> Self {
        Self {
            session: Some(session),
            timeout: seconds.map_or(-1, |s| s.min(i64::MAX as u64) as i64),
        }
    }
}

admin_call!(SetSessionTimeout => i64, "timeout", |s| AdminRequest {
    session: s.session,
    ..request("set_session_timeout", s)
});

/// Declares a request that sets one server setting and answers with its
/// new value.
macro_rules! setting {
    ($(#[$doc:meta])* $ty:ident, $verb:literal, $field:ident: $value:ty, $reply_key:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
        pub struct $ty {
            $field: $value,
        }

        impl $ty {
            /// The request, with the new value.
            pub fn new($field: $value) -> Self {
                Self { $field }
            }
        }

        admin_call!($ty => $value, $reply_key, |s| request($verb, s));
    };
}

setting!(
    /// `set_log_level`: the log level (0 none to 7 huge); answers with it.
    SetLogLevel, "set_log_level", level: u8, "level"
);
setting!(
    /// `set_log_timestamps`: whether log lines carry timestamps.
    SetLogTimestamps, "set_log_timestamps", timestamps: bool, "log_timestamps"
);
setting!(
    /// `set_log_colors`: whether log lines are coloured.
    SetLogColors, "set_log_colors", colors: bool, "log_colors"
);
setting!(
    /// `set_locking_debug`: lock debugging on or off.
    SetLockingDebug, "set_locking_debug", debug: bool, "locking_debug"
);
setting!(
    /// `set_refcount_debug`: reference-count debugging on or off.
    SetRefcountDebug, "set_refcount_debug", debug: bool, "refcount_debug"
);
setting!(
    /// `set_libnice_debug`: libnice debugging on or off.
    SetLibniceDebug, "set_libnice_debug", debug: bool, "libnice_debug"
);
setting!(
    /// `set_min_nack_queue`: the minimum NACK queue, in milliseconds.
    SetMinNackQueue, "set_min_nack_queue", min_nack_queue: u32, "min_nack_queue"
);
setting!(
    /// `set_nack_optimizations`: NACK optimizations on or off.
    SetNackOptimizations, "set_nack_optimizations", nack_optimizations: bool, "nack-optimizations"
);
setting!(
    /// `set_no_media_timer`: seconds without media before a `media` event
    /// says it stopped.
    SetNoMediaTimer, "set_no_media_timer", no_media_timer: u32, "no_media_timer"
);
setting!(
    /// `set_slowlink_threshold`: NACKs per second above which `slowlink` is
    /// reported (0: never).
    SetSlowlinkThreshold, "set_slowlink_threshold", slowlink_threshold: u32, "slowlink_threshold"
);
setting!(
    /// `accept_new_sessions`: whether the server takes new sessions (off to
    /// drain it: existing sessions go on).
    AcceptNewSessions, "accept_new_sessions", accept: bool, "accept"
);
