//! Arbitrary bytes as inbound WebSocket frames and HTTP bodies: the engine
//! must never panic, and must keep its tracked state intact.
#![no_main]

use janus_core::{Config, Connection, Input, Output, TransmitId};
use libfuzzer_sys::fuzz_target;
use std::time::{Duration, Instant};

fn drain(conn: &mut Connection) {
    while !matches!(conn.poll_output(), Output::Idle(_)) {}
}

fuzz_target!(|data: &[u8]| {
    let now = Instant::now();
    let mut ws = Connection::new(Config::websocket("ws://fuzz"), now);
    drain(&mut ws);
    ws.handle_input(now, Input::Connected).unwrap();
    let _ = ws.create_session(now).unwrap();
    drain(&mut ws);
    // Split the input into frames at 0xFF bytes.
    for frame in data.split(|b| *b == 0xff) {
        ws.handle_input(now, Input::Frame(frame)).unwrap();
        drain(&mut ws);
    }
    ws.handle_timeout(now + Duration::from_secs(3600));
    drain(&mut ws);
    assert_eq!(ws.footprint().requests, 0, "every request resolved");

    let mut http = Connection::new(Config::http(), now);
    let _ = http.info(now).unwrap();
    let Output::Transmit(janus_core::Transmit::Http(req)) = http.poll_output() else {
        panic!("expected the info POST");
    };
    http.handle_input(now, Input::HttpResponse { id: req.id, status: 200, body: data })
        .unwrap();
    drain(&mut http);
    http.handle_input(now, Input::HttpResponse { id: TransmitId(u64::MAX), status: 404, body: data })
        .unwrap();
    assert_eq!(http.footprint().requests, 0, "a POST answer always resolves its request");
});
