//! One PeerConnection with Janus: a str0m `Rtc` plus what Janus's
//! signalling needs (JSEP in and out, trickled candidates) and what users
//! need (tracks by kind, files played and recorded, data channels by label,
//! one ending with a reason).
//!
//! Split by concept: the SDP negotiation (`negotiation`), the media and
//! data that flow (`media`), and what it reports (`events`); here, the
//! state, the I/O calls and the one ending.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use janus_core::HandleEvent;
use str0m::change::SdpPendingOffer;
use str0m::channel::ChannelId;
use str0m::media::{MediaKind, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event as RtcEvent, IceConnectionState, Input, Output as RtcOutput, Rtc};

use crate::playback::{FrameSink, Playing};
use crate::{Frame, MediaError};

mod events;
mod media;
mod negotiation;

pub use events::{MediaEnd, MediaEvent, Output};
use negotiation::TrackInfo;
pub use negotiation::Tracks;

/// How long ICE and DTLS may take before the PeerConnection ends as
/// [`MediaEnd::IceFailed`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// One WebRTC PeerConnection with a Janus handle, sans-IO.
///
/// The caller owns one UDP socket bound to [`local_addr`](Self::local_addr)
/// and a timer: datagrams go in through
/// [`handle_datagram`](Self::handle_datagram), expired timers through
/// [`handle_timeout`](Self::handle_timeout), and
/// [`poll_output`](Self::poll_output) is drained after every call until it
/// gives [`Output::Timeout`]. Every outgoing candidate is in the SDP
/// (`"trickle": false`), so the signalling side sends no trickle requests;
/// Janus's own trickled candidates go in through
/// [`add_remote_trickle`](Self::add_remote_trickle).
pub struct PeerConnection {
    rtc: Rtc,
    local: SocketAddr,
    pending: Option<SdpPendingOffer>,
    tracks: Vec<TrackInfo>,
    channels: HashMap<ChannelId, String>,
    queue: VecDeque<Output>,
    rtc_timeout: Instant,
    playing: Vec<Playing>,
    recording: Vec<(MediaKind, Box<dyn FrameSink>)>,
    /// When ICE and DTLS must be up by: armed when a remote description
    /// is applied.
    connect_deadline: Option<Instant>,
    connect_timeout: Duration,
    /// The tracks the pending offer adds (taken back if it fails).
    pending_mids: Vec<Mid>,
    connected: bool,
    ended: bool,
    /// The latest time given.
    now: Instant,
}

