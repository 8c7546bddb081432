//! The TextRoom plugin (`janus.plugin.textroom`): chat rooms whose messages
//! travel over a WebRTC data channel.
//!
//! A handle first negotiates the data channel with [`Setup`] (Janus sends
//! the SDP offer in the JSEP of its answer), answers it with [`Ack`]
//! carrying the SDP answer, and may [`Restart`] ICE later. Joining rooms,
//! chatting and leaving then happen on the data channel, not in Janus
//! `message`s: [`DataRequest`] is what a peer writes there, and
//! [`DataEvent`] what it reads.
//!
//! Room management ([`List`], [`Exists`], [`Create`], [`Edit`],
//! [`Destroy`], [`ListParticipants`], [`Allowed`], [`Kick`],
//! [`Announcement`]) also works as plain Janus `message`s, answered
//! synchronously.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    bare_request, error_codes, plugin_struct, read_with_from_data, requests, typed, ErrorEvent,
};
pub use super::{AllowedAction, RoomId, Success};

mod datachannel;
mod replies;

pub use datachannel::*;
pub use replies::*;

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.textroom";

super::plugin!(
    /// The TextRoom plugin, for `attach_as` and typed events.
    TextRoom
);

bare_request!(
    /// Asks Janus for an SDP offer that sets up the data channel. Answered
    /// by [`ResultEvent`], with the offer as the JSEP.
    Setup = "setup"
);

bare_request!(
    /// Sends the peer's SDP answer (as the JSEP) to Janus's offer. Answered
    /// by [`ResultEvent`].
    Ack = "ack"
);

bare_request!(
    /// Asks Janus for a new SDP offer that restarts ICE. Answered by
    /// [`ResultEvent`], with the offer as the JSEP.
    Restart = "restart"
);

plugin_struct! {
    /// Lists the rooms (private ones only with the `admin_key`). Answered by
    /// [`RoomList`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "list")]
    pub struct List {
    }
    set {
        /// The plugin's `admin_key`, to see private rooms too.
        admin_key: String,
    }
}

impl List {
    /// Lists the public rooms.
    pub fn new() -> List {
        List::default()
    }
}

plugin_struct! {
    /// Asks whether a room exists. Answered by [`ExistsReply`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "exists")]
    pub struct Exists {
        /// The room to look for.
        pub room: RoomId,
    }
}

impl Exists {
    /// Asks about `room`.
    pub fn new(room: impl Into<RoomId>) -> Exists {
        Exists { room: room.into() }
    }
}

plugin_struct! {
    /// Creates a room. Answered by [`Created`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "create")]
    pub struct Create {
    }
    set {
        /// The id to give the room; Janus picks one when absent.
        room: RoomId,
        /// Whether to save the room to the plugin's configuration file.
        permanent: bool,
        /// The plugin's `admin_key`, when room creation is restricted.
        admin_key: String,
        /// A name for the room.
        description: String,
        /// Whether `list` hides the room.
        is_private: bool,
        /// The secret later management requests on this room must carry.
        secret: String,
        /// A PIN needed to join.
        pin: String,
        /// Invitation tokens; joining needs one of them once checking is on.
        allowed: Vec<String>,
        /// How many of the last messages the room keeps, to replay to those
        /// who join.
        history: u32,
        /// An HTTP URL the plugin also posts every message to.
        post: String,
    }
}

impl Create {
    /// A room with Janus's defaults; add options with the setters.
    pub fn new() -> Create {
        Create::default()
    }
}

plugin_struct! {
    /// Changes a room's settings. Answered by [`Edited`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "edit")]
    pub struct Edit {
        /// The room to change.
        pub room: RoomId,
    }
    set {
        /// The room's secret.
        secret: String,
        /// A new name.
        new_description: String,
        /// Whether `list` hides the room from now on.
        new_is_private: bool,
        /// A new secret.
        new_secret: String,
        /// A new PIN.
        new_pin: String,
        /// A new URL to post messages to.
        new_post: String,
        /// Whether to save the change to the configuration file.
        permanent: bool,
    }
}

impl Edit {
    /// Changes nothing in `room` yet; add changes with the setters.
    pub fn new(room: impl Into<RoomId>) -> Edit {
        Edit {
            room: room.into(),
            secret: None,
            new_description: None,
            new_is_private: None,
            new_secret: None,
            new_pin: None,
            new_post: None,
            permanent: None,
        }
    }
}

plugin_struct! {
    /// Destroys a room; its participants get [`DataEvent::Destroyed`] on
    /// their data channel. Answered by [`Destroyed`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "destroy")]
    pub struct Destroy {
        /// The room to destroy.
        pub room: RoomId,
    }
    set {
        /// The room's secret.
        secret: String,
        /// Whether to remove the room from the configuration file too.
        permanent: bool,
    }
}

