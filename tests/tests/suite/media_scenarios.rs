//! Real WebRTC media with a real Janus, written once over
//! [`MediaAdapter`]. Each runs in a private network namespace (see
//! `janus_tests::netns`), where Janus and the client use `127.0.0.2`.

use std::time::Duration;

use janus_async::janus_core::plugins::echotest;
use janus_async::janus_core::serde_json::json;
use janus_async::janus_media::{Event, MediaEnd, MediaEvent, MediaKind, MediaOptions};
use janus_async::HandleEvent;
use janus_tests::media_files;
use janus_tests::netns::{MEDIA_INTERFACE, MEDIA_IP};
use janus_tests::rig::JanusServer;

use crate::adapter::{ClientApi, SessionApi};
use crate::media_adapter::{MediaAdapter, MediaApi};
use crate::scenarios::{connect, start, Kind};

const T: Duration = Duration::from_secs(10);

fn media_server(plugins: &[&str]) -> JanusServer {
    start(
        JanusServer::builder()
            .media_interface(MEDIA_INTERFACE, &MEDIA_IP.to_string())
            .plugins(plugins),
    )
}

fn options() -> MediaOptions {
    MediaOptions::default().bind(MEDIA_IP.into())
}

/// The events of a media handle, kept: a wait looks at what already
/// arrived before it waits for more, so the order of unrelated events
/// (a data channel opening before or after `webrtcup`) does not matter.
struct Seen<'a, M> {
    media: &'a M,
    events: Vec<Event>,
}

impl<'a, M: MediaApi> Seen<'a, M> {
    fn new(media: &'a M) -> Self {
        Seen {
            media,
            events: Vec::new(),
        }
    }

    /// The first event, already seen or still to come within `T`, that
    /// `pick` accepts; it is taken out of the record.
    async fn take<R>(&mut self, what: &str, mut pick: impl FnMut(&Event) -> Option<R> + Send) -> R {
        if let Some(i) = self.events.iter().position(|e| pick(e).is_some()) {
            return pick(&self.events.remove(i)).unwrap();
        }
        let events = &mut self.events;
        self.media
            .wait_for(T, |e| {
                let got = pick(e);
                if got.is_none() {
                    events.push(e.clone());
                }
                got
            })
            .await
            .unwrap_or_else(|| panic!("{what} within {T:?}; seen: {events:?}"))
    }

    /// Both the handle's `webrtcup` and the PeerConnection's `Connected`.
    async fn up(&mut self) {
        self.take("webrtcup", |e| matches!(e, Event::Handle(HandleEvent::WebrtcUp)).then_some(()))
            .await;
        self.take("Connected", |e| {
            matches!(e, Event::Media(MediaEvent::Connected)).then_some(())
        })
        .await;
    }

    /// The PeerConnection's ending.
    async fn ending(&mut self) -> MediaEnd {
        self.take("the PeerConnection's end", |e| match e {
            Event::Media(MediaEvent::Ended(reason)) => Some(reason.clone()),
            _ => None,
        })
        .await
    }
}

/// EchoTest: an Opus file and a VP8 file go out at their pace, come back
/// and are recorded; every packet returns, and ffprobe reads the
/// recordings with the sent length. A data channel message comes back too.
pub async fn echotest_round_trip<A: MediaAdapter>() {
    let server = media_server(&["echotest"]);
    let dir = tempfile::tempdir().unwrap();
    let (ogg, ivf) = media_files::make(dir.path(), 3);
    let (out_ogg, out_ivf) = (dir.path().join("out.ogg"), dir.path().join("out.ivf"));

    let client = connect::<A>(Kind::Ws, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(echotest::PLUGIN).await.unwrap();
    let media = A::media(handle, options()).await.unwrap();
    let plan = media
        .open_files(&[&ogg, &ivf], &[&out_ogg, &out_ivf])
        .unwrap();
    let tracks = plan.tracks().data_channel("echo");
    media.use_files(plan);
    let reply = media
        .negotiate(json!({"audio": true, "video": true}), &tracks)
        .await
        .unwrap();
    assert_eq!(reply.data["result"], "ok", "{:?}", reply.data);
    let mut seen = Seen::new(&media);
    seen.up().await;

    seen.take("the data channel's opening", |e| {
        matches!(e, Event::Media(MediaEvent::ChannelOpen { label }) if label == "echo")
            .then_some(())
    })
    .await;
    media.send_text("echo", "hello janus").unwrap();
    let echoed = seen
        .take("the data channel message's echo", |e| match e {
            Event::Media(MediaEvent::ChannelMessage { data, .. }) => {
                Some(String::from_utf8_lossy(data).into_owned())
            }
            _ => None,
        })
        .await;
    assert!(echoed.contains("hello janus"), "{echoed}");

    let mut sent = Vec::new();
    for _ in 0..2 {
        sent.push(
            seen.take("the end of a playback", |e| match e {
                Event::Media(MediaEvent::PlaybackEnded { kind, sent }) => Some((*kind, *sent)),
                _ => None,
            })
            .await,
        );
    }
    // Let the last packets come back, then close.
    A::sleep(Duration::from_millis(500)).await;
    media.close();
    assert_eq!(seen.ending().await, MediaEnd::Closed);

    let sent_of = |kind| sent.iter().find(|s| s.0 == kind).unwrap().1;
    let (sent_audio, sent_video) = (sent_of(MediaKind::Audio), sent_of(MediaKind::Video));
    assert_eq!(sent_audio, media_files::probe(&ogg).packets);
    assert_eq!(sent_video, media_files::probe(&ivf).packets);
    let audio = media_files::probe(&out_ogg);
    let video = media_files::probe(&out_ivf);
    assert_eq!(audio.codec, "opus");
    assert_eq!(video.codec, "vp8");
    // Every packet comes back over loopback; allow 2 % for the ends.
    assert!(audio.packets * 100 >= sent_audio * 98, "{audio:?} of {sent_audio}");
    assert!(video.packets * 100 >= sent_video * 98, "{video:?} of {sent_video}");
    assert!((audio.duration - 3.0).abs() < 0.3, "{audio:?}");
    assert!((video.duration - 3.0).abs() < 0.3, "{video:?}");
}
