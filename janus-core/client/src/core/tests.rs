//! The client core driven by hand with a fake clock.

use super::*;
use janus_core::serde_json::{self, json, Value};
use janus_core::{Config, EndReason, HandleId, RequestError, SessionId, SessionOrigin};
use std::cell::RefCell;
use std::rc::Rc;

/// Test channels: every slot and stream records into shared cells.
struct Test;

thread_local! {
    /// The order in which slots and sinks were handed something.
    static SEQ: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn seq() -> u32 {
    SEQ.with(|s| {
        s.set(s.get() + 1);
        s.get()
    })
}

/// A reply slot; `gone` makes it refuse, as a cancelled caller would.
#[derive(Clone, Default)]
struct Slot(
    Rc<RefCell<Option<Answer>>>,
    Rc<RefCell<bool>>,
    Rc<RefCell<u32>>,
);

impl ReplySender for Slot {
    fn send_reply(self, answer: Answer) -> Result<(), Answer> {
        if *self.1.borrow() {
            return Err(answer);
        }
        *self.0.borrow_mut() = Some(answer);
        *self.2.borrow_mut() = seq();
        Ok(())
    }
}

#[derive(Clone)]
struct Sink<T>(Rc<RefCell<Vec<T>>>, Rc<RefCell<u32>>);

impl<T> Default for Sink<T> {
    fn default() -> Self {
        Sink(Rc::default(), Rc::default())
    }
}

impl<T> EventSender<T> for Sink<T> {
    fn send_event(&self, event: T) -> bool {
        self.0.borrow_mut().push(event);
        *self.1.borrow_mut() = seq();
        true
    }
}

impl Channels for Test {
    type Reply = Slot;
    type Session = Sink<SessionEvent>;
    type Handle = Sink<HandleEvent>;
    type Client = Sink<ClientEvent>;
}

/// A core on a connected WebSocket, with a fake clock and a log of the
/// frames it sent.
struct Rig {
    core: ClientCore<Test>,
    now: Instant,
    sent: Vec<Value>,
    client: Sink<ClientEvent>,
}

impl Rig {
    fn new() -> Self {
        let now = Instant::now();
        let client = Sink::default();
        let config = Config::websocket("ws://janus.test");
        let core = ClientCore::new(
            Connection::new(config, now),
            "ws://janus.test",
            client.clone(),
        );
        let mut rig = Rig {
            core,
            now,
            sent: Vec::new(),
            client,
        };
        assert!(matches!(rig.core.poll(now), Action::Connect(url) if url == "ws://janus.test"));
        rig.core.handle_input(now, Input::Connected);
        assert!(matches!(rig.run(), Action::Wait(_)));
        rig
    }

    /// Polls until the core waits or stops, recording frames.
    fn run(&mut self) -> Action {
        loop {
            match self.core.poll(self.now) {
                Action::Transmit(Transmit::Text(t)) => {
                    self.sent.push(serde_json::from_str(&t).unwrap())
                }
                other @ (Action::Wait(_) | Action::Stop) => return other,
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    fn last_tx(&self) -> String {
        self.sent.last().unwrap()["transaction"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn frame(&mut self, frame: Value) -> Action {
        let text = frame.to_string();
        self.core
            .handle_input(self.now, Input::Frame(text.as_bytes()));
        self.run()
    }

    fn request(&mut self, request: Request, subscribe: Option<SubscriberOf<Test>>) -> Slot {
        let slot = Slot::default();
        self.core
            .request(self.now, request, None, slot.clone(), subscribe);
        assert!(matches!(self.run(), Action::Wait(_)));
        slot
    }

    /// Creates session 1 and attaches handle 2, with event streams.
    fn session_and_handle(&mut self) -> (Sink<SessionEvent>, Sink<HandleEvent>) {
        let (s, h) = (Sink::default(), Sink::default());
        self.request(
            Request::Create { id: None },
            Some(Subscriber::Session(s.clone())),
        );
        let tx = self.last_tx();
        assert!(matches!(
            self.frame(json!({"janus": "success", "transaction": tx, "data": {"id": 1}})),
            Action::Wait(_)
        ));
        let attach = Request::Attach {
            session: SessionId(1),
            plugin: "janus.plugin.echotest".into(),
            opaque_id: None,
        };
        self.request(attach, Some(Subscriber::Handle(h.clone())));
        let tx = self.last_tx();
        let attached =
            json!({"janus": "success", "session_id": 1, "transaction": tx, "data": {"id": 2}});
        assert!(matches!(self.frame(attached), Action::Wait(_)));
        (s, h)
    }
}

#[test]
fn answers_callers_after_the_events_their_reply_caused() {
    let mut rig = Rig::new();
    let (session, handle) = rig.session_and_handle();
    let detach = rig.request(
        Request::Detach {
            handle: HandleId(2),
        },
        None,
    );
    let tx = rig.last_tx();
    // The reply ends the handle; its stream hears it no later than the caller.
    assert!(matches!(
        rig.frame(json!({"janus": "success", "session_id": 1, "transaction": tx})),
        Action::Wait(_)
    ));
    assert!(matches!(&*detach.0.borrow(), Some(Ok(Reply::Done))));
    assert_eq!(
        *handle.0.borrow(),
        [HandleEvent::Ended(EndReason::Detached)]
    );
    assert!(session.0.borrow().is_empty());
}

#[test]
fn a_refused_command_is_answered_at_once() {
    let mut rig = Rig::new();
    let slot = rig.request(
        Request::Destroy {
            session: SessionId(9),
        },
        None,
    );
    match &*slot.0.borrow() {
        Some(Err(Error::Command(janus_core::CommandError::UnknownSession(s)))) => {
            assert_eq!(*s, SessionId(9))
        }
        other => panic!("{other:?}"),
    }
    assert!(rig.sent.is_empty());
}

#[test]
fn what_a_gone_caller_created_is_undone() {
    let mut rig = Rig::new();
    let slot = rig.request(Request::Create { id: None }, None);
    *slot.1.borrow_mut() = true; // the caller gave up
    let tx = rig.last_tx();
    assert!(matches!(
        rig.frame(json!({"janus": "success", "transaction": tx, "data": {"id": 7}})),
        Action::Wait(_)
    ));
    let undo = rig.sent.last().unwrap();
    assert_eq!(
        (undo["janus"].as_str(), undo["session_id"].as_u64()),
        (Some("destroy"), Some(7))
    );
    // Nobody waits for the undo: its answer goes nowhere, and the
    // session ends as destroyed.
    let tx = rig.last_tx();
    assert!(matches!(
        rig.frame(json!({"janus": "success", "session_id": 7, "transaction": tx})),
        Action::Wait(_)
    ));
    assert!(
        rig.core.connection().footprint().is_empty(),
        "{:?}",
        rig.core.connection().footprint()
    );
}

#[test]
fn shutdown_lingers_for_forgotten_requests_then_closes() {
    let mut rig = Rig::new();
    let (session, handle) = rig.session_and_handle();
    rig.core.forget(
        rig.now,
        Request::Destroy {
            session: SessionId(1),
        },
    );
    rig.core.shutdown(rig.now);
    // Waiting for the destroy, at most LINGER.
    match rig.run() {
        Action::Wait(Some(at)) => assert!(at <= rig.now + LINGER),
        other => panic!("{other:?}"),
    }
    let tx = rig.last_tx();
    assert!(matches!(
        rig.frame(json!({"janus": "success", "session_id": 1, "transaction": tx})),
        Action::Stop
    ));
    assert_eq!(
        *session.0.borrow(),
        [SessionEvent::Ended(EndReason::Destroyed)]
    );
    assert_eq!(
        *handle.0.borrow(),
        [HandleEvent::Ended(EndReason::Destroyed)]
    );
    assert!(rig.core.is_stopped());
}

#[test]
fn shutdown_gives_up_after_the_linger_and_ends_what_is_left() {
    let mut rig = Rig::new();
    let (session, _handle) = rig.session_and_handle();
    let pending = rig.request(
        Request::Keepalive {
            session: SessionId(1),
        },
        None,
    );
    rig.core.forget(
        rig.now,
        Request::Destroy {
            session: SessionId(1),
        },
    );
    rig.core.shutdown(rig.now);
    assert!(matches!(rig.run(), Action::Wait(_)));
    rig.now += LINGER;
    assert!(matches!(rig.run(), Action::Stop));
    assert_eq!(
        *session.0.borrow(),
        [SessionEvent::Ended(EndReason::Closed)]
    );
    assert!(matches!(
        &*pending.0.borrow(),
        Some(Err(Error::Request(RequestError::TransportClosed)))
    ));
    assert!(rig.client.0.borrow().contains(&ClientEvent::Connected));
}

#[test]
fn claiming_a_session_already_held_is_refused() {
    let mut rig = Rig::new();
    let (session, _handle) = rig.session_and_handle();
    let sent = rig.sent.len();
    let claim = Request::Claim {
        session: SessionId(1),
        keepalive: true,
    };
    let slot = rig.request(claim, Some(Subscriber::Session(Sink::default())));
    assert!(matches!(
        &*slot.0.borrow(),
        Some(Err(Error::AlreadyHeld(SessionId(1))))
    ));
    assert_eq!(rig.sent.len(), sent, "nothing was sent");
    // The first stream still hears of its session.
    rig.core.forget(
        rig.now,
        Request::Destroy {
            session: SessionId(1),
        },
    );
    assert!(matches!(rig.run(), Action::Wait(_)));
    let tx = rig.last_tx();
    let done = json!({"janus": "success", "session_id": 1, "transaction": tx});
    assert!(matches!(rig.frame(done), Action::Wait(_)));
    assert_eq!(
        *session.0.borrow(),
        [SessionEvent::Ended(EndReason::Destroyed)]
    );
}

#[test]
fn holds_and_lifetime() {
    let mut rig = Rig::new();
    rig.session_and_handle();
    let id = SessionId(1);
    let now = rig.now;
    let lifetime = rig.core.local(now, |e| e.lifetime(id)).unwrap();
    assert_eq!(
        (lifetime.origin, lifetime.keepalive, lifetime.holds),
        (SessionOrigin::Created, true, 0)
    );
    let at = lifetime
        .expires_at
        .expect("the default session timeout is 60 s");
    assert!(!lifetime.expired && lifetime.time_left == Some(at - now));
    assert_eq!(rig.core.local(now, |e| e.hold(id)).unwrap(), 1);
    assert_eq!(rig.core.local(now, |e| e.hold(id)).unwrap(), 2);
    let held = rig.core.local(now, |e| e.lifetime(id)).unwrap();
    assert_eq!(
        (held.holds, held.expires_at, held.expired),
        (2, None, false)
    );
    assert_eq!(rig.core.local(now, |e| e.release(id)), 1);
    assert_eq!(rig.core.local(now, |e| e.release(id)), 0);
    assert_eq!(
        rig.core.local(now, |e| e.release(id)),
        0,
        "nothing left to release"
    );
    rig.core.local(now, |e| e.set_keepalive(id, false)).unwrap();
    let later = at + Duration::from_secs(1);
    let expired = rig.core.local(later, |e| e.lifetime(id)).unwrap();
    assert!(expired.expired && expired.time_left == Some(Duration::ZERO) && !expired.keepalive);
    assert!(rig.core.local(now, |e| e.touch(SessionId(5))).is_err());
}
