//! Tests of the real-server rig itself (they need the Debian `janus` package).

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use janus_tests::rig::{
    http_get, http_post, http_post_json, JanusServer, RigError, INSTALL_COMMAND,
};
use serde_json::{json, Value};

fn start(builder: janus_tests::rig::JanusServerBuilder) -> JanusServer {
    builder.start().unwrap_or_else(|e| panic!("{e}"))
}

fn pid_exists(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Janus error code of a reply, if it is an error.
fn error_code(reply: &Value) -> Option<i64> {
    (reply["janus"] == "error").then(|| reply["error"]["code"].as_i64().unwrap_or(-1))
}

fn create_session(server: &JanusServer, extra: Value) -> Value {
    let mut req = json!({"janus": "create", "transaction": "c1"});
    for (k, v) in extra.as_object().unwrap() {
        req[k] = v.clone();
    }
    http_post_json(&server.http_url(), &req).unwrap()
}

#[test]
fn starts_and_info_answers_with_version_1102() {
    let t0 = Instant::now();
    let server = start(JanusServer::builder());
    eprintln!("janus ready after {:?}", t0.elapsed());

    let info = server.info().unwrap();
    assert_eq!(info["janus"], "server_info");
    assert_eq!(info["version"], 1102);
    assert_eq!(info["version_string"], "1.1.2");
    assert_eq!(info["server-name"], server.server_name());
    assert_eq!(info["session-timeout"], 60);
    assert_eq!(info["api_secret"], false);
    assert_eq!(info["auth_token"], false);
    assert_eq!(info["full-trickle"], false);
    assert_eq!(info["local-ip"], "127.0.0.1");
    assert_eq!(info["mdns-enabled"], false);
    assert_eq!(info["ipv6"], false);

    // Exactly the default plugins, the two transports, no events/loggers.
    let plugins: HashSet<&str> = info["plugins"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        plugins,
        HashSet::from(["janus.plugin.echotest", "janus.plugin.videoroom"])
    );
    assert_eq!(server.plugins().len(), 2);
    let transports: HashSet<&str> = info["transports"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        transports,
        HashSet::from([
            "janus.transport.http",
            "janus.transport.websockets",
            "janus.transport.pfunix"
        ])
    );
    // The Unix-socket transport's two sockets, in the server's directory.
    for url in [server.unix_url(), server.admin_unix_url()] {
        let path = url.strip_prefix("unix://").expect("a SOCK_SEQPACKET URL");
        assert!(std::path::Path::new(path).starts_with(server.config_dir()));
        assert!(std::path::Path::new(path).exists(), "{url}");
    }
    assert_eq!(info["events"], json!({}));
    assert_eq!(info["loggers"], json!({}));

    // URLs have the documented shapes.
    let p = server.ports();
    assert_eq!(
        server.http_url(),
        format!("http://127.0.0.1:{}/janus", p.http)
    );
    assert_eq!(
        server.admin_http_url(),
        format!("http://127.0.0.1:{}/admin", p.admin_http)
    );
    assert_eq!(server.ws_url(), format!("ws://127.0.0.1:{}", p.ws));
    assert_eq!(
        server.admin_ws_url(),
        format!("ws://127.0.0.1:{}", p.admin_ws)
    );
    assert_eq!(HashSet::from(p.all()).len(), 4);

    // A session can be created and the log mentions it.
    let reply = create_session(&server, json!({}));
    assert_eq!(reply["janus"], "success", "{reply}");
    let id = reply["data"]["id"].as_u64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(2);
    while !server.log().contains(&id.to_string()) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    assert!(server
        .log()
        .contains(&format!("Creating new session: {id}")));
    assert!(server.config_dir().join("janus.jcfg").is_file());
    assert!(server.is_running());
}

#[test]
fn settings_are_reflected_in_info() {
    let server = start(
        JanusServer::builder()
            .session_timeout(17)
            .reclaim_session_timeout(5)
            .api_secret("s3cr\"et")
            .admin_secret("adm-1")
            .full_trickle(true),
    );
    assert_eq!(server.api_secret(), Some("s3cr\"et"));
    assert_eq!(server.admin_secret(), "adm-1");
    let info = server.info().unwrap();
    assert_eq!(info["session-timeout"], 17);
    assert_eq!(info["reclaim-session-timeout"], 5);
    assert_eq!(info["api_secret"], true);
    assert_eq!(info["full-trickle"], true);

    // The API secret is enforced...
    let denied = create_session(&server, json!({}));
    assert_eq!(error_code(&denied), Some(403), "{denied}");
    let ok = create_session(&server, json!({"apisecret": "s3cr\"et"}));
    assert_eq!(ok["janus"], "success", "{ok}");

    // ...and the admin secret too (admin get_status mirrors the settings).
    let status = server
        .admin_request(json!({"janus": "get_status"}))
        .unwrap();
    assert_eq!(status["janus"], "success", "{status}");
    assert_eq!(status["status"]["session_timeout"], 17);
    assert_eq!(status["status"]["reclaim_session_timeout"], 5);
    let wrong = server
        .admin_request(json!({"janus": "get_status", "admin_secret": "nope"}))
        .unwrap();
    assert_eq!(error_code(&wrong), Some(403), "{wrong}");
}

#[test]
fn two_servers_run_at_once() {
    let a = start(JanusServer::builder());
    let b = start(JanusServer::builder().plugins(&["echotest"]));
    assert_ne!(a.pid(), b.pid());
    assert_ne!(a.config_dir(), b.config_dir());
    assert_ne!(a.server_name(), b.server_name());
    let pa: HashSet<u16> = a.ports().all().into();
    let pb: HashSet<u16> = b.ports().all().into();
    assert!(pa.is_disjoint(&pb), "{pa:?} vs {pb:?}");
    assert_eq!(a.info().unwrap()["server-name"], a.server_name());
    assert_eq!(b.info().unwrap()["server-name"], b.server_name());
    assert!(a.is_running() && b.is_running());
}

#[test]
fn drop_kills_process_and_removes_dir() {
    let server = start(JanusServer::builder());
    let pid = server.pid();
    let dir = server.config_dir().to_path_buf();
    let info_url = format!("{}/info", server.http_url());
    assert!(pid_exists(pid));
    assert!(dir.is_dir());
    drop(server);
    assert!(!pid_exists(pid), "janus pid {pid} still exists after drop");
    assert!(!dir.exists(), "{} still exists after drop", dir.display());
    assert!(http_get(&info_url).is_err(), "something still answers");
}

#[test]
fn listeners_are_loopback_only() {
    let server = start(JanusServer::builder());
    let socks = server.listening_sockets().unwrap();
    let ports: HashSet<u16> = socks.iter().map(|a| a.port()).collect();
    assert_eq!(ports, HashSet::from(server.ports().all()), "{socks:?}");
    assert_eq!(socks.len(), 4, "{socks:?}");
    for a in &socks {
        assert_eq!(a.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST), "{socks:?}");
    }

    // Cross-check with `ss` where it is installed (iproute2).
    if let Ok(out) = Command::new("ss").args(["-Hltnp"]).output() {
        let text = String::from_utf8_lossy(&out.stdout);
        let mine: Vec<&str> = text
            .lines()
            .filter(|l| l.contains(&format!("pid={},", server.pid())))
            .collect();
        assert_eq!(mine.len(), 4, "ss output:\n{text}");
        for line in mine {
            let local = line.split_whitespace().nth(3).unwrap();
            assert!(local.starts_with("127.0.0.1:"), "non-loopback: {line}");
        }
    }

    // No UDP or raw sockets at idle either (as root, usrsctp would open raw
    // SCTP sockets on the wildcard address unless CAP_NET_RAW is dropped).
    let mut inet_inodes: HashSet<String> = HashSet::new();
    for table in ["udp", "udp6", "raw", "raw6"] {
        let path = format!("/proc/{}/net/{table}", server.pid());
        let text = std::fs::read_to_string(path).unwrap_or_default();
        inet_inodes.extend(
            text.lines()
                .skip(1)
                .filter_map(|l| l.split_whitespace().nth(9).map(str::to_string)),
        );
    }
    for fd in std::fs::read_dir(format!("/proc/{}/fd", server.pid())).unwrap() {
        let target = std::fs::read_link(fd.unwrap().path()).unwrap_or_default();
        let t = target.to_string_lossy();
        if let Some(ino) = t.strip_prefix("socket:[").and_then(|s| s.strip_suffix(']')) {
            assert!(
                !inet_inodes.contains(ino),
                "janus has a UDP/raw socket at idle (inode {ino})"
            );
        }
    }
}

