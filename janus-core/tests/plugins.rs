//! The typed plugin vocabulary against frames captured from Janus 1.1.2.
//!
//! The captures under `tests/data/plugins/<plugin>/` were recorded by
//! `tests/examples/capture_plugins.rs` (`cargo run -p janus-tests --example
//! capture_plugins`): `<name>.request.json` is the message body that was
//! sent and `<name>.json` the `plugindata.data` that came back. For each
//! request the typed value must serialize to exactly what was sent (and
//! read back from it), and the answer must parse as the request's reply
//! type and serialize back to exactly what Janus sent.

use janus_core::plugins::videoroom::{self, ErrorCode, Event, ParticipantId, RoomId};
use janus_core::plugins::{echotest, streaming, PluginRequest, ReplyError};
use serde_json::{json, Value};

mod captures;
use captures::{dir, exchange, load, refused};
use std::fs;

fn vr_code(code: i64) -> ErrorCode {
    ErrorCode::try_from(code).expect("a named VideoRoom code")
}

/// An event capture: parses as `Event`, and serializes back unchanged.
fn vr_event(name: &str) -> Event {
    let data = load("videoroom", name);
    let event: Event = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(serde_json::to_value(&event).unwrap(), data, "{name}");
    event
}

/// The id the capture program sent in a request's `field`.
fn sent_id(name: &str, field: &str) -> ParticipantId {
    serde_json::from_value(load("videoroom", &format!("{name}.request"))[field].clone()).unwrap()
}

const VR: &str = "videoroom";
const ROOM: u64 = 4321;
const SECRET: &str = "s3cret";

#[test]
fn videoroom_room_management() {
    let created = exchange(
        VR,
        "create",
        videoroom::Create::new()
            .room(ROOM)
            .description("capture room")
            .publishers(6u32)
            .notify_joining(true)
            .dummy_publisher(true)
            .secret(SECRET),
    );
    assert_eq!(created.room, RoomId::Int(ROOM));
    assert!(!created.permanent);

    let (code, _) = refused(VR, "error_room_exists", videoroom::Create::new().room(ROOM));
    assert_eq!(vr_code(code), ErrorCode::RoomExists);

    let exists = exchange(VR, "exists", videoroom::Exists::new(ROOM));
    assert!(exists.exists);

    let list = exchange(VR, "list", videoroom::List::new());
    let ours = list
        .list
        .iter()
        .find(|r| r.room == RoomId::Int(ROOM))
        .unwrap();
    assert_eq!(ours.description, "capture room");
    assert_eq!(ours.max_publishers, 6);
    assert_eq!(ours.extra["notify_joining"], true);

    let edited = exchange(
        VR,
        "edit",
        videoroom::Edit::new(ROOM)
            .secret(SECRET)
            .new_description("edited room")
            .new_bitrate(256_000u64),
    );
    assert_eq!(edited.room, RoomId::Int(ROOM));

    let allowed = exchange(
        VR,
        "allowed_add",
        videoroom::Allowed::new(ROOM, videoroom::AllowedAction::Add)
            .secret(SECRET)
            .allowed(vec!["token-a".to_string(), "token-b".to_string()]),
    );
    let mut tokens = allowed.allowed.unwrap();
    tokens.sort();
    assert_eq!(tokens, ["token-a", "token-b"]);
    let allowed = exchange(
        VR,
        "allowed_remove",
        videoroom::Allowed::new(ROOM, videoroom::AllowedAction::Remove)
            .secret(SECRET)
            .allowed(vec!["token-b".to_string()]),
    );
    assert_eq!(allowed.allowed.unwrap(), ["token-a"]);

    let (code, _) = refused(
        VR,
        "error_invalid_element",
        videoroom::Exists::new("not-a-number"),
    );
    assert_eq!(vr_code(code), ErrorCode::InvalidElement);

    let participants = exchange(
        VR,
        "listparticipants",
        videoroom::ListParticipants::new(ROOM),
    );
    assert_eq!(participants.participants.len(), 3);
    let dummy = participants
        .participants
        .iter()
        .find(|p| p.dummy == Some(true))
        .unwrap();
    assert!(dummy.publisher);
    assert!(participants
        .participants
        .iter()
        .any(|p| p.id == ParticipantId::Int(7001) && p.display.as_deref() == Some("bob")));

    let forwarders = exchange(
        VR,
        "listforwarders",
        videoroom::ListForwarders::new(ROOM).secret(SECRET),
    );
    assert!(forwarders.publishers.is_empty());

    let recording = exchange(
        VR,
        "enable_recording",
        videoroom::EnableRecording::new(ROOM, false).secret(SECRET),
    );
    assert!(!recording.record);

    let alice = sent_id("error_moderate_no_mid", "id");
    let (code, reason) = refused(
        VR,
        "error_moderate_no_mid",
        videoroom::Moderate::new(ROOM, alice.clone(), "0", true).secret(SECRET),
    );
    assert_eq!(vr_code(code), ErrorCode::NoSuchFeed);
    assert_eq!(reason, "No such stream 0");

    let forwarded = exchange(
        VR,
        "rtp_forward",
        videoroom::RtpForward::new(
            ROOM,
            alice.clone(),
            "127.0.0.1",
            vec![videoroom::ForwardStream::new("0", 5002)],
        )
        .secret(SECRET),
    );
    assert_eq!(forwarded.publisher_id, alice);
    assert!(forwarded.forwarders.is_empty(), "alice sends no media");

    let (code, _) = refused(
        VR,
        "error_stop_rtp_forward",
        videoroom::StopRtpForward::new(ROOM, alice, 12345).secret(SECRET),
    );
    assert_eq!(vr_code(code), ErrorCode::NoSuchFeed);

    let kicked = sent_id("kick", "id");
    exchange(
        VR,
        "kick",
        videoroom::Kick::new(ROOM, kicked).secret(SECRET),
    );

    let destroyed = exchange(VR, "destroy", videoroom::Destroy::new(ROOM).secret(SECRET));
    assert_eq!(destroyed.room, RoomId::Int(ROOM));
    let (code, _) = refused(
        VR,
        "error_destroy_no_such_room",
        videoroom::Destroy::new(ROOM),
    );
    assert_eq!(vr_code(code), ErrorCode::NoSuchRoom);
}

