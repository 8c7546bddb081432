//! The SIP plugin (`janus.plugin.sip`): a SIP user agent inside Janus that
//! bridges a WebRTC peer to SIP calls.
//!
//! A handle [`Register`]s with a SIP server (or as a `guest`, without
//! registering), then places calls with [`Call`] (carrying its SDP offer)
//! or [`Accept`]s / [`Decline`]s incoming ones, and within a call can
//! [`Update`], [`Hold`], [`Unhold`], send [`Info`], [`DtmfInfo`] and
//! [`Message`], and [`Hangup`]. [`Unregister`] ends the registration.
//!
//! Every answer and notification has the shape `{"sip": "event", "result":
//! {"event": ..., ...}}`, with the call's `call_id` beside `result` for
//! call events. [`Event`] names the events of a registration and of a call
//! placed from Janus, and keeps the others as [`Event::Result`].
//!
//! Janus 1.1.2 does not answer every request: `hangup`, `decline`, `hold`
//! and `unhold` without a call get no event at all (nor does an `unhold`
//! sent while the `hold` re-INVITE is still under way), and `info` and
//! `dtmf_info` without a call are refused with `error_code` 0. The events
//! of a call (`ringing`, `proceeding`, `hangup`, ...) carry the transaction
//! of the `call` that placed it, so one of them, rather than `calling`, can
//! be what a client takes as the answer to that request.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ErrorEvent;
use super::{bare_request, error_codes, plugin_struct, read_with_from_data, requests, typed};

/// The plugin's package name, the value to `attach` to.
pub const PLUGIN: &str = "janus.plugin.sip";

super::plugin!(
    /// The SIP plugin, for `attach_as` and typed events.
    Sip
);

plugin_struct! {
    /// Registers with a SIP server, or (with `type: "guest"`) only takes an
    /// identity to call with. Answered by [`Event::Registering`] (then
    /// [`Event::Registered`] or [`Event::RegistrationFailed`]), or at once
    /// by [`Event::Registered`] for a guest.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "register")]
    pub struct Register {
        /// The SIP URI to register (`sip:alice@example.com`).
        pub username: String,
    }
    set {
        /// `guest` to skip the registration, `helper` for a handle that
        /// shares another's registration (see `master_id`).
        #[serde(rename = "type")]
        kind: String,
        /// The password.
        secret: String,
        /// The password as the HA1 hash, instead of `secret`.
        ha1_secret: String,
        /// The user to authenticate as, when not the URI's user.
        authuser: String,
        /// The display name to put in `From`.
        display_name: String,
        /// The `User-Agent` header to send.
        user_agent: String,
        /// The SIP server to register with, when not the URI's host
        /// (`sip:proxy.example.com:5060`).
        proxy: String,
        /// An outbound proxy for every request.
        outbound_proxy: String,
        /// Extra headers for the REGISTER, by name.
        headers: Value,
        /// Parameters to add to the `Contact` header, by name.
        contact_params: Value,
        /// Prefixes of the headers of incoming calls to report.
        incoming_header_prefixes: Vec<String>,
        /// Whether this only refreshes the current registration.
        refresh: bool,
        /// The registration's lifetime, in seconds.
        register_ttl: u32,
        /// For a `helper`: the `master_id` of the handle it helps.
        master_id: u64,
        /// Whether to use SIPS.
        sips: bool,
        /// Whether to force UDP.
        force_udp: bool,
        /// Whether to force TCP.
        force_tcp: bool,
        /// Whether a CANCEL follows RFC 2543 (for old servers).
        rfc2543_cancel: bool,
    }
}

impl Register {
    /// Registers `username`; add options with the setters.
    pub fn new(username: impl Into<String>) -> Register {
        Register {
            username: username.into(),
            kind: None,
            secret: None,
            ha1_secret: None,
            authuser: None,
            display_name: None,
            user_agent: None,
            proxy: None,
            outbound_proxy: None,
            headers: None,
            contact_params: None,
            incoming_header_prefixes: None,
            refresh: None,
            register_ttl: None,
            master_id: None,
            sips: None,
            force_udp: None,
            force_tcp: None,
            rfc2543_cancel: None,
        }
    }

