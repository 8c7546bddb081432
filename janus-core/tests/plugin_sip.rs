//! The typed SIP vocabulary against frames captured from Janus 1.1.2 (see
//! `captures/mod.rs`): without a SIP peer, and with a minimal one.

use janus_core::plugins::{sip, PluginRequest};
use serde_json::json;

mod captures;
use captures::{answers, event, exchange, load, refused};

const SIP: &str = "sip";

fn sip_code(code: i64) -> sip::ErrorCode {
    sip::ErrorCode::try_from(code).expect("a named SIP code")
}

fn sent_str(plugin: &str, name: &str, field: &str) -> String {
    load(plugin, &format!("{name}.request"))[field]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn sip_registration() {
    let (c, reason) = refused(
        SIP,
        "error_invalid_address",
        sip::Register::new("not a uri"),
    );
    assert_eq!(sip_code(c), sip::ErrorCode::InvalidAddress);
    assert_eq!(reason, "Invalid user address not a uri\n");
    match event::<sip::Event>(SIP, "error_missing_element") {
        sip::Event::Error(e) => {
            assert_eq!(
                e.code::<sip::ErrorCode>(),
                Ok(sip::ErrorCode::MissingElement)
            )
        }
        other => panic!("{other:?}"),
    }

    // A registration through a proxy that cannot be reached.
    let proxy = sent_str(SIP, "register", "proxy");
    let registering = exchange(
        SIP,
        "register",
        sip::Register::new("sip:alice@127.0.0.1")
            .secret("pw")
            .proxy(proxy),
    );
    assert!(matches!(registering, sip::Event::Registering(ref r) if r.call_id.is_none()));
    match event::<sip::Event>(SIP, "registration_failed") {
        sip::Event::RegistrationFailed(r) => {
            assert_eq!(r.result.code, Some(503));
            assert_eq!(r.result.reason.as_deref(), Some("No transport"));
        }
        other => panic!("{other:?}"),
    }

    // A guest is registered at once, under the URI's user.
    match exchange(
        SIP,
        "register_guest",
        sip::Register::guest("sip:guest@127.0.0.1"),
    ) {
        sip::Event::Registered(r) => {
            assert_eq!(r.result.username.as_deref(), Some("guest"));
            assert_eq!(r.result.register_sent, Some(false));
            assert!(r.result.master_id.is_some());
        }
        other => panic!("{other:?}"),
    }
    let (c, reason) = refused(SIP, "unregister_guest", sip::Unregister::default());
    assert_eq!(sip_code(c), sip::ErrorCode::WrongState);
    assert_eq!(reason, "Wrong state (not registered)");
}

#[test]
fn sip_calls_without_a_peer() {
    let (c, _) = refused(
        SIP,
        "error_call_wrong_state",
        sip::Call::new("sip:bob@127.0.0.1"),
    );
    assert_eq!(sip_code(c), sip::ErrorCode::WrongState);
    let (c, reason) = refused(SIP, "error_accept_no_call", sip::Accept::default());
    assert_eq!(sip_code(c), sip::ErrorCode::WrongState);
    assert_eq!(reason, "Wrong state (not invited? status=idle)");
    let (c, _) = refused(SIP, "error_update_no_call", sip::Update::default());
    assert_eq!(sip_code(c), sip::ErrorCode::WrongState);
    // INFO and DTMF without a call are refused with code 0, which no name
    // matches.
    let (c, _) = refused(SIP, "error_dtmf_info_no_call", sip::DtmfInfo::new("1"));
    assert_eq!((c, sip::ErrorCode::try_from(c)), (0, Err(0)));
    let (c, _) = refused(SIP, "error_info_no_call", sip::Info::new("text/plain", "x"));
    assert_eq!(c, 0);

    // A guest calls an address where no one listens.
    let uri = sent_str(SIP, "call", "uri");
    let calling = match exchange(SIP, "call", sip::Call::new(uri)) {
        sip::Event::Calling(r) => r,
        other => panic!("{other:?}"),
    };
    let call_id = calling.call_id.clone().unwrap();
    assert_eq!(calling.result.call_id.as_ref(), Some(&call_id));
    // A second call is checked for its SDP before the state.
    let (c, _) = refused(SIP, "error_call_twice", sip::Call::new("sip:x@127.0.0.1"));
    assert_eq!(sip_code(c), sip::ErrorCode::MissingSdp);
    match event::<sip::Event>(SIP, "call_hangup") {
        sip::Event::Hangup(r) => {
            assert_eq!(r.call_id.as_ref(), Some(&call_id));
            assert_eq!(r.result.code, Some(503));
            assert_eq!(r.result.reason.as_deref(), Some("Service Unavailable"));
        }
        other => panic!("{other:?}"),
    }
    match event::<sip::Event>(SIP, "error_unknown_request") {
        sip::Event::Error(e) => {
            assert_eq!(
                e.code::<sip::ErrorCode>(),
                Ok(sip::ErrorCode::InvalidRequest)
            )
        }
        other => panic!("{other:?}"),
    }
    for name in answers(SIP) {
        let read = event::<sip::Event>(SIP, &name);
        assert!(!matches!(read, sip::Event::Other(_)), "{name}: {read:?}");
    }
}

/// With a minimal SIP peer (`janus_tests::sip_peer`) that accepts
/// everything: a real registration, a call that rings and is answered,
/// hold, unhold, INFO, DTMF, MESSAGE, hangup and unregistration.
#[test]
fn sip_with_a_peer() {
    let proxy = sent_str(SIP, "peer_register", "proxy");
    let registering = exchange(
        SIP,
        "peer_register",
        sip::Register::new("sip:alice@127.0.0.1")
            .secret("pw")
            .proxy(proxy),
    );
    assert!(matches!(registering, sip::Event::Registering(_)));
    match event::<sip::Event>(SIP, "peer_registered") {
        sip::Event::Registered(r) => {
            assert_eq!(r.result.username.as_deref(), Some("alice"));
            assert_eq!(r.result.register_sent, Some(true));
        }
        other => panic!("{other:?}"),
    }
    let uri = sent_str(SIP, "peer_call", "uri");
    let call_id = match exchange(SIP, "peer_call", sip::Call::new(uri.clone())) {
        sip::Event::Calling(r) => r.call_id.unwrap(),
        other => panic!("{other:?}"),
    };
    let in_call = |event: sip::Event| -> sip::ResultEvent {
        let result = match event {
            sip::Event::Ringing(r)
            | sip::Event::Accepted(r)
            | sip::Event::Holding(r)
            | sip::Event::Resuming(r)
            | sip::Event::InfoSent(r)
            | sip::Event::DtmfSent(r)
            | sip::Event::MessageSent(r)
            | sip::Event::HangingUp(r)
            | sip::Event::Hangup(r) => r,
            other => panic!("expected a call event, got {other:?}"),
        };
        assert_eq!(result.call_id.as_ref(), Some(&call_id));
        result
    };
    assert_eq!(in_call(event(SIP, "peer_ringing")).result.event, "ringing");
    match event::<sip::Event>(SIP, "peer_proceeding") {
        sip::Event::Proceeding(r) => {
            assert_eq!(r.call_id.as_ref(), Some(&call_id));
            assert_eq!(r.result.code, Some(180));
        }
        other => panic!("{other:?}"),
    }
    let accepted = in_call(event(SIP, "peer_accepted"));
    assert_eq!(accepted.result.event, "accepted");
    assert_eq!(accepted.result.username.as_ref(), Some(&uri));
    let steps: [(&str, sip::Event, &str); 6] = [
        (
            "peer_hold",
            exchange(SIP, "peer_hold", sip::Hold::default()),
            "holding",
        ),
        (
            "peer_unhold",
            exchange(SIP, "peer_unhold", sip::Unhold::default()),
            "resuming",
        ),
        (
            "peer_info",
            exchange(SIP, "peer_info", sip::Info::new("text/plain", "hello")),
            "infosent",
        ),
        (
            "peer_dtmf_info",
            exchange(SIP, "peer_dtmf_info", sip::DtmfInfo::new("5")),
            "dtmfsent",
        ),
        (
            "peer_message",
            exchange(SIP, "peer_message", sip::Message::new("hi")),
            "messagesent",
        ),
        (
            "peer_hangup",
            exchange(SIP, "peer_hangup", sip::Hangup::default()),
            "hangingup",
        ),
    ];
    for (name, answer, what) in steps {
        assert_eq!(in_call(answer).result.event, what, "{name}");
    }
    match event::<sip::Event>(SIP, "peer_hangup_event") {
        sip::Event::Hangup(r) => {
            assert_eq!(r.result.code, Some(200));
            assert_eq!(r.result.reason.as_deref(), Some("to BYE"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        exchange(SIP, "peer_unregister", sip::Unregister::default()),
        sip::Event::Unregistering(_)
    ));
    match event::<sip::Event>(SIP, "peer_unregistered") {
        sip::Event::Unregistered(r) => assert_eq!(r.result.username.as_deref(), Some("alice")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn sip_request_shapes() {
    let cases = [
        (
            sip::Hangup::default().to_body(),
            json!({"request": "hangup"}),
        ),
        (
            sip::Decline::default().code(603u16).to_body(),
            json!({"request": "decline", "code": 603}),
        ),
        (
            sip::Hold::default().direction("inactive").to_body(),
            json!({"request": "hold", "direction": "inactive"}),
        ),
        (
            sip::Unhold::default().to_body(),
            json!({"request": "unhold"}),
        ),
        (
            sip::Message::new("hi").uri("sip:bob@example.com").to_body(),
            json!({"request": "message", "content": "hi", "uri": "sip:bob@example.com"}),
        ),
        (
            sip::DtmfInfo::new("5").duration(200u32).to_body(),
            json!({"request": "dtmf_info", "digit": "5", "duration": 200}),
        ),
        (
            sip::Accept::default().srtp("sdes_optional").to_body(),
            json!({"request": "accept", "srtp": "sdes_optional"}),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(body, expected);
    }
    assert_eq!(sip::Register::PLUGIN, "janus.plugin.sip");
    let ringing = json!({"sip": "event", "call_id": "c1",
                         "result": {"event": "ringing", "call_id": "c1"}});
    match sip::Event::from_data(ringing) {
        sip::Event::Ringing(r) => assert_eq!(r.call_id.as_deref(), Some("c1")),
        other => panic!("{other:?}"),
    }
    let incoming = json!({"sip": "event", "call_id": "c2",
                          "result": {"event": "incomingcall", "username": "sip:bob@x"}});
    match sip::Event::from_data(incoming) {
        sip::Event::Result(r) => assert_eq!(r.result.event, "incomingcall"),
        other => panic!("{other:?}"),
    }
    let odd = json!({"sip": "event", "result": "not an object"});
    assert_eq!(sip::Event::from_data(odd.clone()), sip::Event::Other(odd));
}