/// A joins as publisher, B joins (A sees `joining`), B leaves (A sees
/// `leaving`), C joins and is kicked, the room is destroyed under A.
#[test]
fn videoroom_two_participant_walk() {
    let (code, _) = refused(
        VR,
        "error_no_such_room",
        videoroom::JoinPublisher::new(999_999u64),
    );
    assert_eq!(vr_code(code), ErrorCode::NoSuchRoom);
    // A join without ptype cannot be typed; its error still reads.
    match vr_event("error_missing_element") {
        Event::Error(e) => assert_eq!(e.code::<ErrorCode>(), Ok(ErrorCode::MissingElement)),
        other => panic!("{other:?}"),
    }

    let a = exchange(
        VR,
        "join_publisher",
        videoroom::JoinPublisher::new(ROOM).display("alice"),
    );
    assert_eq!(a.room, RoomId::Int(ROOM));
    assert_eq!(a.attendees.as_deref(), Some(&[][..]));
    let dummy = &a.publishers[0];
    assert_eq!(dummy.dummy, Some(true));
    assert_eq!(dummy.streams.len(), 2);
    assert_eq!(dummy.streams[0].kind, videoroom::MediaType::Audio);
    assert_eq!(dummy.streams[1].codec.as_deref(), Some("vp8"));

    let b = exchange(
        VR,
        "join_publisher_b",
        videoroom::JoinPublisher::new(ROOM)
            .display("bob")
            .id(7001u64),
    );
    assert_eq!(b.id, ParticipantId::Int(7001));
    let attendees = b.attendees.unwrap();
    assert_eq!(attendees[0].id, a.id);
    assert_eq!(attendees[0].display.as_deref(), Some("alice"));

    match vr_event("joining") {
        Event::Joining(j) => {
            assert_eq!(j.joining.id, ParticipantId::Int(7001));
            assert_eq!(j.joining.display.as_deref(), Some("bob"));
        }
        other => panic!("{other:?}"),
    }

    // A renames itself; B is told.
    let configured = exchange(
        VR,
        "configure",
        videoroom::Configure::new().display("alice-renamed"),
    );
    assert_eq!(configured.configured, "ok");
    match vr_event("display") {
        Event::Display(d) => {
            assert_eq!(d.id, a.id);
            assert_eq!(d.display, "alice-renamed");
        }
        other => panic!("{other:?}"),
    }
    let (code, _) = refused(VR, "error_unpublish", videoroom::Unpublish::default());
    assert_eq!(vr_code(code), ErrorCode::NotPublished);
    let published = exchange(VR, "publish", videoroom::Publish::new());
    assert_eq!(published.configured, "ok");
    let (code, _) = refused(
        VR,
        "error_already_joined",
        videoroom::JoinPublisher::new(ROOM),
    );
    assert_eq!(vr_code(code), ErrorCode::AlreadyJoined);

    // B leaves: it gets `leaving: "ok"`, A gets B's id.
    match exchange(VR, "leave", videoroom::Leave::default()) {
        Event::Leaving(l) => assert!(l.is_self()),
        other => panic!("{other:?}"),
    }
    match vr_event("leaving") {
        Event::Leaving(l) => {
            assert_eq!(l.leaving, ParticipantId::Int(7001));
            assert!(!l.is_self());
            assert_eq!(l.room, Some(RoomId::Int(ROOM)));
        }
        other => panic!("{other:?}"),
    }

    // C joins and is kicked.
    let c = exchange(
        VR,
        "join_publisher_c",
        videoroom::JoinPublisher::new(ROOM).display("carol"),
    );
    match vr_event("joining_c") {
        Event::Joining(j) => assert_eq!(j.joining.id, c.id),
        other => panic!("{other:?}"),
    }
    match vr_event("kicked") {
        Event::Leaving(l) => {
            assert!(l.is_self());
            assert_eq!(l.reason.as_deref(), Some("kicked"));
        }
        other => panic!("{other:?}"),
    }
    match vr_event("kicked_other") {
        Event::Kicked(k) => assert_eq!(k.kicked, c.id),
        other => panic!("{other:?}"),
    }

    match vr_event("destroyed_event") {
        Event::Destroyed(d) => assert_eq!(d.room, RoomId::Int(ROOM)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn videoroom_subscriber() {
    // The room's dummy publisher, the feed the capture subscribed to.
    let feed: ParticipantId =
        serde_json::from_value(load(VR, "join_subscriber.request")["streams"][0]["feed"].clone())
            .unwrap();
    let attached = exchange(
        VR,
        "join_subscriber",
        videoroom::JoinSubscriber::new(ROOM, vec![videoroom::SubscribeStream::feed(feed.clone())]),
    );
    assert_eq!(attached.streams.len(), 2);
    let video = &attached.streams[1];
    assert_eq!(video.kind, videoroom::MediaType::Video);
    assert_eq!(video.feed_id.as_ref(), Some(&feed));
    assert_eq!(video.feed_mid.as_deref(), Some("1"));
    assert!(video.active);

    let paused = exchange(VR, "pause", videoroom::Pause::default());
    assert_eq!(paused.paused, "ok");
    let started = exchange(VR, "start", videoroom::Start::default());
    assert_eq!(started.started, "ok");

    let switched = exchange(
        VR,
        "switch",
        videoroom::Switch::new(vec![videoroom::SwitchStream {
            feed: feed.clone(),
            mid: "0".into(),
            sub_mid: "0".into(),
        }]),
    );
    assert_eq!(switched.changes, Some(0), "already fed from there");
    assert_eq!(switched.streams.len(), 2);

    let updating = exchange(
        VR,
        "update",
        videoroom::Update::new().unsubscribe(vec![videoroom::UnsubscribeStream {
            feed: Some(feed),
            mid: Some("0".into()),
            sub_mid: None,
        }]),
    );
    assert!(matches!(updating, Event::Updating(ref u) if u.room == RoomId::Int(ROOM)));

    let configured = exchange(
        VR,
        "configure_subscriber",
        videoroom::ConfigureSubscriber::new().streams(vec![
            videoroom::SubscriberConfigureStream::new("0").send(false),
        ]),
    );
    assert_eq!(configured.configured, "ok");

    match exchange(VR, "leave_subscriber", videoroom::Leave::default()) {
        Event::Left(l) => assert_eq!(l.left, "ok"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn videoroom_string_ids() {
    let created = exchange(
        VR,
        "create_string",
        videoroom::Create::new()
            .room("demo-room")
            .notify_joining(true),
    );
    assert_eq!(created.room, RoomId::Str("demo-room".into()));

    let joined = exchange(
        VR,
        "join_publisher_string",
        videoroom::JoinPublisher::new("demo-room")
            .id("alice")
            .display("Alice"),
    );
    assert_eq!(joined.id, ParticipantId::from("alice"));
    assert_eq!(joined.room.to_string(), "demo-room");

    let participants = exchange(
        VR,
        "listparticipants_string",
        videoroom::ListParticipants::new("demo-room"),
    );
    assert_eq!(
        participants.participants[0].id,
        ParticipantId::from("alice")
    );
    assert!(exchange(VR, "exists_string", videoroom::Exists::new("demo-room")).exists);
    exchange(VR, "destroy_string", videoroom::Destroy::new("demo-room"));
}

#[test]
fn ids_serialize_back_the_way_they_came() {
    for raw in [
        json!(4321),
        json!("demo-room"),
        json!(9_007_199_254_740_991u64),
    ] {
        let room: RoomId = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(serde_json::to_value(&room).unwrap(), raw);
    }
    assert_eq!(RoomId::from(5u64).to_string(), "5");
    // A numeric-looking string stays a string.
    let id: ParticipantId = serde_json::from_value(json!("42")).unwrap();
    assert_eq!(id, ParticipantId::Str("42".into()));
    assert_ne!(id, ParticipantId::Int(42));
}

/// Every VideoRoom answer captured, whatever it is, reads as an `Event`
/// without error and writes back unchanged.
#[test]
fn every_videoroom_capture_reads_as_an_event() {
    let mut count = 0;
    for entry in fs::read_dir(dir(VR)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".request.json") {
            continue;
        }
        let data: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let event = Event::from_data(data.clone());
        assert_eq!(serde_json::to_value(&event).unwrap(), data, "{name}");
        if name.starts_with("error_") {
            assert!(matches!(event, Event::Error(_)), "{name}: {event:?}");
        }
        count += 1;
    }
    assert!(count >= 40, "only {count} captures");
}

#[test]
fn unknown_videoroom_events_land_in_other() {
    for data in [
        json!({"videoroom": "brand-new", "room": 1}),
        json!({"videoroom": "event", "room": 1, "something": "new"}),
        // A known event whose shape changed.
        json!({"videoroom": "joined", "room": 1}),
        json!({"videoroom": "event", "leaving": [1, 2]}),
        json!("not even an object"),
        json!(null),
    ] {
        let event: Event = serde_json::from_value(data.clone()).unwrap();
        assert_eq!(event, Event::Other(data));
    }
    // New fields in a known event are kept.
    let data = json!({"videoroom": "event", "room": 1, "leaving": 2, "new_field": [1]});
    match Event::from_data(data.clone()) {
        Event::Leaving(l) => assert_eq!(l.extra["new_field"], json!([1])),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        serde_json::to_value(Event::from_data(data.clone())).unwrap(),
        data
    );
}

#[test]
fn talking_and_moderation_events_from_the_source_shapes() {
    // Not capturable without media; shapes as the 1.1.2 source writes them.
    let talking = json!({"videoroom": "talking", "room": 1, "id": 2, "mindex": 0, "mid": "0",
                         "audio-level-dBov-avg": 37.5});
    match Event::from_data(talking.clone()) {
        Event::Talking(t) => {
            assert_eq!(t.id, ParticipantId::Int(2));
            assert_eq!(t.audio_level_dbov_avg, Some(37.5));
        }
        other => panic!("{other:?}"),
    }
    let stopped = json!({"videoroom": "stopped-talking", "room": 1, "id": 2, "mid": "0"});
    assert!(matches!(
        Event::from_data(stopped),
        Event::StoppedTalking(_)
    ));
    let moderated = json!({"videoroom": "event", "room": 1, "id": 2, "mid": "1",
                           "moderation": "muted"});
    assert!(matches!(Event::from_data(moderated), Event::Moderated(_)));
    let unpublished = json!({"videoroom": "event", "room": 1, "unpublished": 2});
    assert!(matches!(
        Event::from_data(unpublished),
        Event::Unpublished(_)
    ));
    let updated = json!({"videoroom": "updated", "room": 1, "streams": []});
    assert!(matches!(Event::from_data(updated), Event::Updated(_)));
    let slow = json!({"videoroom": "slow_link", "current-bitrate": 64000});
    match Event::from_data(slow) {
        Event::SlowLink(s) => assert_eq!(s.current_bitrate, Some(64000)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn videoroom_error_codes() {
    for (code, named) in [
        (421, ErrorCode::NoMessage),
        (423, ErrorCode::InvalidRequest),
        (426, ErrorCode::NoSuchRoom),
        (428, ErrorCode::NoSuchFeed),
        (433, ErrorCode::Unauthorized),
        (437, ErrorCode::InvalidSdp),
        (499, ErrorCode::UnknownError),
    ] {
        assert_eq!(ErrorCode::try_from(code as u16), Ok(named));
        assert_eq!(ErrorCode::try_from(code as i64), Ok(named));
        assert_eq!(named.code(), code as u16);
    }
    for code in 421..=437u16 {
        assert_eq!(ErrorCode::try_from(code).map(ErrorCode::code), Ok(code));
    }
    assert_eq!(ErrorCode::try_from(420u16), Err(420));
    assert_eq!(ErrorCode::try_from(-1i64), Err(-1));
    assert_eq!(ErrorCode::NoSuchRoom as u16, 426);

    match vr_event("error_unknown_request") {
        Event::Error(e) => {
            assert_eq!(e.code::<ErrorCode>(), Ok(ErrorCode::InvalidRequest));
            assert_eq!(e.error, "Unknown request 'nosuch'");
        }
        other => panic!("{other:?}"),
    }
    // A code another plugin (or a newer VideoRoom) uses stays a number.
    let e = Event::from_data(json!({"videoroom": "event", "error_code": 498, "error": "x"}));
    match e {
        Event::Error(e) => assert_eq!(e.code::<ErrorCode>(), Err(498)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn replies_that_do_not_fit_are_decode_errors() {
    let err = <videoroom::Exists as PluginRequest>::parse_reply(json!({"videoroom": "success"}))
        .unwrap_err();
    assert!(matches!(err, ReplyError::Decode { .. }), "{err:?}");
}

const ET: &str = "echotest";

#[test]
fn echotest_requests_and_results() {
    assert_eq!(echotest::PLUGIN, "janus.plugin.echotest");
    assert_eq!(
        <echotest::Configure as PluginRequest>::PLUGIN,
        echotest::PLUGIN
    );
    let ok = exchange(ET, "audio", echotest::Configure::new().audio(true));
    assert!(matches!(ok, echotest::Event::Result(ref r) if r.result == echotest::Status::Ok));
    let ok = exchange(
        ET,
        "configure",
        echotest::Configure::new()
            .audio(true)
            .video(false)
            .bitrate(128_000u64),
    );
    assert!(matches!(ok, echotest::Event::Result(_)));

    // A wrongly typed field: sent raw, since the typed request cannot say it.
    let body = load(ET, "error_invalid_element.request");
    assert_eq!(body, json!({"audio": "yes"}));
    let data = load(ET, "error_invalid_element");
    match echotest::Configure::parse_reply(data.clone()) {
        Err(ReplyError::Plugin { code, .. }) => assert_eq!(
            echotest::ErrorCode::try_from(code),
            Ok(echotest::ErrorCode::InvalidElement)
        ),
        other => panic!("{other:?}"),
    }
    match echotest::Event::from_data(data) {
        echotest::Event::Error(e) => {
            assert_eq!(
                e.code::<echotest::ErrorCode>(),
                Ok(echotest::ErrorCode::InvalidElement)
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn echotest_events_from_the_source_shapes() {
    let done = json!({"echotest": "event", "result": "done"});
    match echotest::Event::from_data(done.clone()) {
        echotest::Event::Result(r) => assert_eq!(r.result, echotest::Status::Done),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        serde_json::to_value(echotest::Event::from_data(done.clone())).unwrap(),
        done
    );
    let layer = json!({"echotest": "event", "videocodec": "vp8", "substream": 2});
    assert!(matches!(
        echotest::Event::from_data(layer),
        echotest::Event::Layer(_)
    ));
    let slow = json!({"echotest": "event", "event": "slow_link", "media": "video",
                      "current-bitrate": 256000});
    assert!(matches!(
        echotest::Event::from_data(slow),
        echotest::Event::SlowLink(_)
    ));
    for other in [
        json!({"echotest": "event", "result": "something-new"}),
        json!({"echotest": "event", "new": true}),
    ] {
        assert_eq!(
            echotest::Event::from_data(other.clone()),
            echotest::Event::Other(other)
        );
    }
    for code in 411..=414u16 {
        assert_eq!(
            echotest::ErrorCode::try_from(code).map(|c| c.code()),
            Ok(code)
        );
    }
    assert_eq!(echotest::ErrorCode::try_from(415u16), Err(415));
}

#[test]
fn the_trait_ties_requests_to_their_plugin() {
    assert_eq!(
        <videoroom::JoinPublisher as PluginRequest>::PLUGIN,
        videoroom::PLUGIN
    );
    assert_eq!(
        <videoroom::Kick as PluginRequest>::PLUGIN,
        "janus.plugin.videoroom"
    );
    // Optional fields left unset are not sent.
    assert_eq!(
        videoroom::Create::new().to_body(),
        json!({"request": "create"})
    );
    assert_eq!(
        videoroom::JoinSubscriber::new(
            "r",
            vec![videoroom::SubscribeStream::feed("alice").mid("1")]
        )
        .private_id(7u64)
        .to_body(),
        json!({"request": "join", "ptype": "subscriber", "room": "r",
               "streams": [{"feed": "alice", "mid": "1"}], "private_id": 7})
    );
}

const ST: &str = "streaming";

/// A Streaming event capture: parses as `Event`, writes back unchanged.
fn st_event(name: &str) -> streaming::Event {
    let data = load(ST, name);
    let event: streaming::Event = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(serde_json::to_value(&event).unwrap(), data, "{name}");
    event
}

/// The `media` entries the capture program sent in `create`, typed.
fn st_media(name: &str) -> Vec<streaming::RtpMedia> {
    serde_json::from_value(load(ST, &format!("{name}.request"))["media"].clone()).unwrap()
}

#[test]
fn streaming_mountpoint_management() {
    use streaming::{MediaType, MountpointId, RtpMedia, SourceType};
    // The ports were free ones picked at capture time: take them from there.
    let sent_media = st_media("create");
    let media: Vec<RtpMedia> = [
        ("a", MediaType::Audio, 111, "opus"),
        ("v", MediaType::Video, 100, "vp8"),
    ]
    .iter()
    .zip(&sent_media)
    .map(|((mid, kind, pt, codec), sent)| {
        RtpMedia::new(*kind, *mid, sent.port)
            .iface("127.0.0.1")
            .pt(*pt as u8)
            .codec(*codec)
    })
    .collect();
    let created = exchange(
        ST,
        "create",
        streaming::Create::new(SourceType::Rtp)
            .id(99u64)
            .name("capture")
            .description("capture stream")
            .secret(SECRET)
            .media(media),
    );
    assert_eq!(created.created, "capture");
    assert_eq!(created.stream.id, MountpointId::Int(99));
    let ports = created.stream.ports.unwrap();
    assert_eq!(ports[1].kind, MediaType::Video);
    assert_eq!(ports[1].port, sent_media[1].port);

    let second = st_media("create_second");
    exchange(
        ST,
        "create_second",
        streaming::Create::new(SourceType::Rtp)
            .id(100u64)
            .name("second")
            .description("second stream")
            .media(vec![RtpMedia::new(MediaType::Video, "v", second[0].port)
                .iface("127.0.0.1")
                .pt(100u8)
                .codec("vp8")]),
    );

    match st_event("error_missing_element") {
        streaming::Event::Error(e) => {
            assert_eq!(
                e.code::<streaming::ErrorCode>(),
                Ok(streaming::ErrorCode::MissingElement)
            )
        }
        other => panic!("{other:?}"),
    }

    let list = exchange(ST, "list", streaming::List::default());
    assert_eq!(list.list.len(), 2);
    let ours = list
        .list
        .iter()
        .find(|m| m.id == MountpointId::Int(99))
        .unwrap();
    assert_eq!(ours.kind, "live");
    assert_eq!(ours.media.len(), 2);

    let info = exchange(ST, "info", streaming::Info::new(99u64).secret(SECRET));
    assert_eq!(info.info.name.as_deref(), Some("capture"));
    assert_eq!(info.info.viewers, Some(0));
    assert_eq!(info.info.media[0].codec.as_deref(), Some("opus"));

    let (code, _) = refused(
        ST,
        "error_no_such_mountpoint",
        streaming::Info::new(12345u64),
    );
    assert_eq!(
        streaming::ErrorCode::try_from(code),
        Ok(streaming::ErrorCode::NoSuchMountpoint)
    );

    let edited = exchange(
        ST,
        "edit",
        streaming::Edit::new(99u64)
            .secret(SECRET)
            .new_description("edited stream"),
    );
    assert_eq!(edited.id, MountpointId::Int(99));

    exchange(
        ST,
        "recording_stop",
        streaming::Recording::new(99u64, streaming::RecordingAction::Stop)
            .secret(SECRET)
            .media(vec![streaming::RecordingMedia::new("a")]),
    );
    exchange(
        ST,
        "kick_all",
        streaming::KickAll::new(99u64).secret(SECRET),
    );
    let destroyed = exchange(ST, "destroy", streaming::Destroy::new(99u64).secret(SECRET));
    assert_eq!(destroyed.destroyed, MountpointId::Int(99));
    exchange(ST, "destroy_second", streaming::Destroy::new(100u64));

    match st_event("error_unknown_request") {
        streaming::Event::Error(e) => {
            assert_eq!(
                e.code::<streaming::ErrorCode>(),
                Ok(streaming::ErrorCode::InvalidRequest)
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn streaming_viewer() {
    use streaming::{Event as E, Status};
    let status = |event: E| match event {
        E::Status(s) => s.status,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        status(exchange(ST, "watch", streaming::Watch::new(99u64))),
        Status::Preparing
    );
    match exchange(
        ST,
        "configure",
        streaming::Configure::new().mid("v").send(false),
    ) {
        E::Configured(r) => assert_eq!(r["event"], "configured"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        status(exchange(ST, "pause", streaming::Pause::default())),
        Status::Pausing
    );
    assert_eq!(
        status(exchange(ST, "start", streaming::Start::default())),
        Status::Starting
    );
    match exchange(ST, "switch", streaming::Switch::new(100u64)) {
        E::Switched(s) => assert_eq!(s.id, streaming::MountpointId::Int(100)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn streaming_events_from_the_source_shapes() {
    use streaming::Event as E;
    for (data, ok) in [
        (
            json!({"streaming": "event", "result": {"status": "stopped"}}),
            true,
        ),
        (
            json!({"streaming": "event", "result": {"status": "kicked_all"}}),
            true,
        ),
        (
            json!({"streaming": "event", "result": {"mid": "v", "substream": 1}}),
            true,
        ),
        (
            json!({"streaming": "event", "result": {"status": "brand-new"}}),
            false,
        ),
        (json!({"streaming": "event", "result": {}}), false),
        (json!({"streaming": "something", "x": 1}), false),
    ] {
        let event = E::from_data(data.clone());
        assert_eq!(!matches!(event, E::Other(_)), ok, "{data}");
        assert_eq!(serde_json::to_value(&event).unwrap(), data);
    }
    for code in (450..=460u16).chain([470]) {
        assert_eq!(
            streaming::ErrorCode::try_from(code).map(|c| c.code()),
            Ok(code)
        );
    }
    assert_eq!(streaming::ErrorCode::try_from(461u16), Err(461));
}

#[test]
fn layers_are_flattened_into_the_requests_that_take_them() {
    use janus_core::plugins::Layers;
    let stream = videoroom::SubscriberConfigureStream::new("1")
        .send(true)
        .layers(Layers::new().substream(2u8).temporal(1u8).min_delay(0i64));
    let request = videoroom::ConfigureSubscriber::new().streams(vec![stream]);
    let body = json!({"request": "configure",
                      "streams": [{"mid": "1", "send": true, "substream": 2, "temporal": 1,
                                   "min_delay": 0}]});
    assert_eq!(request.to_body(), body);
    let back: videoroom::ConfigureSubscriber = serde_json::from_value(body).unwrap();
    assert_eq!(back, request);

    let request = streaming::Configure::new()
        .mid("v")
        .layers(Layers::new().spatial_layer(1u8).temporal_layer(0u8));
    let body = json!({"request": "configure", "mid": "v", "spatial_layer": 1,
                      "temporal_layer": 0});
    assert_eq!(request.to_body(), body);
    let back: streaming::Configure = serde_json::from_value(body).unwrap();
    assert_eq!(back, request);
}
