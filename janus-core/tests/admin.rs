//! The Admin API flavour of the engine: envelopes over WebSocket and HTTP,
//! replies, requests refused on the wrong API, and the typed requests read
//! against replies captured from Janus 1.1.2.

mod common;

use common::Harness;
use janus_core::admin::{
    AddToken, AdminCall, AdminRequest, GetHandleInfo, GetStatus, ListHandles, ListSessions,
    ListTokens, QueryModule, SetLogLevel, SetSessionTimeout,
};
use janus_core::{
    Api, CommandError, Config, HandleId, Reply, Request, RequestError, Secret, SessionId,
};
use serde_json::{json, Map, Value};

fn admin_ws() -> Harness {
    let mut config = Config::admin_websocket("ws://admin");
    config.admin_secret = Some(Secret::new("janusoverlord"));
    config.api_secret = Some(Secret::new("not-for-admin"));
    Harness::ws(config)
}

fn send(h: &mut Harness, request: AdminRequest) -> janus_core::RequestId {
    let id = h
        .conn
        .request(h.now, Request::Admin(Box::new(request)))
        .unwrap();
    h.drain();
    id
}

#[test]
fn websocket_requests_carry_the_admin_secret_and_their_targets_in_the_body() {
    let mut h = admin_ws();
    let id = send(
        &mut h,
        GetHandleInfo::new(SessionId(7), HandleId(9))
            .plugin_only()
            .to_request(),
    );
    let sent = h.take_sent();
    assert_eq!(sent.len(), 1);
    let tx = sent[0]["transaction"].clone();
    assert_eq!(
        sent[0],
        json!({"janus": "handle_info", "transaction": tx, "session_id": 7, "handle_id": 9,
               "plugin_only": true, "admin_secret": "janusoverlord"})
    );
    h.frame(
        json!({"janus": "success", "transaction": tx, "session_id": 7, "handle_id": 9,
                   "info": {"plugin": "janus.plugin.echotest"}}),
    );
    let Ok(Reply::Admin(fields)) = h.response(id) else {
        panic!("no admin reply")
    };
    assert_eq!(fields.get("transaction"), None);
    let info = GetHandleInfo::parse_reply(*fields).unwrap();
    assert_eq!(info.plugin.as_deref(), Some("janus.plugin.echotest"));
}

#[test]
fn http_requests_go_to_the_session_and_handle_path() {
    let mut config = Config::admin_http();
    config.admin_secret = Some(Secret::new("s"));
    let mut h = Harness::new(config);
    let id = h
        .conn
        .request(
            h.now,
            Request::Admin(Box::new(ListHandles::new(SessionId(5)).to_request())),
        )
        .unwrap();
    h.drain();
    let (post, body) = h.take_post("list_handles");
    assert_eq!(post.path, "/5");
    assert_eq!(body["admin_secret"], "s");
    assert_eq!(
        body.get("session_id"),
        None,
        "over HTTP the ids go in the path"
    );
    let reply = json!({"janus": "success", "session_id": 5, "transaction": body["transaction"],
                       "handles": [1, 2]});
    h.http_reply(post.id, 200, &reply.to_string());
    let Ok(Reply::Admin(fields)) = h.response(id) else {
        panic!("no admin reply")
    };
    assert_eq!(
        ListHandles::parse_reply(*fields).unwrap(),
        [HandleId(1), HandleId(2)]
    );
    // Nothing is kept alive or polled on an admin connection.
    h.advance(std::time::Duration::from_secs(120));
    assert!(h.take_http().is_empty());
}

