//! Real WebRTC media with a real Janus, in a private network namespace.

use std::time::Duration;

use janus_blocking::janus_core::plugins::echotest;
use janus_blocking::janus_core::serde_json::json;
use janus_blocking::janus_core::HandleEvent;
use janus_blocking::janus_media::{Event, MediaEnd, MediaEvent, MediaKind, MediaOptions};
use janus_blocking::media::MediaHandle;
use janus_blocking::Client;
use janus_tests::media_files;
use janus_tests::netns::{run_isolated, MEDIA_INTERFACE, MEDIA_IP};
use janus_tests::rig::JanusServer;

fn media_server(plugins: &[&str]) -> JanusServer {
    JanusServer::builder()
        .media_interface(MEDIA_INTERFACE, &MEDIA_IP.to_string())
        .plugins(plugins)
        .start()
        .expect("start janus")
}

#[test]
fn blocking_echotest_round_trip() {
    run_isolated("blocking_echotest_round_trip", || {
        let server = media_server(&["echotest"]);
        let dir = tempfile::tempdir().unwrap();
        let (ogg, ivf) = media_files::make(dir.path(), 3);
        let (out_ogg, out_ivf) = (dir.path().join("out.ogg"), dir.path().join("out.ivf"));

        let client = Client::connect(&server.ws_url()).unwrap();
        let session = client.create_session().unwrap();
        let handle = session.attach(echotest::PLUGIN).unwrap();
        let media =
            MediaHandle::new(handle, MediaOptions::default().bind(MEDIA_IP.into())).unwrap();
        let plan = media
            .open_files(&[&ogg, &ivf], &[&out_ogg, &out_ivf])
            .unwrap();
        let tracks = plan.tracks().data_channel("echo");
        media.use_files(plan);
        let reply = media
            .negotiate(json!({"audio": true, "video": true}), &tracks)
            .unwrap();
        assert_eq!(reply.data["result"], "ok", "{:?}", reply.data);

        let t = Duration::from_secs(10);
        let mut webrtcup = false;
        let mut connected = false;
        media
            .wait_for(t, |e| {
                match e {
                    Event::Handle(HandleEvent::WebrtcUp) => webrtcup = true,
                    Event::Media(MediaEvent::Connected) => connected = true,
                    _ => {}
                }
                (webrtcup && connected).then_some(())
            })
            .expect("webrtcup and Connected");

        media
            .wait_for(t, |e| {
                matches!(e, Event::Media(MediaEvent::ChannelOpen { label }) if label == "echo")
                    .then_some(())
            })
            .expect("the data channel opens");
        media.send_text("echo", "hello janus").unwrap();
        let echoed = media
            .wait_for(t, |e| match e {
                Event::Media(MediaEvent::ChannelMessage { data, .. }) => {
                    Some(String::from_utf8_lossy(data).into_owned())
                }
                _ => None,
            })
            .expect("the data channel message comes back");
        assert!(echoed.contains("hello janus"), "{echoed}");

        let mut sent = Vec::new();
        media
            .wait_for(t, |e| {
                if let Event::Media(MediaEvent::PlaybackEnded { kind, sent: n }) = e {
                    sent.push((*kind, *n));
                }
                (sent.len() == 2).then_some(())
            })
            .expect("both files play to their end");
        // Let the last packets come back, then close.
        std::thread::sleep(Duration::from_millis(500));
        media.close();
        let end = media
            .wait_for(t, |e| match e {
                Event::Media(MediaEvent::Ended(reason)) => Some(reason.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(end, MediaEnd::Closed);

        let sent_audio = sent.iter().find(|s| s.0 == MediaKind::Audio).unwrap().1;
        let sent_video = sent.iter().find(|s| s.0 == MediaKind::Video).unwrap().1;
        assert_eq!(sent_audio, media_files::probe(&ogg).packets);
        assert_eq!(sent_video, media_files::probe(&ivf).packets);
        let audio = media_files::probe(&out_ogg);
        let video = media_files::probe(&out_ivf);
        eprintln!("sent audio {sent_audio} video {sent_video}; recorded {audio:?} {video:?}");
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
    });
}
