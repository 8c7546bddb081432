//! Janus's Unix-socket transport on any runtime: the packet socket of
//! [`janus_client::unix`] registered with the runtime's reactor
//! ([`Runtime::packet_socket`]) and seen by the driver as a WebSocket whose
//! messages are packets. The end of a `SOCK_SEQPACKET` connection ends the
//! stream; a failed send fails the sink (for `SOCK_DGRAM`, the only sign
//! that the server's socket is gone).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::Sink;
use janus_client::unix::{PacketSocket, UnixTarget};
use tungstenite::Message;

use crate::runtime::{BoxFuture, BoxWebSocket, Runtime};

/// A Unix packet socket registered with a runtime's reactor.
pub trait PacketIo: Send + Sync + 'static {
    /// Receives one packet (`None`: the end of the connection), or
    /// registers the waker until one may have come.
    fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>>;

    /// Sends one packet, or registers the waker until there is room.
    fn poll_send(&self, cx: &mut Context<'_>, packet: &[u8]) -> Poll<io::Result<()>>;

    /// The socket itself.
    fn socket(&self) -> &PacketSocket;
}

/// A boxed [`PacketIo`].
pub type BoxPacketIo = Box<dyn PacketIo>;

/// Opens the Unix socket `target` names, seen as a WebSocket (when polled,
/// so within the runtime: a Unix connect completes at once or fails).
pub(crate) fn open<R: Runtime>(target: &UnixTarget) -> BoxFuture<Result<BoxWebSocket, String>> {
    let target = target.clone();
    Box::pin(async move {
        let io = PacketSocket::connect(&target)
            .and_then(R::packet_socket)
            .map_err(|e| e.to_string())?;
        Ok(Box::pin(Packets {
            io,
            pending: None,
            done: false,
        }) as BoxWebSocket)
    })
}

/// Packets as WebSocket messages.
struct Packets {
    io: BoxPacketIo,
    /// A packet given to the sink and not yet sent.
    pending: Option<Vec<u8>>,
    /// The end of the connection was read.
    done: bool,
}

impl Packets {
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), tungstenite::Error>> {
        if let Some(packet) = &self.pending {
            futures_util::ready!(self.io.poll_send(cx, packet))?;
            self.pending = None;
        }
        Poll::Ready(Ok(()))
    }
}

impl Stream for Packets {
    type Item = Result<Message, tungstenite::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        match futures_util::ready!(self.io.poll_recv(cx)) {
            Ok(Some(packet)) => Poll::Ready(Some(Ok(Message::Binary(packet.into())))),
            Ok(None) => {
                self.done = true;
                Poll::Ready(None)
            }
            Err(e) => Poll::Ready(Some(Err(e.into()))),
        }
    }
}

impl Sink<Message> for Packets {
    type Error = tungstenite::Error;

    fn poll_ready(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.poll_pending(cx)
    }

    fn start_send(mut self: Pin<&mut Self>, message: Message) -> Result<(), Self::Error> {
        match message {
            Message::Text(text) => self.pending = Some(text.as_bytes().to_vec()),
            Message::Binary(bytes) => self.pending = Some(bytes.to_vec()),
            // Nothing to say on a Unix socket: its close is its shutdown.
            _ => {}
        }
        Ok(())
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.poll_pending(cx)
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let flushed = futures_util::ready!(self.poll_pending(cx));
        let _ = self.io.socket().shutdown();
        Poll::Ready(flushed)
    }
}