#[test]
fn errors_resolve_as_janus_errors() {
    let mut h = admin_ws();
    let id = send(&mut h, GetStatus.to_request());
    let tx = h.take_sent()[0]["transaction"].clone();
    h.frame(json!({"janus": "error", "transaction": tx,
                   "error": {"code": 403, "reason": "Unauthorized request (wrong or missing secret/token)"}}));
    match h.response(id) {
        Err(RequestError::Janus(e)) => assert_eq!(e.code, 403),
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_api_refuses_the_other_apis_requests() {
    let mut h = admin_ws();
    let err = h.conn.create_session(h.now).unwrap_err();
    assert!(matches!(
        err,
        CommandError::WrongApi {
            request: "create",
            api: "Admin API"
        }
    ));
    assert!(err.to_string().contains("Janus API"), "{err}");
    // info and ping belong to both.
    assert!(h.conn.info(h.now).is_ok());
    assert!(h.conn.ping(h.now).is_ok());

    let mut h = Harness::ws(Config::websocket("ws://janus"));
    let err = h
        .conn
        .request(h.now, Request::Admin(Box::new(ListSessions.to_request())))
        .unwrap_err();
    assert!(matches!(
        err,
        CommandError::WrongApi {
            request: "list_sessions",
            api: "Janus API"
        }
    ));
    assert!(err.to_string().contains("/admin"), "{err}");
    assert_eq!(Config::admin_http().api, Api::Admin);
}

#[test]
fn a_handle_request_must_name_its_session() {
    let mut h = admin_ws();
    let mut request = AdminRequest::new("detach_handle");
    request.handle = Some(HandleId(1));
    let err = h
        .conn
        .request(h.now, Request::Admin(Box::new(request)))
        .unwrap_err();
    assert!(matches!(err, CommandError::InvalidArgument(_)));
}

#[test]
fn typed_requests_build_what_janus_documents() {
    let r = SetSessionTimeout::session(SessionId(3), None).to_request();
    assert_eq!(
        (r.verb, r.session, r.fields["timeout"].clone()),
        ("set_session_timeout", Some(SessionId(3)), json!(-1))
    );
    let r = SetSessionTimeout::global(60).to_request();
    assert_eq!((r.session, r.fields["timeout"].clone()), (None, json!(60)));
    let r = SetLogLevel::new(5).to_request();
    assert_eq!(Value::Object(r.fields), json!({"level": 5}));
    let r = AddToken::new("t")
        .plugins(["janus.plugin.echotest"])
        .to_request();
    assert_eq!(
        Value::Object(r.fields),
        json!({"token": "t", "plugins": ["janus.plugin.echotest"]})
    );
    let r = QueryModule::plugin("janus.plugin.videoroom", json!({"request": "list"})).to_request();
    assert_eq!(
        (r.verb, Value::Object(r.fields)),
        (
            "message_plugin",
            json!({"plugin": "janus.plugin.videoroom", "request": {"request": "list"}})
        )
    );
}

/// The fields of a captured `success` (as the engine hands them over).
fn capture(name: &str) -> Map<String, Value> {
    let path = format!(
        "{}/tests/data/admin/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let Value::Object(mut map) = serde_json::from_str(&text).unwrap() else {
        panic!("{path}: not an object")
    };
    map.remove("janus");
    map.remove("transaction");
    map
}

#[test]
fn captured_replies_read_into_their_types() {
    let status = GetStatus::parse_reply(capture("get_status")).unwrap();
    assert_eq!(status.session_timeout, Some(60));
    assert_eq!(status.nack_optimizations, Some(false));
    assert!(
        status.other.is_empty(),
        "unknown status fields: {:?}",
        status.other
    );

    assert_eq!(
        ListSessions::parse_reply(capture("list_sessions"))
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        ListHandles::parse_reply(capture("list_handles"))
            .unwrap()
            .len(),
        1
    );

    let info = GetHandleInfo::parse_reply(capture("handle_info")).unwrap();
    assert_eq!(info.plugin.as_deref(), Some("janus.plugin.echotest"));
    assert_eq!(
        info.session_transport.as_deref(),
        Some("janus.transport.http")
    );
    assert_eq!(info.loop_running, Some(true));
    let flags = info.flags.unwrap();
    assert!(!flags.ready && !flags.got_offer);
    assert!(
        info.other.is_empty(),
        "unknown handle_info fields: {:?}",
        info.other
    );
    // Round trip: what it serializes to reads back the same.
    let again: janus_core::admin::HandleInfo =
        serde_json::from_value(serde_json::to_value(&info).unwrap()).unwrap();
    assert_eq!(again, info);

    let tokens = ListTokens::parse_reply(capture("list_tokens")).unwrap();
    assert!(!tokens.is_empty());
    let plugins = AddToken::parse_reply(capture("add_token")).unwrap();
    assert!(!plugins.is_empty());
}
