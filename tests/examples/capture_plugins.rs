//! Captures real plugin frames from a private Janus 1.1.2 for the typed
//! plugin tests in `janus-core/tests/plugins.rs`.
//!
//! For every step it writes two files under
//! `janus-core/tests/data/plugins/<plugin>/`: `<name>.request.json`, the
//! message body sent (when the step sent one), and `<name>.json`, the
//! `plugindata.data` of the reply or event that came back. Events that a
//! request causes on other participants (`joining`, `leaving`, `destroyed`,
//! ...) are saved under their own names. Everything goes over plain HTTP:
//! requests are POSTs, events come from each session's long poll.
//!
//! ```sh
//! cargo run -p janus-tests --example capture_plugins [plugin ...]
//! ```

use janus_tests::rig::{http_get, http_post_json, JanusServer};
use janus_tests::sip_peer::SipPeer;
use janus_tests::support::{write_silent_opus, OFFER};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

static TRANSACTION: AtomicU64 = AtomicU64::new(0);

fn transaction() -> String {
    format!("cap-{}", TRANSACTION.fetch_add(1, Ordering::Relaxed))
}

/// Where one plugin's captures go.
struct Out {
    dir: PathBuf,
}

impl Out {
    fn new(plugin: &str) -> Out {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../janus-core/tests/data/plugins")
            .join(plugin);
        fs::create_dir_all(&dir).expect("create capture dir");
        Out { dir }
    }

    fn save(&self, name: &str, value: &Value) {
        let path = self.dir.join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(value).expect("serialize") + "\n";
        fs::write(&path, text).expect("write capture");
        println!("{}: {}", path.display(), value);
    }
}

/// One Janus session with one plugin handle, driven over HTTP.
struct Peer {
    base: String,
    session: u64,
    handle: u64,
    /// Events read from the long poll that no one has asked for yet.
    pending: VecDeque<Value>,
    /// Whether an event without a transaction may answer a request (for
    /// Streaming's `stopping`); otherwise only the request's transaction
    /// does, so that earlier notifications are not taken for answers.
    untagged_answers: bool,
}

impl Peer {
    fn attach(server: &JanusServer, plugin: &str) -> Peer {
        let base = server.http_url();
        let created = post(&base, json!({"janus": "create"}));
        let session = created["data"]["id"].as_u64().expect("session id");
        let url = format!("{base}/{session}");
        let attached = post(&url, json!({"janus": "attach", "plugin": plugin}));
        let handle = attached["data"]["id"].as_u64().expect("handle id");
        Peer {
            base,
            session,
            handle,
            pending: VecDeque::new(),
            untagged_answers: false,
        }
    }

    /// Sends `body` and returns the plugin's answer: the synchronous
    /// `plugindata.data`, or after an `ack` the event with the same
    /// transaction.
    fn send(&mut self, body: &Value) -> Value {
        self.send_jsep(body, None)
    }

    /// [`send`](Self::send) with a JSEP offer or answer beside the body.
    fn send_jsep(&mut self, body: &Value, jsep: Option<Value>) -> Value {
        let tx = transaction();
        let url = format!("{}/{}/{}", self.base, self.session, self.handle);
        let mut message = json!({"janus": "message", "transaction": tx, "body": body});
        if let Some(jsep) = jsep {
            message["jsep"] = jsep;
        }
        let reply = post(&url, message);
        match reply["janus"].as_str() {
            Some("success") => reply["plugindata"]["data"].clone(),
            // Some events (Streaming's `stopping`) come without the
            // request's transaction: take the next plugin event then.
            Some("ack") => {
                let untagged = self.untagged_answers;
                self.wait(|e| {
                    e["transaction"] == tx.as_str() || (untagged && e.get("transaction").is_none())
                })
            }
            _ => panic!("unexpected reply to {body}: {reply}"),
        }
    }

    /// Sends `body`, saves it as `<name>.request` and the answer as `<name>`.
    fn step(&mut self, out: &Out, name: &str, body: Value) -> Value {
        out.save(&format!("{name}.request"), &body);
        let data = self.send(&body);
        out.save(name, &data);
        data
    }

    /// [`step`](Self::step) with a JSEP offer beside the body.
    fn step_offer(&mut self, out: &Out, name: &str, body: Value) -> Value {
        out.save(&format!("{name}.request"), &body);
        let data = self.send_jsep(&body, Some(json!({"type": "offer", "sdp": OFFER})));
        out.save(name, &data);
        data
    }

