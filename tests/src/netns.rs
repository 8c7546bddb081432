//! Tests that need real WebRTC media run inside a private network
//! namespace: Janus gathers no ICE candidate on a loopback interface, so
//! the namespace gets a veth pair whose end `v0` carries `127.0.0.2`, and
//! Janus and the client both use that address. Nothing leaves the
//! namespace, and no address outside 127.0.0.0/8 is used.
//!
//! A test calls [`run_isolated`] with its own full name: outside the
//! namespace this runs the same test binary again under `unshare -n`
//! (root is needed, as in CI), filtered to that one test, and fails
//! unless the child ran it to the end; inside, it sets the network up and
//! runs the body.

use std::path::PathBuf;
use std::process::Command;

/// The address Janus and the client use for media inside the namespace.
pub const MEDIA_IP: std::net::Ipv4Addr = std::net::Ipv4Addr::new(127, 0, 0, 2);

/// The interface that carries [`MEDIA_IP`].
pub const MEDIA_INTERFACE: &str = "v0";

const INSIDE: &str = "JANUS_TESTS_NETNS_TEST";
const DONE: &str = "JANUS_TESTS_NETNS_DONE";

/// Runs `body` in a private network namespace; `test` is the test's full
/// name as the harness prints it (`module::test`).
pub fn run_isolated(test: &str, body: impl FnOnce()) {
    if std::env::var(INSIDE).as_deref() == Ok(test) {
        set_up_network();
        body();
        let done = PathBuf::from(std::env::var(DONE).expect("the parent names the done file"));
        std::fs::write(done, test).expect("write the done file");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let done = dir.path().join("done");
    let exe = std::env::current_exe().expect("the test binary's path");
    let output = Command::new("unshare")
        .arg("-n")
        .arg(&exe)
        .args([test, "--exact", "--nocapture", "--test-threads", "1"])
        .env(INSIDE, test)
        .env(DONE, &done)
        .output()
        .expect("run unshare (util-linux)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{test} failed in its network namespace ({}):\n{stdout}\n{stderr}\n\
         (unshare -n needs root, as CI has)",
        output.status
    );
    let ran = std::fs::read_to_string(&done).unwrap_or_default();
    assert_eq!(
        ran, test,
        "{test} did not run to its end in the namespace (is the name exact?):\n{stdout}\n{stderr}"
    );
    // Show the child's output with ours.
    print!("{stdout}");
    eprint!("{stderr}");
}

/// Inside a fresh network namespace: `lo` up, and the veth pair whose end
/// [`MEDIA_INTERFACE`] carries [`MEDIA_IP`].
pub fn set_up_network() {
    let ip = |args: &[&str]| {
        let status = Command::new("ip")
            .args(args)
            .status()
            .unwrap_or_else(|e| panic!("run `ip` (iproute2): {e}"));
        assert!(status.success(), "ip {} failed", args.join(" "));
    };
    ip(&["link", "set", "lo", "up"]);
    ip(&[
        "link",
        "add",
        MEDIA_INTERFACE,
        "type",
        "veth",
        "peer",
        "name",
        "v1",
    ]);
    ip(&[
        "addr",
        "add",
        &format!("{MEDIA_IP}/32"),
        "dev",
        MEDIA_INTERFACE,
    ]);
    ip(&["link", "set", MEDIA_INTERFACE, "up"]);
    ip(&["link", "set", "v1", "up"]);
}
