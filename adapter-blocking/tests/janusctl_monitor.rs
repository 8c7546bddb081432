//! `janusctl monitor` as a process against a real Janus whose sampleevh
//! posts to it: sessions ended by their owner and by a closed WebSocket
//! (reclaim off, where Janus emits no session event) are each closed once,
//! with their reason, in its JSON lines and its summary.

use janus_blocking::janus_core::serde_json::{self, Value};
use janus_blocking::Client;
use janus_tests::rig::JanusServer;
use std::net::TcpListener;
use std::process::{Command, Stdio};
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

#[test]
fn monitor_closes_every_session_once_with_its_reason_from_sampleevh() {
    let listen = free_address();
    let server = JanusServer::builder()
        .event_backend(&format!("http://{listen}/"), true)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    walk(&server, "--listen", &listen);
}

#[test]
fn monitor_closes_every_session_once_with_its_reason_from_wsevh() {
    let listen = free_address();
    let server = JanusServer::builder()
        .event_backend(&format!("ws://{listen}/"), false)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    walk(&server, "--ws-listen", &listen);
}

/// Runs `janusctl monitor` receiving on `listen` (with `flag`) while a
/// session is destroyed by its owner and another loses its WebSocket.
fn walk(server: &JanusServer, flag: &str, listen: &str) {
    let child = Command::new(env!("CARGO_BIN_EXE_janusctl"))
        .args(["--json", "monitor", flag, listen, "--every", "1"])
        .args(["--grace", "2", "--for", "8", "--summary"])
        .env("JANUS_ADMIN_URL", server.admin_http_url())
        .env("JANUS_ADMIN_SECRET", server.admin_secret())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    thread::sleep(Duration::from_millis(1500));

    let owner = Client::connect(&server.ws_url()).unwrap();
    let destroyed = owner.create_session().unwrap();
    destroyed.attach("janus.plugin.echotest").unwrap();
    let destroyed_id = destroyed.id().0;
    destroyed.destroy().unwrap();

    let dropped = Client::connect(&server.ws_url()).unwrap();
    let gone = dropped.create_session().unwrap();
    let gone_id = gone.id().0;
    dropped.close();
    drop(gone);

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
    assert_eq!(about(destroyed_id, "session_opened").len(), 1, "{lines:?}");
    let closed = about(destroyed_id, "session_closed");
    assert_eq!(closed.len(), 1, "{lines:?}");
    assert_eq!(closed[0]["reason"], "destroyed");
    assert_eq!(closed[0]["server"], server.server_name());
    let closed = about(gone_id, "session_closed");
    assert_eq!(closed.len(), 1, "{lines:?}");
    assert_eq!(closed[0]["reason"], "transport-gone");
    let summary = &lines.last().unwrap()["summary"];
    assert_eq!(summary["closed destroyed"], 1, "{summary}");
    assert_eq!(summary["closed transport-gone"], 1, "{summary}");
    assert!(summary["handles opened"].as_u64() >= Some(1), "{summary}");
    owner.close();
}
