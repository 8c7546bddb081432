//! Engine throughput: full WebSocket lifecycles (create, attach, message
//! with ack and event, detach, destroy) driven at memory speed, against a
//! baseline in the same run: only parsing the same reply frames into
//! `serde_json::Value`s and serializing the same five request frames from
//! `Value`s, the floor of any client that speaks JSON.
//!
//! Keeping it honest: both sides build the same seven reply frames with the
//! same `format!` calls, once per lifecycle each. The engine side learns
//! each transaction from the [`RequestId`] its command returned (the
//! transaction *is* that number, `Config::transaction_prefix` being empty),
//! so no harness work (such as parsing each sent frame to find its
//! transaction) is timed on one side only. The engine side also builds the
//! message body with `json!`, as the baseline builds its requests. Before
//! timing, one lifecycle checks that the engine sends exactly the request
//! frames the baseline serializes.
//!
//! Run with `cargo bench -p janus-core --bench engine`.

use janus_core::{Config, Connection, HandleId, Input, Output, RequestId, SessionId, Transmit};
use serde_json::Value;
use std::hint::black_box;
use std::time::{Duration, Instant};

const LIFECYCLES: u64 = 10_000;
/// Rounds of each side, alternated; the best of each counts.
const ROUNDS: usize = 25;
const TARGET: f64 = 1.0;

