//! Typed vocabulary of Janus plugins: requests, replies, events and error
//! codes as plain serde data, with no I/O.
//!
//! Each plugin has its own module ([`audiobridge`], [`echotest`], [`nosip`],
//! [`recordplay`], [`sip`], [`streaming`], [`textroom`], [`videocall`],
//! [`videoroom`], [`voicemail`]). A request is a struct that implements
//! [`PluginRequest`]: it names the plugin it belongs to and the type of the
//! answer it gets. Serializing it gives the `body` of a Janus `message`; the
//! answer is read from `plugindata.data` with [`PluginRequest::parse_reply`].
//! Events that arrive without being asked for (another participant joining,
//! a room being destroyed) are read with each plugin's event enum, which
//! never fails on an event it does not know: such events land in its `Other`
//! variant (SIP and NoSIP also keep results they do not name in `Result`).
//!
//! Plugins that answer every request with the same `{"<plugin>": "event",
//! "result": {...}}` shape (Streaming, VideoCall, Record&Play) give the
//! content of `result` in their typed variants and write the whole object
//! back when serialized.
//!
//! The generic `message` path stays available for anything not typed here.
//!
//! ```
//! use janus_core::plugins::{videoroom, PluginRequest};
//! use janus_core::serde_json::json;
//!
//! let join = videoroom::JoinPublisher::new(1234).display("alice");
//! assert_eq!(videoroom::JoinPublisher::PLUGIN, "janus.plugin.videoroom");
//! assert_eq!(
//!     join.to_body(),
//!     json!({"request": "join", "ptype": "publisher", "room": 1234, "display": "alice"})
//! );
//!
//! // What Janus answers, as `plugindata.data`:
//! let data = json!({"videoroom": "joined", "room": 1234, "description": "Demo Room",
//!                   "id": 42, "private_id": 7, "publishers": []});
//! let joined = videoroom::JoinPublisher::parse_reply(data).unwrap();
//! assert_eq!(joined.id, videoroom::ParticipantId::from(42));
//! ```

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

pub mod audiobridge;
pub mod echotest;
pub mod nosip;
pub mod recordplay;
pub mod sip;
pub mod streaming;
pub mod textroom;
pub mod videocall;
pub mod videoroom;
pub mod voicemail;

/// A Janus plugin: its package name and what its events read as. Adapters
/// offer `attach_as::<P>()` (an attach to `P::NAME`) and a typed view of a
/// handle's events with it.
///
/// ```
/// use janus_core::plugins::{videoroom, Plugin};
/// use janus_core::serde_json::json;
///
/// assert_eq!(videoroom::VideoRoom::NAME, "janus.plugin.videoroom");
/// let event = videoroom::VideoRoom::event(json!({"videoroom": "destroyed", "room": 1}));
/// assert!(matches!(event, videoroom::Event::Destroyed(_)));
/// ```
pub trait Plugin {
    /// The plugin's package name.
    const NAME: &'static str;
    /// Its events, read from `plugindata.data`.
    type Event: fmt::Debug + Send + 'static;
    /// Reads one event's `plugindata.data` (never fails: what is not known
    /// lands in the event type's `Other` variant).
    fn event(data: Value) -> Self::Event;
}

/// Declares a plugin's marker type and its [`Plugin`] implementation.
macro_rules! plugin {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name;

        impl crate::plugins::Plugin for $name {
            const NAME: &'static str = PLUGIN;
            type Event = Event;
            fn event(data: serde_json::Value) -> Event {
                Event::from_data(data)
            }
        }
    };
}
pub(crate) use plugin;

/// A request to one plugin, ready to be sent as the `body` of a Janus
/// `message`, with the type of the answer it gets.
///
/// Only JSON crosses this trait: [`to_body`](Self::to_body) gives the body
/// to send, and [`parse_reply`](Self::parse_reply) reads the plugin's answer
/// (`plugindata.data`, from a synchronous `success` or from the `event` that
/// follows an `ack`). An adapter can therefore offer
/// `handle.send(request) -> Result<Request::Reply, _>` on top of its
/// untyped `message` call.
pub trait PluginRequest: Serialize {
    /// The package name of the plugin that understands this request; the
    /// handle it is sent on must be attached to this plugin.
    const PLUGIN: &'static str;

    /// What the plugin answers with when the request succeeds.
    type Reply: DeserializeOwned;

