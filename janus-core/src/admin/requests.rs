//! Every Admin API request of Janus 1.1.2, typed, with its reply.

use super::{fields_of, AdminCall, AdminRequest, HandleInfo};
use crate::ids::{HandleId, SessionId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The reply of a request that answers with nothing but success.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Done {}

/// Reads the reply field `key` as `T` (a missing field reads as `null`).
fn field<T: serde::de::DeserializeOwned>(
    mut fields: Map<String, Value>,
    key: &str,
) -> Result<T, serde_json::Error> {
    serde_json::from_value(fields.remove(key).unwrap_or(Value::Null))
}

/// Implements [`AdminCall`] for a request whose reply is one field of the
/// `success` (`$key`), or the whole `success` (no key).
macro_rules! admin_call {
    ($ty:ty => $reply:ty, $key:literal, |$s:ident| $request:expr) => {
        impl AdminCall for $ty {
            type Reply = $reply;
            fn to_request(&self) -> AdminRequest {
                let $s = self;
                $request
            }
            fn parse_reply(fields: Map<String, Value>) -> Result<$reply, serde_json::Error> {
                field(fields, $key)
            }
        }
    };
    ($ty:ty => $reply:ty, |$s:ident| $request:expr) => {
        impl AdminCall for $ty {
            type Reply = $reply;
            fn to_request(&self) -> AdminRequest {
                let $s = self;
                $request
            }
        }
    };
}

/// A request made of its verb and the struct's fields.
fn request<T: Serialize>(verb: &'static str, fields: &T) -> AdminRequest {
    AdminRequest {
        fields: fields_of(fields),
        ..AdminRequest::new(verb)
    }
}

// ----- server settings -------------------------------------------------------

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

// ----- sessions and handles --------------------------------------------------

/// `list_sessions`: every session on the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListSessions;

admin_call!(ListSessions => Vec<SessionId>, "sessions", |_s| AdminRequest::new("list_sessions"));

/// `list_handles`: the handles of one session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListHandles {
    session: SessionId,
}

impl ListHandles {
    /// The handles of `session`.
    pub fn new(session: SessionId) -> Self {
        Self { session }
    }
}

admin_call!(ListHandles => Vec<HandleId>, "handles", |s| AdminRequest::new("list_handles")
    .session(s.session));

/// `handle_info`: everything the server knows about one handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct GetHandleInfo {
    #[serde(skip)]
    session: SessionId,
    #[serde(skip)]
    handle: HandleId,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    plugin_only: bool,
}

impl GetHandleInfo {
    /// The state of `handle` in `session`.
    pub fn new(session: SessionId, handle: HandleId) -> Self {
        Self {
            session,
            handle,
            plugin_only: false,
        }
    }

    /// Only the plugin's part (`plugin_specific`), without the WebRTC state.
    pub fn plugin_only(mut self) -> Self {
        self.plugin_only = true;
        self
    }
}

admin_call!(GetHandleInfo => HandleInfo, "info", |s| request("handle_info", s)
    .handle(s.session, s.handle));

/// Declares a request addressed to one session or handle with no fields.
macro_rules! targeted {
    ($(#[$doc:meta])* $ty:ident, $verb:literal, session) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $ty {
            session: SessionId,
        }

        impl $ty {
            /// The request for `session`.
            pub fn new(session: SessionId) -> Self {
                Self { session }
            }
        }

        admin_call!($ty => Done, |s| AdminRequest::new($verb).session(s.session));
    };
    ($(#[$doc:meta])* $ty:ident, $verb:literal, handle) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $ty {
            session: SessionId,
            handle: HandleId,
        }

        impl $ty {
            /// The request for `handle` in `session`.
            pub fn new(session: SessionId, handle: HandleId) -> Self {
                Self { session, handle }
            }
        }

        admin_call!($ty => Done, |s| AdminRequest::new($verb).handle(s.session, s.handle));
    };
}

targeted!(
    /// `destroy_session`: ends a session and its handles, as its owner's
    /// `destroy` would.
    DestroySession, "destroy_session", session
);
targeted!(
    /// `detach_handle`: ends a handle, as its owner's `detach` would.
    DetachHandle, "detach_handle", handle
);
targeted!(
    /// `hangup_webrtc`: closes a handle's PeerConnection (hangup reason
    /// "Admin API").
    HangupWebrtc, "hangup_webrtc", handle
);
targeted!(
    /// `stop_pcap`: stops a handle's pcap capture.
    StopPcap, "stop_pcap", handle
);
targeted!(
    /// `stop_text2pcap`: stops a handle's text2pcap capture.
    StopText2Pcap, "stop_text2pcap", handle
);

