//! What a runtime adapter supplies: spawning, sleeping, and opening sockets.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::time::{Duration, Instant};

use futures_core::Stream;
use futures_util::Sink;
use tungstenite::Message;

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// An open WebSocket: a stream of messages and a sink for them, as given by
/// `tokio-tungstenite` and `async-tungstenite`.
pub trait WebSocket:
    Stream<Item = Result<Message, tungstenite::Error>>
    + Sink<Message, Error = tungstenite::Error>
    + Send
    + 'static
{
}

impl<T> WebSocket for T where
    T: Stream<Item = Result<Message, tungstenite::Error>>
        + Sink<Message, Error = tungstenite::Error>
        + Send
        + 'static
{
}

/// A boxed [`WebSocket`].
pub type BoxWebSocket = Pin<Box<dyn WebSocket>>;

/// A byte stream hyper can speak HTTP/1.1 over (TCP, or TLS over TCP).
pub trait HttpIo: hyper::rt::Read + hyper::rt::Write + Send + Unpin + 'static {}

impl<T> HttpIo for T where T: hyper::rt::Read + hyper::rt::Write + Send + Unpin + 'static {}

/// A boxed [`HttpIo`].
pub type BoxHttpIo = Box<dyn HttpIo>;

/// A bound UDP socket, as a runtime gives it (for media).
pub trait UdpIo: Send + Sync + 'static {
    /// Receives one datagram, or registers `cx` to be woken when one can be.
    fn poll_recv_from(
        &self,
        cx: &mut std::task::Context<'_>,
        buf: &mut [u8],
    ) -> std::task::Poll<io::Result<(usize, std::net::SocketAddr)>>;

    /// Sends one datagram now, or fails with `WouldBlock` (the datagram is
    /// then dropped, as UDP may).
    fn try_send_to(&self, buf: &[u8], to: std::net::SocketAddr) -> io::Result<usize>;

    /// The address it is bound to.
    fn local_addr(&self) -> io::Result<std::net::SocketAddr>;
}

/// A shared [`UdpIo`].
pub type BoxUdp = std::sync::Arc<dyn UdpIo>;

/// Connections accepted by a listener, one after the other.
pub type Accepting<T> = Pin<Box<dyn Stream<Item = io::Result<T>> + Send + 'static>>;

pub use janus_client::net::Endpoint;

/// The glue between the shared client and one async runtime.
///
/// `janus-tokio` and `janus-smol` each implement it in a few dozen lines;
/// everything else (the driver loop, the waiters, the event fan-out, the
/// HTTP exchanges) is written once in this crate.
pub trait Runtime: Send + Sync + 'static {
    /// Runs `future` in the background (the connection's driver, and each
    /// HTTP connection's I/O).
    fn spawn(future: BoxFuture<()>);

    /// A future that completes at `deadline` (or soon after).
    fn sleep_until(deadline: Instant) -> BoxFuture<()>;

    /// Opens a WebSocket to `endpoint` with the `janus-protocol`
    /// subprotocol (see [`websocket_request`](crate::websocket_request)),
    /// giving up after `timeout`.
    fn connect_websocket(
        endpoint: Endpoint,
        timeout: Duration,
    ) -> BoxFuture<Result<BoxWebSocket, String>>;

    /// Opens a TCP connection (wrapped in TLS if `endpoint.tls`) for
    /// HTTP/1.1, giving up after `timeout`.
    fn connect_http(endpoint: Endpoint, timeout: Duration) -> BoxFuture<io::Result<BoxHttpIo>>;

    /// Listens on the TCP address `addr` for plain HTTP/1.1 connections;
    /// gives the address bound and the connections as they come.
    fn listen_http(
        addr: String,
    ) -> BoxFuture<io::Result<(std::net::SocketAddr, Accepting<BoxHttpIo>)>>;

    /// Registers a Unix packet socket (Janus's Unix-socket transport,
    /// already connected and non-blocking) with the runtime's reactor.
    #[cfg(unix)]
    fn packet_socket(socket: janus_client::unix::PacketSocket) -> io::Result<crate::BoxPacketIo>;

    /// Listens on the TCP address `addr` for WebSocket connections (the
    /// server side of the handshake done); gives the address bound and the
    /// sockets as they come.
    fn listen_websocket(
        addr: String,
    ) -> BoxFuture<io::Result<(std::net::SocketAddr, Accepting<BoxWebSocket>)>>;

    /// Binds a UDP socket at `addr` (a media handle's). Runtimes that
    /// supply none keep this default, which refuses.
    fn bind_udp(addr: std::net::SocketAddr) -> BoxFuture<io::Result<BoxUdp>> {
        let _ = addr;
        Box::pin(async {
            Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "this runtime adapter supplies no UDP sockets, so it cannot run media",
            ))
        })
    }
}

/// Opens what `endpoint` names: a Unix socket for `unix://` and
/// `unix+dgram://` (seen as a WebSocket whose messages are packets), a
/// WebSocket otherwise.
pub(crate) fn open_link<R: Runtime>(
    endpoint: Endpoint,
    timeout: Duration,
) -> BoxFuture<Result<BoxWebSocket, String>> {
    match &endpoint.unix {
        #[cfg(unix)]
        Some(target) => crate::unix::open::<R>(target),
        #[cfg(not(unix))]
        Some(_) => Box::pin(async { Err("Unix sockets need a Unix system".to_owned()) }),
        None => R::connect_websocket(endpoint, timeout),
    }
}
