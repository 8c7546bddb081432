//! The bodies of the fuzz targets in `fuzz/fuzz_targets/`, here so that
//! `cargo test` replays every committed corpus input through exactly the
//! code the fuzzer runs (`tests/corpus.rs`). Each panics on a broken invariant.

use crate::check::{Checker, Kind};
use crate::ops::Op;
use crate::world::{Scenario, World};
use arbitrary::Unstructured;
use janus_core::{
    Config, Connection, ExchangeId, HttpMethod, HttpRequest, Input, Output, RequestId, SessionId,
    Transmit,
};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn drain_checked(conn: &mut Connection, check: &mut Checker, sent: &mut Vec<Transmit>) {
    loop {
        match conn.poll_output() {
            Output::Idle(deadline) => {
                if let Some(d) = deadline {
                    assert!(d >= check.engine_now(), "poll_timeout in the past");
                }
                break;
            }
            Output::Event(e) => {
                if let Err(v) = check.event(&e) {
                    panic!("{v}");
                }
            }
            Output::Transmit(t) => sent.push(t),
            _ => {}
        }
    }
    if let Err(v) = check.after_drain(conn) {
        panic!("{v}");
    }
}

/// `frames`: arbitrary bytes as inbound WebSocket frames (split at 0xFF)
/// to an engine with a session and a handle, and as the body of an HTTP
/// reply and of an unknown exchange. Nothing may panic, every request must
/// resolve, and the tracked state must stay what the events say.
pub fn frames(data: &[u8]) {
    let now = Instant::now();
    let mut ws = Connection::new(Config::websocket("ws://fuzz"), now);
    let mut check = Checker::new(now, Duration::ZERO);
    let mut sent = Vec::new();
    drain_checked(&mut ws, &mut check, &mut sent);
    ws.handle_input(now, Input::Connected).unwrap();
    let create = ws.create_session(now).unwrap();
    check
        .issued(create, Kind::Create(None), ws.config().request_timeout, 0)
        .unwrap();
    drain_checked(&mut ws, &mut check, &mut sent);
    let tx = match sent.last() {
        Some(Transmit::Text(t)) => serde_json::from_str::<Value>(t).unwrap()["transaction"].clone(),
        other => panic!("expected the create frame, got {other:?}"),
    };
    let reply = json!({"janus":"success","transaction":tx,"data":{"id":1}}).to_string();
    ws.handle_input(now, Input::Frame(reply.as_bytes()))
        .unwrap();
    drain_checked(&mut ws, &mut check, &mut sent);
    let attach = ws
        .attach(now, SessionId(1), "janus.plugin.echotest", None)
        .unwrap();
    check
        .issued(
            attach,
            Kind::Attach(SessionId(1)),
            ws.config().request_timeout,
            0,
        )
        .unwrap();
    drain_checked(&mut ws, &mut check, &mut sent);
    let tx = match sent.last() {
        Some(Transmit::Text(t)) => serde_json::from_str::<Value>(t).unwrap()["transaction"].clone(),
        other => panic!("expected the attach frame, got {other:?}"),
    };
    let reply = json!({"janus":"success","session_id":1,"transaction":tx,"data":{"id":2}});
    ws.handle_input(now, Input::Frame(reply.to_string().as_bytes()))
        .unwrap();
    drain_checked(&mut ws, &mut check, &mut sent);
    for frame in data.split(|b| *b == 0xff) {
        ws.handle_input(now, Input::Frame(frame)).unwrap();
        drain_checked(&mut ws, &mut check, &mut sent);
    }
    let later = now + Duration::from_secs(3600);
    check.saw_input(later);
    ws.handle_timeout(later);
    drain_checked(&mut ws, &mut check, &mut sent);
    assert_eq!(check.pending(), 0, "every request resolved");
    ws.close(later);
    drain_checked(&mut ws, &mut check, &mut sent);
    if let Err(v) = check.after_close(&ws) {
        panic!("{v}");
    }

    let mut http = Connection::new(Config::http(), now);
    let _ = http.info(now).unwrap();
    let Output::Transmit(Transmit::Http(req)) = http.poll_output() else {
        panic!("expected the info POST");
    };
    http.handle_input(
        now,
        Input::HttpResponse {
            id: req.id,
            status: 200,
            body: data,
        },
    )
    .unwrap();
    while !matches!(http.poll_output(), Output::Idle(_)) {}
    http.handle_input(
        now,
        Input::HttpResponse {
            id: ExchangeId(u64::MAX),
            status: 404,
            body: data,
        },
    )
    .unwrap();
    assert_eq!(
        http.footprint().requests,
        0,
        "a POST answer always resolves its request"
    );
}

