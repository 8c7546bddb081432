//! Everything the plugin sends on a handle, as one enum.

use super::*;

/// Where a viewer's watch stands, in [`Event::Status`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Janus sent its SDP offer (answer a [`Watch`]).
    Preparing,
    /// Janus sent a new offer after a restart.
    Updating,
    /// The viewer's answer was taken; media is about to flow.
    Starting,
    /// Media flows.
    Started,
    /// The viewer paused.
    Pausing,
    /// The viewer stopped.
    Stopping,
    /// The mountpoint went away or stopped sending.
    Stopped,
    /// Every viewer was kicked.
    KickedAll,
}

plugin_struct! {
    /// The `result` of a status event.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct StatusResult {
        /// Where the watch stands.
        pub status: Status,
    }
    extra: extra
}

plugin_struct! {
    /// The `result` of a [`Switch`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct SwitchedResult {
        /// `"ok"`.
        pub switched: String,
        /// The mountpoint now watched.
        pub id: MountpointId,
    }
    extra: extra
}

plugin_struct! {
    /// The `result` of a simulcast or SVC layer change.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct LayerResult {}
    opt {
        /// The stream, by `mid`.
        mid: String,
        /// Simulcast: the substream now relayed.
        substream: u8,
        /// Simulcast: the temporal layer now relayed.
        temporal: u8,
        /// SVC: the spatial layer now relayed.
        spatial_layer: u8,
        /// SVC: the temporal layer now relayed.
        temporal_layer: u8,
    }
    extra: extra
}

/// Everything Streaming sends in `plugindata.data` to a viewer, as the
/// answer to a request or on its own.
///
/// The typed variants hold the content of the event's `result` object.
/// Deserializing never fails: what this version does not know lands in
/// [`Event::Other`] as it came.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The watch moved on (`preparing`, `starting`, ...).
    Status(StatusResult),
    /// The viewer moved to another mountpoint.
    Switched(SwitchedResult),
    /// A [`Configure`] was applied (`{"event": "configured"}`); the value
    /// is the whole `result` object.
    Configured(Value),
    /// The simulcast or SVC layer relayed changed.
    Layer(LayerResult),
    /// The plugin refused a request (see [`ErrorCode`]).
    Error(ErrorEvent),
    /// An event this version does not know, as it came.
    Other(Value),
}

impl Event {
    /// Reads one `plugindata.data` object; never fails.
    pub fn from_data(data: Value) -> Event {
        let result = data.get("result").filter(|_| data["streaming"] == "event");
        let event = match result {
            _ if data.get("error_code").is_some() => typed(&data, Event::Error),
            Some(r) if r.get("status").is_some() => typed(r, Event::Status),
            Some(r) if r.get("switched").is_some() => typed(r, Event::Switched),
            Some(r) if r.get("event").and_then(Value::as_str) == Some("configured") => {
                Some(Event::Configured(r.clone()))
            }
            Some(r) if r.as_object().is_some_and(|o| !o.is_empty()) => {
                let layer = ["substream", "temporal", "spatial_layer", "temporal_layer"];
                layer
                    .iter()
                    .any(|k| r.get(*k).is_some())
                    .then(|| typed(r, Event::Layer))
                    .flatten()
            }
            _ => None,
        };
        event.unwrap_or(Event::Other(data))
    }

    /// The event as the `plugindata.data` object it was read from.
    pub fn to_data(&self) -> Value {
        let wrap = |result: Value| json!({"streaming": "event", "result": result});
        match self {
            Event::Status(r) => wrap(value(r)),
            Event::Switched(r) => wrap(value(r)),
            Event::Configured(r) => wrap(r.clone()),
            Event::Layer(r) => wrap(value(r)),
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
    Watch => Event,
    Start => Event,
    Pause => Event,
    Stop => Event,
    Switch => Event,
    Configure => Event,
    List => MountpointList,
    Info => InfoReply,
    Create => Created,
    Edit => Edited,
    Destroy => Destroyed,
    Enable => Success,
    Disable => Success,
    Recording => Success,
    KickAll => Success,
);

error_codes!(
    /// Streaming's error codes (`error_code` in `plugindata.data`).
    ErrorCode {
        /// The message had no body.
        NoMessage = 450,
        /// The body was not valid JSON.
        InvalidJson = 451,
        /// The request is unknown or not valid now.
        InvalidRequest = 452,
        /// A required field is missing.
        MissingElement = 453,
        /// A field has the wrong type or value.
        InvalidElement = 454,
        /// The mountpoint does not exist.
        NoSuchMountpoint = 455,
        /// The mountpoint could not be created.
        CantCreate = 456,
        /// The secret or PIN is wrong or missing.
        Unauthorized = 457,
        /// The switch is not possible (different media).
        CantSwitch = 458,
        /// The recording could not be started or stopped.
        CantRecord = 459,
        /// The request does not fit the viewer's state.
        InvalidState = 460,
        /// Anything else.
        UnknownError = 470,
    }
);
