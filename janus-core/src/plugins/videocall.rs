//! The VideoCall plugin (`janus.plugin.videocall`): one-to-one calls
//! between two peers that registered a username, relayed through Janus.
//!
//! A handle [`Register`]s a username, then [`Call`]s another (with an SDP
//! offer) or, told of an `incomingcall`, [`Accept`]s (with the SDP
//! answer); either side can [`Set`] what it sends and [`Hangup`]. [`List`]
//! gives the registered usernames.
//!
//! Every request is answered asynchronously, and every answer and
//! notification has the same shape: `{"videocall": "event", "result":
//! {...}}`, with `result.event` naming what happened. The typed variants
//! of [`Event`] hold that `result` object.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::{json, Value};

use super::{bare_request, error_codes, plugin_struct, read_with_from_data, requests, ErrorEvent};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.videocall";

super::plugin!(
    /// The VideoCall plugin, for `attach_as` and typed events.
    VideoCall
);

bare_request!(
    /// Lists the registered usernames. Answered by [`Event::List`].
    List = "list"
);

plugin_struct! {
    /// Registers this handle under a username, so others can call it.
    /// Answered by [`Event::Registered`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "register")]
    pub struct Register {
        /// The username, unique on the server.
        pub username: String,
    }
}

impl Register {
    /// Registers as `username`.
    pub fn new(username: impl Into<String>) -> Register {
        Register {
            username: username.into(),
        }
    }
}

plugin_struct! {
    /// Calls a registered username; the message must carry the SDP offer.
    /// Answered by [`Event::Calling`]; the callee gets
    /// [`Event::IncomingCall`] with the offer.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "call")]
    pub struct Call {
        /// Who to call.
        pub username: String,
    }
}

impl Call {
    /// Calls `username`.
    pub fn new(username: impl Into<String>) -> Call {
        Call {
            username: username.into(),
        }
    }
}

bare_request!(
    /// Accepts the incoming call; the message must carry the SDP answer.
    /// Both sides then get [`Event::Accepted`].
    Accept = "accept"
);

plugin_struct! {
    /// Changes what this peer sends to the other during a call, or asks
    /// for a renegotiation (with a new SDP offer). Answered by
    /// [`Event::Set`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "set")]
    pub struct Set {
    }
    set {
        /// Whether to relay this peer's audio.
        audio: bool,
        /// Whether to relay this peer's video.
        video: bool,
        /// Whether to relay this peer's data channel messages.
        data: bool,
        /// A cap for the video bitrate this peer sends, in bits per second
        /// (announced to it with REMB).
        bitrate: u64,
        /// Whether to record this peer's media on the server.
        record: bool,
        /// The base path of the recording.
        filename: String,
        /// Simulcast: the substream of this peer to relay (0 low, 1 medium,
        /// 2 high).
        substream: u8,
        /// Simulcast: the temporal layer of this peer to relay.
        temporal: u8,
        /// Simulcast: microseconds without packets before falling back to
        /// a lower substream.
        fallback: u64,
        /// Whether to restart ICE (with an offer in the message).
        restart: bool,
    }
}

impl Set {
    /// Changes nothing yet; add changes with the setters.
    pub fn new() -> Set {
        Set::default()
    }
}

bare_request!(
    /// Ends the call (or the attempt). Answered by [`Event::Hangup`]; the
    /// other side gets one too.
    Hangup = "hangup"
);

plugin_struct! {
    /// The `result` of a list.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct UserList {
        /// The registered usernames.
        pub list: Vec<String>,
    }
    extra: extra
}

plugin_struct! {
    /// The `result` of every other event: what happened, who it is about,
    /// and why.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct CallResult {
        /// What happened: `registered`, `calling`, `incomingcall`,
        /// `accepted`, `update`, `set` or `hangup`.
        pub event: String,
    }
    opt {
        /// The username concerned: the one registered, the caller of an
        /// incoming call, the peer of an accepted call; in a hangup, the
        /// side that hung up (Janus 1.1.2 names it on both sides).
        username: String,
        /// Why a call ended (`hangup`).
        reason: String,
    }
    extra: extra
}

