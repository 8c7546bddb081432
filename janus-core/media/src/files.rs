//! What the adapters share to play files and record into files: which
//! tracks a set of files needs, the files opened, and the local address.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::Path;
use std::time::Instant;

use janus_core::HandleEvent;
use str0m::media::{Direction, MediaKind};

use crate::playback::{create_file, open_file, FrameSink, Source};
use crate::{MediaError, MediaEvent, PeerConnection, Tracks};

/// What a media handle reports: its handle's own events (`webrtcup`,
/// `media`, `slowlink`, `hangup`, plugin events, `Ended`) and its
/// PeerConnection's, in the order they happened.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// An event of the handle.
    Handle(HandleEvent),
    /// An event of the PeerConnection.
    Media(MediaEvent),
    /// Not from either: the reader fell behind and this many of the oldest
    /// unread events were dropped.
    Lagged {
        /// How many.
        dropped: u64,
    },
}

/// Files to play and files to record, opened: `.ogg` is Opus audio, `.ivf`
/// VP8 video.
pub struct FilePlan {
    sources: Vec<(MediaKind, Box<dyn Source>)>,
    sinks: Vec<(MediaKind, Box<dyn FrameSink>)>,
}

impl std::fmt::Debug for FilePlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePlan")
            .field(
                "play",
                &self.sources.iter().map(|s| s.0).collect::<Vec<_>>(),
            )
            .field(
                "record",
                &self.sinks.iter().map(|s| s.0).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl FilePlan {
    /// Opens every input for playback and creates every output; at most one
    /// file of each kind on each side.
    pub fn open<I, O>(inputs: I, outputs: O) -> Result<FilePlan, MediaError>
    where
        I: IntoIterator,
        I::Item: AsRef<Path>,
        O: IntoIterator,
        O::Item: AsRef<Path>,
    {
        let mut plan = FilePlan {
            sources: Vec::new(),
            sinks: Vec::new(),
        };
        for input in inputs {
            let (kind, source) = open_file(input.as_ref())?;
            if plan.sources.iter().any(|(k, _)| *k == kind) {
                return Err(twice("play", kind));
            }
            plan.sources.push((kind, source));
        }
        for output in outputs {
            let (kind, sink) = create_file(output.as_ref())?;
            if plan.sinks.iter().any(|(k, _)| *k == kind) {
                return Err(twice("record", kind));
            }
            plan.sinks.push((kind, sink));
        }
        Ok(plan)
    }

    /// The tracks to offer: each kind that is played or recorded, sending
    /// when played and receiving when recorded.
    pub fn tracks(&self) -> Tracks {
        let mut tracks = Tracks::new();
        for kind in [MediaKind::Audio, MediaKind::Video] {
            let send = self.sources.iter().any(|(k, _)| *k == kind);
            let recv = self.sinks.iter().any(|(k, _)| *k == kind);
            let direction = match (send, recv) {
                (true, true) => Direction::SendRecv,
                (true, false) => Direction::SendOnly,
                (false, true) => Direction::RecvOnly,
                (false, false) => continue,
            };
            tracks = match kind {
                MediaKind::Audio => tracks.audio(direction),
                MediaKind::Video => tracks.video(direction),
            };
        }
        tracks
    }

    /// Whether any file of `kind` is played.
    pub fn plays(&self, kind: MediaKind) -> bool {
        self.sources.iter().any(|(k, _)| *k == kind)
    }

    /// Hands the files to `pc`: playback starts once it connects.
    pub fn start(self, pc: &mut PeerConnection, now: Instant) {
        for (kind, sink) in self.sinks {
            pc.record(kind, sink);
        }
        for (kind, source) in self.sources {
            pc.play(now, kind, source);
        }
    }
}

fn twice(what: &str, kind: MediaKind) -> MediaError {
    MediaError::Container(format!(
        "two {} files to {what}: give at most one .ogg and one .ivf",
        crate::peer::kind_name(kind)
    ))
}

/// The address to bind a PeerConnection's UDP socket to when none is
/// given: the local address of the interface that routes to `toward` (no
/// packet is sent). Janus must be able to reach it, and Janus ignores
/// loopback interfaces.
pub fn local_ip_toward(toward: IpAddr) -> Result<IpAddr, MediaError> {
    let unspecified: IpAddr = match toward {
        IpAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
        IpAddr::V6(_) => std::net::Ipv6Addr::UNSPECIFIED.into(),
    };
    let probe = UdpSocket::bind(SocketAddr::new(unspecified, 0))?;
    probe.connect(SocketAddr::new(toward, 9)).map_err(|e| {
        MediaError::Rtc(format!(
            "no route toward {toward} to pick a local address from ({e}); \
             set the address to bind (MediaOptions::bind)"
        ))
    })?;
    Ok(probe.local_addr()?.ip())
}

/// Where and how a media handle's PeerConnection runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaOptions {
    /// The local IP to bind the UDP socket to (its one ICE candidate).
    /// `None`: the address of the interface with the default route.
    pub bind: Option<IpAddr>,
    /// How long ICE and DTLS may take.
    pub connect_timeout: std::time::Duration,
}

impl Default for MediaOptions {
    fn default() -> Self {
        MediaOptions {
            bind: None,
            connect_timeout: crate::DEFAULT_CONNECT_TIMEOUT,
        }
    }
}

impl MediaOptions {
    /// The defaults, with the address to bind taken from the environment
    /// variable `JANUS_MEDIA_IP` when it is set.
    pub fn from_env() -> Result<Self, MediaError> {
        let mut options = MediaOptions::default();
        if let Ok(ip) = std::env::var("JANUS_MEDIA_IP") {
            let ip = ip.parse().map_err(|e| {
                MediaError::Rtc(format!("JANUS_MEDIA_IP={ip:?} is not an IP address: {e}"))
            })?;
            options.bind = Some(ip);
        }
        Ok(options)
    }

    /// Binds the UDP socket to `ip` (a port is picked).
    pub fn bind(mut self, ip: IpAddr) -> Self {
        self.bind = Some(ip);
        self
    }

    /// Sets how long ICE and DTLS may take.
    pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The socket address to bind: the chosen IP, port 0.
    pub fn bind_addr(&self) -> Result<SocketAddr, MediaError> {
        let ip = match self.bind {
            Some(ip) => ip,
            // A documentation address: only the routing table is consulted.
            None => local_ip_toward(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)))?,
        };
        Ok(SocketAddr::new(ip, 0))
    }
}
