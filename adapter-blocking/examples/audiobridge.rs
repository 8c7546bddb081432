//! AudioBridge, blocking: a mixing room is created, a participant joins (no media: the join is signalling only), the participants are listed, it leaves, the room is destroyed.
//!
//! ```sh
//! cargo run -p janus-blocking --example audiobridge -- ws://127.0.0.1:8188
//! ```
//!
//! (`cargo run -p janus-tests --example serve -- --plugins audiobridge` starts a private Janus with
//! the plugin loaded.)

use janus_blocking::{Client, Error};

fn main() -> Result<(), Error> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "ws://127.0.0.1:8188".to_owned());
    let janus = Client::connect(&url)?;
    let session = janus.create_session()?;
    use janus_blocking::janus_core::plugins::audiobridge::{self as ab, AudioBridge};
    let handle = session.attach_as::<AudioBridge>()?;
    let room = handle
        .send(
            &ab::Create::new()
                .description("example bridge")
                .sampling_rate(16_000u32),
        )?
        .room;
    println!("created bridge {room}");
    let joined = handle.send(&ab::Join::new(room.clone()).display("alice"))?;
    println!("joined as {}", joined.id);
    let listed = handle.send(&ab::ListParticipants::new(room.clone()))?;
    println!("{} participants", listed.participants.len());
    handle.send(&ab::Leave::default())?;
    handle.send(&ab::Destroy::new(room.clone()))?;
    println!("bridge {room} destroyed");
    session.destroy()?;
    janus.close();
    Ok(())
}
