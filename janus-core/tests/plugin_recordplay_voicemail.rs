//! The typed Record&Play and VoiceMail vocabularies against frames
//! captured from Janus 1.1.2 (see `captures/mod.rs`).

use janus_core::plugins::recordplay::{self as rp, Status};
use janus_core::plugins::voicemail as vm;
use janus_core::plugins::PluginRequest;
use serde_json::json;

mod captures;
use captures::{answers, event, exchange, load, refused};

const RP: &str = "recordplay";
const VM: &str = "voicemail";

fn rp_code(code: i64) -> rp::ErrorCode {
    rp::ErrorCode::try_from(code).expect("a named Record&Play code")
}

fn status(event: rp::Event) -> rp::StatusResult {
    match event {
        rp::Event::Status(s) => s,
        other => panic!("expected a status, got {other:?}"),
    }
}

/// The list before and after a recording's description file appears and
/// `update` reads it; playing what does not exist or cannot be opened;
/// a recording with an offer, a second one under the same id, and stops.
#[test]
fn recordplay_list_update_record_play() {
    assert!(exchange(RP, "list_empty", rp::List::default())
        .list
        .is_empty());
    let updated = exchange(RP, "update", rp::Update::default());
    assert_eq!(updated.extra["recordplay"], "ok");
    let list = exchange(RP, "list", rp::List::default());
    let rec = &list.list[0];
    assert_eq!(rec.id, 4242);
    assert_eq!(rec.name, "capture recording");
    assert_eq!(rec.date, "2024-01-01 12:00:00");
    assert_eq!(
        (rec.audio, rec.video, rec.data),
        (Some(true), Some(true), Some(false))
    );

    let (c, reason) = refused(RP, "error_play_not_found", rp::Play::new(999));
    assert_eq!(rp_code(c), rp::ErrorCode::NotFound);
    assert_eq!(reason, "No such recording");
    let (c, _) = refused(RP, "error_play_invalid_recording", rp::Play::new(4242));
    assert_eq!(rp_code(c), rp::ErrorCode::InvalidRecording);
    // Without the SDP offer a record request misses an element.
    let (c, reason) = refused(RP, "error_record_missing_sdp", rp::Record::new("x"));
    assert_eq!(rp_code(c), rp::ErrorCode::MissingElement);
    assert_eq!(reason, "Missing SDP offer");
    let (c, _) = refused(RP, "error_start_not_playout", rp::Start::default());
    assert_eq!(rp_code(c), rp::ErrorCode::InvalidState);
    let configured = exchange(
        RP,
        "configure",
        rp::Configure::new()
            .video_bitrate_max(256_000u64)
            .video_keyframe_interval(10_000u64),
    );
    assert_eq!(configured.status, "ok");
    assert_eq!(configured.settings["video-bitrate-max"], 256_000);
    // Stopping an idle handle is answered, not refused.
    let stopped = status(exchange(RP, "stop", rp::Stop::default()));
    assert_eq!((stopped.status, stopped.id), (Status::Stopped, None));

    let recording = status(exchange(
        RP,
        "record",
        rp::Record::new("offered").id(5151u64),
    ));
    assert_eq!(
        (recording.status, recording.id),
        (Status::Recording, Some(5151))
    );
    let (c, reason) = refused(
        RP,
        "error_record_exists",
        rp::Record::new("again").id(5151u64),
    );
    assert_eq!(rp_code(c), rp::ErrorCode::RecordingExists);
    assert_eq!(reason, "Recording 5151 already exists");
    let stopped = status(exchange(RP, "stop_recording", rp::Stop::default()));
    assert_eq!((stopped.status, stopped.id), (Status::Stopped, Some(5151)));
}

#[test]
fn recordplay_events_from_the_source_shapes() {
    for (data, expected) in [
        (
            json!({"recordplay": "event", "result": {"status": "preparing", "id": 1}}),
            Some(Status::Preparing),
        ),
        (
            json!({"recordplay": "event", "result": {"status": "playing"}}),
            Some(Status::Playing),
        ),
    ] {
        let event = rp::Event::from_data(data.clone());
        assert_eq!(status(event.clone()).status, expected.unwrap());
        assert_eq!(serde_json::to_value(&event).unwrap(), data);
    }
    let done = json!({"recordplay": "event", "result": "done"});
    assert_eq!(rp::Event::from_data(done.clone()), rp::Event::Done);
    assert_eq!(rp::Event::Done.to_data(), done);
    for other in [
        json!({"recordplay": "event", "result": {"status": "something-new"}}),
        json!({"recordplay": "event", "result": {"status": "playing"}, "extra": 1}),
        json!({"recordplay": "list", "list": []}),
    ] {
        assert_eq!(rp::Event::from_data(other.clone()), rp::Event::Other(other));
    }
    // Every capture reads and serializes back unchanged.
    for name in answers(RP) {
        event::<rp::Event>(RP, &name);
    }
    assert_eq!(rp::Play::PLUGIN, "janus.plugin.recordplay");
}

#[test]
fn voicemail_record() {
    // Janus 1.1.2 starts a recording even without an SDP offer.
    let starting = exchange(VM, "record", vm::Record::default());
    assert_eq!(starting.status, "starting");
    assert_eq!(starting.recording, None);
    let (c, reason) = refused(VM, "error_already_recording", vm::Record::default());
    assert_eq!(
        vm::ErrorCode::try_from(c),
        Ok(vm::ErrorCode::AlreadyRecording)
    );
    assert_eq!(reason, "Already recording");
    match event::<vm::Event>(VM, "error_unknown_request") {
        vm::Event::Error(e) => {
            assert_eq!(e.code::<vm::ErrorCode>(), Ok(vm::ErrorCode::InvalidRequest))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        load(VM, "error_unknown_request.request"),
        json!({"request": "nosuch"})
    );
    let done = json!({"voicemail": "event", "status": "done",
                      "recording": "/voicemail/1234.opus"});
    match vm::Event::from_data(done) {
        vm::Event::Status(s) => assert_eq!(s.recording.as_deref(), Some("/voicemail/1234.opus")),
        other => panic!("{other:?}"),
    }
    let other = json!({"voicemail": "event", "something": true});
    assert_eq!(vm::Event::from_data(other.clone()), vm::Event::Other(other));
    assert_eq!(vm::Record::PLUGIN, "janus.plugin.voicemail");
}
