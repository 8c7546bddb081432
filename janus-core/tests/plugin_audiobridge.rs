//! The typed AudioBridge vocabulary against frames captured from Janus
//! 1.1.2 (see `captures/mod.rs`): every request serializes to exactly what
//! was sent, every answer parses as the request's reply type and
//! serializes back to exactly what Janus sent.

use janus_core::plugins::audiobridge::{
    self as ab, AllowedAction, ErrorCode, Event, ParticipantId, RoomId,
};
use janus_core::plugins::PluginRequest;
use serde_json::{json, Value};

mod captures;
use captures::{answers, event, exchange, load, refused};

const AB: &str = "audiobridge";
const ROOM: u64 = 5555;
const SECRET: &str = "s3cret";

fn code(code: i64) -> ErrorCode {
    ErrorCode::try_from(code).expect("a named AudioBridge code")
}

fn ab_event(name: &str) -> Event {
    event(AB, name)
}

/// The id the capture program sent in a request's `field`.
fn sent_id(name: &str, field: &str) -> ParticipantId {
    serde_json::from_value(load(AB, &format!("{name}.request"))[field].clone()).unwrap()
}

#[test]
fn audiobridge_room_management() {
    let created = exchange(
        AB,
        "create",
        ab::Create::new()
            .room(ROOM)
            .description("capture bridge")
            .secret(SECRET)
            .sampling_rate(16_000u32)
            .audiolevel_event(true),
    );
    assert_eq!(created.room, RoomId::Int(ROOM));
    assert!(!created.permanent);
    let (c, reason) = refused(AB, "error_room_exists", ab::Create::new().room(ROOM));
    assert_eq!(code(c), ErrorCode::RoomExists);
    assert_eq!(reason, "Room 5555 already exists");

    assert!(exchange(AB, "exists", ab::Exists::new(ROOM)).exists);
    let list = exchange(AB, "list", ab::List::new());
    assert_eq!(list.list.len(), 2, "the configured room and ours");
    let ours = list
        .list
        .iter()
        .find(|r| r.room == RoomId::Int(ROOM))
        .unwrap();
    assert_eq!(ours.description, "capture bridge");
    assert_eq!(ours.sampling_rate, 16_000);
    assert_eq!(ours.num_participants, 0);
    assert_eq!(ours.muted, Some(false));

    let edited = exchange(
        AB,
        "edit",
        ab::Edit::new(ROOM)
            .secret(SECRET)
            .new_description("edited bridge"),
    );
    assert_eq!(edited.room, RoomId::Int(ROOM));
    let allowed = exchange(
        AB,
        "allowed_add",
        ab::Allowed::new(ROOM, AllowedAction::Add)
            .secret(SECRET)
            .allowed(vec!["token-a".to_string()]),
    );
    assert_eq!(allowed.allowed.unwrap(), ["token-a"]);
    let (c, _) = refused(AB, "error_invalid_element", ab::Exists::new("not-a-number"));
    assert_eq!(code(c), ErrorCode::InvalidElement);

    let participants = exchange(AB, "listparticipants", ab::ListParticipants::new(ROOM));
    assert_eq!(participants.participants.len(), 2);
    let bob = participants
        .participants
        .iter()
        .find(|p| p.id == ParticipantId::Int(8001))
        .unwrap();
    assert_eq!(bob.display.as_deref(), Some("bob"));
    assert!(!bob.setup, "joined without a PeerConnection");

    let bob = ParticipantId::Int(8001);
    let muted = exchange(AB, "mute", ab::Mute::new(ROOM, bob.clone()).secret(SECRET));
    assert_eq!(muted.extra["room"], ROOM);
    exchange(AB, "unmute", ab::Unmute::new(ROOM, bob).secret(SECRET));
    exchange(AB, "mute_room", ab::MuteRoom::new(ROOM).secret(SECRET));
    exchange(AB, "unmute_room", ab::UnmuteRoom::new(ROOM).secret(SECRET));

    let (c, reason) = refused(
        AB,
        "error_play_file",
        ab::PlayFile::new(ROOM, "/nonexistent/file.opus")
            .secret(SECRET)
            .file_id("f1"),
    );
    assert_eq!(code(c), ErrorCode::UnknownError);
    assert_eq!(reason, "Error opening file");
    // A real (silent) file: it starts, plays, and stops when told; Alice,
    // in the room, hears of both.
    let filename = load(AB, "play_file.request")["filename"]
        .as_str()
        .unwrap()
        .to_string();
    let played = exchange(
        AB,
        "play_file",
        ab::PlayFile::new(ROOM, filename)
            .secret(SECRET)
            .file_id("f2"),
    );
    assert_eq!(played.file_id, "f2");
    match ab_event("announcement_started") {
        Event::AnnouncementStarted(f) => assert_eq!(f.file_id, "f2"),
        other => panic!("{other:?}"),
    }
    let playing = exchange(
        AB,
        "is_playing_true",
        ab::IsPlaying::new(ROOM, "f2").secret(SECRET),
    );
    assert!(playing.playing);
    exchange(
        AB,
        "stop_file_playing",
        ab::StopFile::new(ROOM, "f2").secret(SECRET),
    );
    match ab_event("announcement_stopped") {
        Event::AnnouncementStopped(f) => assert_eq!(f.file_id, "f2"),
        other => panic!("{other:?}"),
    }
    let playing = exchange(
        AB,
        "is_playing",
        ab::IsPlaying::new(ROOM, "f1").secret(SECRET),
    );
    assert!(!playing.playing);
    // Stopping a playback that does not exist is answered as a success.
    let stopped = exchange(
        AB,
        "stop_file",
        ab::StopFile::new(ROOM, "f1").secret(SECRET),
    );
    assert_eq!(stopped.file_id, "f1");

    let port = load(AB, "rtp_forward.request")["port"].as_u64().unwrap() as u16;
    let forwarded = exchange(
        AB,
        "rtp_forward",
        ab::RtpForward::new(ROOM, "127.0.0.1", port).secret(SECRET),
    );
    assert_eq!(forwarded.port, port);
    let forwarders = exchange(
        AB,
        "listforwarders",
        ab::ListForwarders::new(ROOM).secret(SECRET),
    );
    let forwarder = &forwarders.rtp_forwarders[0];
    assert_eq!(forwarder.stream_id, forwarded.stream_id);
    assert_eq!(forwarder.codec, "opus");
    assert_eq!(forwarder.ip, "127.0.0.1");
    let stopped = exchange(
        AB,
        "stop_rtp_forward",
        ab::StopRtpForward::new(ROOM, forwarded.stream_id).secret(SECRET),
    );
    assert_eq!(stopped.stream_id, forwarded.stream_id);
    let recording = exchange(
        AB,
        "enable_recording",
        ab::EnableRecording::new(ROOM, false).secret(SECRET),
    );
    assert!(!recording.record);
    assert_eq!(recording.room, None, "Janus 1.1.2 does not name the room");
    let mjrs = exchange(
        AB,
        "enable_mjrs",
        ab::EnableMjrs::new(ROOM, false).secret(SECRET),
    );
    assert!(!mjrs.mjrs);

    let kicked = sent_id("kick", "id");
    exchange(AB, "kick", ab::Kick::new(ROOM, kicked).secret(SECRET));
    exchange(AB, "kick_all", ab::KickAll::new(1234u64).secret("adminpwd"));
    let destroyed = exchange(AB, "destroy", ab::Destroy::new(ROOM).secret(SECRET));
    assert_eq!(destroyed.room, RoomId::Int(ROOM));
    let (c, _) = refused(AB, "error_destroy_no_such_room", ab::Destroy::new(ROOM));
    assert_eq!(code(c), ErrorCode::NoSuchRoom);
}

