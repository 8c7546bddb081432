//! What the real-Janus suites of every adapter share: constants and checks
//! that do not depend on the client under test.

use crate::rig::JanusServer;
use serde_json::{json, Value};
use std::net::TcpListener;
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

/// The EchoTest plugin.
pub const ECHOTEST: &str = "janus.plugin.echotest";
/// The VideoRoom plugin.
pub const VIDEOROOM: &str = "janus.plugin.videoroom";

/// An SDP offer Janus accepts (one Opus m-line; ICE never completes).
pub const OFFER: &str = "v=0\r\n\
o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n\
s=-\r\n\
t=0 0\r\n\
a=group:BUNDLE 0\r\n\
a=msid-semantic: WMS\r\n\
m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n\
c=IN IP4 0.0.0.0\r\n\
a=rtcp:9 IN IP4 0.0.0.0\r\n\
a=ice-ufrag:someufrag\r\n\
a=ice-pwd:somepasswordsomepassword\r\n\
a=ice-options:trickle\r\n\
a=fingerprint:sha-256 19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2\r\n\
a=setup:actpass\r\n\
a=mid:0\r\n\
a=sendrecv\r\n\
a=rtcp-mux\r\n\
a=rtpmap:111 opus/48000/2\r\n";

/// The session ids the server holds (Admin API `list_sessions`), sorted.
pub fn admin_sessions(server: &JanusServer) -> Vec<u64> {
    let reply = server
        .admin_request(json!({"janus": "list_sessions"}))
        .unwrap();
    let mut ids: Vec<u64> = reply["sessions"]
        .as_array()
        .unwrap_or_else(|| panic!("list_sessions: {reply}"))
        .iter()
        .filter_map(Value::as_u64)
        .collect();
    ids.sort_unstable();
    ids
}

/// The handle ids of a session on the server (Admin API `list_handles`).
pub fn admin_handles(server: &JanusServer, session: u64) -> Vec<u64> {
    let reply = server
        .admin_request(json!({"janus": "list_handles", "session_id": session}))
        .unwrap();
    reply["handles"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default()
}

/// Whether every thread of the process is stopped (state `T` in /proc).
pub fn all_threads_stopped(pid: u32) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    tasks.flatten().all(|task| {
        std::fs::read_to_string(task.path().join("stat")).is_ok_and(|stat| {
            // The state follows the parenthesised command name.
            stat.rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('T'))
        })
    })
}

/// A loopback port nobody listens on.
pub fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server stopped with `SIGSTOP` (every thread, so nothing it receives
/// is answered) until this is dropped, which resumes it if it still runs.
#[must_use = "the server resumes when this is dropped"]
pub struct Frozen<'a> {
    server: &'a JanusServer,
}

/// Stops `server` until the returned guard is dropped.
pub fn freeze(server: &JanusServer) -> Frozen<'_> {
    signal(server.pid(), "STOP");
    let start = Instant::now();
    while !all_threads_stopped(server.pid()) {
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "the server did not stop"
        );
        thread::sleep(Duration::from_millis(10));
    }
    Frozen { server }
}

impl Drop for Frozen<'_> {
    fn drop(&mut self) {
        if self.server.is_running() {
            signal(self.server.pid(), "CONT");
        }
    }
}

fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap_or_else(|e| panic!("kill -{signal} {pid}: {e}"));
    assert!(status.success(), "kill -{signal} {pid}: {status}");
}
