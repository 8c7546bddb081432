//! Two PeerConnections of this crate talk to each other through an
//! in-memory network on a fake clock: media, data channels, recording and
//! every ending, deterministically.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use janus_media::container::{IvfReader, OggOpusReader};
use janus_media::{
    Codec, Direction, FrameSink, MediaEnd, MediaEvent, MediaKind, Output, PeerConnection, Tracks,
};

struct Net {
    now: Instant,
    a: PeerConnection,
    b: PeerConnection,
    events_a: Vec<MediaEvent>,
    events_b: Vec<MediaEvent>,
    /// Whether datagrams are delivered.
    up: bool,
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

impl Net {
    fn new(tracks: Tracks) -> Net {
        let now = Instant::now();
        let mut a = PeerConnection::new(addr("10.0.0.1:5000"), now).unwrap();
        let mut b = PeerConnection::new(addr("10.0.0.2:6000"), now).unwrap();
        let offer = a.create_offer(&tracks).unwrap();
        assert_eq!(offer.trickle, Some(false), "candidates travel in the SDP");
        let answer = b.accept_offer(&offer).unwrap();
        a.accept_answer(&answer).unwrap();
        Net {
            now,
            a,
            b,
            events_a: Vec::new(),
            events_b: Vec::new(),
            up: true,
        }
    }

    /// Moves both sides until `until`, delivering datagrams at once.
    fn run(&mut self, until: Duration) {
        let end = self.now + until;
        loop {
            let (ta, tb) = (self.drain_a(), self.drain_b());
            let next = ta.min(tb);
            if next > end {
                self.now = end;
                self.a.handle_timeout(end);
                self.b.handle_timeout(end);
                self.drain_a();
                self.drain_b();
                return;
            }
            self.now = self.now.max(next);
            self.a.handle_timeout(self.now);
            self.b.handle_timeout(self.now);
        }
    }

    fn drain_a(&mut self) -> Instant {
        loop {
            match self.a.poll_output() {
                Output::Transmit { to, data } => {
                    assert_eq!(to, self.b.local_addr());
                    if self.up {
                        self.b.handle_datagram(self.now, self.a.local_addr(), &data);
                    }
                }
                Output::Event(e) => self.events_a.push(e),
                Output::Timeout(t) => return t,
            }
        }
    }