    /// The request as the JSON object to put in the message's `body`.
    fn to_body(&self) -> Value {
        // The request types here serialize to JSON objects with string keys
        // only, which cannot fail.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Reads the plugin's answer (`plugindata.data`). An answer that carries
    /// `error_code` is returned as [`ReplyError::Plugin`]; one that does not
    /// have the reply's shape as [`ReplyError::Decode`].
    fn parse_reply(data: Value) -> Result<Self::Reply, ReplyError> {
        parse_data(data)
    }
}

/// Reads a plugin's `plugindata.data` as `T`, first turning an
/// `error_code`/`error` pair into [`ReplyError::Plugin`].
pub fn parse_data<T: DeserializeOwned>(data: Value) -> Result<T, ReplyError> {
    if let Some(code) = data.get("error_code").and_then(Value::as_i64) {
        let reason = data
            .get("error")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        return Err(ReplyError::Plugin { code, reason });
    }
    match T::deserialize(&data) {
        Ok(reply) => Ok(reply),
        Err(e) => Err(ReplyError::Decode {
            detail: e.to_string(),
            data,
        }),
    }
}

/// Why a plugin's answer could not be read as the expected reply.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplyError {
    /// The plugin refused the request: its `error_code` and `error` text.
    /// Each plugin module has an `ErrorCode` enum that names the codes.
    #[error("plugin error {code}: {reason}")]
    Plugin {
        /// The plugin's numeric error code.
        code: i64,
        /// The plugin's explanation.
        reason: String,
    },
    /// The answer was not an error, but did not have the reply's shape.
    #[error("unexpected plugin reply ({detail}): {data}")]
    Decode {
        /// What serde found wrong.
        detail: String,
        /// The answer as received.
        data: Value,
    },
}

/// Declares an id type that holds either a 64-bit integer or a string, as
/// Janus's plugins accept both (their `string_ids` option), and serializes
/// back in the form it came in.
macro_rules! flexible_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Janus uses integers unless the plugin is configured with
        /// `string_ids = true`; the value keeps the form it was read in and
        /// is written back the same way.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(untagged)]
        pub enum $name {
            /// A numeric id (the default).
            Int(u64),
            /// A string id (`string_ids = true`).
            Str(String),
        }

        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                Self::Int(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self::Str(id.to_string())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self::Str(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Self::Int(id) => write!(f, "{id}"),
                    Self::Str(id) => f.write_str(id),
                }
            }
        }
    };
}

flexible_id!(
    /// The id of a room (VideoRoom, AudioBridge, TextRoom).
    RoomId
);
flexible_id!(
    /// The id of a Streaming mountpoint.
    MountpointId
);
flexible_id!(
    /// The id of a participant in a room, which is also the id of the feed
    /// a publisher offers to subscribers.
    ParticipantId
);

/// What an `allowed` request (VideoRoom, AudioBridge, TextRoom) does with
/// a room's list of invitation tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AllowedAction {
    /// Start checking tokens at join.
    Enable,
    /// Stop checking tokens.
    Disable,
    /// Add tokens to the list.
    Add,
    /// Remove tokens from the list.
    Remove,
}

/// The kind of media a stream (an m-line) carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    /// Audio.
    Audio,
    /// Video.
    Video,
    /// The data channel.
    Data,
}

/// Declares a plugin's error-code enum, its numeric conversions and its
/// `Display` from one table of `Name = code, "meaning"` rows.
macro_rules! error_codes {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u16)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant = $code,)+
        }

        impl $name {
            /// The numeric code as the plugin sends it in `error_code`.
            pub fn code(self) -> u16 {
                self as u16
            }
        }

        impl TryFrom<u16> for $name {
            type Error = u16;

            /// The named code, or the number back when this version of the
            /// plugin does not define it.
            fn try_from(code: u16) -> Result<Self, u16> {
                match code {
                    $($code => Ok(Self::$variant),)+
                    other => Err(other),
                }
            }
        }

        impl TryFrom<i64> for $name {
            type Error = i64;

            /// The named code, or the number back when this version of the
            /// plugin does not define it.
            fn try_from(code: i64) -> Result<Self, i64> {
                u16::try_from(code)
                    .ok()
                    .and_then(|c| Self::try_from(c).ok())
                    .ok_or(code)
            }
        }

        impl From<$name> for u16 {
            fn from(code: $name) -> u16 {
                code.code()
            }
        }
    };
}
pub(crate) use error_codes;

/// Reads `data` as `T` and wraps it, or gives `None` when the shape does not
/// match (the caller then keeps the raw value in its `Other` variant).
pub(crate) fn typed<T: DeserializeOwned, E>(data: &Value, wrap: impl FnOnce(T) -> E) -> Option<E> {
    T::deserialize(data).ok().map(wrap)
}

/// Implements `Deserialize` for a plugin's event enum through its
/// `from_data`, so reading an event never fails: what does not fit lands in
/// its `Other` variant.
macro_rules! read_with_from_data {
    ($event:ident) => {
        impl<'de> serde::Deserialize<'de> for $event {
            fn deserialize<D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<$event, D::Error> {
                serde_json::Value::deserialize(deserializer).map($event::from_data)
            }
        }
    };
}
pub(crate) use read_with_from_data;

