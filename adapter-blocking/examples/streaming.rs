//! Streaming, blocking: an RTP mountpoint is created (Janus listens for Opus on a port), listed and described, then destroyed.
//!
//! ```sh
//! cargo run -p janus-blocking --example streaming -- ws://127.0.0.1:8188
//! ```
//!
//! (`cargo run -p janus-tests --example serve -- --plugins streaming` starts a private Janus with
//! the plugin loaded.)

use janus_blocking::{Client, Error};

fn main() -> Result<(), Error> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ws://127.0.0.1:8188".to_owned());
    let janus = Client::connect(&url)?;
    let session = janus.create_session()?;
    use janus_blocking::janus_core::plugins::streaming::{
        self, MediaType, RtpMedia, SourceType, Streaming,
    };
    let handle = session.attach_as::<Streaming>()?;
    let media = vec![RtpMedia::new(MediaType::Audio, "a", 0)
        .iface("127.0.0.1")
        .pt(111u8)
        .codec("opus/48000/2")];
    let created = handle.send(
        &streaming::Create::new(SourceType::Rtp)
            .name("example")
            .description("example")
            .media(media),
    )?;
    let id = created.stream.id;
    println!("mountpoint {id} created");
    let list = handle.send(&streaming::List::default())?;
    println!("{} mountpoints", list.list.len());
    let info = handle.send(&streaming::Info::new(id.clone()))?;
    println!("{:?}", info.info.description);
    handle.send(&streaming::Destroy::new(id.clone()))?;
    println!("mountpoint {id} destroyed");
    session.destroy()?;
    janus.close();
    Ok(())
}
