//! The typed TextRoom vocabulary against frames captured from Janus 1.1.2
//! (see `captures/mod.rs`), and the data channel shapes.

use janus_core::plugins::textroom::{
    self as tr, AllowedAction, DataEvent, DataRequest, ErrorCode, Event, RoomId,
};
use janus_core::plugins::PluginRequest;
use serde_json::json;

mod captures;
use captures::{answers, event, exchange, load, refused};

const TR: &str = "textroom";
const ROOM: u64 = 6666;
const SECRET: &str = "s3cret";

fn code(code: i64) -> ErrorCode {
    ErrorCode::try_from(code).expect("a named TextRoom code")
}

#[test]
fn textroom_room_management() {
    let created = exchange(
        TR,
        "create",
        tr::Create::new()
            .room(ROOM)
            .description("capture chat")
            .secret(SECRET)
            .history(5u32),
    );
    assert_eq!(created.room, RoomId::Int(ROOM));
    let (c, _) = refused(TR, "error_room_exists", tr::Create::new().room(ROOM));
    assert_eq!(code(c), ErrorCode::RoomExists);

    // The rooms come under `list`.
    let list = exchange(TR, "list", tr::List::new());
    let ours = list
        .list
        .iter()
        .find(|r| r.room == RoomId::Int(ROOM))
        .unwrap();
    assert_eq!(ours.description, "capture chat");
    assert_eq!(ours.history, Some(5));
    assert_eq!(ours.num_participants, 0);
    assert!(list.list.iter().any(|r| r.room == RoomId::Int(1234)));

    assert!(exchange(TR, "exists", tr::Exists::new(ROOM)).exists);
    let edited = exchange(
        TR,
        "edit",
        tr::Edit::new(ROOM)
            .secret(SECRET)
            .new_description("edited chat"),
    );
    assert_eq!(edited.room, RoomId::Int(ROOM));
    let allowed = exchange(
        TR,
        "allowed_add",
        tr::Allowed::new(ROOM, AllowedAction::Add)
            .secret(SECRET)
            .allowed(vec!["token-a".to_string()]),
    );
    assert_eq!(allowed.allowed.unwrap(), ["token-a"]);
    let participants = exchange(TR, "listparticipants", tr::ListParticipants::new(ROOM));
    assert!(participants.participants.is_empty());
    assert!(participants.extra.is_empty(), "no `textroom` tag in 1.1.2");
    exchange(
        TR,
        "announcement",
        tr::Announcement::new(ROOM, "hello everyone").secret(SECRET),
    );
    let (c, reason) = refused(
        TR,
        "error_kick_no_such_user",
        tr::Kick::new(ROOM, "nobody").secret(SECRET),
    );
    assert_eq!(code(c), ErrorCode::NoSuchUser);
    assert_eq!(reason, "No such user nobody in room 6666");
    let (c, _) = refused(
        TR,
        "error_unauthorized",
        tr::Destroy::new(ROOM).secret("wrong"),
    );
    assert_eq!(code(c), ErrorCode::Unauthorized);
    let destroyed = exchange(TR, "destroy", tr::Destroy::new(ROOM).secret(SECRET));
    assert_eq!(destroyed.room, RoomId::Int(ROOM));
    let (c, _) = refused(TR, "error_no_such_room", tr::Destroy::new(ROOM));
    assert_eq!(code(c), ErrorCode::NoSuchRoom);
}

#[test]
fn textroom_data_channel_setup() {
    let setup = exchange(TR, "setup", tr::Setup::default());
    assert_eq!(setup.result, "ok");
    let (c, _) = refused(TR, "error_setup_twice", tr::Setup::default());
    assert_eq!(code(c), ErrorCode::AlreadySetup);
    assert_eq!(exchange(TR, "ack", tr::Ack::default()).result, "ok");
    assert_eq!(exchange(TR, "restart", tr::Restart::default()).result, "ok");
    assert_eq!(tr::Setup::PLUGIN, "janus.plugin.textroom");
}