/// `start_pcap` (or `start_text2pcap`): captures a handle's unencrypted
/// traffic to a file on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StartPcap {
    #[serde(skip)]
    session: SessionId,
    #[serde(skip)]
    handle: HandleId,
    #[serde(skip)]
    text: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    folder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    truncate: Option<u32>,
}

impl StartPcap {
    /// A pcap capture of `handle` in `session`, named by the server.
    pub fn new(session: SessionId, handle: HandleId) -> Self {
        Self {
            session,
            handle,
            text: false,
            folder: None,
            filename: None,
            truncate: None,
        }
    }

    /// A text2pcap capture instead (a text dump `text2pcap` can convert).
    pub fn text(mut self) -> Self {
        self.text = true;
        self
    }

    /// The folder on the server to write into.
    pub fn folder(mut self, folder: impl Into<String>) -> Self {
        self.folder = Some(folder.into());
        self
    }

    /// The file name.
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// Keeps only the first `bytes` of each packet.
    pub fn truncate(mut self, bytes: u32) -> Self {
        self.truncate = Some(bytes);
        self
    }
}

admin_call!(StartPcap => Done, |s| {
    let verb = if s.text { "start_text2pcap" } else { "start_pcap" };
    request(verb, s).handle(s.session, s.handle)
});

// ----- stored tokens ---------------------------------------------------------

/// A stored token and the plugins it may attach to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    /// The token.
    pub token: String,
    /// The plugins it may attach to.
    #[serde(default)]
    pub allowed_plugins: Vec<String>,
}

/// The `data` of the token requests.
#[derive(Deserialize)]
struct TokenData<T> {
    #[serde(alias = "tokens")]
    plugins: T,
}

/// Declares a token request that answers with `data.plugins` (or `data.tokens`).
macro_rules! token_call {
    ($ty:ty => $reply:ty, |$s:ident| $request:expr) => {
        impl AdminCall for $ty {
            type Reply = $reply;
            fn to_request(&self) -> AdminRequest {
                let $s = self;
                $request
            }
            fn parse_reply(fields: Map<String, Value>) -> Result<$reply, serde_json::Error> {
                field::<TokenData<$reply>>(fields, "data").map(|d| d.plugins)
            }
        }
    };
}

/// `add_token`: stores a token for stored-token authentication; it may
/// attach to the plugins given, or to every plugin when none are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AddToken {
    token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    plugins: Option<Vec<String>>,
}

impl AddToken {
    /// Stores `token`, allowed every plugin.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            plugins: None,
        }
    }

    /// Allows only `plugins` (package names).
    pub fn plugins<S: Into<String>>(mut self, plugins: impl IntoIterator<Item = S>) -> Self {
        self.plugins = Some(plugins.into_iter().map(Into::into).collect());
        self
    }
}

token_call!(AddToken => Vec<String>, |s| request("add_token", s));

/// `list_tokens`: every stored token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListTokens;

token_call!(ListTokens => Vec<StoredToken>, |_s| AdminRequest::new("list_tokens"));

/// `allow_token` (or `disallow_token`): gives a stored token access to
/// more plugins (or takes it away); answers with its plugins now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AllowToken {
    #[serde(skip)]
    allow: bool,
    token: String,
    plugins: Vec<String>,
}

impl AllowToken {
    /// Allows `token` the `plugins`.
    pub fn allow<S: Into<String>>(
        token: impl Into<String>,
        plugins: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            allow: true,
            token: token.into(),
            plugins: plugins.into_iter().map(Into::into).collect(),
        }
    }

    /// Takes the `plugins` away from `token`.
    pub fn disallow<S: Into<String>>(
        token: impl Into<String>,
        plugins: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            allow: false,
            ..Self::allow(token, plugins)
        }
    }
}

token_call!(AllowToken => Vec<String>, |s| request(
    if s.allow { "allow_token" } else { "disallow_token" },
    s
));

/// `remove_token`: forgets a stored token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemoveToken {
    token: String,
}

