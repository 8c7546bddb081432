//! One PeerConnection with Janus: a str0m `Rtc` plus what Janus's
//! signalling needs (JSEP in and out, trickled candidates) and what users
//! need (tracks by kind, files played and recorded, data channels by label,
//! one ending with a reason).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use janus_core::{HandleEvent, Jsep, SdpType, Trickle};
use str0m::change::{SdpAnswer, SdpOffer, SdpPendingOffer};
use str0m::channel::ChannelId;
use str0m::format::Codec;
use str0m::media::{Direction, MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event as RtcEvent, IceConnectionState, Input, Output as RtcOutput, Rtc};

use crate::playback::{FrameSink, Playing, Source};
use crate::{Frame, MediaError};

/// How long ICE and DTLS may take before the PeerConnection ends as
/// [`MediaEnd::IceFailed`].
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The media a new offer asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tracks {
    audio: Option<Direction>,
    video: Option<Direction>,
    data_channel: Option<String>,
}

impl Tracks {
    /// No media yet: add tracks with the methods below.
    pub fn new() -> Self {
        Tracks::default()
    }

    /// An audio track with this direction (from this side's point of view).
    pub fn audio(mut self, direction: Direction) -> Self {
        self.audio = Some(direction);
        self
    }

    /// A video track with this direction.
    pub fn video(mut self, direction: Direction) -> Self {
        self.video = Some(direction);
        self
    }

    /// A data channel with this label (Janus's plugins accept any label).
    pub fn data_channel(mut self, label: impl Into<String>) -> Self {
        self.data_channel = Some(label.into());
        self
    }
}

/// Why a PeerConnection ended. Reported once, as the last event.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaEnd {
    /// [`PeerConnection::close`] was called (hangup, detach, drop).
    Closed,
    /// The peer closed DTLS or the SCTP association.
    RemoteClosed,
    /// Janus hung the PeerConnection up (its `hangup` event), with its reason.
    Hangup(String),
    /// ICE and DTLS did not connect within the connect timeout.
    IceFailed,
    /// Connectivity checks stopped being answered after the connection was up.
    IceDisconnected,
    /// The handle ended (detached, its session gone), with its reason.
    HandleEnded(String),
    /// The WebRTC stack failed.
    Error(String),
}

impl std::fmt::Display for MediaEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MediaEnd::Closed => f.write_str("closed by this side"),
            MediaEnd::RemoteClosed => f.write_str("closed by the peer"),
            MediaEnd::Hangup(reason) => write!(f, "hung up by Janus: {reason}"),
            MediaEnd::IceFailed => f.write_str("ICE/DTLS did not connect in time"),
            MediaEnd::IceDisconnected => f.write_str("ICE connectivity was lost"),
            MediaEnd::HandleEnded(reason) => write!(f, "the handle ended: {reason}"),
            MediaEnd::Error(e) => write!(f, "WebRTC error: {e}"),
        }
    }
}

/// What a PeerConnection reports.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MediaEvent {
    /// ICE and DTLS are up: media flows from here on (file playback starts).
    Connected,
    /// The peer's SDP added a track (for offers from Janus: a subscription,
    /// a mountpoint).
    Track {
        /// Its mid.
        mid: Mid,
        /// Audio or video.
        kind: MediaKind,
        /// Its direction, from this side's point of view.
        direction: Direction,
    },
    /// A received frame (one not taken by a recording).
    Frame(Frame),
    /// The peer asks for a key frame on a track this side sends.
    KeyframeRequest {
        /// The track.
        mid: Mid,
    },
    /// A data channel opened.
    ChannelOpen {
        /// Its label.
        label: String,
    },
    /// A data channel message arrived.
    ChannelMessage {
        /// The channel's label.
        label: String,
        /// The payload.
        data: Vec<u8>,
        /// Whether it was sent as binary (else UTF-8 text).
        binary: bool,
    },
    /// A data channel closed.
    ChannelClose {
        /// Its label.
        label: String,
    },
    /// A played source ran out; `sent` frames were sent from it.
    PlaybackEnded {
        /// The track's kind.
        kind: MediaKind,
        /// Frames sent.
        sent: u64,
    },
    /// The PeerConnection ended; nothing follows.
    Ended(MediaEnd),
}

