//! The VoiceMail plugin (`janus.plugin.voicemail`): records a few seconds
//! of a peer's audio to an Opus file on the server and tells where to
//! fetch it.
//!
//! Its one request, [`Record`], carries the peer's SDP offer. Janus 1.1.2
//! also takes it without one: the recording then waits for media that
//! never comes. Answers and notifications have a `status`: `starting`,
//! then `done` with the URL of the file.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ErrorEvent;
use super::{bare_request, error_codes, plugin_struct, read_with_from_data, requests, typed};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.voicemail";

super::plugin!(
    /// The VoiceMail plugin, for `attach_as` and typed events.
    VoiceMail
);

bare_request!(
    /// Starts a recording, with the peer's SDP offer as the JSEP. Answered
    /// by a `starting` [`StatusEvent`]; a `done` one follows when the
    /// recording is complete.
    Record = "record"
);

plugin_struct! {
    /// `{"voicemail": "event", "status": ...}`: where a recording stands.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct StatusEvent {
        /// `starting` (the answer to [`Record`]) or `done`.
        pub status: String,
    }
    opt {
        /// Where to fetch the file, once `done`.
        recording: String,
    }
    extra: extra
}

/// Everything VoiceMail sends in `plugindata.data` on a handle.
///
/// Deserializing never fails: what this version does not know lands in
/// [`Event::Other`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Event {
    /// A recording started or ended.
    Status(StatusEvent),
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
        } else if data.get("status").is_some() {
            typed(&data, Event::Status)
        } else {
            None
        };
        event.unwrap_or(Event::Other(data))
    }
}

read_with_from_data!(Event);

requests!(PLUGIN; Record => StatusEvent,);

error_codes!(
    /// VoiceMail's error codes (`error_code` in `plugindata.data`).
    ErrorCode {
        /// The message had no body.
        NoMessage = 460,
        /// The body was not valid JSON.
        InvalidJson = 461,
        /// The request is unknown.
        InvalidRequest = 462,
        /// A required field is missing.
        MissingElement = 463,
        /// A field has the wrong type or value.
        InvalidElement = 464,
        /// The handle is recording already.
        AlreadyRecording = 465,
        /// The file could not be written.
        IoError = 466,
        /// The Ogg container could not be written.
        LiboggError = 467,
        /// The request does not fit the handle's state.
        InvalidState = 468,
        /// Anything else.
        UnknownError = 499,
    }
);
