//! EchoTest with real media, blocking: Opus from an Ogg file and VP8 from
//! an IVF file go to Janus's EchoTest at their own pace, and what comes back
//! is recorded into the same containers.
//!
//! ```sh
//! cargo run -p janus-blocking --features media --example echotest_media -- \
//!     ws://janus.example:8188 in.ogg in.ivf -o echo.ogg echo.ivf
//! ```
//!
//! Files to play: `ffmpeg -f lavfi -i sine=duration=5 -c:a libopus in.ogg` and
//! `ffmpeg -f lavfi -i testsrc=duration=5:rate=15 -c:v libvpx in.ivf`. The
//! UDP socket is bound to `JANUS_MEDIA_IP` if set, else to the address of
//! the interface with the default route; Janus must reach it and ignores
//! loopback (`cargo run -p janus-tests --example serve -- --media` runs Janus
//! and this on one machine).

use std::path::PathBuf;
use std::time::Duration;

use janus_blocking::janus_core::plugins::echotest;
use janus_blocking::janus_core::serde_json::json;
use janus_blocking::janus_media::{Event, MediaEvent, MediaKind, MediaOptions};
use janus_blocking::media::MediaHandle;
use janus_blocking::{Client, HandleEvent};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args
        .first()
        .ok_or("usage: echotest_media URL IN... -o OUT... [--bind IP]")?;
    let (mut inputs, mut outputs, mut bind) = (Vec::new(), Vec::new(), None);
    let mut rest = args[1..].iter();
    let mut into_outputs = false;
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "-o" => into_outputs = true,
            "--bind" => bind = Some(rest.next().ok_or("--bind needs an IP")?.parse()?),
            file if into_outputs => outputs.push(PathBuf::from(file)),
            file => inputs.push(PathBuf::from(file)),
        }
    }
    let bind = bind.or(std::env::var("JANUS_MEDIA_IP")
        .ok()
        .map(|ip| ip.parse())
        .transpose()?);
    let mut options = MediaOptions::default();
    if let Some(ip) = bind {
        options = options.bind(ip);
    }

    let janus = Client::connect(url)?;
    let session = janus.create_session()?;
    let media = MediaHandle::new(session.attach(echotest::PLUGIN)?, options)?;
    println!("media socket on {}", media.local_addr());
    let plan = media.open_files(&inputs, &outputs)?;
    let tracks = plan.tracks();
    let body =
        json!({"audio": plan.plays(MediaKind::Audio), "video": plan.plays(MediaKind::Video)});
    let playing = inputs.len();
    media.use_files(plan);
    media.negotiate(body, &tracks)?;

    // Until every file has played (or the PeerConnection ends).
    let mut ended = 0;
    while ended < playing {
        match media.recv_timeout(Duration::from_secs(15))? {
            Event::Handle(HandleEvent::WebrtcUp) => println!("janus: webrtcup"),
            Event::Handle(HandleEvent::Media {
                kind, receiving, ..
            }) => {
                println!("janus: receiving {kind:?}: {receiving}")
            }
            Event::Media(MediaEvent::Connected) => println!("connected: playing"),
            Event::Media(MediaEvent::PlaybackEnded { kind, sent }) => {
                println!("sent {sent} {kind:?} frames");
                ended += 1;
            }
            Event::Media(MediaEvent::Ended(reason)) => return Err(reason.to_string().into()),
            _ => {}
        }
    }
    // The last frames' way back, then a clean close.
    std::thread::sleep(Duration::from_millis(500));
    media.close();
    for output in &outputs {
        println!("recorded {}", output.display());
    }
    Ok(())
}
