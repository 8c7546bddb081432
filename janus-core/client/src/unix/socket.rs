//! The packet socket itself (Unix only).

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rustix::net::{self as sys, AddressFamily, RecvFlags, SendFlags, SocketAddrUnix, SocketFlags};

use super::{SocketType, UnixTarget};

/// A non-blocking Unix packet socket to Janus: one JSON document per
/// packet. A datagram socket's own path is removed when it is dropped.
#[derive(Debug)]
pub struct PacketSocket {
    fd: OwnedFd,
    kind: SocketType,
    /// The path this socket bound (datagram sockets), removed on drop.
    bound: Option<PathBuf>,
}

impl PacketSocket {
    /// Opens a socket to `target`: connects a `SOCK_SEQPACKET` socket, or
    /// binds a `SOCK_DGRAM` socket to its own path and connects it to the
    /// server's. Never blocks (a Unix connect completes at once, or fails).
    pub fn connect(target: &UnixTarget) -> io::Result<Self> {
        let (kind, bound) = match target.kind {
            SocketType::SeqPacket => (sys::SocketType::SEQPACKET, None),
            SocketType::Datagram => (
                sys::SocketType::DGRAM,
                Some(target.bind.clone().unwrap_or_else(fresh_path)),
            ),
        };
        let flags = SocketFlags::NONBLOCK | SocketFlags::CLOEXEC;
        let fd = sys::socket_with(AddressFamily::UNIX, kind, flags, None)?;
        let mut socket = Self {
            fd,
            kind: target.kind,
            bound: None,
        };
        if let Some(path) = bound {
            sys::bind(&socket.fd, &SocketAddrUnix::new(&path)?).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot bind {}: {e}", path.display()))
            })?;
            socket.bound = Some(path);
        }
        let server = SocketAddrUnix::new(&target.path)?;
        sys::connect(&socket.fd, &server).map_err(|e| {
            let hint = match e {
                rustix::io::Errno::NOENT => {
                    " (no such socket: is Janus's pfunix transport on, with this `path`?)"
                }
                rustix::io::Errno::CONNREFUSED => " (nothing listens there: is Janus running?)",
                rustix::io::Errno::PROTOTYPE => {
                    " (wrong socket type: unix:// is SOCK_SEQPACKET, unix+dgram:// SOCK_DGRAM)"
                }
                rustix::io::Errno::AGAIN => " (the server's backlog is full)",
                _ => "",
            };
            io::Error::new(
                io::Error::from(e).kind(),
                format!("{}: {e}{hint}", target.path.display()),
            )
        })?;
        Ok(socket)
    }

    /// The socket type.
    pub fn kind(&self) -> SocketType {
        self.kind
    }

    /// The path a datagram socket bound (`None` for `SOCK_SEQPACKET`).
    pub fn bound_path(&self) -> Option<&Path> {
        self.bound.as_deref()
    }

    /// Sends one packet; `WouldBlock` when the socket's buffer is full.
    pub fn send(&self, packet: &[u8]) -> io::Result<()> {
        let sent = sys::send(&self.fd, packet, SendFlags::NOSIGNAL)?;
        if sent != packet.len() {
            return Err(io::Error::new(
                io::ErrorKind::WriteZero,
                format!("a packet of {} bytes went out as {sent}", packet.len()),
            ));
        }
        Ok(())
    }

    /// Receives one whole packet, whatever its size; `WouldBlock` means
    /// nothing waits. `Ok(None)` is the end of a `SOCK_SEQPACKET`
    /// connection (or an empty datagram, which Janus never sends: only the
    /// server's socket can send to this one).
    pub fn recv(&self) -> io::Result<Option<Vec<u8>>> {
        // The packet's size, without taking it.
        let mut none = [0u8; 0];
        let (_, size) = sys::recv(&self.fd, &mut none[..], RecvFlags::PEEK | RecvFlags::TRUNC)?;
        if size == 0 {
            return Ok(None);
        }
        let mut packet = vec![0; size];
        let (n, _) = sys::recv(&self.fd, &mut packet[..], RecvFlags::empty())?;
        packet.truncate(n);
        Ok(Some(packet))
    }

    /// Shuts the connection down both ways (the peer sees an end of file).
    pub fn shutdown(&self) -> io::Result<()> {
        Ok(sys::shutdown(&self.fd, sys::Shutdown::Both)?)
    }
}

impl AsFd for PacketSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl std::os::fd::AsRawFd for PacketSocket {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        std::os::fd::AsRawFd::as_raw_fd(&self.fd)
    }
}

