//! Real media through a real Janus VideoRoom: N publishers (1, 10, 50) at
//! once, each sending an Opus file and a VP8 file (5 s, 50 audio packets/s
//! and 15 video frames/s) at their pace, through
//!
//! * **str0m**: the baseline, a bare str0m `Rtc` per publisher driven by a
//!   minimal blocking loop (one thread, a UDP socket with a read timeout),
//!   signalled with `janus-blocking`;
//! * **janus-media**: `janus_blocking::media::MediaHandle` per publisher,
//!   the same files given to `use_files`.
//!
//! Prints the offer→`webrtcup` latency (median and worst over the N) and
//! the client's CPU time per second of media per publisher (this process's
//! user + system time; Janus is another process), with its ratio to the
//! baseline. Janus ignores loopback interfaces, so the bench runs itself in
//! a private network namespace (root needed).
//!
//! ```sh
//! cargo bench -p janus-tests --bench media
//! JANUS_BENCH_MEDIA_N=1,10 cargo bench -p janus-tests --bench media
//! ```

use std::net::{SocketAddr, UdpSocket};
use std::path::Path;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use janus_blocking::janus_core::serde_json::json;
use janus_blocking::janus_core::{HandleEvent, Jsep};
use janus_blocking::janus_media::container::{IvfReader, OggOpusReader, Sample};
use janus_blocking::janus_media::{Event, MediaEvent, MediaOptions};
use janus_blocking::media::MediaHandle;
use janus_blocking::{Client, Session};
use janus_tests::media_files;
use janus_tests::netns::{set_up_network, MEDIA_INTERFACE, MEDIA_IP};
use janus_tests::rig::JanusServer;
use janus_tests::support::cpu_time;

const ROOM: u64 = 4242;
const SECONDS: u32 = 5;
const INSIDE: &str = "JANUS_BENCH_MEDIA_INSIDE";

/// What one publisher measured.
struct Run {
    webrtcup: Duration,
}

fn main() {
    if std::env::var_os(INSIDE).is_none() {
        let status = std::process::Command::new("unshare")
            .arg("-n")
            .arg(std::env::current_exe().unwrap())
            .args(std::env::args().skip(1))
            .env(INSIDE, "1")
            .status()
            .expect("run unshare (util-linux; root needed)");
        std::process::exit(status.code().unwrap_or(1));
    }
    set_up_network();
    let counts: Vec<usize> = std::env::var("JANUS_BENCH_MEDIA_N")
        .unwrap_or_else(|_| "1,10,50".into())
        .split(',')
        .map(|n| n.trim().parse().expect("JANUS_BENCH_MEDIA_N: numbers"))
        .collect();
    let server = JanusServer::builder()
        .media_interface(MEDIA_INTERFACE, &MEDIA_IP.to_string())
        .plugins(&["videoroom"])
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let (ogg, ivf) = media_files::make(dir.path(), SECONDS);
    let client = Client::connect(&server.ws_url()).unwrap();
    let session = client.create_session().unwrap();
    let admin = session.attach("janus.plugin.videoroom").unwrap();
    let created = admin
        .message(json!({"request": "create", "room": ROOM, "publishers": 64, "bitrate": 0}))
        .unwrap();
    assert_eq!(created.data["videoroom"], "created", "{:?}", created.data);

    println!(
        "{:>12} {:>4} {:>14} {:>14} {:>22} {:>8}",
        "stack", "N", "webrtcup p50", "webrtcup max", "CPU per media-second", "ratio"
    );
    for &n in &counts {
        let (base_runs, base_cpu) = measure(n, |h| raw_str0m(h, &ogg, &ivf), &session);
        report("str0m", n, &base_runs, base_cpu, base_cpu);
        let (runs, cpu) = measure(n, |h| with_janus_media(h, &ogg, &ivf), &session);
        report("janus-media", n, &runs, cpu, base_cpu);
    }
}