/// The server's reply number `k` (0 to 6) of one lifecycle, given the
/// transactions of the five requests (create, attach, message, detach,
/// destroy).
fn reply(k: usize, sid: u64, hid: u64, tx: &[u64; 5]) -> String {
    match k {
        0 => format!(
            r#"{{"janus":"success","transaction":"{}","data":{{"id":{sid}}}}}"#,
            tx[0]
        ),
        1 => format!(
            r#"{{"janus":"success","session_id":{sid},"transaction":"{}","data":{{"id":{hid}}}}}"#,
            tx[1]
        ),
        2 => format!(
            r#"{{"janus":"ack","session_id":{sid},"transaction":"{}","hint":"I'm taking my time!"}}"#,
            tx[2]
        ),
        3 => format!(
            r#"{{"janus":"event","session_id":{sid},"transaction":"{}","sender":{hid},"plugindata":{{"plugin":"janus.plugin.echotest","data":{{"echotest":"event","result":"ok"}}}}}}"#,
            tx[2]
        ),
        4 => format!(
            r#"{{"janus":"success","session_id":{sid},"transaction":"{}"}}"#,
            tx[3]
        ),
        5 => format!(r#"{{"janus":"detached","session_id":{sid},"sender":{hid}}}"#),
        _ => format!(
            r#"{{"janus":"success","session_id":{sid},"transaction":"{}"}}"#,
            tx[4]
        ),
    }
}

/// The five request frames of one lifecycle (create, attach, message,
/// detach, destroy) as JSON values, as the engine sends them.
fn requests(sid: u64, hid: u64, tx: &[u64; 5]) -> [Value; 5] {
    use serde_json::json;
    let t = |i: usize| tx[i].to_string();
    [
        json!({"janus": "create", "transaction": t(0)}),
        json!({"janus": "attach", "transaction": t(1), "session_id": sid,
               "plugin": "janus.plugin.echotest"}),
        json!({"janus": "message", "transaction": t(2), "session_id": sid,
               "handle_id": hid, "body": {"audio": true}}),
        json!({"janus": "detach", "transaction": t(3), "session_id": sid, "handle_id": hid}),
        json!({"janus": "destroy", "transaction": t(4), "session_id": sid}),
    ]
}

/// Drains the engine; returns the number of outputs.
fn drain(conn: &mut Connection, sent: &mut Option<Vec<String>>) -> u64 {
    let mut n = 1;
    loop {
        match conn.poll_output() {
            Output::Idle(_) => return n,
            Output::Transmit(Transmit::Text(t)) => match sent {
                Some(sent) => sent.push(t),
                None => {
                    black_box(t);
                }
            },
            o => {
                black_box(o);
            }
        }
        n += 1;
    }
}

/// Runs `lifecycles` lifecycles; with `sent`, keeps the frames sent.
fn engine_run_with(lifecycles: u64, sent: &mut Option<Vec<String>>) -> (Duration, u64) {
    let mut now = Instant::now();
    let mut conn = Connection::new(Config::websocket("ws://bench"), now);
    let mut steps = drain(&mut conn, sent);
    conn.handle_input(now, Input::Connected).unwrap();
    steps += 1 + drain(&mut conn, sent);
    let start = Instant::now();
    for n in 0..lifecycles {
        now += Duration::from_millis(1);
        let (sid, hid) = (n + 1, n + 1_000_000_000);
        let mut tx = [0u64; 5];
        let answer = |conn: &mut Connection, k: usize, tx: &[u64; 5], sent: &mut _| {
            let frame = reply(k, sid, hid, tx);
            conn.handle_input(now, Input::Frame(frame.as_bytes()))
                .unwrap();
            1 + drain(conn, sent)
        };
        let RequestId(id) = conn.create_session(now).unwrap();
        tx[0] = id;
        steps += 1 + drain(&mut conn, sent);
        steps += answer(&mut conn, 0, &tx, sent);
        let RequestId(id) = conn
            .attach(now, SessionId(sid), "janus.plugin.echotest", None)
            .unwrap();
        tx[1] = id;
        steps += 1 + drain(&mut conn, sent);
        steps += answer(&mut conn, 1, &tx, sent);
        let h = HandleId(hid);
        let RequestId(id) = conn
            .message(now, h, serde_json::json!({"audio": true}), None)
            .unwrap();
        tx[2] = id;
        steps += 1 + drain(&mut conn, sent);
        let RequestId(id) = conn.detach(now, h).unwrap();
        tx[3] = id;
        steps += 1 + drain(&mut conn, sent);
        let RequestId(id) = conn.destroy(now, SessionId(sid)).unwrap();
        tx[4] = id;
        steps += 1 + drain(&mut conn, sent);
        for k in 2..7 {
            steps += answer(&mut conn, k, &tx, sent);
        }
        assert!(conn.footprint().is_empty());
        if let Some(sent) = sent {
            let sent: Vec<Value> = sent
                .drain(..)
                .map(|t| serde_json::from_str(&t).unwrap())
                .collect();
            assert_eq!(
                sent,
                requests(sid, hid, &tx),
                "the engine sent other frames"
            );
        }
    }
    (start.elapsed(), steps)
}

fn engine_run() -> (Duration, u64) {
    engine_run_with(LIFECYCLES, &mut None)
}

fn baseline_run() -> Duration {
    let tx = [1, 2, 3, 4, 5];
    let start = Instant::now();
    for n in 0..LIFECYCLES {
        for k in 0..7 {
            let frame = reply(k, n + 1, n + 1_000_000_000, &tx);
            black_box(serde_json::from_str::<Value>(&frame).unwrap());
        }
        // The five requests, built and serialized.
        for request in requests(n + 1, n + 1_000_000_000, &tx) {
            black_box(serde_json::to_string(&request).unwrap());
        }
    }
    start.elapsed()
}

fn main() {
    // `ENGINE_BENCH_ONLY=engine` (or `baseline`) runs one side alone, for
    // profiling.
    match std::env::var("ENGINE_BENCH_ONLY").as_deref() {
        Ok("engine") => {
            black_box(engine_run());
            return;
        }
        Ok("baseline") => {
            black_box(baseline_run());
            return;
        }
        _ => {}
    }
    // Warm up, then alternate the two in the same process, many short
    // rounds each, and keep the best round of each (the machine may be
    // shared: the minimum is the figure least disturbed by others, and short
    // rounds make an undisturbed one likely).
    engine_run_with(3, &mut Some(Vec::new()));
    let _ = (engine_run(), baseline_run());
    let (mut engine, mut floor, mut steps) = (Duration::MAX, Duration::MAX, 0);
    let mut pairs = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let (e, s) = engine_run();
        let b = baseline_run();
        (engine, steps, floor) = (engine.min(e), s, floor.min(b));
        pairs.push(e.as_secs_f64() / b.as_secs_f64());
    }
    pairs.sort_by(f64::total_cmp);
    let per_s = |d: Duration| LIFECYCLES as f64 / d.as_secs_f64();
    println!("lifecycles: {LIFECYCLES} per round (best of {ROUNDS} rounds)");
    println!(
        "engine:   {:>10.0} lifecycles/s, {:>11.0} steps/s",
        per_s(engine),
        steps as f64 / engine.as_secs_f64()
    );
    println!(
        "baseline: {:>10.0} lifecycles/s (serde_json parse + serialize only)",
        per_s(floor)
    );
    println!(
        "median of the rounds' ratios: {:.2}",
        pairs[pairs.len() / 2]
    );
    println!(
        "ratio engine/baseline time: {:.2}   (target <= {TARGET:.1})",
        engine.as_secs_f64() / floor.as_secs_f64()
    );
}