    /// Sends each `(name, body)` without waiting, then a request that is
    /// always answered (an unknown one). The plugin handles a handle's
    /// messages in order, so an answer that has not come before that one's
    /// never comes: only the answered steps are saved; the names of the
    /// silent ones are returned.
    fn probe(&mut self, out: &Out, steps: Vec<(&'static str, Value)>) -> Vec<&'static str> {
        let url = format!("{}/{}/{}", self.base, self.session, self.handle);
        let mut sent = Vec::new();
        for (name, body) in steps {
            let tx = transaction();
            out.save(&format!("{name}.request"), &body);
            let reply = post(
                &url,
                json!({"janus": "message", "transaction": tx, "body": body}),
            );
            if reply["janus"] == "success" {
                out.save(name, &reply["plugindata"]["data"]);
            } else {
                sent.push((name, tx));
            }
        }
        self.send(&json!({"request": "nosuch"}));
        let mut silent = Vec::new();
        for (name, tx) in sent {
            match self
                .pending
                .iter()
                .position(|e| e["transaction"] == tx.as_str())
            {
                Some(i) => {
                    let event = self.pending.remove(i).expect("present");
                    out.save(name, &event["plugindata"]["data"]);
                }
                None => {
                    fs::remove_file(out.dir.join(format!("{name}.request.json")))
                        .expect("remove request");
                    println!("{name}: no answer");
                    silent.push(name);
                }
            }
        }
        silent
    }

    /// The next plugin event (its `plugindata.data`) that `pred` accepts,
    /// read from the long poll; others stay queued.
    fn wait(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(i) = self.pending.iter().position(&pred) {
                let event = self.pending.remove(i).expect("present");
                return event["plugindata"]["data"].clone();
            }
            assert!(Instant::now() < deadline, "no matching event");
            let url = format!("{}/{}?maxev=10", self.base, self.session);
            let resp = http_get(&url).expect("long poll");
            let value: Value = serde_json::from_str(&resp.body).expect("poll json");
            let events = match value {
                Value::Array(items) => items,
                one => vec![one],
            };
            for event in events {
                if event["janus"] == "event" {
                    self.pending.push_back(event);
                }
            }
        }
    }

    /// Waits for the next event whose data has `key` and saves it as `name`.
    fn expect(&mut self, out: &Out, name: &str, key: &str) -> Value {
        let data = self.wait(|e| e["plugindata"]["data"].get(key).is_some());
        out.save(name, &data);
        data
    }
}

fn post(url: &str, mut body: Value) -> Value {
    if body.get("transaction").is_none() {
        body["transaction"] = json!(transaction());
    }
    http_post_json(url, &body).expect("POST")
}

fn videoroom(server: &JanusServer) {
    let out = Out::new("videoroom");
    let plugin = "janus.plugin.videoroom";
    let mut admin = Peer::attach(server, plugin);
    let room = 4321;
    admin.step(
        &out,
        "create",
        json!({"request": "create", "room": room, "description": "capture room",
               "publishers": 6, "notify_joining": true, "dummy_publisher": true,
               "secret": "s3cret"}),
    );
    admin.step(
        &out,
        "error_room_exists",
        json!({"request": "create", "room": room}),
    );
    admin.step(&out, "exists", json!({"request": "exists", "room": room}));
    admin.step(&out, "list", json!({"request": "list"}));
    admin.step(
        &out,
        "edit",
        json!({"request": "edit", "room": room, "secret": "s3cret",
               "new_description": "edited room", "new_bitrate": 256000}),
    );
    admin.step(
        &out,
        "allowed_add",
        json!({"request": "allowed", "room": room, "secret": "s3cret",
               "action": "add", "allowed": ["token-a", "token-b"]}),
    );
    admin.step(
        &out,
        "allowed_remove",
        json!({"request": "allowed", "room": room, "secret": "s3cret",
               "action": "remove", "allowed": ["token-b"]}),
    );
    admin.step(&out, "error_unknown_request", json!({"request": "nosuch"}));
    admin.step(
        &out,
        "error_invalid_element",
        json!({"request": "exists", "room": "not-a-number"}),
    );

    // Two publishers: A joins first, then B; A hears of B (notify_joining).
    let mut a = Peer::attach(server, plugin);
    let mut b = Peer::attach(server, plugin);
    let mut c = Peer::attach(server, plugin);
    a.step(
        &out,
        "error_no_such_room",
        json!({"request": "join", "room": 999999, "ptype": "publisher"}),
    );
    a.step(
        &out,
        "error_missing_element",
        json!({"request": "join", "room": room}),
    );
    let joined = a.step(
        &out,
        "join_publisher",
        json!({"request": "join", "room": room, "ptype": "publisher", "display": "alice"}),
    );
    let a_id = joined["id"].clone();
    b.step(
        &out,
        "join_publisher_b",
        json!({"request": "join", "room": room, "ptype": "publisher", "display": "bob",
               "id": 7001}),
    );
    a.expect(&out, "joining", "joining");
    admin.step(
        &out,
        "listparticipants",
        json!({"request": "listparticipants", "room": room}),
    );
    admin.step(
        &out,
        "listforwarders",
        json!({"request": "listforwarders", "room": room, "secret": "s3cret"}),
    );
    admin.step(
        &out,
        "enable_recording",
        json!({"request": "enable_recording", "room": room, "secret": "s3cret",
               "record": false}),
    );
    admin.step(
        &out,
        "error_moderate_no_mid",
        json!({"request": "moderate", "room": room, "secret": "s3cret",
               "id": a_id, "mid": "0", "mute": true}),
    );
    admin.step(
        &out,
        "rtp_forward",
        json!({"request": "rtp_forward", "room": room, "secret": "s3cret",
               "publisher_id": a_id, "host": "127.0.0.1",
               "streams": [{"mid": "0", "port": 5002}]}),
    );
    admin.step(
        &out,
        "error_stop_rtp_forward",
        json!({"request": "stop_rtp_forward", "room": room, "secret": "s3cret",
               "publisher_id": a_id, "stream_id": 12345}),
    );
    a.step(
        &out,
        "configure",
        json!({"request": "configure", "display": "alice-renamed"}),
    );
    b.expect(&out, "display", "display");
    a.step(&out, "error_unpublish", json!({"request": "unpublish"}));
    a.step(&out, "publish", json!({"request": "publish"}));
    a.step(
        &out,
        "error_already_joined",
        json!({"request": "join", "room": room, "ptype": "publisher"}),
    );

    // A subscriber to the room's dummy publisher (it has streams but no media).
    let participants = admin.send(&json!({"request": "listparticipants", "room": room}));
    let dummy = participants["participants"]
        .as_array()
        .and_then(|list| list.iter().find(|p| p["dummy"] == true))
        .map(|p| p["id"].clone());
    if let Some(dummy) = dummy {
        let mut sub = Peer::attach(server, plugin);
        let attached = sub.step(
            &out,
            "join_subscriber",
            json!({"request": "join", "room": room, "ptype": "subscriber",
                   "streams": [{"feed": dummy}]}),
        );
        let first_mid = attached["streams"][0]["mid"].clone();
        let feed_mid = attached["streams"][0]["feed_mid"].clone();
        sub.step(&out, "pause", json!({"request": "pause"}));
        sub.step(&out, "start", json!({"request": "start"}));
        sub.step(
            &out,
            "switch",
            json!({"request": "switch",
                   "streams": [{"feed": dummy, "mid": feed_mid, "sub_mid": first_mid}]}),
        );
        sub.step(
            &out,
            "update",
            json!({"request": "update",
                   "unsubscribe": [{"feed": dummy, "mid": feed_mid}]}),
        );
        sub.step(
            &out,
            "configure_subscriber",
            json!({"request": "configure",
                   "streams": [{"mid": first_mid, "send": false}]}),
        );
        sub.step(&out, "leave_subscriber", json!({"request": "leave"}));
    } else {
        eprintln!("no dummy publisher in {participants}");
    }

    // B leaves: A sees `leaving`.
    b.step(&out, "leave", json!({"request": "leave"}));
    a.expect(&out, "leaving", "leaving");

    // C joins and is kicked: C sees its kick, A sees C go.
    let joined_c = c.step(
        &out,
        "join_publisher_c",
        json!({"request": "join", "room": room, "ptype": "publisher", "display": "carol"}),
    );
    a.expect(&out, "joining_c", "joining");
    admin.step(
        &out,
        "kick",
        json!({"request": "kick", "room": room, "secret": "s3cret", "id": joined_c["id"]}),
    );
    c.expect(&out, "kicked", "reason");
    a.expect(&out, "kicked_other", "kicked");

    // The room goes: A, still in it, sees `destroyed`.
    admin.step(
        &out,
        "destroy",
        json!({"request": "destroy", "room": room, "secret": "s3cret"}),
    );
    let event = a.wait(|e| e["plugindata"]["data"]["videoroom"] == "destroyed");
    out.save("destroyed_event", &event);
    admin.step(
        &out,
        "error_destroy_no_such_room",
        json!({"request": "destroy", "room": room}),
    );
}

fn videoroom_string_ids() {
    let server = JanusServer::builder()
        .plugins(&["videoroom"])
        .plugin_config("videoroom", "general: {\n\tstring_ids = true\n}\n")
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Out::new("videoroom");
    let plugin = "janus.plugin.videoroom";
    let mut admin = Peer::attach(&server, plugin);
    let mut a = Peer::attach(&server, plugin);
    admin.step(
        &out,
        "create_string",
        json!({"request": "create", "room": "demo-room", "notify_joining": true}),
    );
    a.step(
        &out,
        "join_publisher_string",
        json!({"request": "join", "room": "demo-room", "ptype": "publisher",
               "id": "alice", "display": "Alice"}),
    );
    admin.step(
        &out,
        "listparticipants_string",
        json!({"request": "listparticipants", "room": "demo-room"}),
    );
    admin.step(
        &out,
        "exists_string",
        json!({"request": "exists", "room": "demo-room"}),
    );
    admin.step(
        &out,
        "destroy_string",
        json!({"request": "destroy", "room": "demo-room"}),
    );
}

fn echotest(server: &JanusServer) {
    let out = Out::new("echotest");
    let mut peer = Peer::attach(server, "janus.plugin.echotest");
    peer.step(&out, "audio", json!({"audio": true}));
    peer.step(
        &out,
        "configure",
        json!({"audio": true, "video": false, "bitrate": 128000}),
    );
    peer.step(&out, "error_invalid_element", json!({"audio": "yes"}));
}

/// A UDP port free on loopback right now, for a mountpoint to bind.
fn free_udp_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("free UDP port")
}

