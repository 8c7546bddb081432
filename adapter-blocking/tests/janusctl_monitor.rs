//! `janusctl monitor` as a process against a real Janus whose event
//! handler (sampleevh or wsevh) delivers to it: every way a session ends
//! (its owner's destroy, an Admin API destroy, the watchdog, its WebSocket
//! closing with reclaim off, and with reclaim on) is closed once, with its
//! reason, in its JSON lines and its summary.

use janus_blocking::janus_core::admin::DestroySession;
use janus_blocking::janus_core::serde_json::{self, Value};
use janus_blocking::{AdminClient, Client};
use janus_tests::rig::JanusServer;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::Duration;

/// A free loopback address.
fn free_address() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("127.0.0.1:{port}")
}

/// `janusctl monitor` receiving on `listen` (with `flag`) for `secs`.
fn monitor(server: &JanusServer, flag: &str, listen: &str, secs: u32) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_janusctl"))
        .args([
            "--json", "monitor", flag, listen, "--every", "1", "--grace", "2",
        ])
        .args(["--for", &secs.to_string(), "--summary"])
        .env("JANUS_ADMIN_URL", server.admin_http_url())
        .env("JANUS_ADMIN_SECRET", server.admin_secret())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    thread::sleep(Duration::from_millis(1500));
    child
}

/// The JSON lines of a finished `monitor`; each expected session opened
/// once and closed once with its reason; the summary counts them.
fn check(server: &JanusServer, child: Child, expected: &[(u64, &str)]) {
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect();
    let about = |sid: u64, change: &str| -> Vec<&Value> {
        lines
            .iter()
            .filter(|l| l["session"] == sid && l["change"] == change)
            .collect()
    };
    for (sid, reason) in expected {
        assert_eq!(about(*sid, "session_opened").len(), 1, "{sid}: {lines:?}");
        let closed = about(*sid, "session_closed");
        assert_eq!(closed.len(), 1, "{sid}: {lines:?}");
        assert_eq!(closed[0]["reason"], *reason, "{sid}");
        assert_eq!(closed[0]["server"], server.server_name());
    }
    let summary = &lines.last().unwrap()["summary"];
    for reason in ["destroyed", "timeout", "transport-gone"] {
        let want = expected.iter().filter(|(_, r)| *r == reason).count() as u64;
        let got = summary[format!("closed {reason}")].as_u64().unwrap_or(0);
        assert_eq!(got, want, "{reason}: {summary}");
    }
}

/// The four ending paths of a server with reclaim off.
fn walk(server: &JanusServer, flag: &str, listen: &str) {
    let child = monitor(server, flag, listen, 14);
    let admin = AdminClient::connect(&server.admin_http_url(), server.admin_secret()).unwrap();
    let owner = Client::connect(&server.ws_url()).unwrap();

    let destroyed = owner.create_session().unwrap();
    destroyed.attach("janus.plugin.echotest").unwrap();
    let destroyed_id = destroyed.id().0;
    destroyed.destroy().unwrap();

    let by_admin = owner.create_session().unwrap();
    let by_admin_id = by_admin.id().0;
    admin.call(DestroySession::new(by_admin.id())).unwrap();

    let expired = owner.create_session().unwrap();
    expired.set_keepalive(false).unwrap();
    let expired_id = expired.id().0;

    let dropped = Client::connect(&server.ws_url()).unwrap();
    let gone = dropped.create_session().unwrap();
    let gone_id = gone.id().0;
    dropped.close();
    drop(gone);

    check(
        server,
        child,
        &[
            (destroyed_id, "destroyed"),
            (by_admin_id, "destroyed"),
            (expired_id, "timeout"),
            (gone_id, "transport-gone"),
        ],
    );
    owner.close();
}

#[test]
fn every_ending_path_from_sampleevh() {
    let listen = free_address();
    let server = JanusServer::builder()
        .session_timeout(4)
        .event_backend(&format!("http://{listen}/"), true)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    walk(&server, "--listen", &listen);
}

#[test]
fn every_ending_path_from_wsevh() {
    let listen = free_address();
    let server = JanusServer::builder()
        .session_timeout(4)
        .event_backend(&format!("ws://{listen}/"), false)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    walk(&server, "--ws-listen", &listen);
}

/// With reclaim on, a session whose WebSocket closed ends when the reclaim
/// window passes: a `timeout`.
#[test]
fn a_websocket_closed_with_reclaim_on_ends_in_a_timeout() {
    let listen = free_address();
    let server = JanusServer::builder()
        .reclaim_session_timeout(2)
        .event_backend(&format!("http://{listen}/"), false)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let child = monitor(&server, "--listen", &listen, 12);
    let options = janus_blocking::Options::new()
        .reconnect(janus_blocking::janus_core::ReconnectPolicy::NEVER);
    let client = Client::connect_with(&server.ws_url(), options).unwrap();
    let s = client.create_session().unwrap();
    let id = s.id().0;
    client.close();
    drop(s);
    check(&server, child, &[(id, "timeout")]);
}
