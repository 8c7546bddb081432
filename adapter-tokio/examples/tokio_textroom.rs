//! TextRoom, on tokio: a chat room is created, listed, its (empty) participant list read, then destroyed (chat itself runs over a data channel).
//!
//! ```sh
//! cargo run -p janus-tokio --example tokio_textroom -- ws://127.0.0.1:8188
//! ```
//!
//! (`cargo run -p janus-tests --example serve -- --plugins textroom` starts a private Janus with
//! the plugin loaded.)

use janus_tokio::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ws://127.0.0.1:8188".to_owned());
    let janus = Client::connect(&url).await?;
    let session = janus.create_session().await?;
    use janus_tokio::janus_core::plugins::textroom::{self as tr, TextRoom};
    let handle = session.attach_as::<TextRoom>().await?;
    let room = handle
        .send(&tr::Create::new().description("example chat").history(10u32))
        .await?
        .room;
    println!("created chat room {room}");
    let listed = handle.send(&tr::List::new()).await?;
    println!("{} rooms", listed.list.len());
    let participants = handle
        .send(&tr::ListParticipants::new(room.clone()))
        .await?;
    println!("{} participants", participants.participants.len());
    handle.send(&tr::Destroy::new(room.clone())).await?;
    println!("chat room {room} destroyed");
    session.destroy().await?;
    janus.close().await;
    Ok(())
}