fn streaming() {
    let server = JanusServer::builder()
        .plugins(&["streaming"])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Out::new("streaming");
    let plugin = "janus.plugin.streaming";
    let mut admin = Peer::attach(&server, plugin);
    let media = |mid: &str, kind: &str, pt: u16, codec: &str| {
        json!({"type": kind, "mid": mid, "port": free_udp_port(), "iface": "127.0.0.1",
               "pt": pt, "codec": codec})
    };
    admin.step(
        &out,
        "create",
        json!({"request": "create", "type": "rtp", "id": 99, "name": "capture",
               "description": "capture stream", "secret": "s3cret",
               "media": [media("a", "audio", 111, "opus"), media("v", "video", 100, "vp8")]}),
    );
    admin.step(
        &out,
        "create_second",
        json!({"request": "create", "type": "rtp", "id": 100, "name": "second",
               "description": "second stream",
               "media": [media("v", "video", 100, "vp8")]}),
    );
    admin.step(
        &out,
        "error_missing_element",
        json!({"request": "create", "id": 101}),
    );
    admin.step(&out, "list", json!({"request": "list"}));
    admin.step(
        &out,
        "info",
        json!({"request": "info", "id": 99, "secret": "s3cret"}),
    );
    admin.step(
        &out,
        "error_no_such_mountpoint",
        json!({"request": "info", "id": 12345}),
    );
    admin.step(
        &out,
        "edit",
        json!({"request": "edit", "id": 99, "secret": "s3cret",
               "new_description": "edited stream"}),
    );
    // `disable` is not captured: on Janus 1.1.2 it takes the whole server
    // down for an RTP mountpoint like this one (observed: the process exits
    // right after logging "Stream disabled").
    admin.step(
        &out,
        "recording_stop",
        json!({"request": "recording", "action": "stop", "id": 99, "secret": "s3cret",
               "media": [{"mid": "a"}]}),
    );
    admin.step(&out, "error_unknown_request", json!({"request": "nosuch"}));

    let mut viewer = Peer::attach(&server, plugin);
    viewer.untagged_answers = true;
    viewer.step(&out, "watch", json!({"request": "watch", "id": 99}));
    viewer.step(
        &out,
        "configure",
        json!({"request": "configure", "mid": "v", "send": false}),
    );
    viewer.step(&out, "pause", json!({"request": "pause"}));
    viewer.step(&out, "start", json!({"request": "start"}));
    viewer.step(&out, "switch", json!({"request": "switch", "id": 100}));
    // `stop` is not captured: without a PeerConnection Janus 1.1.2 sends
    // no `stopping` event at all.
    admin.step(
        &out,
        "kick_all",
        json!({"request": "kick_all", "id": 99, "secret": "s3cret"}),
    );
    admin.step(
        &out,
        "destroy",
        json!({"request": "destroy", "id": 99, "secret": "s3cret"}),
    );
    admin.step(
        &out,
        "destroy_second",
        json!({"request": "destroy", "id": 100}),
    );
}