    /// Takes `username` as a guest identity, without registering.
    pub fn guest(username: impl Into<String>) -> Register {
        Register::new(username).kind("guest")
    }
}

bare_request!(
    /// Ends the registration. Answered by [`Event::Unregistering`], then
    /// [`Event::Unregistered`]; refused when the handle is not registered
    /// (guests included).
    Unregister = "unregister"
);

plugin_struct! {
    /// Calls a SIP URI; the message must carry the WebRTC SDP offer.
    /// Answered by [`Event::Calling`]; [`Event::Ringing`],
    /// [`Event::Proceeding`], [`Event::Accepted`] (with the SDP answer) and
    /// at the end [`Event::Hangup`] follow.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "call")]
    pub struct Call {
        /// Who to call (`sip:bob@example.com`).
        pub uri: String,
    }
    set {
        /// The `Call-ID` to use; Janus makes one when absent.
        call_id: String,
        /// Extra headers for the INVITE, by name.
        headers: Value,
        /// `sdes_optional` or `sdes_mandatory` to offer SRTP to the SIP side.
        srtp: String,
        /// The SRTP profile to offer.
        srtp_profile: String,
        /// Whether re-INVITEs from the other side are accepted without
        /// asking this peer.
        autoaccept_reinvites: bool,
        /// The id of a REFER this call answers (a transfer).
        refer_id: u64,
        /// A password for this call only.
        secret: String,
        /// The password as the HA1 hash, for this call only.
        ha1_secret: String,
        /// The user to authenticate as, for this call only.
        authuser: String,
    }
}

impl Call {
    /// Calls `uri`.
    pub fn new(uri: impl Into<String>) -> Call {
        Call {
            uri: uri.into(),
            call_id: None,
            headers: None,
            srtp: None,
            srtp_profile: None,
            autoaccept_reinvites: None,
            refer_id: None,
            secret: None,
            ha1_secret: None,
            authuser: None,
        }
    }
}

plugin_struct! {
    /// Accepts an incoming call; the message carries the SDP answer (or an
    /// offer, when the INVITE had none). Answered by an `accepted` event.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "accept")]
    pub struct Accept {
    }
    set {
        /// `sdes_optional` or `sdes_mandatory` to require SRTP.
        srtp: String,
        /// Extra headers for the 200 OK, by name.
        headers: Value,
        /// Whether re-INVITEs from the other side are accepted without
        /// asking this peer.
        autoaccept_reinvites: bool,
    }
}

plugin_struct! {
    /// Declines an incoming call. Answered by a `declining` event.
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "decline")]
    pub struct Decline {
    }
    set {
        /// The SIP response code to send (486 Busy Here by default).
        code: u16,
        /// Extra headers for the response, by name.
        headers: Value,
    }
}

plugin_struct! {
    /// Ends the call. Answered by [`Event::HangingUp`], then
    /// [`Event::Hangup`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "hangup")]
    pub struct Hangup {
    }
    set {
        /// Extra headers for the BYE, by name.
        headers: Value,
    }
}

bare_request!(
    /// Renegotiates the call (an ICE restart or a media change), with a new
    /// SDP offer as the JSEP. Answered by an `updating` event.
    Update = "update"
);

plugin_struct! {
    /// Puts the call on hold (a re-INVITE). Answered by [`Event::Holding`].
    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "hold")]
    pub struct Hold {
    }
    set {
        /// `sendonly` (the default), `recvonly` or `inactive`.
        direction: String,
    }
}

bare_request!(
    /// Takes the call off hold (a re-INVITE). Answered by
    /// [`Event::Resuming`].
    Unhold = "unhold"
);

