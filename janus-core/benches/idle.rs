//! What 100,000 idle sessions, one handle each, cost the engine: heap bytes
//! per session+handle (counted by a global allocator), and the time of one
//! keepalive sweep, from the clock reaching the keepalive deadline to the
//! last keepalive frame drained from `poll_output`.
//!
//! The sessions are created and attached in batches of 1,000 requests in
//! flight (queue the batch, answer it in one frame), as a busy client would;
//! the heap is measured after every setup buffer of the bench is dropped,
//! so it is what the engine itself holds.
//!
//! Run with `cargo bench -p janus-core --bench idle`.

use janus_core::{Config, Connection, Event, Input, Output, Reply, RequestId, Transmit};
use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write;
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

/// The system allocator, counting the bytes currently allocated.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const SESSIONS: u64 = 100_000;
const BATCH: u64 = 1_000;
const BYTES_TARGET: f64 = 400.0;
const SWEEP_TARGET_MS: f64 = 50.0;

/// Drains the engine; returns the number of frames sent.
fn drain(conn: &mut Connection, events: &mut Vec<Event>) -> usize {
    let mut sent = 0;
    loop {
        match conn.poll_output() {
            Output::Idle(_) => return sent,
            Output::Transmit(Transmit::Text(t)) => {
                black_box(t);
                sent += 1;
            }
            Output::Event(e) => events.push(e),
            other => {
                black_box(other);
            }
        }
    }
}

/// Answers a batch of requests with one frame of `success` replies whose
/// `data.id` is `first_id + n`.
fn answer(
    conn: &mut Connection,
    now: Instant,
    ids: &[RequestId],
    session: Option<u64>,
    first_id: u64,
) {
    let mut frame = String::with_capacity(ids.len() * 96);
    for (n, id) in ids.iter().enumerate() {
        let sid = session.unwrap_or(0) + n as u64;
        let _ = write!(frame, r#"{{"janus":"success","#);
        if session.is_some() {
            let _ = write!(frame, r#""session_id":{sid},"#);
        }
        let _ = write!(
            frame,
            r#""transaction":"{}","data":{{"id":{}}}}}"#,
            id.0,
            first_id + n as u64
        );
    }
    conn.handle_input(now, Input::Frame(frame.as_bytes()))
        .unwrap();
}

/// Sets up the idle engine; returns it, the heap it holds, and its clock.
fn idle_engine() -> (Connection, isize, Instant) {
    let now = Instant::now();
    let before = LIVE.load(Ordering::Relaxed);
    let mut cfg = Config::websocket("ws://bench");
    cfg.max_frame_size = usize::MAX;
    let mut conn = Connection::new(cfg, now);
    let mut events = Vec::new();
    drain(&mut conn, &mut events);
    conn.handle_input(now, Input::Connected).unwrap();
    drain(&mut conn, &mut events);
    let mut ids = Vec::with_capacity(BATCH as usize);
    for batch in 0..SESSIONS / BATCH {
        let first = 1 + batch * BATCH;
        ids.clear();
        for _ in 0..BATCH {
            ids.push(conn.create_session(now).unwrap());
        }
        drain(&mut conn, &mut events);
        answer(&mut conn, now, &ids, None, first);
        drain(&mut conn, &mut events);
        ids.clear();
        for sid in first..first + BATCH {
            let s = janus_core::SessionId(sid);
            ids.push(conn.attach(now, s, "janus.plugin.echotest", None).unwrap());
        }
        drain(&mut conn, &mut events);
        answer(&mut conn, now, &ids, Some(first), 1_000_000_000 + first);
        drain(&mut conn, &mut events);
        let ok = events
            .drain(..)
            .filter(|e| {
                matches!(
                    e,
                    Event::Response {
                        result: Ok(Reply::SessionCreated(_) | Reply::Attached(_)),
                        ..
                    }
                )
            })
            .count();
        assert_eq!(ok as u64, 2 * BATCH);
    }
    drop((ids, events));
    let fp = conn.footprint();
    assert_eq!(
        (fp.sessions, fp.handles),
        (SESSIONS as usize, SESSIONS as usize)
    );
    let held = LIVE.load(Ordering::Relaxed) - before;
    (conn, held, now)
}

/// Times one keepalive sweep (every keepalive falls due at the same
/// instant), then, untimed, has the server ack every keepalive. Returns the
/// sweep's time and the engine's clock.
fn sweep(conn: &mut Connection, now: Instant) -> (Duration, Instant) {
    let deadline = conn.poll_timeout().expect("a keepalive deadline");
    let now = now.max(deadline);
    let mut frames = Vec::with_capacity(SESSIONS as usize);
    let t0 = Instant::now();
    conn.handle_input(now, Input::Timeout).unwrap();
    loop {
        match conn.poll_output() {
            Output::Idle(_) => break,
            Output::Transmit(Transmit::Text(t)) => frames.push(t),
            other => panic!("unexpected {other:?}"),
        }
    }
    let took = t0.elapsed();
    assert_eq!(frames.len() as u64, SESSIONS, "one keepalive per session");
    let mut acks = String::with_capacity(frames.len() * 64);
    for f in &frames {
        let v: serde_json::Value = serde_json::from_str(f).unwrap();
        assert_eq!(v["janus"], "keepalive");
        let _ = write!(
            acks,
            r#"{{"janus":"ack","session_id":{},"transaction":{}}}"#,
            v["session_id"], v["transaction"]
        );
    }
    drop(frames);
    conn.handle_input(now, Input::Frame(acks.as_bytes()))
        .unwrap();
    let mut events = Vec::new();
    drain(conn, &mut events);
    assert!(events.is_empty(), "{:?}", events.first());
    assert_eq!(conn.footprint().requests, 0);
    (took, now)
}

fn main() {
    // The machine may be shared: the best of three rounds (each a fresh
    // engine) is the figure least disturbed by others. Each round times the
    // first sweep of a fresh engine (its request table grows from empty)
    // and the sweep after it (the steady state of a long-lived client).
    let (mut held, mut first, mut steady) = (0, Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        let (mut conn, bytes, now) = idle_engine();
        held = bytes;
        let (took, now) = sweep(&mut conn, now);
        first = first.min(took);
        steady = steady.min(sweep(&mut conn, now).0);
    }
    let per = held as f64 / SESSIONS as f64;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("idle sessions (one handle each): {SESSIONS}");
    println!("engine heap per session+handle: {per:>7.0} bytes   (target <= {BYTES_TARGET:.0})");
    println!(
        "keepalive sweep, steady state:  {:>7.1} ms      (target <= {SWEEP_TARGET_MS:.0}; best of 3)",
        ms(steady)
    );
    println!(
        "keepalive sweep, first:         {:>7.1} ms      (tables grow from empty; best of 3)",
        ms(first)
    );
}
