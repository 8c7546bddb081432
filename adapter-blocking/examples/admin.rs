//! The Admin API, blocking: the server's settings, its sessions and
//! handles, and a stored token added and removed (when token
//! authentication is on).
//!
//! ```sh
//! cargo run -p janus-blocking --example admin -- http://127.0.0.1:7088/admin janusoverlord
//! ```

use janus_blocking::janus_core::admin::{
    AddToken, GetHandleInfo, GetStatus, ListHandles, ListSessions, ListTokens, RemoveToken,
};
use janus_blocking::{AdminClient, Error};

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:7088/admin".to_owned());
    let secret = args.next().unwrap_or_else(|| "janusoverlord".to_owned());

    let admin = AdminClient::connect(&url, secret.as_str())?;
    let status = admin.call(GetStatus)?;
    println!("{url}: {status:?}");
    for session in admin.call(ListSessions)? {
        for handle in admin.call(ListHandles::new(session))? {
            let info = admin.call(GetHandleInfo::new(session, handle))?;
            println!(
                "{session}/{handle}: {} ICE {:?} DTLS {:?}",
                info.plugin.as_deref().unwrap_or("?"),
                info.ice_state(),
                info.dtls_state()
            );
        }
    }
    if status.token_auth == Some(true) {
        let plugins =
            admin.call(AddToken::new("example-token").plugins(["janus.plugin.echotest"]))?;
        println!("added example-token for {plugins:?}");
        println!("tokens: {:?}", admin.call(ListTokens)?);
        admin.call(RemoveToken::new("example-token"))?;
        println!("removed example-token");
    }
    admin.close();
    Ok(())
}