plugin_struct! {
    /// Sends a SIP INFO within the call. Answered by [`Event::InfoSent`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "info")]
    pub struct Info {
        /// The content type (e.g. `application/dtmf-relay`).
        #[serde(rename = "type")]
        pub content_type: String,
        /// The body.
        pub content: String,
    }
    set {
        /// Extra headers, by name.
        headers: Value,
    }
}

impl Info {
    /// Sends `content` of type `content_type`.
    pub fn new(content_type: impl Into<String>, content: impl Into<String>) -> Info {
        Info {
            content_type: content_type.into(),
            content: content.into(),
            headers: None,
        }
    }
}

plugin_struct! {
    /// Sends a SIP MESSAGE, within the call or (with `uri`) outside it.
    /// Answered by [`Event::MessageSent`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "message")]
    pub struct Message {
        /// The body.
        pub content: String,
    }
    set {
        /// The content type (`text/plain` by default).
        content_type: String,
        /// Who to send it to, outside a call.
        uri: String,
        /// The `Call-ID` to use.
        call_id: String,
        /// Extra headers, by name.
        headers: Value,
    }
}

impl Message {
    /// Sends `content`.
    pub fn new(content: impl Into<String>) -> Message {
        Message {
            content: content.into(),
            content_type: None,
            uri: None,
            call_id: None,
            headers: None,
        }
    }
}

plugin_struct! {
    /// Sends a DTMF digit as a SIP INFO within the call. Answered by
    /// [`Event::DtmfSent`].
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "request", rename = "dtmf_info")]
    pub struct DtmfInfo {
        /// The digit (`0`-`9`, `*`, `#`, `A`-`D`).
        pub digit: String,
    }
    set {
        /// How long the tone lasts, in milliseconds.
        duration: u32,
    }
}

impl DtmfInfo {
    /// Sends `digit`.
    pub fn new(digit: impl Into<String>) -> DtmfInfo {
        DtmfInfo {
            digit: digit.into(),
            duration: None,
        }
    }
}

plugin_struct! {
    /// The `result` of an event.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct SipResult {
        /// What happened (`registering`, `registered`, `calling`,
        /// `hangup`, ...).
        pub event: String,
    }
    opt {
        /// The SIP response code, when one caused the event.
        code: u16,
        /// The SIP reason phrase, or why it happened.
        reason: String,
        /// The username concerned (for `registered`, the URI's user).
        username: String,
        /// The call the event belongs to.
        call_id: String,
        /// For `registered`: the id helpers name to share this
        /// registration.
        master_id: u64,
        /// For `registered`: whether a REGISTER was sent (not for guests).
        register_sent: bool,
    }
    extra: extra
}

plugin_struct! {
    /// `{"sip": "event", "result": {...}}`, with the call's id beside
    /// `result` for call events.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct ResultEvent {
        /// What happened.
        pub result: SipResult,
    }
    opt {
        /// The call the event belongs to.
        call_id: String,
    }
    extra: extra
}