impl RemoveToken {
    /// Forgets `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
        }
    }
}

admin_call!(RemoveToken => Done, |s| request("remove_token", s));

// ----- plugins, transports, event handlers, loggers ----------------------------

/// `message_plugin` (and `query_transport`, `query_eventhandler`,
/// `query_logger`): a request to a module's admin interface; answers with
/// the module's `response`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueryModule {
    #[serde(skip)]
    verb: &'static str,
    #[serde(skip)]
    key: &'static str,
    #[serde(skip)]
    name: String,
    request: Value,
}

impl QueryModule {
    fn new(verb: &'static str, key: &'static str, name: String, request: Value) -> Self {
        Self {
            verb,
            key,
            name,
            request,
        }
    }

    /// `message_plugin`: `request` to the plugin `plugin` (a package name).
    pub fn plugin(plugin: impl Into<String>, request: Value) -> Self {
        Self::new("message_plugin", "plugin", plugin.into(), request)
    }

    /// `query_transport`: `request` to the transport `transport`.
    pub fn transport(transport: impl Into<String>, request: Value) -> Self {
        Self::new("query_transport", "transport", transport.into(), request)
    }

    /// `query_eventhandler`: `request` to the event handler `handler`.
    pub fn event_handler(handler: impl Into<String>, request: Value) -> Self {
        Self::new("query_eventhandler", "handler", handler.into(), request)
    }

    /// `query_logger`: `request` to the logger `logger`.
    pub fn logger(logger: impl Into<String>, request: Value) -> Self {
        Self::new("query_logger", "logger", logger.into(), request)
    }
}

admin_call!(QueryModule => Value, "response", |s| request(s.verb, s)
    .field(s.key, s.name.clone()));

/// `custom_event`: an event of the caller's making, handed to the event
/// handlers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomEvent {
    schema: String,
    data: Value,
}

impl CustomEvent {
    /// An event with the `schema` name and `data`.
    pub fn new(schema: impl Into<String>, data: Value) -> Self {
        Self {
            schema: schema.into(),
            data,
        }
    }
}

admin_call!(CustomEvent => Done, |s| request("custom_event", s));

/// `custom_logline`: a line of the caller's making in the server's log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CustomLogline {
    line: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<u8>,
}

impl CustomLogline {
    /// Logs `line` (at the info level unless [`level`](Self::level) says otherwise).
    pub fn new(line: impl Into<String>) -> Self {
        Self {
            line: line.into(),
            level: None,
        }
    }

    /// The log level of the line.
    pub fn level(mut self, level: u8) -> Self {
        self.level = Some(level);
        self
    }
}

admin_call!(CustomLogline => Done, |s| request("custom_logline", s));

// ----- network ---------------------------------------------------------------

/// `resolve_address`: has the server resolve a host name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResolveAddress {
    address: String,
}

impl ResolveAddress {
    /// Resolves `address`.
    pub fn new(address: impl Into<String>) -> Self {
        Self {
            address: address.into(),
        }
    }
}

/// What `resolve_address` found.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Resolved {
    /// The address it resolved to.
    pub ip: String,
    /// How long it took, in microseconds.
    pub elapsed: u64,
}

admin_call!(ResolveAddress => Resolved, |s| request("resolve_address", s));

/// `test_stun`: has the server ask a STUN server for its public address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TestStun {
    address: String,
    port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    localport: Option<u16>,
}

impl TestStun {
    /// Asks the STUN server at `address`:`port`.
    pub fn new(address: impl Into<String>, port: u16) -> Self {
        Self {
            address: address.into(),
            port,
            localport: None,
        }
    }

    /// The local port to send from.
    pub fn local_port(mut self, port: u16) -> Self {
        self.localport = Some(port);
        self
    }
}

/// What `test_stun` found.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StunResult {
    /// The server's public address, as the STUN server sees it.
    pub public_ip: String,
    /// Its public port.
    pub public_port: u16,
    /// How long it took, in microseconds.
    pub elapsed: u64,
}

admin_call!(TestStun => StunResult, |s| request("test_stun", s));

/// `loops_info`: the server's static event loops (empty unless configured).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoopsInfo;

admin_call!(LoopsInfo => Vec<Value>, "loops", |_s| AdminRequest::new("loops_info"));