/// Declares a request that has no fields besides its name, e.g.
/// `{"request": "start"}`.
macro_rules! bare_request {
    ($(#[$doc:meta])* $name:ident = $request:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "request", rename = $request)]
        pub struct $name {}
    };
}
pub(crate) use bare_request;

/// Declares that each listed request type is a [`PluginRequest`] of the
/// plugin `$plugin` with the given reply type.
macro_rules! requests {
    ($plugin:expr; $($req:ty => $reply:ty),+ $(,)?) => {
        $(
            impl $crate::plugins::PluginRequest for $req {
                const PLUGIN: &'static str = $plugin;
                type Reply = $reply;
            }
        )+
    };
}
pub(crate) use requests;

/// Declares a plugin data struct from its required fields, its optional
/// fields (written as `name: T`, declared as `Option<T>` that is left out
/// of the JSON when `None`) and, with `extra: name`, a map that keeps the
/// fields it does not name. Optional fields listed under `set` also get
/// builder-style setters; those under `opt` (reply fields) do not.
macro_rules! plugin_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$rattr:meta])* pub $req:ident: $rty:ty, )*
        }
        $( set { $( $(#[$sattr:meta])* $set:ident: $sty:ty, )* } )?
        $( opt { $( $(#[$oattr:meta])* $opt:ident: $oty:ty, )* } )?
        $( extra: $extra:ident )?
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$rattr])* pub $req: $rty, )*
            $($(
                $(#[$sattr])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $set: Option<$sty>,
            )*)?
            $($(
                $(#[$oattr])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $opt: Option<$oty>,
            )*)?
            $(
                /// Fields not named above, kept as they came: the plugin's
                /// tag (e.g. `"videoroom": "event"`) and anything a newer
                /// Janus adds.
                #[serde(flatten)]
                pub $extra: serde_json::Map<String, serde_json::Value>,
            )?
        }
        $(
            impl $name {
                $(
                    #[doc = concat!("Sets `", stringify!($set), "` (see the field's documentation).")]
                    #[must_use]
                    pub fn $set(mut self, value: impl Into<$sty>) -> Self {
                        self.$set = Some(value.into());
                        self
                    }
                )*
            }
        )?
    };
}
pub(crate) use plugin_struct;

plugin_struct! {
    /// A plugin's refusal, as it arrives in `plugindata.data` (`error_code`
    /// and `error`): inside a synchronous `success`, or as an event after an
    /// `ack`.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ErrorEvent {
        /// The plugin's numeric error code; each plugin module names its
        /// codes in an `ErrorCode` enum (see [`ErrorEvent::code`]).
        pub error_code: i64,
        /// The plugin's explanation, for people.
        pub error: String,
    }
    extra: extra
}

plugin_struct! {
    /// `slow_link`: the peer is losing packets that Janus sends it, and the
    /// plugin lowered the bitrate cap it announces.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct SlowLinkEvent {}
    opt {
        /// `audio` or `video`: which media is losing packets (EchoTest).
        media: String,
        /// The video bitrate cap now in force, in bits per second.
        #[serde(rename = "current-bitrate")]
        current_bitrate: u64,
    }
    extra: extra
}

plugin_struct! {
    /// An answer that says only that the request was done, such as
    /// VideoRoom's `{"videoroom": "success"}` after a kick or Streaming's
    /// `{"streaming": "ok"}` after enable.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Success {}
    extra: extra
}

plugin_struct! {
    /// What a viewer or subscriber receives of one video stream: the
    /// simulcast substream and temporal layer, the SVC layers, and the
    /// playout delay to ask for. Flattened into the requests that take it
    /// (VideoRoom subscriber `configure`, Streaming `configure`).
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct Layers {}
    set {
        /// Simulcast: the substream to receive (0 low, 1 medium, 2 high).
        substream: u8,
        /// Simulcast: the temporal layer to receive.
        temporal: u8,
        /// Simulcast: microseconds without packets before falling back to
        /// a lower substream.
        fallback: u64,
        /// SVC: the spatial layer to receive.
        spatial_layer: u8,
        /// SVC: the temporal layer to receive.
        temporal_layer: u8,
        /// The minimum playout delay, in tens of ms (playout-delay RTP
        /// extension).
        min_delay: i64,
        /// The maximum playout delay, in tens of ms.
        max_delay: i64,
    }
}

impl Layers {
    /// No layer or delay preference.
    pub fn new() -> Layers {
        Layers::default()
    }
}

impl ErrorEvent {
    /// The code as one plugin's named `ErrorCode`, or the number when that
    /// plugin does not define it.
    pub fn code<C: TryFrom<i64, Error = i64>>(&self) -> Result<C, i64> {
        C::try_from(self.error_code)
    }
}