fn audiobridge() {
    let server = JanusServer::builder()
        .plugins(&["audiobridge"])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Out::new("audiobridge");
    let plugin = "janus.plugin.audiobridge";
    let mut admin = Peer::attach(&server, plugin);
    let room = 5555;
    let secret = "s3cret";
    admin.step(
        &out,
        "create",
        json!({"request": "create", "room": room, "description": "capture bridge",
               "secret": secret, "sampling_rate": 16000, "audiolevel_event": true}),
    );
    admin.step(
        &out,
        "error_room_exists",
        json!({"request": "create", "room": room}),
    );
    admin.step(&out, "exists", json!({"request": "exists", "room": room}));
    admin.step(&out, "list", json!({"request": "list"}));
    admin.step(
        &out,
        "edit",
        json!({"request": "edit", "room": room, "secret": secret,
               "new_description": "edited bridge"}),
    );
    admin.step(
        &out,
        "allowed_add",
        json!({"request": "allowed", "room": room, "secret": secret,
               "action": "add", "allowed": ["token-a"]}),
    );
    admin.step(&out, "error_unknown_request", json!({"request": "nosuch"}));
    admin.step(
        &out,
        "error_invalid_element",
        json!({"request": "exists", "room": "not-a-number"}),
    );

    let mut a = Peer::attach(&server, plugin);
    let mut b = Peer::attach(&server, plugin);
    let mut c = Peer::attach(&server, plugin);
    a.step(
        &out,
        "error_no_such_room",
        json!({"request": "join", "room": 999999}),
    );
    let joined_a = a.step(
        &out,
        "join",
        json!({"request": "join", "room": room, "display": "alice"}),
    );
    b.step(
        &out,
        "join_b",
        json!({"request": "join", "room": room, "display": "bob", "id": 8001,
               "muted": false}),
    );
    a.expect(&out, "participant_joined", "participants");
    admin.step(
        &out,
        "listparticipants",
        json!({"request": "listparticipants", "room": room}),
    );
    admin.step(
        &out,
        "mute",
        json!({"request": "mute", "room": room, "secret": secret, "id": 8001}),
    );
    a.expect(&out, "muted_event", "participants");
    admin.step(
        &out,
        "unmute",
        json!({"request": "unmute", "room": room, "secret": secret, "id": 8001}),
    );
    a.expect(&out, "unmuted_event", "participants");
    admin.step(
        &out,
        "mute_room",
        json!({"request": "mute_room", "room": room, "secret": secret}),
    );
    a.expect(&out, "room_muted", "muted");
    admin.step(
        &out,
        "unmute_room",
        json!({"request": "unmute_room", "room": room, "secret": secret}),
    );
    a.expect(&out, "room_unmuted", "muted");
    admin.step(
        &out,
        "enable_mjrs",
        json!({"request": "enable_mjrs", "room": room, "secret": secret, "mjrs": false}),
    );
    a.step(
        &out,
        "configure",
        json!({"request": "configure", "muted": true, "display": "alice-renamed"}),
    );
    // B hears of A's new state (after the mute events about B itself).
    let event = b.wait(|e| e["plugindata"]["data"]["participants"][0]["id"] == joined_a["id"]);
    out.save("configured_other", &event);
    a.step(
        &out,
        "error_already_joined",
        json!({"request": "join", "room": room}),
    );
    admin.step(
        &out,
        "error_play_file",
        json!({"request": "play_file", "room": room, "secret": secret,
               "filename": "/nonexistent/file.opus", "file_id": "f1"}),
    );
    // A real file: A hears it start, it plays, and stops when told.
    let file = server.config_dir().join("announcement.opus");
    write_silent_opus(&file, 10).expect("write the file");
    admin.step(
        &out,
        "play_file",
        json!({"request": "play_file", "room": room, "secret": secret,
               "filename": file.to_string_lossy(), "file_id": "f2"}),
    );
    let started = a.wait(|e| e["plugindata"]["data"]["audiobridge"] == "announcement-started");
    out.save("announcement_started", &started);
    admin.step(
        &out,
        "is_playing_true",
        json!({"request": "is_playing", "room": room, "secret": secret, "file_id": "f2"}),
    );
    admin.step(
        &out,
        "stop_file_playing",
        json!({"request": "stop_file", "room": room, "secret": secret, "file_id": "f2"}),
    );
    let stopped = a.wait(|e| e["plugindata"]["data"]["audiobridge"] == "announcement-stopped");
    out.save("announcement_stopped", &stopped);
    admin.step(
        &out,
        "is_playing",
        json!({"request": "is_playing", "room": room, "secret": secret, "file_id": "f1"}),
    );
    admin.step(
        &out,
        "stop_file",
        json!({"request": "stop_file", "room": room, "secret": secret, "file_id": "f1"}),
    );
    let forwarded = admin.step(
        &out,
        "rtp_forward",
        json!({"request": "rtp_forward", "room": room, "secret": secret,
               "host": "127.0.0.1", "port": free_udp_port()}),
    );
    admin.step(
        &out,
        "listforwarders",
        json!({"request": "listforwarders", "room": room, "secret": secret}),
    );
    admin.step(
        &out,
        "stop_rtp_forward",
        json!({"request": "stop_rtp_forward", "room": room, "secret": secret,
               "stream_id": forwarded["stream_id"]}),
    );
    admin.step(
        &out,
        "enable_recording",
        json!({"request": "enable_recording", "room": room, "secret": secret,
               "record": false}),
    );
    // B moves to the configured room 1234: A sees B go.
    b.step(
        &out,
        "changeroom",
        json!({"request": "changeroom", "room": 1234, "display": "bob"}),
    );
    a.expect(&out, "leaving", "leaving");
    // C joins and leaves; A sees both.
    c.step(
        &out,
        "join_c",
        json!({"request": "join", "room": room, "display": "carol"}),
    );
    a.expect(&out, "participant_joined_c", "participants");
    c.step(&out, "leave", json!({"request": "leave"}));
    a.expect(&out, "leaving_c", "leaving");
    c.step(
        &out,
        "error_not_joined",
        json!({"request": "configure", "muted": true}),
    );
    // D joins and is kicked.
    let mut d = Peer::attach(&server, plugin);
    let joined_d = d.step(
        &out,
        "join_d",
        json!({"request": "join", "room": room, "display": "dave"}),
    );
    a.expect(&out, "participant_joined_d", "participants");
    admin.step(
        &out,
        "kick",
        json!({"request": "kick", "room": room, "secret": secret, "id": joined_d["id"]}),
    );
    d.expect(&out, "kicked", "kicked");
    a.expect(&out, "kicked_other", "kicked");
    admin.step(
        &out,
        "kick_all",
        json!({"request": "kick_all", "room": 1234, "secret": "adminpwd"}),
    );
    let event = b.wait(|e| {
        let data = &e["plugindata"]["data"];
        data["room"] == 1234 && data["audiobridge"] != "roomchanged"
    });
    out.save("kicked_all", &event);
    admin.step(
        &out,
        "destroy",
        json!({"request": "destroy", "room": room, "secret": secret}),
    );
    let event = a.wait(|e| e["plugindata"]["data"]["audiobridge"] == "destroyed");
    out.save("destroyed_event", &event);
    admin.step(
        &out,
        "error_destroy_no_such_room",
        json!({"request": "destroy", "room": room}),
    );
}