/// Runs `publish` on `n` threads at once (each with its own handle) and
/// gives their measures and the CPU time per second of media per
/// publisher.
fn measure(
    n: usize,
    publish: impl Fn(janus_blocking::Handle) -> Run + Sync,
    session: &Session,
) -> (Vec<Run>, Duration) {
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let h = session.attach("janus.plugin.videoroom").unwrap();
            let joined = h
                .message(json!({
                    "request": "join", "ptype": "publisher", "room": ROOM,
                    "display": format!("bench-{i}"),
                }))
                .unwrap();
            assert_eq!(joined.data["videoroom"], "joined", "{:?}", joined.data);
            h
        })
        .collect();
    let start = Barrier::new(n + 1);
    let (runs, cpu) = std::thread::scope(|scope| {
        let workers: Vec<_> = handles
            .into_iter()
            .map(|h| {
                let (start, publish) = (&start, &publish);
                scope.spawn(move || {
                    start.wait();
                    publish(h)
                })
            })
            .collect();
        start.wait();
        let cpu = cpu_time();
        let runs: Vec<Run> = workers.into_iter().map(|w| w.join().unwrap()).collect();
        (runs, cpu_time() - cpu)
    });
    // Each handle was dropped by its thread, which detached it (and so
    // left the room).
    (runs, cpu / (n as u32 * SECONDS))
}

fn report(stack: &str, n: usize, runs: &[Run], cpu: Duration, base: Duration) {
    let mut ups: Vec<Duration> = runs.iter().map(|r| r.webrtcup).collect();
    ups.sort();
    println!(
        "{:>12} {:>4} {:>11.1} ms {:>11.1} ms {:>19.2} ms {:>7.2}x",
        stack,
        n,
        ups[ups.len() / 2].as_secs_f64() * 1e3,
        ups[ups.len() - 1].as_secs_f64() * 1e3,
        cpu.as_secs_f64() * 1e3,
        cpu.as_secs_f64() / base.as_secs_f64().max(1e-9),
    );
}

/// One publisher through `MediaHandle`.
fn with_janus_media(handle: janus_blocking::Handle, ogg: &Path, ivf: &Path) -> Run {
    let media = MediaHandle::new(handle, MediaOptions::default().bind(MEDIA_IP.into())).unwrap();
    let plan = media.open_files(&[ogg, ivf], &[] as &[&Path]).unwrap();
    let tracks = plan.tracks();
    media.use_files(plan);
    let t0 = Instant::now();
    media
        .negotiate(json!({"request": "publish"}), &tracks)
        .unwrap();
    let (mut webrtcup, mut played) = (None, 0);
    while webrtcup.is_none() || played < 2 {
        match media.recv_timeout(Duration::from_secs(30)).unwrap() {
            Event::Handle(HandleEvent::WebrtcUp) => webrtcup = Some(t0.elapsed()),
            Event::Media(MediaEvent::PlaybackEnded { .. }) => played += 1,
            Event::Media(MediaEvent::Ended(reason)) => panic!("a publisher ended: {reason}"),
            _ => {}
        }
    }
    Run {
        webrtcup: webrtcup.unwrap(),
    }
}

/// One publisher on a bare str0m `Rtc`: the baseline.
fn raw_str0m(handle: janus_blocking::Handle, ogg: &Path, ivf: &Path) -> Run {
    use str0m::change::SdpAnswer;
    use str0m::format::Codec;
    use str0m::media::{Direction, MediaKind};
    use str0m::{Candidate, Rtc};

    let socket = UdpSocket::bind(SocketAddr::new(MEDIA_IP.into(), 0)).unwrap();
    let local = socket.local_addr().unwrap();
    let mut rtc = Rtc::builder().build(Instant::now());
    rtc.add_local_candidate(Candidate::host(local, "udp").unwrap());
    // From the offer, as for MediaHandle (whose `new` made its certificate).
    let t0 = Instant::now();
    let mut change = rtc.sdp_api();
    let audio = change.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
    let video = change.add_media(MediaKind::Video, Direction::SendOnly, None, None, None);
    let (offer, pending) = change.apply().unwrap();
    let mut jsep = Jsep::offer(offer.to_sdp_string());
    jsep.trickle = Some(false);
    let reply = handle
        .message_with_jsep(json!({"request": "publish"}), jsep)
        .unwrap();
    let answer = SdpAnswer::from_sdp_string(&reply.jsep.unwrap().sdp).unwrap();
    rtc.sdp_api().accept_answer(pending, answer).unwrap();

    let mut sources = [
        (
            audio,
            Codec::Opus,
            files(OggOpusReader::new(std::fs::File::open(ogg).unwrap())),
        ),
        (
            video,
            Codec::Vp8,
            files(IvfReader::new(std::fs::File::open(ivf).unwrap()).unwrap()),
        ),
    ];
    let mut started: Option<Instant> = None;
    // `webrtcup` is read by a thread of its own, as `MediaHandle` does.
    let handle = &handle;
    std::thread::scope(|scope| {
        let webrtcup = scope.spawn(move || loop {
            match handle.events().recv_timeout(Duration::from_secs(30)) {
                Ok(HandleEvent::WebrtcUp) => return t0.elapsed(),
                Ok(_) => {}
                Err(e) => panic!("no webrtcup: {e}"),
            }
        });
        play(&mut rtc, &socket, local, &mut sources, &mut started);
        Run {
            webrtcup: webrtcup.join().unwrap(),
        }
    })
}

