//! The typed VideoCall vocabulary against frames captured from Janus 1.1.2
//! (see `captures/mod.rs`).

use janus_core::plugins::videocall::{self as vc, CallResult, ErrorCode, Event};
use janus_core::plugins::PluginRequest;
use serde_json::json;

mod captures;
use captures::{answers, event, exchange, refused};

const VC: &str = "videocall";

fn code(code: i64) -> ErrorCode {
    ErrorCode::try_from(code).expect("a named VideoCall code")
}

fn result(event: Event) -> CallResult {
    match event {
        Event::Registered(r)
        | Event::Calling(r)
        | Event::IncomingCall(r)
        | Event::Accepted(r)
        | Event::Update(r)
        | Event::Set(r)
        | Event::Hangup(r) => r,
        other => panic!("expected a call result, got {other:?}"),
    }
}

/// Alice and Bob register; the list shows them; the refusals a call can
/// meet; Alice calls Bob with an offer, Bob is told and answers, both are
/// told the call is accepted, Alice hangs up and both are told.
#[test]
fn videocall_register_list_call_hangup() {
    match exchange(VC, "list_empty", vc::List::default()) {
        Event::List(l) => assert!(l.list.is_empty()),
        other => panic!("{other:?}"),
    }
    match exchange(VC, "register", vc::Register::new("alice")) {
        Event::Registered(r) => assert_eq!(r.username.as_deref(), Some("alice")),
        other => panic!("{other:?}"),
    }
    let (c, reason) = refused(VC, "error_username_taken", vc::Register::new("alice"));
    assert_eq!(code(c), ErrorCode::UsernameTaken);
    assert_eq!(reason, "Username 'alice' already taken");
    assert!(matches!(
        exchange(VC, "register_b", vc::Register::new("bob")),
        Event::Registered(_)
    ));
    match exchange(VC, "list", vc::List::default()) {
        Event::List(l) => {
            // In the plugin's hash table order.
            let mut names = l.list;
            names.sort();
            assert_eq!(names, ["alice", "bob"]);
        }
        other => panic!("{other:?}"),
    }
    let (c, _) = refused(VC, "error_already_registered", vc::Register::new("alice2"));
    assert_eq!(code(c), ErrorCode::AlreadyRegistered);
    let (c, _) = refused(VC, "error_register_first", vc::Call::new("alice"));
    assert_eq!(code(c), ErrorCode::RegisterFirst);
    let (c, _) = refused(VC, "error_no_such_username", vc::Call::new("nobody"));
    assert_eq!(code(c), ErrorCode::NoSuchUsername);
    let (c, _) = refused(VC, "error_missing_sdp", vc::Call::new("bob"));
    assert_eq!(code(c), ErrorCode::MissingSdp);
    let (c, _) = refused(VC, "error_call_yourself", vc::Call::new("alice"));
    assert_eq!(code(c), ErrorCode::UseEchoTest);
    let set = exchange(
        VC,
        "set",
        vc::Set::new().audio(true).video(false).bitrate(128_000u64),
    );
    assert_eq!(result(set).event, "set");
    let (c, _) = refused(VC, "error_accept_no_call", vc::Accept::default());
    assert_eq!(code(c), ErrorCode::NoCall);

    assert!(matches!(
        exchange(VC, "call", vc::Call::new("bob")),
        Event::Calling(_)
    ));
    match event::<Event>(VC, "incomingcall") {
        Event::IncomingCall(r) => assert_eq!(r.username.as_deref(), Some("alice")),
        other => panic!("{other:?}"),
    }
    let (c, _) = refused(VC, "error_accept_missing_sdp", vc::Accept::default());
    assert_eq!(code(c), ErrorCode::MissingSdp);
    // Bob answers: both sides are told the call is accepted, Alice with
    // the callee's name.
    let accepted = result(exchange(VC, "accept", vc::Accept::default()));
    assert_eq!(
        (accepted.event.as_str(), accepted.username),
        ("accepted", None)
    );
    match event::<Event>(VC, "accepted_other") {
        Event::Accepted(r) => assert_eq!(r.username.as_deref(), Some("bob")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        exchange(VC, "set_in_call", vc::Set::new().bitrate(256_000u64)),
        Event::Set(_)
    ));
    let (c, _) = refused(VC, "error_call_in_call", vc::Call::new("bob"));
    assert_eq!(code(c), ErrorCode::AlreadyInCall);
    let hangup = result(exchange(VC, "hangup", vc::Hangup::default()));
    assert_eq!(hangup.event, "hangup");
    assert_eq!(hangup.reason.as_deref(), Some("Explicit hangup"));
    match event::<Event>(VC, "hangup_other") {
        Event::Hangup(r) => {
            assert_eq!(r.username.as_deref(), Some("alice"));
            assert_eq!(r.reason.as_deref(), Some("We did the hangup"));
        }
        other => panic!("{other:?}"),
    }
    // A hangup without a call is answered like one, not refused.
    let again = result(exchange(VC, "hangup_no_call", vc::Hangup::default()));
    assert_eq!(again.reason.as_deref(), Some("Explicit hangup"));
}

#[test]
fn every_videocall_capture_reads_as_a_typed_event() {
    let names = answers(VC);
    assert_eq!(names.len(), 23, "{names:?}");
    for name in names {
        let event = event::<Event>(VC, &name);
        assert!(!matches!(event, Event::Other(_)), "{name}: {event:?}");
    }
    match event::<Event>(VC, "error_unknown_request") {
        Event::Error(e) => assert_eq!(e.code::<ErrorCode>(), Ok(ErrorCode::InvalidRequest)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn videocall_events_from_the_source_shapes() {
    let accepted = json!({"videocall": "event", "result": {"event": "accepted",
                                                           "username": "bob"}});
    match Event::from_data(accepted.clone()) {
        Event::Accepted(r) => assert_eq!(r.username.as_deref(), Some("bob")),
        other => panic!("{other:?}"),
    }
    assert_eq!(Event::from_data(accepted.clone()).to_data(), accepted);
    assert!(matches!(
        Event::from_data(json!({"videocall": "event", "result": {"event": "update"}})),
        Event::Update(_)
    ));
    for other in [
        json!({"videocall": "event", "result": {"event": "simulcast", "videocodec": "vp8",
                                                "substream": 1}}),
        json!({"videocall": "event", "result": {"list": "not-a-list"}}),
        json!({"videocall": "event"}),
        json!({"videocall": "event", "result": {"event": "set"}, "newer": true}),
        json!({"something": "else"}),
    ] {
        assert_eq!(Event::from_data(other.clone()), Event::Other(other));
    }
    assert_eq!(vc::Call::PLUGIN, "janus.plugin.videocall");
    assert_eq!(
        vc::Set::new().substream(2u8).restart(true).to_body(),
        json!({"request": "set", "substream": 2, "restart": true})
    );
}