impl Drop for PacketSocket {
    fn drop(&mut self) {
        if let Some(path) = &self.bound {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A path no other socket of this process uses, in the temporary directory.
fn fresh_path() -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("janus-rs-{}-{n}.sock", std::process::id()));
    // Left over by an earlier process of the same id.
    let _ = std::fs::remove_file(&path);
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::{UnixDatagram, UnixListener};

    /// A fresh directory for one test, and the server's socket path in it.
    fn scratch(test: &str) -> (PathBuf, PathBuf) {
        let dir = std::env::temp_dir().join(format!("janus-rs-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let server = dir.join("server.sock");
        (dir, server)
    }

    /// The next packet (or the end), waiting for it.
    fn wait_recv(socket: &PacketSocket) -> Option<Vec<u8>> {
        loop {
            match socket.recv() {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::yield_now(),
                other => break other.unwrap(),
            }
        }
    }

    #[test]
    fn a_datagram_socket_binds_its_own_path_and_removes_it() {
        let (dir, server_path) = scratch("dgram");
        let server = UnixDatagram::bind(&server_path).unwrap();
        let mut target = UnixTarget {
            path: server_path.clone(),
            kind: SocketType::Datagram,
            bind: None,
        };
        let socket = PacketSocket::connect(&target).unwrap();
        let own = socket.bound_path().unwrap().to_owned();
        assert!(own.exists());
        socket.send(b"{\"janus\":\"ping\"}").unwrap();
        let mut buf = [0u8; 64];
        let (n, from) = server.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"{\"janus\":\"ping\"}");
        assert_eq!(from.as_pathname(), Some(own.as_path()));
        // A packet larger than any fixed buffer arrives whole.
        let big = vec![b'x'; 100_000];
        server.send_to(&big, &own).unwrap();
        assert_eq!(wait_recv(&socket).as_deref(), Some(&big[..]));
        assert_eq!(socket.recv().unwrap_err().kind(), io::ErrorKind::WouldBlock);
        drop(socket);
        assert!(!own.exists(), "its own path is removed on drop");
        // A path of the caller's choosing, removed on drop as well.
        let chosen = dir.join("me.sock");
        target.bind = Some(chosen.clone());
        let socket = PacketSocket::connect(&target).unwrap();
        assert_eq!(socket.bound_path(), Some(chosen.as_path()));
        socket.send(b"{}").unwrap();
        let (_, from) = server.recv_from(&mut buf).unwrap();
        assert_eq!(from.as_pathname(), Some(chosen.as_path()));
        // The server gone, a send fails: that is the datagram socket's close.
        drop(server);
        std::fs::remove_file(&server_path).unwrap();
        assert!(socket.send(b"{}").is_err());
        drop(socket);
        assert!(!chosen.exists());
        let gone = PacketSocket::connect(&target).unwrap_err().to_string();
        assert!(gone.contains("no such socket"), "{gone}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_seqpacket_connection_carries_packets_and_ends_with_an_end_of_file() {
        let (dir, path) = scratch("seqpacket");
        let listener = sys::socket(AddressFamily::UNIX, sys::SocketType::SEQPACKET, None).unwrap();
        sys::bind(&listener, &SocketAddrUnix::new(&path).unwrap()).unwrap();
        sys::listen(&listener, 4).unwrap();
        let target = UnixTarget {
            path: path.clone(),
            kind: SocketType::SeqPacket,
            bind: None,
        };
        let socket = PacketSocket::connect(&target).unwrap();
        assert_eq!(
            (socket.kind(), socket.bound_path()),
            (SocketType::SeqPacket, None)
        );
        let server = sys::accept(&listener).unwrap();
        socket.send(b"one").unwrap();
        socket.send(b"two").unwrap();
        let mut buf = [0u8; 16];
        let (n, _) = sys::recv(&server, &mut buf[..], RecvFlags::empty()).unwrap();
        assert_eq!(&buf[..n], b"one", "packets keep their boundaries");
        let (n, _) = sys::recv(&server, &mut buf[..], RecvFlags::empty()).unwrap();
        assert_eq!(&buf[..n], b"two");
        sys::send(&server, b"{\"janus\":\"ack\"}", SendFlags::empty()).unwrap();
        drop(server);
        assert_eq!(
            wait_recv(&socket).as_deref(),
            Some(&b"{\"janus\":\"ack\"}"[..])
        );
        assert_eq!(wait_recv(&socket), None, "the end of the connection");
        // A stream listener is the wrong type, which the error says.
        drop(listener);
        std::fs::remove_file(&path).unwrap();
        let _stream = UnixListener::bind(&path).unwrap();
        let wrong = PacketSocket::connect(&target).unwrap_err().to_string();
        assert!(wrong.contains("wrong socket type"), "{wrong}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