    fn drain_b(&mut self) -> Instant {
        loop {
            match self.b.poll_output() {
                Output::Transmit { to, data } => {
                    assert_eq!(to, self.a.local_addr());
                    if self.up {
                        self.a.handle_datagram(self.now, self.b.local_addr(), &data);
                    }
                }
                Output::Event(e) => self.events_b.push(e),
                Output::Timeout(t) => return t,
            }
        }
    }
}

fn ended(events: &[MediaEvent]) -> Vec<&MediaEnd> {
    events
        .iter()
        .filter_map(|e| match e {
            MediaEvent::Ended(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// An Opus packet of 20 ms (CELT fullband) with a marker byte.
fn opus(i: u8) -> Vec<u8> {
    vec![31 << 3, i, i, i]
}

#[test]
fn audio_frames_and_data_channel_messages_cross() {
    let mut net = Net::new(
        Tracks::new()
            .audio(Direction::SendRecv)
            .data_channel("chat"),
    );
    net.run(Duration::from_secs(2));
    assert!(
        net.events_a.contains(&MediaEvent::Connected),
        "{:?}",
        net.events_a
    );
    assert!(net.events_b.contains(&MediaEvent::Connected));
    assert!(net.events_b.iter().any(|e| matches!(
        e,
        MediaEvent::Track {
            kind: MediaKind::Audio,
            ..
        }
    )));
    for i in 0..50u8 {
        let at = Duration::from_millis(20 * u64::from(i));
        net.a
            .write_frame(net.now, MediaKind::Audio, Codec::Opus, at, &opus(i))
            .unwrap();
        net.run(Duration::from_millis(20));
    }
    let frames: Vec<_> = net
        .events_b
        .iter()
        .filter_map(|e| match e {
            MediaEvent::Frame(f) => Some(f.clone()),
            _ => None,
        })
        .collect();
    assert!(frames.len() >= 48, "got {} of 50 frames", frames.len());
    for f in &frames {
        assert_eq!(f.codec, Codec::Opus);
        assert_eq!(f.clock_rate, 48_000);
        assert_eq!(&f.data[..2], &[31 << 3, f.data[1]]);
    }
    // RTP time follows the frames' times: 960 ticks per 20 ms.
    let steps: Vec<u64> = frames
        .windows(2)
        .map(|w| w[1].rtp_time - w[0].rtp_time)
        .collect();
    assert!(steps.iter().all(|s| s % 960 == 0 && *s > 0), "{steps:?}");

    assert!(net.events_a.contains(&MediaEvent::ChannelOpen {
        label: "chat".into()
    }));
    net.a.send_data("chat", false, b"hello").unwrap();
    net.run(Duration::from_millis(100));
    assert!(net.events_b.contains(&MediaEvent::ChannelMessage {
        label: "chat".into(),
        data: b"hello".to_vec(),
        binary: false,
    }));
    let err = net.a.send_data("nope", false, b"x").unwrap_err();
    assert!(err.to_string().contains("no open data channel"), "{err}");

    net.a.close();
    net.run(Duration::from_secs(1));
    assert_eq!(ended(&net.events_a), [&MediaEnd::Closed]);
    assert_eq!(ended(&net.events_b), [&MediaEnd::RemoteClosed]);
    let err = net.a.send_data("chat", false, b"x").unwrap_err();
    assert!(err.to_string().contains("ended"), "{err}");
}

#[test]
fn no_connectivity_ends_as_ice_failed_once() {
    let mut net = Net::new(Tracks::new().audio(Direction::SendRecv));
    net.up = false;
    net.a.set_connect_timeout(net.now, Duration::from_secs(3));
    net.run(Duration::from_secs(4));
    assert_eq!(ended(&net.events_a), [&MediaEnd::IceFailed]);
    assert!(!net.events_a.contains(&MediaEvent::Connected));
    net.run(Duration::from_secs(8));
    assert_eq!(ended(&net.events_a), [&MediaEnd::IceFailed], "ends once");
    assert_eq!(ended(&net.events_b), [&MediaEnd::IceFailed]);
}

#[test]
fn writing_without_a_sending_track_is_a_typed_error() {
    let mut net = Net::new(Tracks::new().audio(Direction::RecvOnly));
    net.run(Duration::from_secs(1));
    let err = net
        .a
        .write_frame(net.now, MediaKind::Video, Codec::Vp8, Duration::ZERO, &[0])
        .unwrap_err();
    assert!(
        err.to_string().contains("no negotiated video track"),
        "{err}"
    );
    let err = net
        .a
        .write_frame(net.now, MediaKind::Audio, Codec::Opus, Duration::ZERO, &[0])
        .unwrap_err();
    assert!(err.to_string().contains("audio"), "{err}");
}

/// A sink that keeps what it is given.
struct Keep(std::sync::Arc<std::sync::Mutex<(Vec<u64>, bool)>>);

impl FrameSink for Keep {
    fn write_frame(&mut self, frame: &janus_media::Frame) -> Result<(), janus_media::MediaError> {
        self.0.lock().unwrap().0.push(frame.rtp_time);
        Ok(())
    }
    fn finish(&mut self) -> Result<(), janus_media::MediaError> {
        self.0.lock().unwrap().1 = true;
        Ok(())
    }
}

#[test]
fn files_play_at_their_own_pace_and_recordings_take_the_frames() {
    // An Ogg Opus file of 25 packets of 20 ms and an IVF file of 10
    // frames at 10 fps, made with this crate's writers.
    let mut ogg = Vec::new();
    {
        let mut w = janus_media::container::OggOpusWriter::new(&mut ogg).unwrap();
        for i in 0..25u8 {
            w.write(u64::from(i) * 960, &opus(i)).unwrap();
        }
    }
    let mut ivf = std::io::Cursor::new(Vec::new());
    {
        let mut w = janus_media::container::IvfWriter::new(&mut ivf, *b"VP80");
        for i in 0..10u64 {
            let key = [
                0x10, 0, 0, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00, i as u8,
            ];
            w.write(i * 9_000, &key).unwrap();
        }
    }
    let mut net = Net::new(
        Tracks::new()
            .audio(Direction::SendRecv)
            .video(Direction::SendRecv),
    );
    let kept = std::sync::Arc::new(std::sync::Mutex::new((Vec::new(), false)));
    net.b.record(MediaKind::Audio, Box::new(Keep(kept.clone())));
    let now = net.now;
    net.a.play(
        now,
        MediaKind::Audio,
        Box::new(OggOpusReader::new(std::io::Cursor::new(ogg))),
    );
    net.a.play(
        now,
        MediaKind::Video,
        Box::new(IvfReader::new(std::io::Cursor::new(ivf.into_inner())).unwrap()),
    );
    net.run(Duration::from_millis(300));
    // Nothing is sent before the connection is up, and then at pace.
    assert!(net.events_a.contains(&MediaEvent::Connected));
    net.run(Duration::from_millis(250));
    let half = kept.lock().unwrap().0.len();
    assert!((8..=16).contains(&half), "{half} audio frames after 250 ms");
    net.run(Duration::from_secs(2));
    let (times, finished) = kept.lock().unwrap().clone();
    assert!(
        times.len() >= 24,
        "{} of 25 audio frames recorded",
        times.len()
    );
    assert!(!finished);
    assert!(net.events_a.contains(&MediaEvent::PlaybackEnded {
        kind: MediaKind::Audio,
        sent: 25
    }));
    assert!(net.events_a.contains(&MediaEvent::PlaybackEnded {
        kind: MediaKind::Video,
        sent: 10
    }));
    let video: Vec<_> = net
        .events_b
        .iter()
        .filter_map(|e| match e {
            MediaEvent::Frame(f) if f.kind == MediaKind::Video => Some(f.rtp_time),
            _ => None,
        })
        .collect();
    assert!(video.len() >= 9, "{} of 10 video frames", video.len());
    net.b.close();
    net.run(Duration::from_millis(100));
    assert!(
        kept.lock().unwrap().1,
        "the recording is finished at the end"
    );
}

#[test]
fn the_connect_wait_starts_with_negotiation_and_a_refused_offer_can_be_taken_back() {
    let now = Instant::now();
    let mut a = PeerConnection::new(addr("10.0.0.1:5000"), now).unwrap();
    // Long before negotiating (a subscriber waiting for a publisher).
    let later = now + Duration::from_secs(60);
    a.handle_timeout(later);
    assert!(!a.has_ended(), "nothing to connect yet, so no ICE failure");
    // An offer the plugin refused: taken back, a new one can be made, and
    // the refused one's tracks are forgotten.
    a.create_offer(&Tracks::new().video(Direction::SendOnly))
        .unwrap();
    let err = a
        .create_offer(&Tracks::new().audio(Direction::SendRecv))
        .unwrap_err();
    assert!(err.to_string().contains("already waiting"), "{err}");
    a.rollback();
    let offer = a
        .create_offer(&Tracks::new().audio(Direction::SendRecv))
        .unwrap();
    let mut b = PeerConnection::new(addr("10.0.0.2:6000"), later).unwrap();
    let answer = b.accept_offer(&offer).unwrap();
    // An answer that is not SDP leaves the offer waiting for a good one.
    let err = a
        .accept_answer(&janus_core::Jsep::answer("nonsense"))
        .unwrap_err();
    assert!(err.to_string().contains("answer"), "{err}");
    a.accept_answer(&answer).unwrap();
    let err = a
        .write_frame(later, MediaKind::Video, Codec::Vp8, Duration::ZERO, &[0])
        .unwrap_err();
    assert!(
        err.to_string().contains("no negotiated video track"),
        "{err}"
    );
}