/// Does a WebSocket upgrade with `protocol` and returns the status line.
fn ws_handshake(url: &str, protocol: &str) -> String {
    let authority = url.strip_prefix("ws://").unwrap();
    let mut s = TcpStream::connect(authority).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET / HTTP/1.1\r\nHost: {authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Protocol: {protocol}\r\n\r\n"
    )
    .unwrap();
    let mut buf = [0u8; 1024];
    let n = s.read(&mut buf).unwrap_or(0);
    let text = String::from_utf8_lossy(&buf[..n]).to_string();
    text.lines().next().unwrap_or_default().to_string()
}

#[test]
fn websocket_endpoints_accept_their_subprotocols() {
    let server = start(JanusServer::builder());
    assert!(ws_handshake(&server.ws_url(), "janus-protocol").contains(" 101 "));
    assert!(ws_handshake(&server.admin_ws_url(), "janus-admin-protocol").contains(" 101 "));
}

#[test]
fn add_token_enables_token_auth_requests() {
    let server = start(JanusServer::builder().token_auth(true));
    assert!(server.token_auth());
    assert_eq!(server.info().unwrap()["auth_token"], true);

    // Before the token exists, creating a session is refused.
    let denied = create_session(&server, json!({"token": "tok-1"}));
    assert_eq!(error_code(&denied), Some(403), "{denied}");

    let reply = server.add_token("tok-1", &["echotest"]).unwrap();
    assert_eq!(reply["data"]["plugins"], json!(["janus.plugin.echotest"]));

    let ok = create_session(&server, json!({"token": "tok-1"}));
    assert_eq!(ok["janus"], "success", "{ok}");
    let sid = ok["data"]["id"].as_u64().unwrap();

    let none = create_session(&server, json!({}));
    assert_eq!(error_code(&none), Some(403), "{none}");
    let bogus = create_session(&server, json!({"token": "tok-2"}));
    assert_eq!(error_code(&bogus), Some(403), "{bogus}");

    // The plugin ACL is applied at attach.
    let url = format!("{}/{sid}", server.http_url());
    let echo = http_post_json(
        &url,
        &json!({"janus":"attach","plugin":"janus.plugin.echotest","token":"tok-1","transaction":"a1"}),
    )
    .unwrap();
    assert_eq!(echo["janus"], "success", "{echo}");
    let vr = http_post_json(
        &url,
        &json!({"janus":"attach","plugin":"janus.plugin.videoroom","token":"tok-1","transaction":"a2"}),
    )
    .unwrap();
    assert_eq!(error_code(&vr), Some(405), "{vr}");

    // No plugins listed = all plugins.
    let all = server.add_token("tok-all", &[]).unwrap();
    assert_eq!(all["data"]["plugins"].as_array().unwrap().len(), 2, "{all}");

    // Long polls carry the token as a query parameter.
    let poll = http_get(&format!("{url}?maxev=1")).unwrap();
    assert_eq!(poll.status, 403);
}