fn textroom() {
    let server = JanusServer::builder()
        .plugins(&["textroom"])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Out::new("textroom");
    let plugin = "janus.plugin.textroom";
    let mut admin = Peer::attach(&server, plugin);
    let room = 6666;
    let secret = "s3cret";
    admin.step(
        &out,
        "create",
        json!({"request": "create", "room": room, "description": "capture chat",
               "secret": secret, "history": 5}),
    );
    admin.step(
        &out,
        "error_room_exists",
        json!({"request": "create", "room": room}),
    );
    admin.step(&out, "list", json!({"request": "list"}));
    admin.step(&out, "exists", json!({"request": "exists", "room": room}));
    admin.step(
        &out,
        "edit",
        json!({"request": "edit", "room": room, "secret": secret,
               "new_description": "edited chat"}),
    );
    admin.step(
        &out,
        "allowed_add",
        json!({"request": "allowed", "room": room, "secret": secret,
               "action": "add", "allowed": ["token-a"]}),
    );
    admin.step(
        &out,
        "listparticipants",
        json!({"request": "listparticipants", "room": room}),
    );
    admin.step(
        &out,
        "announcement",
        json!({"request": "announcement", "room": room, "secret": secret,
               "text": "hello everyone"}),
    );
    admin.step(
        &out,
        "error_kick_no_such_user",
        json!({"request": "kick", "room": room, "secret": secret, "username": "nobody"}),
    );
    admin.step(
        &out,
        "error_unauthorized",
        json!({"request": "destroy", "room": room, "secret": "wrong"}),
    );
    admin.step(&out, "error_unknown_request", json!({"request": "nosuch"}));
    admin.step(&out, "error_missing_element", json!({"request": "exists"}));
    admin.step(
        &out,
        "join_over_api",
        json!({"request": "join", "room": room, "username": "alice"}),
    );
    admin.step(
        &out,
        "destroy",
        json!({"request": "destroy", "room": room, "secret": secret}),
    );
    admin.step(
        &out,
        "error_no_such_room",
        json!({"request": "destroy", "room": room}),
    );
    let mut peer = Peer::attach(&server, plugin);
    peer.step(&out, "setup", json!({"request": "setup"}));
    peer.step(&out, "error_setup_twice", json!({"request": "setup"}));
    // Janus 1.1.2 takes an `ack` without the SDP answer it expects.
    peer.step(&out, "ack", json!({"request": "ack"}));
    peer.step(&out, "restart", json!({"request": "restart"}));
}

