//! What TextRoom answers to its Janus-API requests.

use super::*;

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
