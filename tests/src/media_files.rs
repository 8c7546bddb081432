//! Media files for the media tests, made and checked with `ffmpeg` and
//! `ffprobe` (Debian's `ffmpeg` package).

use std::path::{Path, PathBuf};
use std::process::Command;

/// An Opus-in-Ogg tone and a VP8-in-IVF test pattern of `seconds` each
/// (48 kHz audio in 20 ms packets, 320x240 video at 15 frames/s), made in
/// `dir`. Returns `(ogg, ivf)`.
pub fn make(dir: &Path, seconds: u32) -> (PathBuf, PathBuf) {
    let ogg = dir.join("in.ogg");
    let ivf = dir.join("in.ivf");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        &format!("sine=frequency=440:sample_rate=48000:duration={seconds}"),
        "-c:a",
        "libopus",
        "-b:a",
        "32k",
        "-frame_duration",
        "20",
        ogg.to_str().unwrap(),
    ]);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        &format!("testsrc=size=320x240:rate=15:duration={seconds}"),
        "-c:v",
        "libvpx",
        "-b:v",
        "300k",
        "-g",
        "15",
        "-deadline",
        "realtime",
        ivf.to_str().unwrap(),
    ]);
    (ogg, ivf)
}

fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run ffmpeg (Debian's ffmpeg package): {e}"));
    assert!(
        out.status.success(),
        "ffmpeg {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What `ffprobe` reads in a recording: the codec, the number of packets
/// (decoded by ffprobe, so a corrupt file fails), and the duration.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    /// The stream's codec name (`opus`, `vp8`).
    pub codec: String,
    /// Packets read.
    pub packets: u64,
    /// Seconds, from the packets' times.
    pub duration: f64,
}

/// Probes the first stream of `path`, decoding every frame.
pub fn probe(path: &Path) -> Probe {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-count_packets",
            "-show_entries",
            "stream=codec_name,nb_read_packets:format=duration",
            "-of",
            "default=noprint_wrappers=1",
        ])
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("run ffprobe: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ffprobe {} failed: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("ffprobe gave no {name} for {}: {text}", path.display()))
            .to_string()
    };
    Probe {
        codec: field("codec_name"),
        packets: field("nb_read_packets").parse().unwrap_or(0),
        duration: field("duration").parse().unwrap_or(0.0),
    }
}

/// `N` distinct free UDP ports on `127.0.0.1` (all bound at once, then
/// released).
pub fn free_udp_ports<const N: usize>() -> [u16; N] {
    let held: Vec<std::net::UdpSocket> = (0..N)
        .map(|_| std::net::UdpSocket::bind("127.0.0.1:0").expect("bind a UDP port"))
        .collect();
    std::array::from_fn(|i| held[i].local_addr().expect("its address").port())
}

/// Streams `file` (one `.ogg` or `.ivf`) as RTP with payload type `pt` to
/// `127.0.0.1:port` at its own pace, with `ffmpeg -re`; the child ends
/// when the file does.
pub fn feed_rtp(file: &Path, pt: u8, port: u16) -> std::process::Child {
    Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-re", "-i"])
        .arg(file)
        .args(["-c", "copy", "-f", "rtp", "-payload_type", &pt.to_string()])
        .arg(format!("rtp://127.0.0.1:{port}"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("run ffmpeg: {e}"))
}
