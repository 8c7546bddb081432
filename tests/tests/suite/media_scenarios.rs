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
use janus_tests::support::admin_handles;

use crate::adapter::{ClientApi, HandleApi, SessionApi};
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

/// A media handle on a new handle of `plugin`, its socket on the media
/// address.
async fn attach_media<A: MediaAdapter>(session: &A::Session, plugin: &str) -> A::Media {
    let handle = session.attach(plugin).await.unwrap();
    A::media(handle, options()).await.unwrap()
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
        self.take("webrtcup", |e| {
            matches!(e, Event::Handle(HandleEvent::WebrtcUp)).then_some(())
        })
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
    let media = attach_media::<A>(&session, echotest::PLUGIN).await;
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

    // Dropping the media handle detaches its handle on the server.
    let session_id = session.id().0;
    assert_eq!(admin_handles(&server, session_id).len(), 1);
    drop(seen);
    drop(media);
    let gone = std::time::Instant::now() + Duration::from_secs(5);
    while !admin_handles(&server, session_id).is_empty() {
        assert!(
            std::time::Instant::now() < gone,
            "the handle is still attached"
        );
        A::sleep(Duration::from_millis(50)).await;
    }

    let sent_of = |kind| sent.iter().find(|s| s.0 == kind).unwrap().1;
    let (sent_audio, sent_video) = (sent_of(MediaKind::Audio), sent_of(MediaKind::Video));
    assert_eq!(sent_audio, media_files::probe(&ogg).packets);
    assert_eq!(sent_video, media_files::probe(&ivf).packets);
    let audio = media_files::probe(&out_ogg);
    let video = media_files::probe(&out_ivf);
    assert_eq!(audio.codec, "opus");
    assert_eq!(video.codec, "vp8");
    // Every packet comes back over loopback; allow 2 % for the ends.
    assert!(
        audio.packets * 100 >= sent_audio * 98,
        "{audio:?} of {sent_audio}"
    );
    assert!(
        video.packets * 100 >= sent_video * 98,
        "{video:?} of {sent_video}"
    );
    assert!((audio.duration - 3.0).abs() < 0.3, "{audio:?}");
    assert!((video.duration - 3.0).abs() < 0.3, "{video:?}");
}

/// How many frames of each kind a stream of events delivered.
fn count_frames(events: &[Event], kind: MediaKind) -> u64 {
    events
        .iter()
        .filter(|e| matches!(e, Event::Media(MediaEvent::Frame(f)) if f.kind == kind))
        .count() as u64
}