/// Everything SIP sends in `plugindata.data` on a handle.
///
/// Deserializing never fails: results without a variant of their own land
/// in [`Event::Result`], anything else in [`Event::Other`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Event {
    /// A REGISTER was sent.
    Registering(ResultEvent),
    /// The registration succeeded (at once for guests).
    Registered(ResultEvent),
    /// The registration failed, with the SIP code and reason.
    RegistrationFailed(ResultEvent),
    /// The registration is being removed (the answer to [`Unregister`]).
    Unregistering(ResultEvent),
    /// The registration was removed.
    Unregistered(ResultEvent),
    /// An INVITE was sent (the answer to [`Call`]).
    Calling(ResultEvent),
    /// The callee is ringing.
    Ringing(ResultEvent),
    /// A provisional response came for the call (its `code`, e.g. 180).
    Proceeding(ResultEvent),
    /// The call was answered (the SDP answer comes as the JSEP), or this
    /// side's accept went through; `username` is the peer.
    Accepted(ResultEvent),
    /// The call is being put on hold (the answer to [`Hold`]).
    Holding(ResultEvent),
    /// The call is being taken off hold (the answer to [`Unhold`]).
    Resuming(ResultEvent),
    /// An INFO was sent (the answer to [`Info`]).
    InfoSent(ResultEvent),
    /// A DTMF INFO was sent (the answer to [`DtmfInfo`]).
    DtmfSent(ResultEvent),
    /// A MESSAGE was sent (the answer to [`Message`]).
    MessageSent(ResultEvent),
    /// A BYE is being sent (the answer to [`Hangup`]).
    HangingUp(ResultEvent),
    /// The call ended, with the SIP code and reason.
    Hangup(ResultEvent),
    /// Any other result (`incomingcall`, `progress`, `declining`, ...).
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
        } else {
            let wrap = match data["result"]["event"].as_str() {
                Some("registering") => Event::Registering,
                Some("registered") => Event::Registered,
                Some("registration_failed") => Event::RegistrationFailed,
                Some("unregistering") => Event::Unregistering,
                Some("unregistered") => Event::Unregistered,
                Some("calling") => Event::Calling,
                Some("ringing") => Event::Ringing,
                Some("proceeding") => Event::Proceeding,
                Some("accepted") => Event::Accepted,
                Some("holding") => Event::Holding,
                Some("resuming") => Event::Resuming,
                Some("infosent") => Event::InfoSent,
                Some("dtmfsent") => Event::DtmfSent,
                Some("messagesent") => Event::MessageSent,
                Some("hangingup") => Event::HangingUp,
                Some("hangup") => Event::Hangup,
                _ => Event::Result,
            };
            typed(&data, wrap)
        };
        event.unwrap_or(Event::Other(data))
    }
}

impl Event {
    /// The `result.event` name of a result, whichever variant holds it.
    pub fn result_name(&self) -> Option<&str> {
        match self {
            Event::Registering(r)
            | Event::Registered(r)
            | Event::RegistrationFailed(r)
            | Event::Unregistering(r)
            | Event::Unregistered(r)
            | Event::Calling(r)
            | Event::Ringing(r)
            | Event::Proceeding(r)
            | Event::Accepted(r)
            | Event::Holding(r)
            | Event::Resuming(r)
            | Event::InfoSent(r)
            | Event::DtmfSent(r)
            | Event::MessageSent(r)
            | Event::HangingUp(r)
            | Event::Hangup(r)
            | Event::Result(r) => Some(&r.result.event),
            Event::Error(_) | Event::Other(_) => None,
        }
    }
}

read_with_from_data!(Event);

requests!(PLUGIN;
    Register => Event,
    Unregister => Event,
    Call => Event,
    Accept => Event,
    Decline => Event,
    Hangup => Event,
    Update => Event,
    Hold => Event,
    Unhold => Event,
    Info => Event,
    Message => Event,
    DtmfInfo => Event,
);

error_codes!(
    /// SIP's error codes (`error_code` in `plugindata.data`).
    ErrorCode {
        /// The message had no body.
        NoMessage = 440,
        /// The body was not valid JSON.
        InvalidJson = 441,
        /// The request is unknown.
        InvalidRequest = 442,
        /// A required field is missing.
        MissingElement = 443,
        /// A field has the wrong type or value.
        InvalidElement = 444,
        /// The handle is registered already.
        AlreadyRegistered = 445,
        /// A SIP URI is not valid.
        InvalidAddress = 446,
        /// The request does not fit the handle's state (not registered,
        /// not in a call, ...).
        WrongState = 447,
        /// The request needs an SDP and came without.
        MissingSdp = 448,
        /// The SIP stack (Sofia) failed.
        LibsofiaError = 449,
        /// A socket or file could not be used.
        IoError = 450,
        /// A recording could not be started.
        RecordingError = 451,
        /// The SRTP requirements of the two sides do not match.
        TooStrict = 452,
        /// Anything else.
        UnknownError = 499,
    }
);