/// `lifecycle`: the first bytes pick a scenario (transport, server timeouts,
/// faults), the rest a sequence of [`Op`]s, forged frames and `close`
/// included; the world checks every invariant after every step, then heals,
/// destroys, closes and checks that nothing is left.
pub fn lifecycle(data: &[u8]) {
    if let Err(v) = run_lifecycle(data) {
        panic!("invariant broken: {v}");
    }
}

/// The world and operations a `lifecycle` input stands for.
fn lifecycle_input(data: &[u8]) -> (World, Vec<Op>) {
    let mut u = Unstructured::new(data);
    let seed: u64 = u.arbitrary().unwrap_or(0);
    let faults: bool = u.arbitrary().unwrap_or(false);
    let scenario = Scenario::from_seed(seed, faults);
    let rest = u.take_rest();
    let ops = Op::sequence(rest, true, true);
    (World::new(scenario, Instant::now()), ops)
}

/// [`lifecycle`], returning the broken invariant instead of panicking.
pub fn run_lifecycle(data: &[u8]) -> Result<World, crate::Violation> {
    let (mut world, ops) = lifecycle_input(data);
    world.run(&ops)?;
    Ok(world)
}

/// [`lifecycle`] with a trace of everything that happened.
pub fn trace_lifecycle(data: &[u8]) -> (Result<(), crate::Violation>, Vec<String>) {
    let (world, ops) = lifecycle_input(data);
    let mut world = world.with_trace();
    let r = world.run(&ops);
    (r, world.trace.take().unwrap_or_default())
}

