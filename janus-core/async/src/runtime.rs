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

    /// Which instance of the runtime the calling task runs on: connections
    /// that outlive a task (the shared RabbitMQ connection) are shared only
    /// among tasks of one instance. Runtimes with one global executor keep
    /// this default.
    fn instance() -> u64 {
        0
    }

    /// Opens an AMQP connection to `uri` (Janus's RabbitMQ transport).
    /// Runtimes that supply none keep this default, which refuses.
    #[cfg(feature = "amqp")]
    fn connect_amqp(
        uri: lapin::uri::AMQPUri,
        properties: lapin::ConnectionProperties,
    ) -> BoxFuture<Result<lapin::Connection, String>> {
        let _ = (uri, properties);
        Box::pin(async {
            Err(
                "this runtime adapter supplies no AMQP connections: use janus-tokio or \
                 janus-smol with their `amqp` feature"
                    .to_owned(),
            )
        })
    }

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

/// `future`'s output, or `None` once `timeout` passed (on runtime `R`'s
/// clock).
pub(crate) async fn within<R: Runtime, T>(
    timeout: Duration,
    future: impl Future<Output = T>,
) -> Option<T> {
    let sleep = R::sleep_until(Instant::now() + timeout);
    match futures_util::future::select(std::pin::pin!(future), sleep).await {
        futures_util::future::Either::Left((out, _)) => Some(out),
        futures_util::future::Either::Right(_) => None,
    }
}

/// An open link to the server as the driver sees it.
pub(crate) enum Link {
    /// A WebSocket, or a Unix socket seen as one.
    Socket(BoxWebSocket),
    /// A channel and queue on a RabbitMQ broker.
    #[cfg(feature = "amqp")]
    Amqp(Box<crate::amqp::AmqpLink>),
}

/// What is read from a link.
pub(crate) enum Received {
    /// A frame for the engine.
    Frame(Vec<u8>),
    /// A WebSocket ping (answered at the next flush).
    Ping,
    /// A WebSocket close.
    Close,
    /// Nothing for the engine.
    Other,
}

impl Link {
    pub(crate) fn poll_next(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Received, String>>> {
        use futures_util::StreamExt;
        match self {
            Link::Socket(socket) => socket.poll_next_unpin(cx).map(|message| {
                message.map(|m| match m {
                    Ok(Message::Text(text)) => Ok(Received::Frame(text.as_bytes().to_vec())),
                    Ok(Message::Binary(bytes)) => Ok(Received::Frame(bytes.into())),
                    Ok(Message::Ping(_)) => Ok(Received::Ping),
                    Ok(Message::Close(_)) => Ok(Received::Close),
                    Ok(_) => Ok(Received::Other),
                    Err(e) => Err(e.to_string()),
                })
            }),
            #[cfg(feature = "amqp")]
            Link::Amqp(link) => link
                .poll_next(cx)
                .map(|m| m.map(|m| m.map(Received::Frame).map_err(|e| e.to_string()))),
        }
    }

    pub(crate) fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), String>> {
        match self {
            Link::Socket(socket) => socket.as_mut().poll_ready(cx).map_err(|e| e.to_string()),
            #[cfg(feature = "amqp")]
            Link::Amqp(link) => link.poll_ready(cx).map_err(|e| e.to_string()),
        }
    }

    /// Sends `text`; over RabbitMQ it expires after the timeout
    /// `timeout_of` gives for its transaction.
    pub(crate) fn start_send(
        &mut self,
        text: String,
        timeout_of: impl FnOnce(&str) -> Option<Duration>,
    ) -> Result<(), String> {
        match self {
            Link::Socket(socket) => {
                let _ = timeout_of;
                socket
                    .as_mut()
                    .start_send(Message::text(text))
                    .map_err(|e| e.to_string())
            }
            #[cfg(feature = "amqp")]
            Link::Amqp(link) => link.start_send(text, timeout_of).map_err(|e| e.to_string()),
        }
    }

    pub(crate) fn poll_flush(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), String>> {
        match self {
            Link::Socket(socket) => socket.as_mut().poll_flush(cx).map_err(|e| e.to_string()),
            #[cfg(feature = "amqp")]
            Link::Amqp(link) => link.poll_flush(cx).map_err(|e| e.to_string()),
        }
    }

    pub(crate) fn poll_close(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), String>> {
        match self {
            Link::Socket(socket) => socket.as_mut().poll_close(cx).map_err(|e| e.to_string()),
            #[cfg(feature = "amqp")]
            Link::Amqp(link) => link.poll_close(cx).map_err(|e| e.to_string()),
        }
    }
}

/// Opens what `endpoint` names: a Unix socket for `unix://` and
/// `unix+dgram://` (seen as a WebSocket whose messages are packets), a
/// channel on a RabbitMQ broker for `amqp://`, a WebSocket otherwise.
/// `config` is the engine's (the transaction prefix and the default
/// timeout RabbitMQ needs).
pub(crate) fn open_link<R: Runtime>(
    endpoint: Endpoint,
    config: &janus_core::Config,
    timeout: Duration,
) -> BoxFuture<Result<Link, String>> {
    if let Some(target) = &endpoint.amqp {
        #[cfg(feature = "amqp")]
        {
            let open = crate::amqp::open::<R>(
                target,
                config.transaction_prefix.clone(),
                config.request_timeout,
                timeout,
            );
            return Box::pin(async move { Ok(Link::Amqp(Box::new(open.await?))) });
        }
        #[cfg(not(feature = "amqp"))]
        {
            let _ = (target, config);
            return Box::pin(async {
                Err("amqp:// needs the `amqp` feature of janus-tokio or janus-smol".to_owned())
            });
        }
    }
    let socket = match &endpoint.unix {
        #[cfg(unix)]
        Some(target) => crate::unix::open::<R>(target),
        #[cfg(not(unix))]
        Some(_) => Box::pin(async { Err("Unix sockets need a Unix system".to_owned()) }),
        None => R::connect_websocket(endpoint, timeout),
    };
    Box::pin(async move { socket.await.map(Link::Socket) })
}