/// Everything VideoCall sends in `plugindata.data` on a handle.
///
/// Deserializing never fails: what this version does not know (e.g. the
/// `simulcast` and `slow_link` events) lands in [`Event::Other`] as it came.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The registered usernames (the answer to [`List`]).
    List(UserList),
    /// The handle is registered (the answer to [`Register`]).
    Registered(CallResult),
    /// The callee is being told (the answer to [`Call`]).
    Calling(CallResult),
    /// Someone calls this handle, with their SDP offer as the JSEP.
    IncomingCall(CallResult),
    /// The call was accepted (sent to both sides; the caller gets the SDP
    /// answer).
    Accepted(CallResult),
    /// The other side renegotiated; the new SDP comes as the JSEP.
    Update(CallResult),
    /// A [`Set`] was applied.
    Set(CallResult),
    /// The call ended, with its reason.
    Hangup(CallResult),
    /// The plugin refused a request (see [`ErrorCode`]).
    Error(ErrorEvent),
    /// An event this version does not know, as it came.
    Other(Value),
}

impl Event {
    /// Reads one `plugindata.data` object; never fails.
    pub fn from_data(data: Value) -> Event {
        if data.get("error_code").is_some() {
            return ErrorEvent::deserialize(&data)
                .map(Event::Error)
                .unwrap_or(Event::Other(data));
        }
        // Only the plain shape: anything beside `result` would be lost when
        // the typed event is written back.
        let plain = data["videocall"] == "event" && data.as_object().map(|o| o.len()) == Some(2);
        let result = data.get("result").filter(|_| plain);
        let Some(result) = result else {
            return Event::Other(data);
        };
        if result.get("list").is_some() {
            return UserList::deserialize(result)
                .map(Event::List)
                .unwrap_or(Event::Other(data));
        }
        let wrap = match result.get("event").and_then(Value::as_str) {
            Some("registered") => Event::Registered,
            Some("calling") => Event::Calling,
            Some("incomingcall") => Event::IncomingCall,
            Some("accepted") => Event::Accepted,
            Some("update") => Event::Update,
            Some("set") => Event::Set,
            Some("hangup") => Event::Hangup,
            _ => return Event::Other(data),
        };
        CallResult::deserialize(result)
            .map(wrap)
            .unwrap_or(Event::Other(data))
    }

    /// The event as the `plugindata.data` object it was read from.
    pub fn to_data(&self) -> Value {
        let wrap = |result: Value| json!({"videocall": "event", "result": result});
        match self {
            Event::List(r) => wrap(value(r)),
            Event::Registered(r)
            | Event::Calling(r)
            | Event::IncomingCall(r)
            | Event::Accepted(r)
            | Event::Update(r)
            | Event::Set(r)
            | Event::Hangup(r) => wrap(value(r)),
            Event::Error(e) => value(e),
            Event::Other(v) => v.clone(),
        }
    }
}

/// Serializing the plain data types here cannot fail.
fn value<T: Serialize>(data: &T) -> Value {
    serde_json::to_value(data).unwrap_or(Value::Null)
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_data().serialize(serializer)
    }
}

read_with_from_data!(Event);

requests!(PLUGIN;
    List => Event,
    Register => Event,
    Call => Event,
    Accept => Event,
    Set => Event,
    Hangup => Event,
);

error_codes!(
    /// VideoCall's error codes (`error_code` in `plugindata.data`).
    ErrorCode {
        /// The message had no body.
        NoMessage = 470,
        /// The body was not valid JSON.
        InvalidJson = 471,
        /// The request is unknown.
        InvalidRequest = 472,
        /// The handle must register a username first.
        RegisterFirst = 473,
        /// A field has the wrong type or value.
        InvalidElement = 474,
        /// A required field is missing.
        MissingElement = 475,
        /// Someone else registered that username.
        UsernameTaken = 476,
        /// The handle registered a username already.
        AlreadyRegistered = 477,
        /// No one registered that username.
        NoSuchUsername = 478,
        /// The handle called its own username (the EchoTest plugin does
        /// that).
        UseEchoTest = 479,
        /// The handle or the callee is in a call already.
        AlreadyInCall = 480,
        /// There is no call to accept or change.
        NoCall = 481,
        /// The request needs an SDP (offer or answer) and came without.
        MissingSdp = 482,
        /// The SDP could not be used.
        InvalidSdp = 483,
        /// Anything else.
        UnknownError = 499,
    }
);