/// The baseline's loop: until both files have been sent.
fn play(
    rtc: &mut str0m::Rtc,
    socket: &UdpSocket,
    local: SocketAddr,
    sources: &mut [(
        str0m::media::Mid,
        str0m::format::Codec,
        std::vec::IntoIter<Sample>,
    ); 2],
    started: &mut Option<Instant>,
) {
    use str0m::media::MediaTime;
    use str0m::net::{Protocol, Receive};
    use str0m::{Event as RtcEvent, Input, Output};

    let mut next: Vec<Option<Sample>> = sources.iter_mut().map(|s| s.2.next()).collect();
    let mut buf = vec![0u8; 2048];
    loop {
        let timeout = loop {
            match rtc.poll_output().unwrap() {
                Output::Timeout(t) => break t,
                Output::Transmit(t) => {
                    let _ = socket.send_to(&t.contents, t.destination);
                }
                Output::Event(RtcEvent::Connected) => *started = Some(Instant::now()),
                Output::Event(_) => {}
            }
        };
        // The next frame due, if playing.
        let due = started.and_then(|s| {
            next.iter()
                .enumerate()
                .filter_map(|(i, n)| n.as_ref().map(|n| (i, s + n.at)))
                .min_by_key(|(_, at)| *at)
        });
        if started.is_some() && due.is_none() {
            return;
        }
        let now = Instant::now();
        if let Some((i, at)) = due.filter(|(_, at)| *at <= now) {
            let sample = next[i].take().unwrap();
            let (mid, codec, source) = &mut sources[i];
            let writer = rtc.writer(*mid).unwrap();
            let params = *writer
                .payload_params()
                .find(|p| p.spec().codec == *codec)
                .unwrap();
            let rate = params.spec().clock_rate;
            let rtp = MediaTime::new(
                sample.at.as_micros() as u64 * u64::from(rate.get()) / 1_000_000,
                rate,
            );
            writer.write(params.pt(), at, rtp, sample.data).unwrap();
            next[i] = source.next();
            continue;
        }
        let wake = due.map_or(timeout, |(_, at)| at.min(timeout));
        let wait = wake
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1))
            .min(Duration::from_millis(50));
        socket.set_read_timeout(Some(wait)).unwrap();
        let input = match socket.recv_from(&mut buf) {
            Ok((n, from)) => Input::Receive(
                Instant::now(),
                Receive {
                    proto: Protocol::Udp,
                    source: from,
                    destination: local,
                    contents: buf[..n].try_into().unwrap(),
                },
            ),
            Err(_) => Input::Timeout(Instant::now()),
        };
        rtc.handle_input(input).unwrap();
    }
}

/// A file's frames, read ahead.
fn files(
    source: impl Iterator<Item = Result<Sample, janus_blocking::janus_media::MediaError>>,
) -> std::vec::IntoIter<Sample> {
    source.map(|s| s.unwrap()).collect::<Vec<_>>().into_iter()
}