/// What to do next, from [`PeerConnection::poll_output`].
#[derive(Debug, PartialEq)]
pub enum Output {
    /// Send `data` in one UDP datagram to `to`.
    Transmit {
        /// The destination.
        to: SocketAddr,
        /// The datagram.
        data: Vec<u8>,
    },
    /// Something happened.
    Event(MediaEvent),
    /// Nothing more until this instant (or new input):
    /// call [`PeerConnection::handle_timeout`] then.
    Timeout(Instant),
}

#[derive(Clone, Copy, Debug)]
struct TrackInfo {
    mid: Mid,
    kind: MediaKind,
    direction: Direction,
}

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

    /// Takes back an offer whose answer will not come (the plugin refused
    /// the message): the tracks it added are forgotten and a new offer may
    /// be made.
    pub fn rollback(&mut self) {
        self.pending = None;
        let mids = std::mem::take(&mut self.pending_mids);
        self.tracks.retain(|t| !mids.contains(&t.mid));
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

    /// An offer for `tracks`, to send in a plugin message's `jsep`.
    pub fn create_offer(&mut self, tracks: &Tracks) -> Result<Jsep, MediaError> {
        self.check_alive()?;
        if self.pending.is_some() {
            return Err(MediaError::Negotiation(
                "an offer is already waiting for its answer; accept the answer first".into(),
            ));
        }
        let mut change = self.rtc.sdp_api();
        let mut added = Vec::new();
        if let Some(direction) = tracks.audio {
            let mid = change.add_media(MediaKind::Audio, direction, None, None, None);
            added.push(TrackInfo {
                mid,
                kind: MediaKind::Audio,
                direction,
            });
        }
        if let Some(direction) = tracks.video {
            let mid = change.add_media(MediaKind::Video, direction, None, None, None);
            added.push(TrackInfo {
                mid,
                kind: MediaKind::Video,
                direction,
            });
        }
        if let Some(label) = &tracks.data_channel {
            change.add_channel(label.clone());
        }
        let Some((offer, pending)) = change.apply() else {
            return Err(MediaError::Negotiation(
                "the offer would change nothing: ask for at least one track or a data channel"
                    .into(),
            ));
        };
        self.pending_mids = added.iter().map(|t| t.mid).collect();
        self.tracks.extend(added);
        self.pending = Some(pending);
        self.drain();
        Ok(to_jsep(SdpType::Offer, offer.to_sdp_string()))
    }

    /// Takes Janus's answer to [`create_offer`](Self::create_offer).
    pub fn accept_answer(&mut self, jsep: &Jsep) -> Result<(), MediaError> {
        self.check_alive()?;
        if jsep.kind != SdpType::Answer {
            return Err(MediaError::Negotiation(format!(
                "expected Janus's answer but got an {:?}; an offer from Janus goes to accept_offer",
                jsep.kind
            )));
        }
        let Some(pending) = self.pending.take() else {
            return Err(MediaError::Negotiation(
                "an answer arrived but no offer is pending".into(),
            ));
        };
        let answer = match SdpAnswer::from_sdp_string(&jsep.sdp) {
            Ok(answer) => answer,
            Err(e) => {
                // Unread: the offer still waits for a proper answer.
                self.pending = Some(pending);
                return Err(MediaError::Sdp(format!("Janus's answer: {e}")));
            }
        };
        let result = self.rtc.sdp_api().accept_answer(pending, answer);
        self.drain();
        match result {
            Ok(()) => {
                self.pending_mids.clear();
                self.arm_connect_deadline();
                Ok(())
            }
            Err(e) => {
                self.rollback();
                Err(MediaError::Sdp(e.to_string()))
            }
        }
    }

    /// Answers an offer from Janus (a VideoRoom subscription, a Streaming
    /// mountpoint, a TextRoom); send the answer back in a message's `jsep`.
    pub fn accept_offer(&mut self, jsep: &Jsep) -> Result<Jsep, MediaError> {
        self.check_alive()?;
        if jsep.kind != SdpType::Offer {
            return Err(MediaError::Negotiation(format!(
                "expected an offer from Janus but got an {:?}",
                jsep.kind
            )));
        }
        let offer = SdpOffer::from_sdp_string(&jsep.sdp)
            .map_err(|e| MediaError::Sdp(format!("Janus's offer: {e}")))?;
        let result = self.rtc.sdp_api().accept_offer(offer);
        self.drain();
        let answer = result.map_err(|e| MediaError::Sdp(e.to_string()))?;
        self.arm_connect_deadline();
        Ok(to_jsep(SdpType::Answer, answer.to_sdp_string()))
    }

    /// Adds candidates Janus trickled (its `trickle` events, with
    /// `full_trickle` on).
    pub fn add_remote_trickle(&mut self, trickle: &Trickle) -> Result<(), MediaError> {
        let candidates = match trickle {
            Trickle::Candidate(c) => std::slice::from_ref(c),
            Trickle::Candidates(cs) => cs.as_slice(),
            Trickle::Completed => return Ok(()),
        };
        // A bad candidate does not keep the others out.
        let mut refused = None;
        for c in candidates {
            let line = c.candidate.strip_prefix("a=").unwrap_or(&c.candidate);
            match Candidate::from_sdp_string(line) {
                Ok(candidate) => {
                    self.rtc.add_remote_candidate(candidate);
                    self.drain();
                }
                Err(e) => {
                    refused.get_or_insert(MediaError::Candidate(e.to_string()));
                }
            }
        }
        refused.map_or(Ok(()), Err)
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

    /// Sends one encoded frame on the track of `kind`, `at` its time from
    /// the stream's start (the RTP clock follows it).
    pub fn write_frame(
        &mut self,
        now: Instant,
        kind: MediaKind,
        codec: Codec,
        at: Duration,
        data: &[u8],
    ) -> Result<(), MediaError> {
        self.check_alive()?;
        self.now = self.now.max(now);
        self.write(now, kind, codec, at, data)
    }

    fn write(
        &mut self,
        wallclock: Instant,
        kind: MediaKind,
        codec: Codec,
        at: Duration,
        data: &[u8],
    ) -> Result<(), MediaError> {
        let name = kind_name(kind);
        let Some(track) = self
            .tracks
            .iter()
            .find(|t| {
                t.kind == kind && matches!(t.direction, Direction::SendOnly | Direction::SendRecv)
            })
            .copied()
        else {
            return Err(MediaError::NoTrack(name));
        };
        let Some(writer) = self.rtc.writer(track.mid) else {
            return Err(MediaError::NoTrack(name));
        };
        let Some(params) = writer
            .payload_params()
            .find(|p| p.spec().codec == codec)
            .copied()
        else {
            let accepted: Vec<String> = writer
                .payload_params()
                .map(|p| format!("{:?}", p.spec().codec))
                .collect();
            return Err(MediaError::Codec {
                kind: name,
                codec: format!("{codec:?}"),
                accepted: accepted.join(", "),
            });
        };
        let rate = u64::from(params.spec().clock_rate.get());
        let rtp = MediaTime::new(
            (at.as_micros() as u64).saturating_mul(rate) / 1_000_000,
            params.spec().clock_rate,
        );
        let result = writer.write(params.pt(), wallclock, rtp, data.to_vec());
        self.drain();
        result.map_err(MediaError::from)
    }

    /// Plays `source` on the track of `kind` at its own pace, from the
    /// moment the PeerConnection connects (or now, if it has).
    pub fn play(&mut self, now: Instant, kind: MediaKind, source: Box<dyn Source>) {
        if self.ended {
            self.queue
                .push_back(Output::Event(MediaEvent::PlaybackEnded { kind, sent: 0 }));
            return;
        }
        let mut playing = Playing {
            kind,
            source,
            next: None,
            start: self.connected.then_some(now),
            sent: 0,
        };
        match playing.source.next_sample() {
            Ok(next) => playing.next = next,
            Err(e) => tracing::warn!("the {} source failed at once: {e}", kind_name(kind)),
        }
        if playing.next.is_none() {
            self.queue
                .push_back(Output::Event(MediaEvent::PlaybackEnded { kind, sent: 0 }));
            return;
        }
        self.playing.push(playing);
    }

    /// Sends every received frame of `kind` to `sink` instead of reporting
    /// it as [`MediaEvent::Frame`]; the sink is finished when the
    /// PeerConnection ends.
    pub fn record(&mut self, kind: MediaKind, mut sink: Box<dyn FrameSink>) {
        if self.ended {
            if let Err(e) = sink.finish() {
                tracing::warn!("finishing the {} recording failed: {e}", kind_name(kind));
            }
            return;
        }
        self.recording.push((kind, sink));
    }

    /// Sends a text (`binary` false) or binary message on the open data
    /// channel labelled `label`.
    pub fn send_data(&mut self, label: &str, binary: bool, data: &[u8]) -> Result<(), MediaError> {
        self.check_alive()?;
        let Some(id) = self
            .channels
            .iter()
            .find(|(_, l)| l.as_str() == label)
            .map(|(id, _)| *id)
        else {
            return Err(MediaError::NoChannel(label.to_owned()));
        };
        let Some(mut channel) = self.rtc.channel(id) else {
            return Err(MediaError::NoChannel(label.to_owned()));
        };
        let result = channel.write(binary, data);
        self.drain();
        match result {
            Ok(true) => Ok(()),
            Ok(false) => Err(MediaError::Rtc(format!(
                "the data channel {label:?} is full; wait and send again"
            ))),
            Err(e) => Err(e.into()),
        }
    }

    /// Opens a data channel labelled `label`. When the session already has
    /// its SCTP association (an answer or offer with a data channel was
    /// applied: Janus's TextRoom offer, say) it opens without negotiation
    /// and `None` is returned; otherwise the offer that adds it is returned,
    /// to send to Janus and answer with [`accept_answer`](Self::accept_answer).
    pub fn open_channel(&mut self, label: &str) -> Result<Option<Jsep>, MediaError> {
        self.check_alive()?;
        if self.pending.is_some() {
            return Err(MediaError::Negotiation(
                "an offer is already waiting for its answer; accept the answer first".into(),
            ));
        }
        let mut change = self.rtc.sdp_api();
        change.add_channel(label.to_owned());
        let applied = change.apply();
        self.drain();
        Ok(applied.map(|(offer, pending)| {
            self.pending = Some(pending);
            self.pending_mids.clear();
            to_jsep(SdpType::Offer, offer.to_sdp_string())
        }))
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

    fn play_due(&mut self, now: Instant) {
        let mut i = 0;
        while i < self.playing.len() {
            while let (Some(due), false) = (self.playing[i].due(), self.ended) {
                if due > now {
                    break;
                }
                let p = &mut self.playing[i];
                let sample = p.next.take().expect("due implies a next sample");
                let (kind, codec, start) = (p.kind, p.source.codec(), p.start.expect("started"));
                match p.source.next_sample() {
                    Ok(next) => p.next = next,
                    Err(e) => tracing::warn!("the {} source failed: {e}", kind_name(kind)),
                }
                let written = self.write(start + sample.at, kind, codec, sample.at, &sample.data);
                // Writing may have ended the PeerConnection (and emptied
                // the list).
                if self.ended {
                    return;
                }
                match written {
                    Ok(()) => self.playing[i].sent += 1,
                    Err(e) => {
                        tracing::warn!("playing the {} source stopped: {e}", kind_name(kind));
                        self.playing[i].next = None;
                    }
                }
            }
            if self.ended {
                return;
            }
            if self.playing[i].next.is_none() {
                let p = self.playing.remove(i);
                self.queue
                    .push_back(Output::Event(MediaEvent::PlaybackEnded {
                        kind: p.kind,
                        sent: p.sent,
                    }));
            } else {
                i += 1;
            }
        }
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

fn to_jsep(kind: SdpType, sdp: String) -> Jsep {
    let mut jsep = match kind {
        SdpType::Offer => Jsep::offer(sdp),
        _ => Jsep::answer(sdp),
    };
    jsep.trickle = Some(false);
    jsep
}

pub(crate) fn kind_name(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Audio => "audio",
        MediaKind::Video => "video",
    }
}