fn videocall() {
    let server = JanusServer::builder()
        .plugins(&["videocall"])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Out::new("videocall");
    let plugin = "janus.plugin.videocall";
    let mut a = Peer::attach(&server, plugin);
    let mut b = Peer::attach(&server, plugin);
    let mut c = Peer::attach(&server, plugin);
    a.step(&out, "list_empty", json!({"request": "list"}));
    a.step(
        &out,
        "register",
        json!({"request": "register", "username": "alice"}),
    );
    b.step(
        &out,
        "error_username_taken",
        json!({"request": "register", "username": "alice"}),
    );
    b.step(
        &out,
        "register_b",
        json!({"request": "register", "username": "bob"}),
    );
    a.step(&out, "list", json!({"request": "list"}));
    a.step(
        &out,
        "error_already_registered",
        json!({"request": "register", "username": "alice2"}),
    );
    c.step(
        &out,
        "error_register_first",
        json!({"request": "call", "username": "alice"}),
    );
    a.step(
        &out,
        "error_no_such_username",
        json!({"request": "call", "username": "nobody"}),
    );
    a.step(
        &out,
        "error_missing_sdp",
        json!({"request": "call", "username": "bob"}),
    );
    a.step(
        &out,
        "error_call_yourself",
        json!({"request": "call", "username": "alice"}),
    );
    a.step(
        &out,
        "set",
        json!({"request": "set", "audio": true, "video": false, "bitrate": 128000}),
    );
    a.step(&out, "error_accept_no_call", json!({"request": "accept"}));
    a.step_offer(&out, "call", json!({"request": "call", "username": "bob"}));
    b.expect(&out, "incomingcall", "result");
    b.step(
        &out,
        "error_accept_missing_sdp",
        json!({"request": "accept"}),
    );
    // B answers Janus's offer (ICE never completes, but the call is
    // accepted on both sides).
    let answer = OFFER.replace("a=setup:actpass", "a=setup:active");
    out.save("accept.request", &json!({"request": "accept"}));
    let accepted = b.send_jsep(
        &json!({"request": "accept"}),
        Some(json!({"type": "answer", "sdp": answer})),
    );
    out.save("accept", &accepted);
    let event = a.wait(|e| e["plugindata"]["data"]["result"]["event"] == "accepted");
    out.save("accepted_other", &event);
    a.step(
        &out,
        "set_in_call",
        json!({"request": "set", "bitrate": 256000}),
    );
    a.step(
        &out,
        "error_call_in_call",
        json!({"request": "call", "username": "bob"}),
    );
    a.step(&out, "hangup", json!({"request": "hangup"}));
    b.expect(&out, "hangup_other", "result");
    a.step(&out, "hangup_no_call", json!({"request": "hangup"}));
    a.step(&out, "error_unknown_request", json!({"request": "nosuch"}));
}

