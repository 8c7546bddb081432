//! Engine throughput: full WebSocket lifecycles (create, attach, message
//! with ack and event, detach, destroy) driven at memory speed, against a
//! baseline in the same run: only parsing the same reply frames with
//! serde_json, the floor of any client that reads JSON.
//!
//! Run with `cargo bench -p janus-core --bench engine`.

use janus_core::{Config, Connection, Input, Output, Transmit};
use serde_json::Value;
use std::hint::black_box;
use std::time::{Duration, Instant};

const LIFECYCLES: u64 = 50_000;

/// The server's replies to one lifecycle, given the transactions it sees.
fn replies(sid: u64, hid: u64, tx: &[String]) -> Vec<String> {
    vec![
        format!(
            r#"{{"janus":"success","transaction":"{}","data":{{"id":{sid}}}}}"#,
            tx[0]
        ),
        format!(
            r#"{{"janus":"success","session_id":{sid},"transaction":"{}","data":{{"id":{hid}}}}}"#,
            tx[1]
        ),
        format!(
            r#"{{"janus":"ack","session_id":{sid},"transaction":"{}","hint":"I'm taking my time!"}}"#,
            tx[2]
        ),
        format!(
            r#"{{"janus":"event","session_id":{sid},"transaction":"{}","sender":{hid},"plugindata":{{"plugin":"janus.plugin.echotest","data":{{"echotest":"event","result":"ok"}}}}}}"#,
            tx[2]
        ),
        format!(
            r#"{{"janus":"success","session_id":{sid},"transaction":"{}"}}"#,
            tx[3]
        ),
        format!(r#"{{"janus":"detached","session_id":{sid},"sender":{hid}}}"#),
        format!(
            r#"{{"janus":"success","session_id":{sid},"transaction":"{}"}}"#,
            tx[4]
        ),
    ]
}

/// Drains the engine; returns the number of outputs and the last frame sent.
fn drain(conn: &mut Connection, last: &mut Option<String>) -> u64 {
    let mut n = 1;
    loop {
        match conn.poll_output() {
            Output::Idle(_) => return n,
            Output::Transmit(Transmit::Text(t)) => *last = Some(t),
            o => {
                black_box(o);
            }
        }
        n += 1;
    }
}

fn tx_of(frame: &Option<String>) -> String {
    let v: Value = serde_json::from_str(frame.as_deref().unwrap()).unwrap();
    v["transaction"].as_str().unwrap().to_owned()
}

fn engine_run() -> (Duration, u64) {
    let mut now = Instant::now();
    let mut conn = Connection::new(Config::websocket("ws://bench"), now);
    let mut last = None;
    let mut steps = drain(&mut conn, &mut last);
    conn.handle_input(now, Input::Connected).unwrap();
    steps += 1 + drain(&mut conn, &mut last);
    let start = Instant::now();
    for n in 0..LIFECYCLES {
        now += Duration::from_millis(1);
        let (sid, hid) = (n + 1, n + 1_000_000_000);
        let mut txs = Vec::with_capacity(5);
        let reply =
            |conn: &mut Connection, frame: &str, steps: &mut u64, last: &mut Option<String>| {
                conn.handle_input(now, Input::Frame(frame.as_bytes()))
                    .unwrap();
                *steps += 1 + drain(conn, last);
            };
        conn.create_session(now).unwrap();
        steps += 1 + drain(&mut conn, &mut last);
        txs.push(tx_of(&last));
        let r = replies(
            sid,
            hid,
            &[
                txs[0].clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
        );
        reply(&mut conn, &r[0], &mut steps, &mut last);
        let s = janus_core::SessionId(sid);
        conn.attach(now, s, "janus.plugin.echotest", None).unwrap();
        steps += 1 + drain(&mut conn, &mut last);
        txs.push(tx_of(&last));
        let h = janus_core::HandleId(hid);
        let r = replies(
            sid,
            hid,
            &[
                txs[0].clone(),
                txs[1].clone(),
                String::new(),
                String::new(),
                String::new(),
            ],
        );
        reply(&mut conn, &r[1], &mut steps, &mut last);
        conn.message(now, h, serde_json::json!({"audio": true}), None)
            .unwrap();
        steps += 1 + drain(&mut conn, &mut last);
        txs.push(tx_of(&last));
        conn.detach(now, h).unwrap();
        steps += 1 + drain(&mut conn, &mut last);
        txs.push(tx_of(&last));
        conn.destroy(now, s).unwrap();
        steps += 1 + drain(&mut conn, &mut last);
        txs.push(tx_of(&last));
        let r = replies(sid, hid, &txs);
        for frame in &r[2..] {
            reply(&mut conn, frame, &mut steps, &mut last);
        }
        assert!(conn.footprint().is_empty() || conn.footprint().timers == 0);
    }
    (start.elapsed(), steps)
}

fn baseline_run() -> Duration {
    let txs: Vec<String> = (1..=5).map(|n| n.to_string()).collect();
    let start = Instant::now();
    for n in 0..LIFECYCLES {
        for frame in replies(n + 1, n + 1_000_000_000, &txs) {
            black_box(serde_json::from_str::<Value>(&frame).unwrap());
        }
        // The five requests a client must at least serialize.
        for verb in ["create", "attach", "message", "detach", "destroy"] {
            black_box(
                serde_json::to_string(&serde_json::json!({"janus": verb, "transaction": n}))
                    .unwrap(),
            );
        }
    }
    start.elapsed()
}

fn main() {
    // Warm up, then measure both in the same process.
    let _ = (engine_run(), baseline_run());
    let (engine, steps) = engine_run();
    let floor = baseline_run();
    let per_s = |d: Duration| LIFECYCLES as f64 / d.as_secs_f64();
    println!("lifecycles: {LIFECYCLES}");
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
        "ratio engine/baseline time: {:.2}",
        engine.as_secs_f64() / floor.as_secs_f64()
    );
}
