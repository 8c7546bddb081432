//! What flows once connected: frames written and played, recordings,
//! data channel messages.

use std::time::{Duration, Instant};

use str0m::format::Codec;
use str0m::media::{Direction, MediaKind, MediaTime};

use super::{kind_name, MediaEvent, Output, PeerConnection};
use crate::playback::{FrameSink, Playing, Source};
use crate::MediaError;

impl PeerConnection {
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

    pub(super) fn play_due(&mut self, now: Instant) {
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
}