fn recordplay() {
    let server = JanusServer::builder()
        .plugins(&["recordplay"])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Out::new("recordplay");
    let plugin = "janus.plugin.recordplay";
    let mut peer = Peer::attach(&server, plugin);
    peer.step(&out, "list_empty", json!({"request": "list"}));
    // A recording's description file, as the plugin writes one.
    let nfo = server.config_dir().join("recordings/4242.nfo");
    fs::write(
        &nfo,
        "[4242]\nname = capture recording\ndate = 2024-01-01 12:00:00\n\
         audio = rec-4242-audio.mjr\nvideo = rec-4242-video.mjr\n",
    )
    .expect("write nfo");
    peer.step(&out, "update", json!({"request": "update"}));
    peer.step(&out, "list", json!({"request": "list"}));
    peer.step(
        &out,
        "error_play_not_found",
        json!({"request": "play", "id": 999}),
    );
    // The description names media files that do not exist.
    peer.step(
        &out,
        "error_play_invalid_recording",
        json!({"request": "play", "id": 4242}),
    );
    peer.step(
        &out,
        "error_record_missing_sdp",
        json!({"request": "record", "name": "x"}),
    );
    peer.step(&out, "error_start_not_playout", json!({"request": "start"}));
    peer.step(
        &out,
        "configure",
        json!({"request": "configure", "video-bitrate-max": 256000,
               "video-keyframe-interval": 10000}),
    );
    peer.step(&out, "stop", json!({"request": "stop"}));
    peer.step(&out, "error_unknown_request", json!({"request": "nosuch"}));
    let mut rec = Peer::attach(&server, plugin);
    rec.step_offer(
        &out,
        "record",
        json!({"request": "record", "name": "offered", "id": 5151}),
    );
    let mut again = Peer::attach(&server, plugin);
    again.step_offer(
        &out,
        "error_record_exists",
        json!({"request": "record", "name": "again", "id": 5151}),
    );
    rec.step(&out, "stop_recording", json!({"request": "stop"}));
}

fn voicemail() {
    let server = JanusServer::builder()
        .plugins(&["voicemail"])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Out::new("voicemail");
    let plugin = "janus.plugin.voicemail";
    // `record` starts without an offer: the recording waits for media.
    let mut peer = Peer::attach(&server, plugin);
    peer.step(&out, "record", json!({"request": "record"}));
    peer.step(
        &out,
        "error_already_recording",
        json!({"request": "record"}),
    );
    let mut other = Peer::attach(&server, plugin);
    other.step(&out, "error_unknown_request", json!({"request": "nosuch"}));
}

fn sip() {
    let server = JanusServer::builder()
        .plugins(&["sip"])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Out::new("sip");
    let plugin = "janus.plugin.sip";
    let mut peer = Peer::attach(&server, plugin);
    peer.step(
        &out,
        "error_missing_element",
        json!({"request": "register"}),
    );
    peer.step(
        &out,
        "error_invalid_address",
        json!({"request": "register", "username": "not a uri"}),
    );
    peer.step(
        &out,
        "error_call_wrong_state",
        json!({"request": "call", "uri": "sip:bob@127.0.0.1"}),
    );
    peer.step(&out, "error_unknown_request", json!({"request": "nosuch"}));
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    peer.step(
        &out,
        "register",
        json!({"request": "register", "username": "sip:alice@127.0.0.1",
               "secret": "pw", "proxy": format!("sip:127.0.0.1:{closed};transport=tcp")}),
    );
    let failed = peer.wait(|e| e["plugindata"]["data"]["result"]["event"] == "registration_failed");
    out.save("registration_failed", &failed);
    let mut guest = Peer::attach(&server, plugin);
    guest.step(
        &out,
        "register_guest",
        json!({"request": "register", "type": "guest", "username": "sip:guest@127.0.0.1"}),
    );
    guest.step(&out, "unregister_guest", json!({"request": "unregister"}));
    // In-call requests without a call: some are refused, some never
    // answered (Janus 1.1.2).
    let silent = guest.probe(
        &out,
        vec![
            ("error_hold_no_call", json!({"request": "hold"})),
            ("error_unhold_no_call", json!({"request": "unhold"})),
            ("error_accept_no_call", json!({"request": "accept"})),
            ("error_decline_no_call", json!({"request": "decline"})),
            ("error_update_no_call", json!({"request": "update"})),
            ("error_hangup_no_call", json!({"request": "hangup"})),
            (
                "error_dtmf_info_no_call",
                json!({"request": "dtmf_info", "digit": "1"}),
            ),
            (
                "error_info_no_call",
                json!({"request": "info", "type": "text/plain",
                                          "content": "x"}),
            ),
        ],
    );
    println!("sip requests never answered without a call: {silent:?}");
    // A call to a SIP address where no one listens: Janus calls, then the
    // caller hangs up.
    let nobody = free_udp_port();
    guest.step_offer(
        &out,
        "call",
        json!({"request": "call", "uri": format!("sip:bob@127.0.0.1:{nobody}")}),
    );
    guest.step(
        &out,
        "error_call_twice",
        json!({"request": "call", "uri": "sip:x@127.0.0.1"}),
    );
    let silent = guest.probe(&out, vec![("hangup_calling", json!({"request": "hangup"}))]);
    println!("sip hangup while calling never answered: {silent:?}");
    // Whatever else the call produced by now (progress, hangup).
    while let Some(event) = guest.pending.pop_front() {
        let data = &event["plugindata"]["data"];
        if let Some(what) = data["result"]["event"].as_str() {
            out.save(&format!("call_{what}"), data);
        }
    }
}

