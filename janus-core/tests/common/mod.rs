//! A fake-clock harness: drives a `Connection` by hand and records what it emits.
#![allow(dead_code)]

use janus_core::{
    Config, Connection, Event, HandleId, HttpMethod, HttpRequest, Input, Output, Reply, RequestId,
    SessionId, Transmit,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub struct Harness {
    pub conn: Connection,
    pub now: Instant,
    pub start: Instant,
    /// WebSocket frames sent, parsed.
    pub sent: Vec<Value>,
    /// The length in bytes of each frame of `sent`.
    pub sent_len: Vec<usize>,
    /// HTTP exchanges emitted.
    pub http: Vec<HttpRequest>,
    pub events: Vec<Event>,
    pub connects: Vec<(Duration, String)>,
    /// The closes the engine asked for (a dead link).
    pub closes: Vec<String>,
}

impl Harness {
    pub fn new(config: Config) -> Self {
        let now = Instant::now();
        let mut h = Harness {
            conn: Connection::new(config, now),
            now,
            start: now,
            sent: Vec::new(),
            sent_len: Vec::new(),
            http: Vec::new(),
            events: Vec::new(),
            connects: Vec::new(),
            closes: Vec::new(),
        };
        h.drain();
        h
    }

    /// A WebSocket engine that is connected.
    pub fn ws(config: Config) -> Self {
        let mut h = Self::new(config);
        h.input(Input::Connected);
        h.take_events();
        h
    }

    pub fn elapsed(&self) -> Duration {
        self.now - self.start
    }

    /// Drains outputs until idle, checking the deadline invariant.
    pub fn drain(&mut self) -> Option<Instant> {
        loop {
            match self.conn.poll_output() {
                Output::Connect { server } => self.connects.push((self.elapsed(), server)),
                Output::Close { reason } => self.closes.push(reason),
                Output::Transmit(Transmit::Text(t)) => {
                    self.sent_len.push(t.len());
                    self.sent
                        .push(serde_json::from_str(&t).expect("engine sent invalid JSON"))
                }
                Output::Transmit(Transmit::Http(r)) => self.http.push(r),
                Output::Event(e) => self.events.push(e),
                Output::Idle(deadline) => {
                    if let Some(d) = deadline {
                        assert!(d >= self.now, "deadline in the past");
                    }
                    return deadline;
                }
            }
        }
    }

    pub fn input(&mut self, input: Input<'_>) {
        self.conn
            .handle_input(self.now, input)
            .expect("input rejected");
        self.drain();
    }

    pub fn frame(&mut self, v: Value) {
        let s = v.to_string();
        self.input(Input::Frame(s.as_bytes()));
    }

    pub fn frame_str(&mut self, s: &str) {
        self.input(Input::Frame(s.as_bytes()));
    }

    /// Moves the clock forward by `d`, firing every deadline on the way at its own time.
    pub fn advance(&mut self, d: Duration) {
        let until = self.now + d;
        loop {
            let next = self.drain();
            match next {
                Some(t) if t <= until => {
                    self.now = self.now.max(t);
                    self.conn.handle_timeout(self.now);
                }
                _ => break,
            }
        }
        self.now = until;
        self.conn.handle_timeout(self.now);
        self.drain();
    }

    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    pub fn take_sent(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.sent)
    }

    pub fn take_http(&mut self) -> Vec<HttpRequest> {
        std::mem::take(&mut self.http)
    }

    /// The last frame sent, which must have this verb; returns its transaction.
    pub fn last_tx(&self, verb: &str) -> String {
        let f = self.sent.last().expect("nothing sent");
        assert_eq!(f["janus"], verb, "last frame: {f}");
        f["transaction"].as_str().unwrap().to_owned()
    }

    /// The response event for `id`, removed from the event list.
    pub fn response(&mut self, id: RequestId) -> Result<Reply, janus_core::RequestError> {
        let pos = self
            .events
            .iter()
            .position(|e| matches!(e, Event::Response { id: i, .. } if *i == id))
            .unwrap_or_else(|| panic!("no response for {id:?} in {:?}", self.events));
        match self.events.remove(pos) {
            Event::Response { result, .. } => result,
            _ => unreachable!(),
        }
    }

    pub fn count_responses(&self, id: RequestId) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e, Event::Response { id: i, .. } if *i == id))
            .count()
    }

    /// Creates a session over WebSocket; returns its id.
    pub fn create(&mut self, sid: u64) -> SessionId {
        let id = self.conn.create_session(self.now).unwrap();
        self.drain();
        let tx = self.last_tx("create");
        self.frame(json!({"janus":"success","transaction":tx,"data":{"id":sid}}));
        match self.response(id) {
            Ok(Reply::SessionCreated(s)) => {
                assert_eq!(s, SessionId(sid));
                s
            }
            other => panic!("create failed: {other:?}"),
        }
    }

    /// Attaches a handle over WebSocket.
    pub fn attach(&mut self, sid: SessionId, hid: u64, plugin: &str) -> HandleId {
        let id = self.conn.attach(self.now, sid, plugin, None).unwrap();
        self.drain();
        let tx = self.last_tx("attach");
        self.frame(
            json!({"janus":"success","session_id":sid.0,"transaction":tx,"data":{"id":hid}}),
        );
        match self.response(id) {
            Ok(Reply::Attached(h)) => h,
            other => panic!("attach failed: {other:?}"),
        }
    }

    /// Answers an HTTP exchange.
    pub fn http_reply(&mut self, id: janus_core::ExchangeId, status: u16, body: &str) {
        self.input(Input::HttpResponse {
            id,
            status,
            body: body.as_bytes(),
        });
    }

    /// The one outstanding POST with this verb, removed.
    pub fn take_post(&mut self, verb: &str) -> (HttpRequest, Value) {
        let pos = self
            .http
            .iter()
            .position(|r| {
                r.method == HttpMethod::Post
                    && serde_json::from_str::<Value>(r.body.as_deref().unwrap()).unwrap()["janus"]
                        == verb
            })
            .unwrap_or_else(|| panic!("no {verb} POST in {:?}", self.http));
        let r = self.http.remove(pos);
        let v = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        (r, v)
    }

    /// The outstanding long polls, removed.
    /// Every POST emitted so far (the long polls stay).
    pub fn take_posts(&mut self) -> Vec<HttpRequest> {
        let (posts, rest) = std::mem::take(&mut self.http)
            .into_iter()
            .partition(|r| r.method == HttpMethod::Post);
        self.http = rest;
        posts
    }

    pub fn take_polls(&mut self) -> Vec<HttpRequest> {
        let (polls, rest) = std::mem::take(&mut self.http)
            .into_iter()
            .partition(|r| r.method == HttpMethod::Get);
        self.http = rest;
        polls
    }
}

pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

pub fn ms(s: u64) -> Duration {
    Duration::from_millis(s)
}