#[test]
fn textroom_errors_read_as_events() {
    for (name, expected) in [
        ("error_unknown_request", ErrorCode::InvalidRequest),
        ("error_missing_element", ErrorCode::MissingElement),
        // Chat requests belong on the data channel, not in a `message`.
        ("join_over_api", ErrorCode::InvalidRequest),
        ("error_no_such_room", ErrorCode::NoSuchRoom),
    ] {
        match event::<Event>(TR, name) {
            Event::Error(e) => assert_eq!(e.code::<ErrorCode>(), Ok(expected), "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    // Every capture reads and serializes back unchanged.
    let names = answers(TR);
    assert!(names.len() >= 19, "{names:?}");
    for name in names {
        event::<Event>(TR, &name);
    }
    assert_eq!(
        Event::from_data(json!({"textroom": "event", "result": "ok"})),
        Event::from_data(load(TR, "setup"))
    );
}

/// The data channel shapes of the TextRoom documentation: requests
/// serialize with the `textroom` tag, and what the plugin writes reads as
/// the matching `DataEvent`.
#[test]
fn textroom_data_channel_shapes() {
    let join = DataRequest::Join {
        transaction: "t1".into(),
        room: RoomId::Int(1234),
        username: "alice".into(),
        display: Some("Alice".into()),
        pin: None,
        token: None,
        history: Some(false),
    };
    let body = json!({"textroom": "join", "transaction": "t1", "room": 1234,
                      "username": "alice", "display": "Alice", "history": false});
    assert_eq!(serde_json::to_value(&join).unwrap(), body);
    assert_eq!(serde_json::from_value::<DataRequest>(body).unwrap(), join);
    let message = DataRequest::Message {
        transaction: "t2".into(),
        room: RoomId::Str("chat".into()),
        text: "hi".into(),
        to: None,
        tos: Some(vec!["bob".into()]),
        ack: None,
    };
    assert_eq!(
        serde_json::to_value(&message).unwrap(),
        json!({"textroom": "message", "transaction": "t2", "room": "chat",
               "text": "hi", "tos": ["bob"]})
    );
    let leave = DataRequest::Leave {
        transaction: "t3".into(),
        room: RoomId::Int(1),
    };
    assert_eq!(
        serde_json::to_value(&leave).unwrap(),
        json!({"textroom": "leave", "transaction": "t3", "room": 1})
    );

    let cases = [
        json!({"textroom": "success", "transaction": "t1",
               "participants": [{"username": "bob", "display": "Bob"}]}),
        json!({"textroom": "error", "transaction": "t9", "error_code": 420,
               "error": "Username already taken"}),
        json!({"textroom": "message", "room": 1234, "from": "bob",
               "date": "2024-01-01T12:00:00+0000", "text": "hi", "whisper": true}),
        json!({"textroom": "announcement", "room": 1234,
               "date": "2024-01-01T12:00:00+0000", "text": "news"}),
        json!({"textroom": "join", "room": 1234, "username": "carol", "display": "Carol"}),
        json!({"textroom": "leave", "room": 1234, "username": "carol"}),
        json!({"textroom": "kicked", "room": 1234, "username": "carol"}),
        json!({"textroom": "destroyed", "room": 1234}),
        json!({"textroom": "something-new", "room": 1234}),
    ];
    let read: Vec<DataEvent> = cases
        .iter()
        .map(|c| serde_json::from_value(c.clone()).unwrap())
        .collect();
    for (case, event) in cases.iter().zip(&read) {
        assert_eq!(&serde_json::to_value(event).unwrap(), case);
    }
    match &read[0] {
        DataEvent::Success(s) => {
            let who = s.participants.as_ref().unwrap();
            assert_eq!(who[0].username, "bob");
        }
        other => panic!("{other:?}"),
    }
    match &read[1] {
        DataEvent::Error(e) => assert_eq!(e.code::<ErrorCode>(), Ok(ErrorCode::UsernameExists)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(&read[2], DataEvent::Message(m) if m.whisper == Some(true)));
    assert!(matches!(&read[3], DataEvent::Announcement(a) if a.text == "news"));
    assert!(matches!(&read[4], DataEvent::Join(j) if j.display.as_deref() == Some("Carol")));
    assert!(matches!(&read[5], DataEvent::Leave(l) if l.username == "carol"));
    assert!(matches!(&read[6], DataEvent::Kicked(k) if k.username == "carol"));
    assert!(matches!(&read[7], DataEvent::Destroyed(d) if d.room == RoomId::Int(1234)));
    assert!(matches!(&read[8], DataEvent::Other(_)));
}
