//! The TextRoom data channel: what a peer writes there and what it reads.

use super::*;

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