/// A SIP exchange with a real (if minimal) SIP peer: registration, a call
/// that rings and is answered, in-call requests, hangup, unregistration.
fn sip_with_peer() {
    let server = JanusServer::builder()
        .plugins(&["sip"])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let peer = SipPeer::start().expect("SIP peer");
    let out = Out::new("sip");
    let mut alice = Peer::attach(&server, "janus.plugin.sip");
    let event =
        |what: &'static str| move |e: &Value| e["plugindata"]["data"]["result"]["event"] == what;
    alice.step(
        &out,
        "peer_register",
        json!({"request": "register", "username": "sip:alice@127.0.0.1", "secret": "pw",
               "proxy": format!("sip:127.0.0.1:{}", peer.port())}),
    );
    let registered = alice.wait(event("registered"));
    out.save("peer_registered", &registered);
    alice.step_offer(
        &out,
        "peer_call",
        json!({"request": "call", "uri": format!("sip:bob@127.0.0.1:{}", peer.port())}),
    );
    for what in ["ringing", "proceeding", "accepted"] {
        let data = alice.wait(event(what));
        out.save(&format!("peer_{what}"), &data);
    }
    // Each re-INVITE is let finish (its ACK sent) before the next request:
    // Janus 1.1.2 leaves a request that overlaps one unanswered.
    let acks = |n: usize| {
        let deadline = Instant::now() + Duration::from_secs(5);
        while peer.methods().iter().filter(|m| *m == "ACK").count() < n {
            assert!(Instant::now() < deadline, "no ACK {n}");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    acks(1);
    alice.step(&out, "peer_hold", json!({"request": "hold"}));
    acks(2);
    alice.step(&out, "peer_unhold", json!({"request": "unhold"}));
    acks(3);
    alice.step(
        &out,
        "peer_info",
        json!({"request": "info", "type": "text/plain", "content": "hello"}),
    );
    alice.step(
        &out,
        "peer_dtmf_info",
        json!({"request": "dtmf_info", "digit": "5"}),
    );
    alice.step(
        &out,
        "peer_message",
        json!({"request": "message", "content": "hi"}),
    );
    alice.step(&out, "peer_hangup", json!({"request": "hangup"}));
    let ended = alice.wait(event("hangup"));
    out.save("peer_hangup_event", &ended);
    alice.step(&out, "peer_unregister", json!({"request": "unregister"}));
    let unregistered = alice.wait(event("unregistered"));
    out.save("peer_unregistered", &unregistered);
    println!("SIP peer saw {:?}", peer.methods());
}

fn nosip() {
    let server = JanusServer::builder()
        .plugins(&["nosip"])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Out::new("nosip");
    let plugin = "janus.plugin.nosip";
    let mut peer = Peer::attach(&server, plugin);
    peer.step(&out, "error_missing_sdp", json!({"request": "generate"}));
    peer.step(&out, "error_unknown_request", json!({"request": "nosuch"}));
    peer.step(
        &out,
        "error_process_missing_element",
        json!({"request": "process"}),
    );
    peer.step_offer(
        &out,
        "generate",
        json!({"request": "generate", "info": "capture"}),
    );
    peer.step(&out, "hangup", json!({"request": "hangup"}));
    peer.step(
        &out,
        "recording",
        json!({"request": "recording", "action": "start", "audio": true}),
    );
    // The other side of a call: a plain RTP offer to turn into WebRTC.
    let mut other = Peer::attach(&server, plugin);
    let sdp = format!(
        "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
         m=audio {} RTP/AVP 0\r\nc=IN IP4 127.0.0.1\r\na=rtpmap:0 PCMU/8000\r\n\
         a=sendrecv\r\n",
        free_udp_port()
    );
    other.step(
        &out,
        "process",
        json!({"request": "process", "type": "offer", "sdp": sdp}),
    );
}

fn main() {
    let only: Vec<String> = std::env::args().skip(1).collect();
    let want = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    if want("videoroom") || want("echotest") {
        let server = JanusServer::builder()
            .plugins(&["videoroom", "echotest"])
            .start()
            .unwrap_or_else(|e| panic!("{e}"));
        echotest(&server);
        videoroom(&server);
        drop(server);
        videoroom_string_ids();
    }
    let captures: [(&str, fn()); 9] = [
        ("streaming", streaming),
        ("audiobridge", audiobridge),
        ("textroom", textroom),
        ("videocall", videocall),
        ("recordplay", recordplay),
        ("voicemail", voicemail),
        ("sip", sip),
        ("sip", sip_with_peer),
        ("nosip", nosip),
    ];
    for (name, capture) in captures {
        if want(name) {
            capture();
        }
    }
}