/// VideoRoom: one publisher (audio frames pushed by the application, video
/// played from a file) and two subscribers, one recording to files and one
/// taking the frames as events. A `hangup` ends the publisher's
/// PeerConnection with Janus's reason.
pub async fn videoroom_one_publisher_two_subscribers<A: MediaAdapter>() {
    use janus_async::janus_core::plugins::videoroom;
    use janus_async::janus_media::container::OggOpusReader;
    use janus_async::janus_media::{Codec, Direction, Tracks};

    let server = media_server(&["videoroom"]);
    let dir = tempfile::tempdir().unwrap();
    let (ogg, ivf) = media_files::make(dir.path(), 3);
    let (out_ogg, out_ivf) = (dir.path().join("sub.ogg"), dir.path().join("sub.ivf"));
    let client = connect::<A>(Kind::Ws, &server).await;
    let session = client.create_session().await.unwrap();
    let room = 1234;

    let publisher = attach_media::<A>(&session, videoroom::PLUGIN).await;
    let joined = publisher
        .handle()
        .message(json!({"request": "join", "ptype": "publisher", "room": room, "display": "cam"}))
        .await
        .unwrap();
    assert_eq!(joined.data["videoroom"], "joined", "{:?}", joined.data);
    let feed = joined.data["id"].clone();
    let tracks = Tracks::new()
        .audio(Direction::SendOnly)
        .video(Direction::SendOnly);
    let reply = publisher
        .negotiate(json!({"request": "publish"}), &tracks)
        .await
        .unwrap();
    assert_eq!(reply.data["configured"], "ok", "{:?}", reply.data);
    let mut published = Seen::new(&publisher);
    published.up().await;

    let mut subscribers = Vec::new();
    for _ in 0..2 {
        let sub = attach_media::<A>(&session, videoroom::PLUGIN).await;
        let attached = sub
            .handle()
            .message(json!({
                "request": "join", "ptype": "subscriber", "room": room,
                "streams": [{"feed": feed}],
            }))
            .await
            .unwrap();
        assert_eq!(
            attached.data["videoroom"], "attached",
            "{:?}",
            attached.data
        );
        let offer = attached.jsep.expect("the subscription's offer");
        if subscribers.is_empty() {
            // The first one records; the second takes frames as events.
            let plan = sub.open_files(&[], &[&out_ogg, &out_ivf]).unwrap();
            sub.use_files(plan);
        }
        let started = sub
            .answer(&offer, json!({"request": "start"}))
            .await
            .unwrap();
        assert_eq!(started.data["started"], "ok", "{:?}", started.data);
        subscribers.push(sub);
    }
    for sub in &subscribers {
        Seen::new(sub).up().await;
    }

    // Video from the file at its pace; audio pushed frame by frame.
    let plan = publisher
        .open_files(&[&ivf], &[] as &[&std::path::Path])
        .unwrap();
    publisher.use_files(plan);
    let reader = OggOpusReader::new(std::fs::File::open(&ogg).unwrap());
    let start = std::time::Instant::now();
    let mut pushed_audio = 0u64;
    for sample in reader {
        let sample = sample.unwrap();
        let due = start + sample.at;
        A::sleep(due.saturating_duration_since(std::time::Instant::now())).await;
        publisher
            .write_frame(MediaKind::Audio, Codec::Opus, sample.at, &sample.data)
            .unwrap();
        pushed_audio += 1;
    }
    let sent_video = published
        .take("the end of the video playback", |e| match e {
            Event::Media(MediaEvent::PlaybackEnded { sent, .. }) => Some(*sent),
            _ => None,
        })
        .await;
    A::sleep(Duration::from_millis(500)).await;

    // The second subscriber's frames, taken as events.
    let mut events = Vec::new();
    while let Some(e) = subscribers[1]
        .wait_for(Duration::from_millis(50), |e| Some(e.clone()))
        .await
    {
        events.push(e);
    }
    let (audio, video) = (
        count_frames(&events, MediaKind::Audio),
        count_frames(&events, MediaKind::Video),
    );
    assert!(
        audio * 100 >= pushed_audio * 95,
        "{audio} of {pushed_audio} audio frames"
    );
    assert!(
        video * 100 >= sent_video * 95,
        "{video} of {sent_video} video frames"
    );

    // The first one's recordings.
    subscribers[0].close();
    assert_eq!(Seen::new(&subscribers[0]).ending().await, MediaEnd::Closed);
    let audio = media_files::probe(&out_ogg);
    let video = media_files::probe(&out_ivf);
    assert!(
        audio.packets * 100 >= pushed_audio * 95,
        "{audio:?} of {pushed_audio}"
    );
    assert!(
        video.packets * 100 >= sent_video * 95,
        "{video:?} of {sent_video}"
    );

    // The publisher hangs up: Janus closes DTLS and says `hangup`; the
    // PeerConnection ends with whichever comes first, and the handle's
    // `hangup` event (with Janus's reason) is on the same stream.
    publisher.handle().hangup().await.unwrap();
    match published.ending().await {
        MediaEnd::Hangup(_) | MediaEnd::RemoteClosed => {}
        other => panic!("expected the peer's close or Janus's hangup, got {other:?}"),
    }
    let reason = published
        .take("the handle's hangup", |e| match e {
            Event::Handle(HandleEvent::Hangup { reason }) => Some(reason.clone()),
            _ => None,
        })
        .await;
    assert!(reason.is_some_and(|r| !r.is_empty()));
}

