//! `janusctl` run as a process against a real Janus: every subcommand, its
//! human and JSON output, and its exit codes.

use janus_blocking::janus_core::serde_json::{self, Value};
use janus_blocking::janus_core::EndReason;
use janus_blocking::{Client, HandleEvent};
use janus_tests::rig::JanusServer;
use janus_tests::support::{admin_sessions, closed_port};
use std::process::{Command, Output};

const ECHOTEST: &str = "janus.plugin.echotest";

/// `janusctl` pointed at `server` (URLs and secret from the environment).
fn janusctl(server: &JanusServer, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_janusctl"))
        .args(args)
        .env("JANUS_ADMIN_URL", server.admin_http_url())
        .env("JANUS_URL", server.ws_url())
        .env("JANUS_ADMIN_SECRET", server.admin_secret())
        .env_remove("JANUS_API_SECRET")
        .env_remove("JANUS_TOKEN")
        .output()
        .expect("janusctl runs")
}

/// Standard output of a run that must succeed.
fn ok(server: &JanusServer, args: &[&str]) -> String {
    let out = janusctl(server, args);
    assert!(
        out.status.success(),
        "janusctl {args:?}: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The JSON lines of a `--json` run that must succeed.
fn json_lines(server: &JanusServer, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    ok(server, &all)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect()
}

/// The exit code and standard error of a run that must fail.
fn fails(server: &JanusServer, args: &[&str]) -> (i32, String) {
    let out = janusctl(server, args);
    assert!(!out.status.success(), "janusctl {args:?} succeeded");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_admin_subcommand_against_a_real_janus() {
    let server = JanusServer::builder()
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = Client::connect(&server.ws_url()).unwrap();
    let session = client.create_session().unwrap();
    let handle = session.attach_with(ECHOTEST, "ctl-test").unwrap();
    let (sid, hid) = (session.id().to_string(), handle.id().to_string());

    let info = ok(&server, &["info"]);
    assert!(info.starts_with("Janus 1.1.2"), "{info}");
    assert_eq!(json_lines(&server, &["info"])[0]["version_string"], "1.1.2");
    assert!(ok(&server, &["ping"]).starts_with("pong from"));
    assert_eq!(json_lines(&server, &["ping"])[0]["pong"], true);

    // sessions: a table with a header and our session, and JSON lines.
    let table = ok(&server, &["sessions"]);
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["SESSION", "HANDLES", "TRANSPORT", "AGE", "IDLE", "PLUGINS"]
    );
    let row: Vec<&str> = lines
        .find(|l| l.starts_with(&sid))
        .unwrap_or_else(|| panic!("{sid} not in\n{table}"))
        .split_whitespace()
        .collect();
    assert_eq!(row[1..3], ["1", "websockets"]);
    assert_eq!(row[5], "echotest");
    let sessions = json_lines(&server, &["sessions"]);
    let ours = sessions
        .iter()
        .find(|s| s["session"] == session.id().0)
        .unwrap();
    assert_eq!(ours["handles"][0], handle.id().0);
    assert_eq!(ours["transport"], "janus.transport.websockets");

    // handles and handle-info.
    let handles = ok(&server, &["handles", &sid]);
    assert!(handles.lines().next().unwrap().starts_with("HANDLE"));
    assert!(
        handles.contains(&hid) && handles.contains("ctl-test"),
        "{handles}"
    );
    let row = &json_lines(&server, &["handles", &sid])[0];
    assert_eq!(
        (row["plugin"].as_str(), row["bytes_in"].as_u64()),
        (Some(ECHOTEST), Some(0))
    );
    let summary = ok(&server, &["handle-info", &sid, &hid]);
    assert!(
        summary.contains("plugin     janus.plugin.echotest"),
        "{summary}"
    );
    assert!(summary.contains("webrtc     not up"), "{summary}");
    let typed = &json_lines(&server, &["handle-info", &sid, &hid])[0];
    assert_eq!(typed["plugin"], ECHOTEST);
    assert_eq!(typed["opaque_id"], "ctl-test");
    assert_eq!(typed["flags"]["ready"], false);
    let plugin_only = &json_lines(&server, &["handle-info", "--plugin-only", &sid, &hid])[0];
    assert!(plugin_only["flags"].is_null() && plugin_only["plugin_specific"].is_object());

    // Settings and plugins.
    assert!(ok(&server, &["status"]).contains("session_timeout"));
    assert_eq!(json_lines(&server, &["log-level", "5"])[0]["level"], 5);
    assert_eq!(json_lines(&server, &["status"])[0]["log_level"], 5);
    assert_eq!(
        json_lines(&server, &["accept-sessions", "off"])[0]["accept"],
        false
    );
    assert!(
        client.create_session().is_err(),
        "draining refuses new sessions"
    );
    assert!(ok(&server, &["accept-sessions", "on"]).contains("accepting new sessions"));
    let list = r#"{"request":"list"}"#;
    let rooms = &json_lines(&server, &["message", "janus.plugin.videoroom", list])[0];
    assert!(rooms["list"].is_array(), "{rooms}");
    let nope = r#"{"request":"nope"}"#;
    let (code, err) = fails(&server, &["message", "janus.plugin.videoroom", nope]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("refused the request"), "{err}");

    // top, once and twice.
    let top = ok(&server, &["top", "--count", "1", "--interval", "1"]);
    assert!(top.contains(&hid) && top.contains("IN/S"), "{top}");
    let rounds = json_lines(&server, &["top", "--count", "2", "--interval", "1"]);
    assert!(rounds
        .iter()
        .any(|r| r["round"] == 1 && r["handle"] == handle.id().0));

    // Janus API: send and watch.
    let audio = r#"{"audio":true}"#;
    let sent = ok(&server, &["send", ECHOTEST, audio, "--wait", "0"]);
    assert!(sent.contains("\"result\": \"ok\""), "{sent}");
    let reply = &json_lines(&server, &["send", ECHOTEST, audio, "--wait", "0"])[0];
    assert_eq!(reply["data"]["echotest"], "event");
    let watched = json_lines(&server, &["watch", ECHOTEST, "--body", audio, "--for", "1"]);
    assert_eq!(watched[0]["data"]["result"], "ok", "{watched:?}");

    // Ending other clients' PeerConnections, handles and sessions.
    assert!(ok(&server, &["hangup", &sid, &hid]).contains("hung up"));
    assert!(ok(&server, &["detach", &sid, &hid]).contains("detached"));
    // (EchoTest may say "done" first.)
    let ended = std::iter::from_fn(|| {
        handle
            .events()
            .recv_timeout(std::time::Duration::from_secs(3))
            .ok()
    })
    .find(|e| matches!(e, HandleEvent::Ended(_)));
    assert_eq!(ended, Some(HandleEvent::Ended(EndReason::ServerDetached)));
    assert_eq!(json_lines(&server, &["destroy", &sid])[0]["ok"], true);
    assert!(!admin_sessions(&server).contains(&session.id().0));
    let (code, err) = fails(&server, &["handles", &sid]);
    assert_eq!(code, 1);
    assert!(err.contains("458"), "{err}");
}

#[test]
fn tokens_and_failures() {
    let server = JanusServer::builder()
        .token_auth(true)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ok(&server, &["tokens", "list"]).trim(), "no stored tokens");
    ok(&server, &["tokens", "add", "all"]);
    let added = &json_lines(&server, &["tokens", "add", "ctl", "--plugin", ECHOTEST])[0];
    assert_eq!(added["plugins"][0], ECHOTEST);
    let listed = ok(&server, &["tokens", "list"]);
    assert!(
        listed.starts_with("TOKEN") && listed.contains("ctl"),
        "{listed}"
    );
    let allowed = ok(
        &server,
        &["tokens", "allow", "ctl", "janus.plugin.videoroom"],
    );
    assert!(allowed.contains("janus.plugin.videoroom"), "{allowed}");
    let disallow = ["tokens", "disallow", "ctl", "janus.plugin.videoroom"];
    let narrowed = &json_lines(&server, &disallow)[0];
    assert_eq!(narrowed["plugins"].as_array().unwrap().len(), 1);
    // The token works on the Janus API, and stops working once removed.
    let with_token = |args: &[&str]| {
        let mut all = vec!["--token", "ctl"];
        all.extend_from_slice(args);
        janusctl(&server, &all)
    };
    let audio = r#"{"audio":true}"#;
    let sent = with_token(&["send", ECHOTEST, audio, "--wait", "0"]);
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    assert!(ok(&server, &["tokens", "remove", "ctl"]).contains("removed"));
    let refused = with_token(&["send", ECHOTEST, audio, "--wait", "0"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("403"));

    // Exit codes: a plugin error 1, usage 2, refused secret and unreachable 3.
    let (code, err) = fails(&server, &["--token", "all", "send", ECHOTEST, "{}"]);
    assert_eq!(code, 1);
    assert!(err.contains("error 413"), "{err}");
    let (code, err) = fails(&server, &["message", "x", "[1]"]);
    assert_eq!(code, 2);
    assert!(err.contains("not an object"), "{err}");
    let (code, err) = fails(&server, &["--admin-secret", "wrong", "sessions"]);
    assert_eq!(code, 3);
    assert!(err.contains("JANUS_ADMIN_SECRET"), "{err}");
    assert!(!err.contains("wrong"), "a secret is never printed: {err}");
    let url = format!("http://127.0.0.1:{}/admin", closed_port());
    let (code, err) = fails(&server, &["--admin-url", &url, "sessions"]);
    assert_eq!(code, 3);
    assert!(err.contains("nothing listens there"), "{err}");
    assert_eq!(
        janusctl(&server, &["no-such-command"]).status.code(),
        Some(2)
    );
}

/// Both APIs over the Unix-socket transport: the Admin API at its
/// `admin_path`, the Janus API at its `path` (`SOCK_SEQPACKET`).
#[test]
fn unix_socket_urls_work_for_both_apis() {
    let server = JanusServer::builder().start().unwrap();
    let client = Client::connect(&server.unix_url()).unwrap();
    let session = client.create_session().unwrap();
    // The transport is read from a handle's information.
    let handle = session.attach(ECHOTEST).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_janusctl"))
            .args([
                "--admin-url",
                &server.admin_unix_url(),
                "--url",
                &server.unix_url(),
            ])
            .args(args)
            .env("JANUS_ADMIN_SECRET", server.admin_secret())
            .output()
            .expect("janusctl runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let listed = run(&["--json", "sessions"]);
    let line: Value = serde_json::from_str(listed.lines().next().unwrap()).unwrap();
    assert_eq!(line["session"], session.id().0);
    assert_eq!(line["transport"], "janus.transport.pfunix");
    let sent = run(&["send", ECHOTEST, r#"{"audio":true}"#]);
    assert!(sent.contains("\"result\": \"ok\""), "{sent}");
    handle.detach().unwrap();
    session.destroy().unwrap();
}