/// Alice joins, Bob joins (Alice sees him), Bob is muted and unmuted, the
/// room is muted, Alice configures herself, Bob moves to another room,
/// Carol joins and leaves, Dave joins and is kicked, the room is destroyed
/// under Alice.
#[test]
fn audiobridge_participant_walk() {
    let (c, _) = refused(AB, "error_no_such_room", ab::Join::new(999_999u64));
    assert_eq!(code(c), ErrorCode::NoSuchRoom);
    let alice = exchange(AB, "join", ab::Join::new(ROOM).display("alice"));
    assert_eq!(alice.room, RoomId::Int(ROOM));
    assert!(alice.participants.is_empty());
    let bob = exchange(
        AB,
        "join_b",
        ab::Join::new(ROOM).display("bob").id(8001u64).muted(false),
    );
    assert_eq!(bob.id, ParticipantId::Int(8001));
    assert_eq!(bob.participants[0].id, alice.id);
    assert_eq!(bob.participants[0].display.as_deref(), Some("alice"));

    match ab_event("participant_joined") {
        Event::ParticipantJoined(p) => {
            assert_eq!(p.participants[0].id, bob.id);
            assert!(!p.participants[0].muted);
        }
        other => panic!("{other:?}"),
    }
    for (name, muted) in [("muted_event", true), ("unmuted_event", false)] {
        match ab_event(name) {
            Event::Participants(p) => {
                assert_eq!(p.participants[0].id, bob.id);
                assert_eq!(p.participants[0].muted, muted, "{name}");
            }
            other => panic!("{other:?}"),
        }
    }
    for (name, muted) in [("room_muted", true), ("room_unmuted", false)] {
        match ab_event(name) {
            Event::RoomMuted(m) => assert_eq!(m.muted, muted, "{name}"),
            other => panic!("{other:?}"),
        }
    }

    let configured = exchange(
        AB,
        "configure",
        ab::Configure::new().muted(true).display("alice-renamed"),
    );
    assert_eq!(configured.result, "ok");
    // Bob sees Alice's new state.
    match ab_event("configured_other") {
        Event::Participants(p) => {
            let alice_now = &p.participants[0];
            assert_eq!(alice_now.id, alice.id);
            assert!(alice_now.muted);
            assert_eq!(alice_now.display.as_deref(), Some("alice-renamed"));
        }
        other => panic!("{other:?}"),
    }
    let (c, _) = refused(AB, "error_already_joined", ab::Join::new(ROOM));
    assert_eq!(code(c), ErrorCode::AlreadyJoined);

    let changed = exchange(
        AB,
        "changeroom",
        ab::ChangeRoom::new(1234u64).display("bob"),
    );
    assert_eq!(changed.room, RoomId::Int(1234));
    assert!(changed.participants.is_empty());
    match ab_event("leaving") {
        Event::Leaving(l) => assert_eq!(l.leaving, bob.id),
        other => panic!("{other:?}"),
    }

    let carol = exchange(AB, "join_c", ab::Join::new(ROOM).display("carol"));
    assert_eq!(
        carol.participants[0].display.as_deref(),
        Some("alice-renamed")
    );
    assert!(carol.participants[0].muted);
    let left = exchange(AB, "leave", ab::Leave::default());
    assert_eq!(left.id, carol.id);
    match ab_event("leaving_c") {
        Event::Leaving(l) => assert_eq!(l.leaving, carol.id),
        other => panic!("{other:?}"),
    }
    let (c, _) = refused(AB, "error_not_joined", ab::Configure::new().muted(true));
    assert_eq!(code(c), ErrorCode::NotJoined);

    let dave = exchange(AB, "join_d", ab::Join::new(ROOM).display("dave"));
    // The kicked participant and the others get the same event.
    for name in ["kicked", "kicked_other"] {
        match ab_event(name) {
            Event::Kicked(k) => assert_eq!(k.kicked, dave.id, "{name}"),
            other => panic!("{other:?}"),
        }
    }
    match ab_event("kicked_all") {
        Event::KickedAll(k) => {
            assert_eq!(k.room, RoomId::Int(1234));
            assert_eq!(k.kicked_all, changed.id);
        }
        other => panic!("{other:?}"),
    }
    match ab_event("destroyed_event") {
        Event::Destroyed(d) => assert_eq!(d.room, RoomId::Int(ROOM)),
        other => panic!("{other:?}"),
    }
}