/// A client candidate Janus cannot reach (loopback): ICE fails and the
/// PeerConnection ends as `IceFailed` at its connect timeout, once.
pub async fn ice_failure_is_a_typed_ending<A: MediaAdapter>() {
    use janus_async::janus_media::{Direction, Tracks};

    let server = media_server(&["echotest"]);
    let client = connect::<A>(Kind::Ws, &server).await;
    let session = client.create_session().await.unwrap();
    let handle = session.attach(echotest::PLUGIN).await.unwrap();
    let options = MediaOptions::default()
        .bind(std::net::Ipv4Addr::LOCALHOST.into())
        .connect_timeout(Duration::from_secs(2));
    let media = A::media(handle, options).await.unwrap();
    media
        .negotiate(
            json!({"audio": true}),
            &Tracks::new().audio(Direction::SendRecv),
        )
        .await
        .unwrap();
    let mut seen = Seen::new(&media);
    assert_eq!(seen.ending().await, MediaEnd::IceFailed);
    assert!(
        !seen
            .events
            .iter()
            .any(|e| matches!(e, Event::Media(MediaEvent::Connected))),
        "{:?}",
        seen.events
    );
    // Nothing more from the PeerConnection.
    let more = media
        .wait_for(Duration::from_millis(300), |e| match e {
            Event::Media(m) => Some(m.clone()),
            _ => None,
        })
        .await;
    assert_eq!(more, None);
}

/// TextRoom over real data channels: two participants set up their
/// PeerConnections (Janus offers), join room 1234 and chat; the typed
/// data-channel messages of `plugins::textroom` go both ways.
pub async fn textroom_chat_over_data_channels<A: MediaAdapter>() {
    use janus_async::janus_core::plugins::textroom::{self, DataEvent, DataRequest};
    use janus_async::janus_core::plugins::RoomId;

    let server = media_server(&["textroom"]);
    let client = connect::<A>(Kind::Ws, &server).await;
    let session = client.create_session().await.unwrap();
    let room = RoomId::from(1234u64);

    let mut people = Vec::new();
    for name in ["alice", "bob"] {
        let media = attach_media::<A>(&session, textroom::PLUGIN).await;
        let setup = media
            .handle()
            .message(json!({"request": "setup"}))
            .await
            .unwrap();
        let offer = setup.jsep.expect("TextRoom offers a data channel");
        let acked = media
            .answer(&offer, json!({"request": "ack"}))
            .await
            .unwrap();
        assert_eq!(acked.data["result"], "ok", "{:?}", acked.data);
        // As browsers do, this side opens the channel; no renegotiation.
        assert_eq!(media.open_channel(&format!("chat-{name}")).unwrap(), None);
        people.push((name, media));
    }

    // Each one's channel opens; each joins and gets its success.
    let mut labels = Vec::new();
    for (name, media) in &people {
        let mut seen = Seen::new(media);
        seen.up().await;
        let label = seen
            .take("the data channel's opening", |e| match e {
                Event::Media(MediaEvent::ChannelOpen { label }) => Some(label.clone()),
                _ => None,
            })
            .await;
        let join = DataRequest::Join {
            transaction: format!("join-{name}"),
            room: room.clone(),
            username: name.to_string(),
            display: None,
            pin: None,
            token: None,
            history: None,
        };
        media
            .send_text(
                &label,
                &janus_async::janus_core::serde_json::to_string(&join).unwrap(),
            )
            .unwrap();
        let joined = take_data(&mut seen, |e| match e {
            DataEvent::Success(s) => Some(s),
            DataEvent::Error(e) => panic!("{name} could not join: {e:?}"),
            _ => None,
        })
        .await;
        assert_eq!(joined.transaction, format!("join-{name}"));
        labels.push(label);
    }

    let message = DataRequest::Message {
        transaction: "hello".into(),
        room: room.clone(),
        text: "hi bob".into(),
        to: None,
        tos: None,
        ack: None,
    };
    people[0]
        .1
        .send_text(
            &labels[0],
            &janus_async::janus_core::serde_json::to_string(&message).unwrap(),
        )
        .unwrap();
    let mut bob = Seen::new(&people[1].1);
    let heard = take_data(&mut bob, |e| match e {
        DataEvent::Message(m) => Some(m),
        _ => None,
    })
    .await;
    assert_eq!(heard.from, "alice");
    assert_eq!(heard.text, "hi bob");
    assert_eq!(heard.room, room);

    // Bob detaches: his PeerConnection ends with the handle, once.
    people[1].1.handle().detach().await.unwrap();
    match bob.ending().await {
        MediaEnd::HandleEnded(reason) => assert!(reason.contains("detach"), "{reason}"),
        MediaEnd::RemoteClosed => {}
        other => panic!("expected the handle's end, got {other:?}"),
    }
}

