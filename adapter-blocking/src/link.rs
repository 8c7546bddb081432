//! The socket of the WebSocket flavour: a WebSocket, or a Unix packet
//! socket to Janus's Unix-socket transport (one message per packet).

use crate::ws;
use janus_client::net::Endpoint;
use std::time::Duration;
use tungstenite::Message;

#[cfg(unix)]
use janus_client::unix::PacketSocket;
#[cfg(unix)]
use std::{collections::VecDeque, io};

/// An open socket, in non-blocking mode.
pub(crate) enum Socket {
    /// A WebSocket (tungstenite).
    Ws(Box<ws::Socket>),
    /// A Unix packet socket, with the packets not yet sent.
    #[cfg(unix)]
    Unix {
        socket: PacketSocket,
        outbox: VecDeque<Vec<u8>>,
    },
}

impl Socket {
    /// Opens what `endpoint` names; `timeout` bounds a WebSocket's connect
    /// and handshakes (a Unix socket connects at once or fails).
    pub(crate) fn connect(endpoint: &Endpoint, timeout: Duration) -> Result<Socket, String> {
        match &endpoint.unix {
            #[cfg(unix)]
            Some(target) => Ok(Socket::Unix {
                socket: PacketSocket::connect(target).map_err(|e| e.to_string())?,
                outbox: VecDeque::new(),
            }),
            #[cfg(not(unix))]
            Some(_) => Err("Unix sockets need a Unix system".into()),
            None => Ok(Socket::Ws(Box::new(ws::connect(endpoint, timeout)?))),
        }
    }

    /// Queues a message (a WebSocket may send part of it at once).
    pub(crate) fn write(&mut self, text: String) -> Result<(), tungstenite::Error> {
        match self {
            Socket::Ws(s) => s.write(Message::text(text)),
            #[cfg(unix)]
            Socket::Unix { outbox, .. } => {
                outbox.push_back(text.into_bytes());
                Ok(())
            }
        }
    }

    /// Sends what is queued; `WouldBlock` when the socket is full.
    pub(crate) fn flush(&mut self) -> Result<(), tungstenite::Error> {
        match self {
            Socket::Ws(s) => s.flush(),
            #[cfg(unix)]
            Socket::Unix { socket, outbox } => {
                while let Some(packet) = outbox.front() {
                    socket.send(packet)?;
                    outbox.pop_front();
                }
                Ok(())
            }
        }
    }

    /// Reads one message; `WouldBlock` when none waits.
    pub(crate) fn read(&mut self) -> Result<Message, tungstenite::Error> {
        match self {
            Socket::Ws(s) => s.read(),
            #[cfg(unix)]
            Socket::Unix { socket, .. } => match socket.recv()? {
                Some(packet) => Ok(Message::Binary(packet.into())),
                None => Err(io::Error::new(
                    io::ErrorKind::ConnectionReset,
                    "the server closed the Unix socket",
                )
                .into()),
            },
        }
    }

    /// Closes the socket (a WebSocket with a close frame, briefly blocking).
    pub(crate) fn close(self) {
        match self {
            Socket::Ws(s) => ws::close(*s),
            #[cfg(unix)]
            Socket::Unix { socket, .. } => {
                let _ = socket.shutdown();
            }
        }
    }

    /// Test hook: cuts the connection under a WebSocket or a `SOCK_SEQPACKET`
    /// socket, as the network would (the next read sees it); returns false
    /// for a datagram socket, which has no connection to cut: the caller
    /// drops it instead.
    #[cfg(feature = "test-hooks")]
    pub(crate) fn cut(&self) -> bool {
        match self {
            Socket::Ws(s) => {
                if let Some(tcp) = ws::tcp_of(s) {
                    let _ = tcp.shutdown(std::net::Shutdown::Both);
                }
                true
            }
            #[cfg(unix)]
            Socket::Unix { socket, .. } => {
                socket.kind() == janus_client::unix::SocketType::SeqPacket
                    && socket.shutdown().is_ok()
            }
        }
    }

    /// The descriptor to wait on.
    #[cfg(unix)]
    pub(crate) fn fd(&self) -> Option<std::os::fd::BorrowedFd<'_>> {
        use std::os::fd::AsFd;
        match self {
            Socket::Ws(s) => ws::tcp_of(s).map(|t| t.as_fd()),
            Socket::Unix { socket, .. } => Some(socket.as_fd()),
        }
    }
}