/// A canned reply or event body for the HTTP target, shaped like the real
/// server's, with fields picked by the fuzzer.
fn http_body(u: &mut Unstructured<'_>, tx: &Value, sessions: &[u64], handles: &[u64]) -> Vec<u8> {
    let pick = |u: &mut Unstructured<'_>, v: &[u64]| -> u64 {
        if v.is_empty() {
            return u.arbitrary::<u8>().map(u64::from).unwrap_or(1);
        }
        v[usize::from(u.arbitrary::<u8>().unwrap_or(0)) % v.len()]
    };
    let s = pick(u, sessions);
    let h = pick(u, handles);
    let id: u64 = u.arbitrary::<u16>().map(u64::from).unwrap_or(7) + 1;
    let tx = if u.ratio(1u8, 8).unwrap_or(false) {
        json!(format!("x{id}"))
    } else {
        tx.clone()
    };
    let one = |k: u8| -> Value {
        match k % 14 {
            0 => json!({"janus":"success","transaction":tx,"data":{"id":id}}),
            1 => json!({"janus":"success","session_id":s,"transaction":tx}),
            2 => json!({"janus":"ack","session_id":s,"transaction":tx}),
            3 => json!({"janus":"error","session_id":s,"transaction":tx,
                        "error":{"code":458,"reason":format!("No such session {s}")}}),
            4 => json!({"janus":"error","session_id":s,"transaction":tx,
                        "error":{"code":459,"reason":format!("No such handle {h} in session {s}")}}),
            5 => json!({"janus":"event","session_id":s,"transaction":tx,"sender":h,
                        "plugindata":{"plugin":"janus.plugin.echotest","data":{"echotest":"event","result":"ok"}}}),
            6 => json!({"janus":"success","session_id":s,"transaction":tx,"sender":h,
                        "plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"event","error_code":423,"error":"Unknown request 'x'"}}}),
            7 => json!({"janus":"timeout","session_id":s}),
            8 => json!({"janus":"detached","session_id":s,"sender":h}),
            9 => json!({"janus":"webrtcup","session_id":s,"sender":h}),
            10 => json!({"janus":"keepalive"}),
            11 => {
                json!({"janus":"server_info","transaction":tx,"version":1102,"session-timeout":id % 90})
            }
            12 => json!({"janus":"error","error":{"code":454,"reason":"JSON error: on line 1: x"}}),
            _ => json!({"janus":"hangup","session_id":s,"sender":h,"reason":"DTLS alert"}),
        }
    };
    match u.arbitrary::<u8>().unwrap_or(0) % 4 {
        0 => one(u.arbitrary().unwrap_or(0)).to_string().into_bytes(),
        1 => {
            let n = u.int_in_range(0..=4u8).unwrap_or(1);
            let items: Vec<Value> = (0..n).map(|_| one(u.arbitrary().unwrap_or(0))).collect();
            Value::Array(items).to_string().into_bytes()
        }
        2 => {
            // Two objects back to back.
            let mut b = one(u.arbitrary().unwrap_or(0)).to_string().into_bytes();
            b.extend(one(u.arbitrary().unwrap_or(0)).to_string().into_bytes());
            b
        }
        _ => {
            let len = u.int_in_range(0..=64usize).unwrap_or(0);
            u.bytes(len).map(<[u8]>::to_vec).unwrap_or_default()
        }
    }
}

/// Lets time pass as an adapter does: every deadline on the way fires at
/// its own time (so that the checker may hold requests to their deadlines).
fn advance(
    conn: &mut Connection,
    check: &mut Checker,
    sent: &mut Vec<Transmit>,
    now: &mut Instant,
    until: Instant,
) {
    let mut spins = 0;
    while let Some(d) = conn.poll_timeout().filter(|d| *d <= until) {
        spins = if d <= *now { spins + 1 } else { 0 };
        assert!(
            spins < 64,
            "poll_timeout keeps returning now with nothing to do"
        );
        *now = (*now).max(d);
        check.saw_input(*now);
        conn.handle_timeout(*now);
        drain_checked(conn, check, sent);
    }
    *now = until;
    check.saw_input(*now);
    conn.handle_timeout(*now);
    drain_checked(conn, check, sent);
}

/// `http`: the HTTP transport's POST replies and long polls, with the fuzzer
/// as the server: it issues commands, answers any outstanding exchange in
/// any order with real-shaped or arbitrary bodies and statuses, fails
/// exchanges, and moves the clock. The invariants are checked after every
/// step; then the engine is closed and must hold nothing.
pub fn http(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let max_events = [1u32, 2, 10][usize::from(u.arbitrary::<u8>().unwrap_or(0) % 3)];
    let mut config = Config::http();
    config.transport = janus_core::Transport::Http { max_events };
    config.session_timeout = Duration::from_secs(u64::from(u.arbitrary::<u8>().unwrap_or(60) % 90));
    let timeout = config.request_timeout;
    let retries = config.max_retries;
    let start = Instant::now();
    let mut now = start;
    let mut conn = Connection::new(config.clone(), now);
    let mut check = Checker::new(now, config.retry_delay);
    check.set_forged();
    let mut sent: Vec<Transmit> = Vec::new();
    let mut outstanding: Vec<HttpRequest> = Vec::new();
    drain_checked(&mut conn, &mut check, &mut sent);
    let mut steps = 0;
    while !u.is_empty() && steps < 400 {
        steps += 1;
        let sessions: Vec<SessionId> = {
            let mut v: Vec<SessionId> = conn.sessions().collect();
            v.sort_unstable();
            v
        };
        let handles: Vec<u64> = sessions
            .iter()
            .flat_map(|s| conn.session_info(*s).map(|i| i.handles).unwrap_or_default())
            .map(|h| h.0)
            .collect();
        let sids: Vec<u64> = sessions.iter().map(|s| s.0).collect();
        let op: u8 = u.arbitrary().unwrap_or(0);
        match op % 8 {
            0 | 1 => {
                let which: u8 = u.arbitrary().unwrap_or(0);
                let s = sessions
                    .get(usize::from(which / 8) % sessions.len().max(1))
                    .copied()
                    .unwrap_or(SessionId(u64::from(which)));
                let h = handles
                    .get(usize::from(which / 8) % handles.len().max(1))
                    .copied()
                    .map(janus_core::HandleId)
                    .unwrap_or(janus_core::HandleId(u64::from(which)));
                let issued: Result<(RequestId, Kind, u32), _> = match which % 8 {
                    0 => conn
                        .create_session(now)
                        .map(|id| (id, Kind::Create(None), 0)),
                    1 => conn
                        .attach(now, s, "janus.plugin.echotest", None)
                        .map(|id| (id, Kind::Attach(s), 0)),
                    2 => conn
                        .message(now, h, json!({"audio":true}), None)
                        .map(|id| (id, Kind::Message(h), 0)),
                    3 => conn
                        .keepalive(now, s)
                        .map(|id| (id, Kind::Keepalive, retries)),
                    4 => conn.destroy(now, s).map(|id| (id, Kind::Destroy(s), 0)),
                    5 => conn.detach(now, h).map(|id| (id, Kind::Detach(h), 0)),
                    6 => conn.claim(now, s, true).map(|id| (id, Kind::Claim(s), 0)),
                    _ => conn.info(now).map(|id| (id, Kind::Info, retries)),
                };
                if let Ok((id, kind, r)) = issued {
                    check.issued(id, kind, timeout, r).unwrap();
                }
            }
            2..=5 if !outstanding.is_empty() => {
                let i = usize::from(u.arbitrary::<u8>().unwrap_or(0)) % outstanding.len();
                let req = outstanding.swap_remove(i);
                let tx = req
                    .body
                    .as_deref()
                    .and_then(|b| serde_json::from_str::<Value>(b).ok())
                    .map(|v| v["transaction"].clone())
                    .unwrap_or(Value::Null);
                let kind: u8 = u.arbitrary().unwrap_or(0);
                let input_body;
                let input = match kind % 8 {
                    0..=3 => {
                        input_body = http_body(&mut u, &tx, &sids, &handles);
                        Input::HttpResponse {
                            id: req.id,
                            status: 200,
                            body: &input_body,
                        }
                    }
                    4 => Input::HttpResponse {
                        id: req.id,
                        status: 404,
                        body: b"",
                    },
                    5 => Input::HttpResponse {
                        id: req.id,
                        status: u.arbitrary().unwrap_or(500),
                        body: b"",
                    },
                    6 => Input::HttpFailed {
                        id: req.id,
                        reason: "reset",
                    },
                    // Answered twice: the second is ignored.
                    _ => {
                        let body = if req.method == HttpMethod::Get {
                            br#"[{"janus":"keepalive"}]"#.as_slice()
                        } else {
                            b"{}".as_slice()
                        };
                        conn.handle_input(
                            now,
                            Input::HttpResponse {
                                id: req.id,
                                status: 200,
                                body,
                            },
                        )
                        .unwrap();
                        drain_checked(&mut conn, &mut check, &mut sent);
                        Input::HttpResponse {
                            id: req.id,
                            status: 200,
                            body,
                        }
                    }
                };
                conn.handle_input(now, input).unwrap();
            }
            6 => {
                let ms = u.arbitrary::<u16>().unwrap_or(0);
                let until = now + Duration::from_millis(u64::from(ms) * 4);
                advance(&mut conn, &mut check, &mut sent, &mut now, until);
            }
            7 if u.ratio(1u8, 16).unwrap_or(false) => conn.close(now),
            _ => {
                // Stale or unknown exchange ids are ignored.
                let id = ExchangeId(u64::from(u.arbitrary::<u8>().unwrap_or(0)));
                if !outstanding.iter().any(|r| r.id == id) {
                    conn.handle_input(
                        now,
                        Input::HttpResponse {
                            id,
                            status: 200,
                            body: br#"{"janus":"keepalive"}"#,
                        },
                    )
                    .unwrap();
                }
            }
        }
        drain_checked(&mut conn, &mut check, &mut sent);
        for t in sent.drain(..) {
            match t {
                Transmit::Http(r) => outstanding.push(r),
                other => panic!("the HTTP transport emitted {other:?}"),
            }
        }
        // Every POST and poll the engine still waits for is outstanding here.
        let fp = conn.footprint();
        assert!(fp.exchanges <= outstanding.len(), "{fp:?}");
    }
    // Everything times out eventually.
    let later = now + Duration::from_secs(600);
    advance(&mut conn, &mut check, &mut sent, &mut now, later);
    assert_eq!(check.pending(), 0, "requests left after their deadlines");
    conn.close(later);
    drain_checked(&mut conn, &mut check, &mut sent);
    if let Err(v) = check.after_close(&conn) {
        panic!("{v}");
    }
}

/// Arbitrary bytes where the media crate reads what others wrote: the
/// first byte picks an IVF file, an Ogg Opus file, Janus's SDP answer, a
/// trickled candidate, or a datagram at a PeerConnection; the rest is the
/// input. Nothing may panic: bad input is a typed error or is ignored, and
/// the PeerConnection still answers afterwards.
pub fn media(data: &[u8]) {
    use janus_media::container::{IvfReader, OggOpusReader};
    use janus_media::{Direction, PeerConnection, Tracks};

    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    match pick % 5 {
        0 => {
            if let Ok(reader) = IvfReader::new(rest) {
                // Bounded: every frame is read from `rest`, so they end.
                for frame in reader {
                    if frame.is_err() {
                        break;
                    }
                }
            }
        }
        1 => {
            for packet in OggOpusReader::new(std::io::Cursor::new(rest)).take(10_000) {
                if packet.is_err() {
                    break;
                }
            }
        }
        kind => {
            let now = Instant::now();
            let local = "10.0.0.1:5000".parse().unwrap();
            let mut pc = PeerConnection::new(local, now).unwrap();
            pc.create_offer(&Tracks::new().audio(Direction::SendRecv).data_channel("d"))
                .unwrap();
            let text = String::from_utf8_lossy(rest);
            match kind {
                2 => {
                    let _ = pc.accept_answer(&janus_core::Jsep::answer(text.into_owned()));
                }
                3 => {
                    let candidate = janus_core::Candidate {
                        candidate: text.into_owned(),
                        sdp_mid: Some("0".into()),
                        sdp_m_line_index: Some(0),
                    };
                    let _ = pc.add_remote_trickle(&janus_core::Trickle::Candidate(candidate));
                }
                _ => pc.handle_datagram(now, "10.0.0.2:6000".parse().unwrap(), rest),
            }
            pc.handle_timeout(now + Duration::from_secs(1));
            while !matches!(pc.poll_output(), janus_media::Output::Timeout(_)) {}
        }
    }
}
