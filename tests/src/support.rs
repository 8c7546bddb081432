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

/// Writes an Ogg Opus file of `seconds` of silence (mono, 48 kHz, 20 ms
/// packets), the kind of file AudioBridge's `play_file` plays.
pub fn write_silent_opus(path: &std::path::Path, seconds: u32) -> std::io::Result<()> {
    const SERIAL: u32 = 0x6a61_6e75;
    // A 20 ms CELT frame of silence.
    const SILENCE: [u8; 3] = [0xf8, 0xff, 0xfe];
    let mut head = b"OpusHead".to_vec();
    head.push(1); // version
    head.push(1); // channels
    head.extend_from_slice(&312u16.to_le_bytes()); // pre-skip
    head.extend_from_slice(&48_000u32.to_le_bytes());
    head.extend_from_slice(&0i16.to_le_bytes()); // output gain
    head.push(0); // channel mapping family
    let vendor = b"janus-tests";
    let mut tags = b"OpusTags".to_vec();
    tags.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
    tags.extend_from_slice(vendor);
    tags.extend_from_slice(&0u32.to_le_bytes()); // no comments

    let mut file = Vec::new();
    let mut sequence = 0u32;
    let mut page = |packets: &[&[u8]], granule: u64, flags: u8| {
        let mut header = b"OggS".to_vec();
        header.push(0);
        header.push(flags);
        header.extend_from_slice(&granule.to_le_bytes());
        header.extend_from_slice(&SERIAL.to_le_bytes());
        header.extend_from_slice(&sequence.to_le_bytes());
        header.extend_from_slice(&[0; 4]); // CRC, filled below
        let mut lacing = Vec::new();
        for packet in packets {
            // Every packet here is shorter than 255 bytes: one lacing value.
            lacing.push(packet.len() as u8);
        }
        header.push(lacing.len() as u8);
        header.extend_from_slice(&lacing);
        let mut bytes = header;
        for packet in packets {
            bytes.extend_from_slice(packet);
        }
        let crc = ogg_crc(&bytes);
        bytes[22..26].copy_from_slice(&crc.to_le_bytes());
        file.extend_from_slice(&bytes);
        sequence += 1;
    };
    page(&[&head], 0, 0x02);
    page(&[&tags], 0, 0);
    let packets_per_page = 50; // one second
    let mut granule = 0u64;
    for second in 0..seconds {
        granule += 960 * packets_per_page as u64;
        let packets = vec![&SILENCE[..]; packets_per_page];
        let last = second + 1 == seconds;
        page(&packets, granule, if last { 0x04 } else { 0 });
    }
    std::fs::write(path, file)
}

/// The CRC-32 of an Ogg page (polynomial 0x04c11db7, not reflected).
fn ogg_crc(bytes: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &byte in bytes {
        crc ^= (byte as u32) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04c1_1db7
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// CPU time (user + system) of this process so far, from `/proc/self/stat`
/// (10 ms resolution): a benchmark's client side, Janus being another
/// process.
pub fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .expect("stat format")
        .1
        .split_whitespace()
        .collect();
    // utime and stime are fields 14 and 15 (1-based), in clock ticks.
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}