#[test]
fn add_token_without_token_auth_is_an_error() {
    let server = start(JanusServer::builder());
    match server.add_token("t", &[]) {
        Err(RigError::Api { reply, .. }) => assert_eq!(error_code(&reply), Some(490), "{reply}"),
        other => panic!("expected an Api error, got {other:?}"),
    }
}

#[test]
fn only_listed_plugins_load() {
    let server = start(JanusServer::builder().plugins(&["janus.plugin.echotest"]));
    let info = server.info().unwrap();
    let plugins: Vec<&String> = info["plugins"].as_object().unwrap().keys().collect();
    assert_eq!(plugins, ["janus.plugin.echotest"]);
    let sid = create_session(&server, json!({}))["data"]["id"]
        .as_u64()
        .unwrap();
    let vr = http_post_json(
        &format!("{}/{sid}", server.http_url()),
        &json!({"janus":"attach","plugin":"janus.plugin.videoroom","transaction":"a"}),
    )
    .unwrap();
    assert_eq!(error_code(&vr), Some(460), "{vr}");

    let err = JanusServer::builder()
        .plugins(&["no-such-plugin"])
        .start()
        .unwrap_err();
    assert!(matches!(err, RigError::UnknownPlugin { .. }), "{err}");
}

#[test]
fn every_installed_plugin_can_load() {
    let dir = Path::new("/usr/lib/x86_64-linux-gnu/janus/plugins");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| {
                let f = e.ok()?.file_name().to_string_lossy().into_owned();
                Some(
                    f.strip_prefix("libjanus_")?
                        .strip_suffix(".so")?
                        .to_string(),
                )
            })
            .collect()
        })
        .unwrap_or_default();
    names.sort();
    if names.is_empty() {
        // Non-Debian-amd64 layout: the rest of the suite still covers the rig.
        return;
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let server = start(JanusServer::builder().plugins(&refs));
    let info = server.info().unwrap();
    let loaded: HashSet<String> = info["plugins"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    // lua and duktape take their package names from the packaged scripts.
    let wanted: HashSet<String> = names
        .iter()
        .map(|n| match n.as_str() {
            "lua" => "janus.plugin.echolua".to_string(),
            "duktape" => "janus.plugin.echojs".to_string(),
            n => format!("janus.plugin.{n}"),
        })
        .collect();
    assert_eq!(loaded, wanted, "log:\n{}", server.log());
    assert_eq!(server.plugins().len(), names.len());
    // Still loopback only, with every plugin loaded.
    for a in server.listening_sockets().unwrap() {
        assert_eq!(a.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
}

#[test]
fn missing_binary_error_names_the_install_command() {
    let err = JanusServer::builder()
        .janus_binary("/nonexistent/bin/janus")
        .start()
        .unwrap_err();
    assert!(matches!(err, RigError::JanusNotFound { .. }));
    let msg = err.to_string();
    assert!(msg.contains(INSTALL_COMMAND), "{msg}");
    assert!(msg.contains("apt-get update && apt-get install -y janus"));
    assert_eq!(format!("{err:?}"), msg);
}

#[test]
fn kill_mid_request() {
    let server = Arc::new(start(JanusServer::builder()));
    let sid = create_session(&server, json!({}))["data"]["id"]
        .as_u64()
        .unwrap();
    let url = format!("{}/{sid}?maxev=1", server.http_url());
    // A long poll blocks for up to 30 s when nothing happens.
    let poller = thread::spawn(move || {
        let t = Instant::now();
        (http_get(&url), t.elapsed())
    });
    thread::sleep(Duration::from_millis(300));
    let pid = server.pid();
    server.kill();
    assert!(!server.is_running());
    assert!(!pid_exists(pid));
    let (result, took) = poller.join().unwrap();
    assert!(result.is_err(), "long poll survived the kill: {result:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    // Idempotent, and the log is still there.
    server.kill();
    assert!(server.log().contains("Creating new session"));
    assert!(http_post(&server.http_url(), "{}").is_err());
}

#[test]
fn panicking_test_still_cleans_up() {
    let mut seen = None;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let server = start(JanusServer::builder());
        seen = Some((server.pid(), server.config_dir().to_path_buf()));
        panic!("deliberate panic: the janus log is printed to stderr above/below");
    }));
    assert!(result.is_err());
    let (pid, dir) = seen.unwrap();
    assert!(!pid_exists(pid));
    assert!(!dir.exists());
}

/// Sends a synchronous VideoRoom request on a fresh handle, returns `plugindata.data`.
fn videoroom_request(server: &JanusServer, body: Value) -> Value {
    let sid = create_session(server, json!({}))["data"]["id"]
        .as_u64()
        .unwrap();
    let surl = format!("{}/{sid}", server.http_url());
    let hid = http_post_json(
        &surl,
        &json!({"janus":"attach","plugin":"janus.plugin.videoroom","transaction":"a"}),
    )
    .unwrap()["data"]["id"]
        .as_u64()
        .unwrap();
    let reply = http_post_json(
        &format!("{surl}/{hid}"),
        &json!({"janus":"message","body":body,"transaction":"m"}),
    )
    .unwrap();
    assert_eq!(reply["janus"], "success", "{reply}");
    reply["plugindata"]["data"].clone()
}

#[test]
fn plugin_configs_default_and_override() {
    let default = start(JanusServer::builder());
    let data = videoroom_request(&default, json!({"request":"exists","room":1234}));
    assert_eq!(data["exists"], true, "{data}");

    let custom = start(JanusServer::builder().plugin_config(
        "janus.plugin.videoroom",
        "general: {\n}\nroom-4242: {\n\tdescription = \"rig\"\n}\n",
    ));
    let data = videoroom_request(&custom, json!({"request":"exists","room":1234}));
    assert_eq!(data["exists"], false, "{data}");
    let data = videoroom_request(&custom, json!({"request":"exists","room":4242}));
    assert_eq!(data["exists"], true, "{data}");
}
