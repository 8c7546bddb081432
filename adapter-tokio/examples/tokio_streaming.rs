//! Streaming, on tokio: an RTP mountpoint is created (Janus listens for Opus on a port), listed and described, then destroyed.
//!
//! ```sh
//! cargo run -p janus-tokio --example tokio_streaming -- ws://127.0.0.1:8188
//! ```
//!
//! (`cargo run -p janus-tests --example serve -- --plugins streaming` starts a private Janus with
//! the plugin loaded.)

use janus_tokio::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ws://127.0.0.1:8188".to_owned());
    let janus = Client::connect(&url).await?;
    let session = janus.create_session().await?;
    use janus_tokio::janus_core::plugins::streaming::{
        self, MediaType, RtpMedia, SourceType, Streaming,
    };
    let handle = session.attach_as::<Streaming>().await?;
    let media = vec![RtpMedia::new(MediaType::Audio, "a", 0)
        .iface("127.0.0.1")
        .pt(111u8)
        .codec("opus/48000/2")];
    let created = handle
        .send(
            &streaming::Create::new(SourceType::Rtp)
                .name("example")
                .description("example")
                .media(media),
        )
        .await?;
    let id = created.stream.id;
    println!("mountpoint {id} created");
    let list = handle.send(&streaming::List::default()).await?;
    println!("{} mountpoints", list.list.len());
    let info = handle.send(&streaming::Info::new(id.clone())).await?;
    println!("{:?}", info.info.description);
    handle.send(&streaming::Destroy::new(id.clone())).await?;
    println!("mountpoint {id} destroyed");
    session.destroy().await?;
    janus.close().await;
    Ok(())
}