impl Destroy {
    /// Destroys `room`.
    pub fn new(room: impl Into<RoomId>) -> Destroy {
        Destroy {
            room: room.into(),
            secret: None,
            permanent: None,
        }
    }
}

plugin_struct! {
    /// Lists who is in a room. Answered by [`Participants`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "listparticipants")]
    pub struct ListParticipants {
        /// The room to look into.
        pub room: RoomId,
    }
}

impl ListParticipants {
    /// Lists the participants of `room`.
    pub fn new(room: impl Into<RoomId>) -> ListParticipants {
        ListParticipants { room: room.into() }
    }
}

plugin_struct! {
    /// Manages a room's invitation tokens. Answered by [`AllowedReply`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "allowed")]
    pub struct Allowed {
        /// The room.
        pub room: RoomId,
        /// What to do.
        pub action: AllowedAction,
    }
    set {
        /// The tokens to add or remove.
        allowed: Vec<String>,
        /// The room's secret.
        secret: String,
    }
}

impl Allowed {
    /// Applies `action` to `room`'s list.
    pub fn new(room: impl Into<RoomId>, action: AllowedAction) -> Allowed {
        Allowed {
            room: room.into(),
            action,
            allowed: None,
            secret: None,
        }
    }
}

plugin_struct! {
    /// Removes a participant from a room. Answered by [`Success`]; the room
    /// gets [`DataEvent::Kicked`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "kick")]
    pub struct Kick {
        /// The room.
        pub room: RoomId,
        /// The participant to remove, by username.
        pub username: String,
    }
    set {
        /// The room's secret.
        secret: String,
    }
}

impl Kick {
    /// Removes `username` from `room`.
    pub fn new(room: impl Into<RoomId>, username: impl Into<String>) -> Kick {
        Kick {
            room: room.into(),
            username: username.into(),
            secret: None,
        }
    }
}

plugin_struct! {
    /// Sends a message to everyone in a room on behalf of the room itself.
    /// Answered by [`Success`]; the room gets [`DataEvent::Announcement`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "announcement")]
    pub struct Announcement {
        /// The room.
        pub room: RoomId,
        /// The message.
        pub text: String,
    }
    set {
        /// The room's secret.
        secret: String,
    }
}

impl Announcement {
    /// Announces `text` in `room`.
    pub fn new(room: impl Into<RoomId>, text: impl Into<String>) -> Announcement {
        Announcement {
            room: room.into(),
            text: text.into(),
            secret: None,
        }
    }
}

requests!(PLUGIN;
    Setup => ResultEvent,
    Ack => ResultEvent,
    Restart => ResultEvent,
    List => RoomList,
    Exists => ExistsReply,
    Create => Created,
    Edit => Edited,
    Destroy => Destroyed,
    ListParticipants => Participants,
    Allowed => AllowedReply,
    Kick => Success,
    Announcement => Success,
);

/// Everything TextRoom sends in `plugindata.data` on a handle (the Janus
/// API side; the chat itself is [`DataEvent`]).
///
/// Deserializing never fails: what this version does not know lands in
/// [`Event::Other`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Event {
    /// The answer to a setup, ack or restart.
    Result(ResultEvent),
    /// The plugin refused a request (see [`ErrorCode`]).
    Error(ErrorEvent),
    /// An event this version does not know, as it came.
    Other(Value),
}

impl Event {
    /// Reads one `plugindata.data` object; never fails.
    pub fn from_data(data: Value) -> Event {
        let event = if data.get("error_code").is_some() {
            typed(&data, Event::Error)
        } else if data.get("result").is_some() {
            typed(&data, Event::Result)
        } else {
            None
        };
        event.unwrap_or(Event::Other(data))
    }
}

read_with_from_data!(Event);

error_codes!(
    /// TextRoom's error codes (`error_code`, in `plugindata.data` and on the
    /// data channel).
    ErrorCode {
        /// The message had no body.
        NoMessage = 411,
        /// The body was not valid JSON.
        InvalidJson = 412,
        /// A required field is missing.
        MissingElement = 413,
        /// A field has the wrong type or value.
        InvalidElement = 414,
        /// The request is unknown (e.g. a data channel request sent as a
        /// Janus `message`).
        InvalidRequest = 415,
        /// The data channel is set up already.
        AlreadySetup = 416,
        /// The room does not exist.
        NoSuchRoom = 417,
        /// A room with that id exists already.
        RoomExists = 418,
        /// The secret, PIN or token is wrong or missing.
        Unauthorized = 419,
        /// The username is taken in that room.
        UsernameExists = 420,
        /// The peer is in that room already.
        AlreadyInRoom = 421,
        /// The peer is not in that room.
        NotInRoom = 422,
        /// No participant has that username.
        NoSuchUser = 423,
        /// Anything else.
        UnknownError = 499,
    }
);