/// Every capture reads as an `Event` and serializes back unchanged; all
/// but the synchronous management answers (which have their own reply
/// types) read as a variant other than `Other`.
#[test]
fn every_audiobridge_capture_reads_as_an_event() {
    let names = answers(AB);
    assert!(names.len() > 40, "{names:?}");
    for name in names {
        let event = ab_event(&name);
        let tag = load(AB, &name)["audiobridge"].clone();
        let management = ["success", "created", "edited", "participants", "forwarders"];
        if !management.iter().any(|t| tag == *t) {
            assert!(!matches!(event, Event::Other(_)), "{name}: {event:?}");
        }
    }
}

#[test]
fn audiobridge_events_from_the_source_shapes() {
    let talking = Event::from_data(json!({"audiobridge": "talking", "room": 1, "id": 2,
                                          "audio-level-dBov-avg": 40.5}));
    match talking {
        Event::Talking(t) => {
            assert_eq!(t.id, ParticipantId::Int(2));
            assert_eq!(t.audio_level_dbov_avg, Some(40.5));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Event::from_data(json!({"audiobridge": "stopped-talking", "room": 1, "id": 2})),
        Event::StoppedTalking(_)
    ));
    for (tag, started) in [
        ("announcement-started", true),
        ("announcement-stopped", false),
    ] {
        match Event::from_data(json!({"audiobridge": tag, "room": 1, "file_id": "f"})) {
            Event::AnnouncementStarted(f) if started => assert_eq!(f.file_id, "f"),
            Event::AnnouncementStopped(f) if !started => assert_eq!(f.file_id, "f"),
            other => panic!("{tag}: {other:?}"),
        }
    }
    // Unknown events, and known ones whose shape changed, stay as they came.
    for data in [
        json!({"audiobridge": "suspended", "room": 1, "id": 2}),
        json!({"audiobridge": "joined", "room": 1, "id": "not-in-a-list", "participants": 3}),
    ] {
        assert_eq!(Event::from_data(data.clone()), Event::Other(data));
    }
}

#[test]
fn audiobridge_error_codes_and_requests() {
    for (name, expected) in [
        ("error_unknown_request", ErrorCode::InvalidRequest),
        ("error_room_exists", ErrorCode::RoomExists),
        ("error_not_joined", ErrorCode::NotJoined),
        ("error_already_joined", ErrorCode::AlreadyJoined),
    ] {
        match ab_event(name) {
            Event::Error(e) => assert_eq!(e.code::<ErrorCode>(), Ok(expected), "{name}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(ErrorCode::NoSuchGroup.code(), 494);
    assert_eq!(ErrorCode::try_from(600u16), Err(600));
    assert_eq!(ab::Join::PLUGIN, "janus.plugin.audiobridge");
    // `loop` is a Rust keyword; the setter is `looping`.
    let play: Value = ab::PlayFile::new(1u64, "/a.opus").looping(true).to_body();
    assert_eq!(
        play,
        json!({"request": "play_file", "room": 1, "filename": "/a.opus", "loop": true})
    );
}
