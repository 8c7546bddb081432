//! VideoRoom subscriber with real media, blocking: subscribes to a feed of
//! a room (the first publisher, unless one is named) and records it for a
//! while.
//!
//! ```sh
//! cargo run -p janus-blocking --features media --example videoroom_subscribe -- \
//!     ws://janus.example:8188 1234 out.ogg out.ivf
//! ```
//!
//! `FEED` (a publisher's id) and `SECONDS` (10 by default) in the
//! environment choose the feed and how long to record; the media address
//! is chosen as in `echotest_media`.

use std::time::{Duration, Instant};

use janus_blocking::janus_core::plugins::videoroom;
use janus_blocking::janus_core::serde_json::json;
use janus_blocking::janus_media::{Event, MediaEvent, MediaOptions};
use janus_blocking::media::MediaHandle;
use janus_blocking::Client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: videoroom_subscribe URL ROOM OUT...";
    let url = args.first().ok_or(usage)?;
    let room: u64 = args.get(1).ok_or(usage)?.parse()?;
    let outputs = &args[2..];
    let feed: Option<u64> = std::env::var("FEED").ok().map(|f| f.parse()).transpose()?;
    let seconds: u64 = std::env::var("SECONDS").map_or(Ok(10), |s| s.parse())?;
    let options = MediaOptions::from_env()?;

    let janus = Client::connect(url)?;
    let session = janus.create_session()?;
    let media = MediaHandle::new(session.attach(videoroom::PLUGIN)?, options)?;
    let feed = match feed {
        Some(feed) => json!(feed),
        None => first_publisher(&media, room)?,
    };
    let attached = media.handle().message(
        json!({"request": "join", "ptype": "subscriber", "room": room, "streams": [{"feed": feed}]}),
    )?;
    let offer = attached
        .jsep
        .ok_or("the subscription came without an offer")?;
    media.use_files(media.open_files(&[] as &[&str], outputs)?);
    media.answer(&offer, json!({"request": "start"}))?;
    println!("subscribed to feed {feed} of room {room}; recording {seconds} s");

    let end = Instant::now() + Duration::from_secs(seconds);
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        match media.recv_timeout(left) {
            Ok(Event::Media(MediaEvent::Connected)) => println!("receiving"),
            Ok(Event::Media(MediaEvent::Ended(reason))) => return Err(reason.to_string().into()),
            _ => {}
        }
    }
    media.close();
    for output in outputs {
        println!("recorded {output}");
    }
    Ok(())
}

/// The id of the room's first publisher, waiting up to 10 s for one.
fn first_publisher(
    media: &MediaHandle,
    room: u64,
) -> Result<janus_blocking::janus_core::serde_json::Value, Box<dyn std::error::Error>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let list = media
            .handle()
            .message(json!({"request": "listparticipants", "room": room}))?;
        let participants = list.data["participants"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if let Some(p) = participants.iter().find(|p| p["publisher"] == true) {
            return Ok(p["id"].clone());
        }
        if Instant::now() > deadline {
            return Err(format!("no publisher in room {room}").into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}
