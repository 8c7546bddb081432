//! Janus's Unix-socket transport (`janus.transport.pfunix`), written once
//! for every driver: the URL schemes and the packet socket itself.
//!
//! * `unix:///run/janus/api.sock` is a `SOCK_SEQPACKET` connection: like a
//!   WebSocket, sessions belong to it, an end of file is a close (reconnect
//!   and `claim` follow, as over a WebSocket), and Janus closes it when any
//!   one of its sessions times out (the others stay alive and are claimed
//!   on the new connection).
//! * `unix+dgram:///run/janus/api.sock` is a `SOCK_DGRAM` socket: Janus
//!   answers only a client bound to a filesystem path, so the socket binds
//!   one (a fresh path in the temporary directory, removed when the socket
//!   is dropped, or the `bind` query parameter:
//!   `unix+dgram:///run/janus/api.sock?bind=/run/me/janus.sock`). There is
//!   no connection: the socket counts as connected once bound and connected
//!   to the server's path, and as closed when a send fails (the server's
//!   socket is gone) or when nothing answers within the engine's link
//!   timeout; sessions rely on their keepalives.
//!
//! Janus reads at most 8 KiB of a request ([`janus_core::UNIX_MAX_REQUEST`]),
//! so the engine refuses longer ones before they are sent. The server must
//! be on the same host.

use std::path::PathBuf;

#[cfg(unix)]
mod socket;
#[cfg(unix)]
pub use socket::PacketSocket;

/// The two socket types Janus's Unix-socket transport can listen with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SocketType {
    /// `SOCK_SEQPACKET` (URL scheme `unix://`): a connection of packets.
    SeqPacket,
    /// `SOCK_DGRAM` (URL scheme `unix+dgram://`): datagrams, no connection.
    Datagram,
}

/// Where a Unix-socket URL points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnixTarget {
    /// The server's socket path (Janus's `path`, or `admin_path`).
    pub path: PathBuf,
    /// The socket type Janus listens with (its `type`, or `admin_type`).
    pub kind: SocketType,
    /// `SOCK_DGRAM`: the path this client binds (its `bind` query
    /// parameter); `None`: a fresh path in the temporary directory.
    pub bind: Option<PathBuf>,
}

/// The URL schemes of the Unix-socket transport.
pub const SCHEMES: [&str; 2] = ["unix", "unix+dgram"];

/// Parses `unix://PATH` and `unix+dgram://PATH[?bind=PATH]` (the scheme in
/// any case); `None` for any other scheme.
pub fn parse(url: &str) -> Option<Result<UnixTarget, String>> {
    let (scheme, rest) = url.split_once("://")?;
    let kind = match scheme.to_ascii_lowercase().as_str() {
        "unix" => SocketType::SeqPacket,
        "unix+dgram" => SocketType::Datagram,
        _ => return None,
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() {
        return Some(Err(
            "the URL names no socket path (e.g. unix:///run/janus.sock)".into(),
        ));
    }
    let mut bind = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("bind", p)) if kind == SocketType::Datagram && !p.is_empty() => {
                bind = Some(PathBuf::from(p))
            }
            _ => {
                return Some(Err(format!(
                    "unknown parameter {pair:?} (only `bind=PATH`, for unix+dgram://)"
                )))
            }
        }
    }
    Some(Ok(UnixTarget {
        path: PathBuf::from(path),
        kind,
        bind,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn urls() {
        let t = parse("unix:///run/janus.sock").unwrap().unwrap();
        assert_eq!(
            (t.path.to_str(), t.kind, t.bind),
            (Some("/run/janus.sock"), SocketType::SeqPacket, None)
        );
        let t = parse("UNIX+DGRAM:///run/j.sock?bind=/tmp/me.sock")
            .unwrap()
            .unwrap();
        assert_eq!(t.kind, SocketType::Datagram);
        assert_eq!(t.bind.as_deref(), Some(Path::new("/tmp/me.sock")));
        assert!(parse("ws://x").is_none());
        assert!(parse("unix://")
            .unwrap()
            .unwrap_err()
            .contains("no socket path"));
        let bad = parse("unix:///x?bind=/y").unwrap().unwrap_err();
        assert!(bad.contains("unknown parameter"), "{bad}");
    }
}
