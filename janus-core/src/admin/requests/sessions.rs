//! Sessions and handles of every client: listing, inspecting, ending, capturing.

use super::*;

/// `list_sessions`: every session on the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListSessions;

admin_call!(ListSessions => Vec<SessionId>, "sessions", |_s| AdminRequest::new("list_sessions"));

/// `list_handles`: the handles of one session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListHandles {
    session: SessionId,
}

impl ListHandles {
    /// The handles of `session`.
    pub fn new(session: SessionId) -> Self {
        Self { session }
    }
}

admin_call!(ListHandles => Vec<HandleId>, "handles", |s| AdminRequest::new("list_handles")
    .session(s.session));

/// `handle_info`: everything the server knows about one handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct GetHandleInfo {
    #[serde(skip)]
    session: SessionId,
    #[serde(skip)]
    handle: HandleId,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    plugin_only: bool,
}

impl GetHandleInfo {
    /// The state of `handle` in `session`.
    pub fn new(session: SessionId, handle: HandleId) -> Self {
        Self {
            session,
            handle,
            plugin_only: false,
        }
    }

    /// Only the plugin's part (`plugin_specific`), without the WebRTC state.
    pub fn plugin_only(mut self) -> Self {
        self.plugin_only = true;
        self
    }
}

admin_call!(GetHandleInfo => HandleInfo, "info", |s| request("handle_info", s)
    .handle(s.session, s.handle));

/// Declares a request addressed to one session or handle with no fields.
macro_rules! targeted {
    ($(#[$doc:meta])* $ty:ident, $verb:literal, session) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $ty {
            session: SessionId,
        }

        impl $ty {
            /// The request for `session`.
            pub fn new(session: SessionId) -> Self {
                Self { session }
            }
        }

        admin_call!($ty => Done, |s| AdminRequest::new($verb).session(s.session));
    };
    ($(#[$doc:meta])* $ty:ident, $verb:literal, handle) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $ty {
            session: SessionId,
            handle: HandleId,
        }

        impl $ty {
            /// The request for `handle` in `session`.
            pub fn new(session: SessionId, handle: HandleId) -> Self {
                Self { session, handle }
            }
        }

        admin_call!($ty => Done, |s| AdminRequest::new($verb).handle(s.session, s.handle));
    };
}

targeted!(
    /// `destroy_session`: ends a session and its handles, as its owner's
    /// `destroy` would.
    DestroySession, "destroy_session", session
);
targeted!(
    /// `detach_handle`: ends a handle, as its owner's `detach` would.
    DetachHandle, "detach_handle", handle
);
targeted!(
    /// `hangup_webrtc`: closes a handle's PeerConnection (hangup reason
    /// "Admin API").
    HangupWebrtc, "hangup_webrtc", handle
);
targeted!(
    /// `stop_pcap`: stops a handle's pcap capture.
    StopPcap, "stop_pcap", handle
);
targeted!(
    /// `stop_text2pcap`: stops a handle's text2pcap capture.
    StopText2Pcap, "stop_text2pcap", handle
);

/// `start_pcap` (or `start_text2pcap`): captures a handle's unencrypted
/// traffic to a file on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StartPcap {
    #[serde(skip)]
    session: SessionId,
    #[serde(skip)]
    handle: HandleId,
    #[serde(skip)]
    text: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    folder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    filename: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    truncate: Option<u32>,
}

impl StartPcap {
    /// A pcap capture of `handle` in `session`, named by the server.
    pub fn new(session: SessionId, handle: HandleId) -> Self {
        Self {
            session,
            handle,
            text: false,
            folder: None,
            filename: None,
            truncate: None,
        }
    }

    /// A text2pcap capture instead (a text dump `text2pcap` can convert).
    pub fn text(mut self) -> Self {
        self.text = true;
        self
    }

    /// The folder on the server to write into.
    pub fn folder(mut self, folder: impl Into<String>) -> Self {
        self.folder = Some(folder.into());
        self
    }

    /// The file name.
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// Keeps only the first `bytes` of each packet.
    pub fn truncate(mut self, bytes: u32) -> Self {
        self.truncate = Some(bytes);
        self
    }
}

admin_call!(StartPcap => Done, |s| {
    let verb = if s.text { "start_text2pcap" } else { "start_pcap" };
    request(verb, s).handle(s.session, s.handle)
});