/// The first TextRoom data-channel message `pick` accepts.
async fn take_data<M: MediaApi, R>(
    seen: &mut Seen<'_, M>,
    mut pick: impl FnMut(janus_async::janus_core::plugins::textroom::DataEvent) -> Option<R> + Send,
) -> R {
    use janus_async::janus_core::plugins::textroom::DataEvent;
    seen.take("a TextRoom data-channel message", |e| match e {
        Event::Media(MediaEvent::ChannelMessage { data, .. }) => {
            let value = janus_async::janus_core::serde_json::from_slice(data).ok()?;
            pick(DataEvent::from_data(value))
        }
        _ => None,
    })
    .await
}

/// Streaming: an RTP mountpoint that ffmpeg feeds with the Opus and VP8
/// files; a watcher answers Janus's offer and records both; the
/// recordings have the files' packets, less what went before the watch
/// started.
pub async fn streaming_watch_of_an_rtp_mountpoint<A: MediaAdapter>() {
    use janus_async::janus_core::plugins::streaming;

    let server = media_server(&["streaming"]);
    let dir = tempfile::tempdir().unwrap();
    let (ogg, ivf) = media_files::make(dir.path(), 3);
    let (out_ogg, out_ivf) = (
        dir.path().join("watched.ogg"),
        dir.path().join("watched.ivf"),
    );
    let [audio_port, video_port] = media_files::free_udp_ports::<2>();
    let client = connect::<A>(Kind::Ws, &server).await;
    let session = client.create_session().await.unwrap();

    let media = attach_media::<A>(&session, streaming::PLUGIN).await;
    let created = media
        .handle()
        .message(json!({
            "request": "create", "type": "rtp", "id": 77, "description": "fed by ffmpeg",
            "media": [
                {"type": "audio", "mid": "a", "port": audio_port, "pt": 111,
                 "codec": "opus"},
                {"type": "video", "mid": "v", "port": video_port, "pt": 100,
                 "codec": "vp8"},
            ],
        }))
        .await
        .unwrap();
    assert_eq!(created.data["stream"]["id"], 77, "{:?}", created.data);

    let watching = media
        .handle()
        .message(json!({"request": "watch", "id": 77}))
        .await
        .unwrap();
    let offer = watching.jsep.expect("the mountpoint's offer");
    let plan = media.open_files(&[], &[&out_ogg, &out_ivf]).unwrap();
    media.use_files(plan);
    let started = media
        .answer(&offer, json!({"request": "start"}))
        .await
        .unwrap();
    assert_eq!(
        started.data["result"]["status"], "starting",
        "{:?}",
        started.data
    );
    let mut seen = Seen::new(&media);
    seen.up().await;

    let mut feeds = [
        media_files::feed_rtp(&ogg, 111, audio_port),
        media_files::feed_rtp(&ivf, 100, video_port),
    ];
    let fed = std::time::Instant::now();
    while feeds.iter_mut().any(|f| f.try_wait().unwrap().is_none()) {
        assert!(
            fed.elapsed() < Duration::from_secs(15),
            "ffmpeg did not finish"
        );
        A::sleep(Duration::from_millis(100)).await;
    }
    for f in &mut feeds {
        assert!(
            f.wait().unwrap().success(),
            "ffmpeg failed to feed the mountpoint"
        );
    }
    A::sleep(Duration::from_millis(500)).await;
    media.close();
    assert_eq!(seen.ending().await, MediaEnd::Closed);

    let (audio, video) = (media_files::probe(&out_ogg), media_files::probe(&out_ivf));
    let (sent_audio, sent_video) = (
        media_files::probe(&ogg).packets,
        media_files::probe(&ivf).packets,
    );
    assert!(
        audio.packets * 100 >= sent_audio * 90,
        "{audio:?} of {sent_audio}"
    );
    assert!(
        video.packets * 100 >= sent_video * 90,
        "{video:?} of {sent_video}"
    );
    assert!((audio.duration - 3.0).abs() < 0.4, "{audio:?}");
}
