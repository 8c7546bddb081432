//! The synchronous replies.

use super::*;

plugin_struct! {
    /// One stream as `list` shows it.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MediaSummary {
        /// The stream's `mid`.
        pub mid: String,
        /// Audio, video or data.
        #[serde(rename = "type")]
        pub kind: MediaType,
    }
    opt {
        /// Its name.
        label: String,
        /// Milliseconds since Janus last received media on it.
        age_ms: u64,
    }
    extra: extra
}

plugin_struct! {
    /// One mountpoint in a [`MountpointList`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MountpointSummary {
        /// Its id.
        pub id: MountpointId,
        /// `live` or `on demand`.
        #[serde(rename = "type")]
        pub kind: String,
        /// Its streams.
        #[serde(default)]
        pub media: Vec<MediaSummary>,
    }
    opt {
        /// Its description.
        description: String,
        /// Its metadata.
        metadata: String,
        /// Whether it can be watched now.
        enabled: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`List`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MountpointList {
        /// The mountpoints.
        pub list: Vec<MountpointSummary>,
    }
    extra: extra
}

plugin_struct! {
    /// One stream as `info` shows it.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MediaInfo {
        /// The stream's `mid`.
        pub mid: String,
        /// Audio, video or data.
        #[serde(rename = "type")]
        pub kind: MediaType,
    }
    opt {
        /// Its m-line index in the viewers' SDP.
        mindex: u32,
        /// Its name.
        label: String,
        /// Its codec.
        codec: String,
        /// Its RTP payload type.
        pt: u8,
        /// Its `a=rtpmap` value.
        rtpmap: String,
        /// The UDP port it arrives on (with the secret).
        port: u16,
        /// Milliseconds since Janus last received media on it.
        age_ms: u64,
    }
    extra: extra
}

plugin_struct! {
    /// A mountpoint's details, in [`InfoReply`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct MountpointInfo {
        /// Its id.
        pub id: MountpointId,
        /// `live` or `on demand`.
        #[serde(rename = "type")]
        pub kind: String,
        /// Its streams.
        #[serde(default)]
        pub media: Vec<MediaInfo>,
    }
    opt {
        /// Its short name.
        name: String,
        /// Its description.
        description: String,
        /// Its metadata.
        metadata: String,
        /// Whether it can be watched now.
        enabled: bool,
        /// How many are watching (with the secret).
        viewers: u32,
        /// The address it receives on (with the secret).
        host: String,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Info`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct InfoReply {
        /// The details.
        pub info: MountpointInfo,
    }
    extra: extra
}

plugin_struct! {
    /// A port a new RTP mountpoint listens on, in [`CreatedStream`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct CreatedPort {
        /// The stream's `mid`.
        pub mid: String,
        /// Audio, video or data.
        #[serde(rename = "type")]
        pub kind: MediaType,
        /// The UDP port.
        pub port: u16,
    }
    extra: extra
}

plugin_struct! {
    /// The new mountpoint, in [`Created`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct CreatedStream {
        /// Its id.
        pub id: MountpointId,
        /// `live` or `on demand`.
        #[serde(rename = "type")]
        pub kind: String,
        /// Whether `list` hides it.
        pub is_private: bool,
    }
    opt {
        /// Its description.
        description: String,
        /// The address it receives on.
        host: String,
        /// The ports it receives on (RTP).
        ports: Vec<CreatedPort>,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Create`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Created {
        /// The new mountpoint's name.
        pub created: String,
        /// Whether it was saved to the configuration file.
        pub permanent: bool,
        /// The new mountpoint.
        pub stream: CreatedStream,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Edit`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Edited {
        /// The mountpoint.
        pub id: MountpointId,
        /// Whether the change was saved to the configuration file.
        pub permanent: bool,
    }
    extra: extra
}

plugin_struct! {
    /// The answer to [`Destroy`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Destroyed {
        /// The mountpoint that went.
        pub destroyed: MountpointId,
    }
    extra: extra
}
