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

plugin_struct! {
    /// `result: "ok"`: the answer to [`Setup`], [`Ack`] and [`Restart`]
    /// (Janus's SDP offer, if any, comes as the message's JSEP).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ResultEvent {
        /// `"ok"`.
        pub result: String,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Create`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Created {
        /// The new room's id.
        pub room: RoomId,
        /// Whether it was saved to the configuration file.
        pub permanent: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Edit`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Edited {
        /// The room.
        pub room: RoomId,
        /// Whether the change was saved to the configuration file.
        pub permanent: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Destroy`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Destroyed {
        /// The room that went.
        pub room: RoomId,
        /// Whether it was removed from the configuration file too.
        pub permanent: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Exists`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ExistsReply {
        /// The room asked about.
        pub room: RoomId,
        /// Whether it exists.
        pub exists: bool,
    }
    extra: extra
}

plugin_struct! {
    /// One room in a [`RoomList`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RoomInfo {
        /// The room's id.
        pub room: RoomId,
        /// Its name.
        pub description: String,
        /// Whether joining needs a PIN.
        pub pin_required: bool,
        /// How many participants are in it now.
        pub num_participants: u32,
    }
    opt {
        /// How many past messages it keeps.
        history: u32,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`List`]: the rooms, under `list` (not `rooms`).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct RoomList {
        /// The rooms.
        pub list: Vec<RoomInfo>,
    }
    extra: extra
}

plugin_struct! {
    /// One participant, in [`Participants`] and in a data channel `join`
    /// answer.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ParticipantInfo {
        /// Its username, unique in the room.
        pub username: String,
    }
    opt {
        /// Its display name, if it gave one.
        display: String,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`ListParticipants`] (Janus 1.1.2 sends it without the
    /// `textroom` tag).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Participants {
        /// The room.
        pub room: RoomId,
        /// Who is in it.
        pub participants: Vec<ParticipantInfo>,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Allowed`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct AllowedReply {
        /// The room.
        pub room: RoomId,
    }
    opt {
        /// The tokens now allowed (absent after `disable`).
        allowed: Vec<String>,
    }
    extra: extra
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

/// What a peer writes on the TextRoom data channel: a JSON object with the
/// request in `textroom` and a `transaction` of the peer's choosing, which
/// the answer ([`DataEvent::Success`] or [`DataEvent::Error`]) carries back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "textroom", rename_all = "lowercase")]
#[non_exhaustive]
pub enum DataRequest {
    /// Joins a room under a username; the answer lists who is there.
    Join {
        /// Ties the answer to this request.
        transaction: String,
        /// The room.
        room: RoomId,
        /// The name to chat under, unique in the room.
        username: String,
        /// A display name the others see.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        display: Option<String>,
        /// The room's PIN, when it has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pin: Option<String>,
        /// An invitation token, when the room checks them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// Whether to get the room's kept messages (default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        history: Option<bool>,
    },
    /// Sends a message to the room, or privately to some of its members.
    Message {
        /// Ties the answer to this request.
        transaction: String,
        /// The room.
        room: RoomId,
        /// The message.
        text: String,
        /// One recipient, for a private message.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
        /// Several recipients, for a private message.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tos: Option<Vec<String>>,
        /// Whether the sender wants a success answer (default true).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ack: Option<bool>,
    },
    /// Leaves a room.
    Leave {
        /// Ties the answer to this request.
        transaction: String,
        /// The room.
        room: RoomId,
    },
}

plugin_struct! {
    /// A chat message, received on the data channel.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ChatMessage {
        /// The room.
        pub room: RoomId,
        /// The sender's username.
        pub from: String,
        /// When the plugin received it (ISO 8601).
        pub date: String,
        /// The message.
        pub text: String,
    }
    opt {
        /// Set when the message was sent privately to the receiver.
        whisper: bool,
    }
    extra: extra
}

plugin_struct! {
    /// An announcement made with [`Announcement`], received on the data
    /// channel.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct AnnouncementEvent {
        /// The room.
        pub room: RoomId,
        /// When it was made (ISO 8601).
        pub date: String,
        /// The message.
        pub text: String,
    }
    extra: extra
}

plugin_struct! {
    /// Someone joined, left or was kicked (by username).
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MemberEvent {
        /// The room.
        pub room: RoomId,
        /// Who.
        pub username: String,
    }
    opt {
        /// Their display name, on a join.
        display: String,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to a [`DataRequest`], with the transaction it carried.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct DataSuccess {
        /// The request's transaction.
        pub transaction: String,
    }
    opt {
        /// Who is in the room, in the answer to a join.
        participants: Vec<ParticipantInfo>,
    }
    extra: extra
}

plugin_struct! {
    /// A room that went, as the data channel reports it.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct DataRoomEvent {
        /// The room.
        pub room: RoomId,
    }
    extra: extra
}

/// Everything the plugin writes on the data channel.
///
/// Deserializing never fails: what this version does not know lands in
/// [`DataEvent::Other`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum DataEvent {
    /// A request succeeded.
    Success(DataSuccess),
    /// A request failed (see [`ErrorCode`]); the transaction is in `extra`.
    Error(ErrorEvent),
    /// A chat message.
    Message(ChatMessage),
    /// An announcement.
    Announcement(AnnouncementEvent),
    /// Someone joined.
    Join(MemberEvent),
    /// Someone left.
    Leave(MemberEvent),
    /// Someone was kicked.
    Kicked(MemberEvent),
    /// The room was destroyed.
    Destroyed(DataRoomEvent),
    /// A message this version does not know, as it came.
    Other(Value),
}

impl DataEvent {
    /// Reads one message from the data channel; never fails.
    pub fn from_data(data: Value) -> DataEvent {
        let tag = data.get("textroom").and_then(Value::as_str).unwrap_or("");
        let event = match tag {
            _ if data.get("error_code").is_some() => typed(&data, DataEvent::Error),
            "success" => typed(&data, DataEvent::Success),
            "message" => typed(&data, DataEvent::Message),
            "announcement" => typed(&data, DataEvent::Announcement),
            "join" => typed(&data, DataEvent::Join),
            "leave" => typed(&data, DataEvent::Leave),
            "kicked" => typed(&data, DataEvent::Kicked),
            "destroyed" => typed(&data, DataEvent::Destroyed),
            _ => None,
        };
        event.unwrap_or(DataEvent::Other(data))
    }
}

read_with_from_data!(DataEvent);

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