impl std::fmt::Debug for PeerConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeerConnection")
            .field("local", &self.local)
            .field("connected", &self.connected)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl PeerConnection {
    /// A PeerConnection whose one ICE candidate is the UDP socket bound at
    /// `local` (a concrete address Janus can reach, not `0.0.0.0`).
    pub fn new(local: SocketAddr, now: Instant) -> Result<Self, MediaError> {
        if local.ip().is_unspecified() || local.port() == 0 {
            return Err(MediaError::Rtc(format!(
                "the local candidate {local} must be the bound socket's concrete address and port"
            )));
        }
        let mut rtc = Rtc::builder().build(now);
        let candidate = Candidate::host(local, "udp")
            .map_err(|e| MediaError::Rtc(format!("cannot use {local} as a candidate: {e}")))?;
        rtc.add_local_candidate(candidate);
        let mut pc = PeerConnection {
            rtc,
            local,
            pending: None,
            tracks: Vec::new(),
            channels: HashMap::new(),
            queue: VecDeque::new(),
            rtc_timeout: now,
            playing: Vec::new(),
            recording: Vec::new(),
            connect_deadline: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            pending_mids: Vec::new(),
            connected: false,
            ended: false,
            now,
        };
        pc.drain();
        Ok(pc)
    }

    /// Changes how long ICE and DTLS may take once a remote description is
    /// applied (an answer taken, or an offer answered); if one already is,
    /// the wait counts from `now`.
    pub fn set_connect_timeout(&mut self, now: Instant, timeout: Duration) {
        self.connect_timeout = timeout;
        if !self.connected && self.connect_deadline.is_some() {
            self.connect_deadline = Some(now + timeout);
        }
    }

    /// Tells the PeerConnection the time, for the calls that take none.
    pub fn set_now(&mut self, now: Instant) {
        self.now = self.now.max(now);
    }

    fn arm_connect_deadline(&mut self) {
        if !self.connected && self.connect_deadline.is_none() {
            self.connect_deadline = Some(self.now + self.connect_timeout);
        }
    }

    /// The address of this side's one candidate.
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Whether ICE and DTLS are up.
    pub fn is_connected(&self) -> bool {
        self.connected
    }

    /// Whether the PeerConnection has ended (its `Ended` event may still be
    /// queued).
    pub fn has_ended(&self) -> bool {
        self.ended
    }

    /// Feeds one UDP datagram that arrived at the local socket from `from`.
    /// Datagrams that are not WebRTC (or not for this PeerConnection) are
    /// ignored.
    pub fn handle_datagram(&mut self, now: Instant, from: SocketAddr, data: &[u8]) {
        if self.ended {
            return;
        }
        self.now = self.now.max(now);
        let Ok(contents) = data.try_into() else {
            return;
        };
        let input = Input::Receive(
            now,
            Receive {
                proto: Protocol::Udp,
                source: from,
                destination: self.local,
                contents,
            },
        );
        if !self.rtc.accepts(&input) {
            return;
        }
        if let Err(e) = self.rtc.handle_input(input) {
            tracing::debug!("a datagram from {from} was refused: {e}");
        }
        self.drain();
    }

    /// Moves time to `now`: timers of the WebRTC stack, the connect
    /// deadline, and frames of played sources that are due.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.now = self.now.max(now);
        if self.ended {
            // Only the closing output (RTCP BYE, close_notify) is left.
            if self.rtc.is_alive() && now >= self.rtc_timeout {
                let _ = self.rtc.handle_input(Input::Timeout(now));
                self.drain();
            }
            return;
        }
        if self.connect_deadline.is_some_and(|d| now >= d) {
            self.end(MediaEnd::IceFailed);
            return;
        }
        if now >= self.rtc_timeout {
            if let Err(e) = self.rtc.handle_input(Input::Timeout(now)) {
                self.end(MediaEnd::Error(e.to_string()));
                return;
            }
            self.drain();
        }
        self.play_due(now);
    }

    /// The next thing to do. Drain until [`Output::Timeout`] after every
    /// call that takes `now`.
    pub fn poll_output(&mut self) -> Output {
        if let Some(out) = self.queue.pop_front() {
            return out;
        }
        let mut next = self.rtc_timeout;
        if self.ended && !self.rtc.is_alive() {
            // Nothing more will happen: a deadline far away.
            return Output::Timeout(self.now.max(next) + Duration::from_secs(3600));
        }
        if let Some(d) = self.connect_deadline {
            next = next.min(d);
        }
        for p in &self.playing {
            if let Some(due) = p.due() {
                next = next.min(due);
            }
        }
        Output::Timeout(next)
    }

    /// Labels of the open data channels.
    pub fn channels(&self) -> impl Iterator<Item = &str> {
        self.channels.values().map(String::as_str)
    }

    /// Closes the PeerConnection (DTLS close_notify goes out with the next
    /// drain); ends with [`MediaEnd::Closed`] unless it already ended.
    pub fn close(&mut self) {
        self.end(MediaEnd::Closed);
    }

    /// Follows the signalling: takes Janus's trickled candidates, and ends
    /// on its `hangup` or when the handle ends. Every other event is left
    /// alone. Adapters call it with each event of the handle.
    pub fn on_handle_event(&mut self, event: &HandleEvent) {
        match event {
            HandleEvent::Trickle(trickle) => {
                if let Err(e) = self.add_remote_trickle(trickle) {
                    tracing::debug!("{e}");
                }
            }
            HandleEvent::Hangup { reason } => self.end(MediaEnd::Hangup(
                reason.clone().unwrap_or_else(|| "no reason given".into()),
            )),
            HandleEvent::Ended(reason) => self.end(MediaEnd::HandleEnded(reason.to_string())),
            _ => {}
        }
    }

    fn check_alive(&self) -> Result<(), MediaError> {
        if self.ended {
            Err(MediaError::Ended("already ended".into()))
        } else {
            Ok(())
        }
    }

    fn end(&mut self, reason: MediaEnd) {
        if self.ended {
            return;
        }
        // Set first so that nothing the final drain reports ends it again.
        self.ended = true;
        if self.rtc.close().is_err() {
            self.rtc.disconnect();
        }
        self.drain();
        self.finish(reason);
    }

    /// Moves everything str0m has to say into the queue, as its API
    /// requires after each change.
    fn drain(&mut self) {
        loop {
            match self.rtc.poll_output() {
                Ok(RtcOutput::Timeout(t)) => {
                    self.rtc_timeout = t;
                    return;
                }
                Ok(RtcOutput::Transmit(t)) => self.queue.push_back(Output::Transmit {
                    to: t.destination,
                    data: t.contents.to_vec(),
                }),
                Ok(RtcOutput::Event(e)) => self.on_event(e),
                Err(e) => {
                    if !self.ended {
                        self.finish(MediaEnd::Error(e.to_string()));
                    }
                    return;
                }
            }
        }
    }

    fn on_event(&mut self, event: RtcEvent) {
        // Nothing follows the end (the closing drain's own events included).
        if self.ended {
            return;
        }
        let out = match event {
            RtcEvent::Connected => {
                self.connected = true;
                self.connect_deadline = None;
                let now = self.now;
                for p in &mut self.playing {
                    p.start.get_or_insert(now);
                }
                MediaEvent::Connected
            }
            RtcEvent::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                if self.connected && !self.ended {
                    self.finish(MediaEnd::IceDisconnected);
                }
                return;
            }
            RtcEvent::MediaAdded(added) => {
                self.tracks.retain(|t| t.mid != added.mid);
                self.tracks.push(TrackInfo {
                    mid: added.mid,
                    kind: added.kind,
                    direction: added.direction,
                });
                MediaEvent::Track {
                    mid: added.mid,
                    kind: added.kind,
                    direction: added.direction,
                }
            }
            RtcEvent::MediaData(data) => {
                let spec = data.params.spec();
                let kind = if spec.codec.is_audio() {
                    MediaKind::Audio
                } else {
                    MediaKind::Video
                };
                let frame = Frame {
                    mid: data.mid,
                    kind,
                    codec: spec.codec,
                    rtp_time: data.time.numer(),
                    clock_rate: data.time.frequency().get(),
                    network_time: data.network_time,
                    contiguous: data.contiguous,
                    data: data.data,
                };
                if let Some((_, sink)) = self.recording.iter_mut().find(|(k, _)| *k == kind) {
                    if let Err(e) = sink.write_frame(&frame) {
                        tracing::warn!("recording a {} frame failed: {e}", kind_name(kind));
                    }
                    return;
                }
                MediaEvent::Frame(frame)
            }
            RtcEvent::KeyframeRequest(req) => MediaEvent::KeyframeRequest { mid: req.mid },
            RtcEvent::ChannelOpen(id, label) => {
                self.channels.insert(id, label.clone());
                MediaEvent::ChannelOpen { label }
            }
            RtcEvent::ChannelData(data) => MediaEvent::ChannelMessage {
                label: self.channels.get(&data.id).cloned().unwrap_or_default(),
                data: data.data,
                binary: data.binary,
            },
            RtcEvent::ChannelClose(id) => MediaEvent::ChannelClose {
                label: self.channels.remove(&id).unwrap_or_default(),
            },
            RtcEvent::Closed => {
                if !self.ended {
                    self.finish(MediaEnd::RemoteClosed);
                }
                return;
            }
            _ => return,
        };
        self.queue.push_back(Output::Event(out));
    }

    /// Reports the ending once: what was playing, the recordings finished,
    /// then `Ended`.
    fn finish(&mut self, reason: MediaEnd) {
        self.ended = true;
        self.connect_deadline = None;
        // Without a close in progress, the stack is stopped outright so its
        // timers cannot keep firing.
        if matches!(
            reason,
            MediaEnd::Error(_) | MediaEnd::IceDisconnected | MediaEnd::IceFailed
        ) {
            self.rtc.disconnect();
        }
        for p in self.playing.drain(..) {
            self.queue
                .push_back(Output::Event(MediaEvent::PlaybackEnded {
                    kind: p.kind,
                    sent: p.sent,
                }));
        }
        for (kind, mut sink) in self.recording.drain(..) {
            if let Err(e) = sink.finish() {
                tracing::warn!("finishing the {} recording failed: {e}", kind_name(kind));
            }
        }
        self.queue
            .push_back(Output::Event(MediaEvent::Ended(reason)));
    }
}

pub(crate) fn kind_name(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Audio => "audio",
        MediaKind::Video => "video",
    }
}
