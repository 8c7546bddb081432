//! An async client for the [Janus WebRTC Gateway](https://janus.conf.meetecho.com/)
//! on smol's async-io stack: WebSocket through `async-tungstenite`, HTTP
//! through hyper (with `smol-hyper`'s glue), TLS through rustls
//! (`futures-rustls`).
//!
//! ```no_run
//! use janus_smol::{Client, HandleEvent};
//! use janus_smol::janus_core::serde_json::json;
//! use futures_util::StreamExt;
//!
//! # async fn run() -> Result<(), janus_smol::Error> {
//! let janus = Client::connect("ws://127.0.0.1:8188").await?; // or http://127.0.0.1:8088/janus
//! let session = janus.create_session().await?;
//! let handle = session.attach("janus.plugin.echotest").await?;
//! let mut events = handle.events();
//! let reply = handle.message(json!({"audio": true})).await?; // waits through the ack to the event
//! println!("{}", reply.data);
//! handle.detach().await?;
//! while let Some(event) = events.next().await {
//!     println!("{event:?}"); // ... and finally HandleEvent::Ended(Detached)
//! }
//! session.destroy().await?;
//! janus.close().await;
//! # Ok(())
//! # }
//! ```
//!
//! The API, its driver task and its guarantees (one driver per connection,
//! every ending reported once with its reason, cancellation-safe futures,
//! what drops do) are those of [`janus_async`], written once for every
//! runtime; this crate supplies the async-io side: [`Smol`].
//!
//! The driver runs on smol's global executor and the sockets and timers
//! on async-io's reactor, so the client works from any executor:
//! `smol::block_on`, `async_std::task::block_on` (async-std's tasks run on
//! the same async-io stack), or a thread of your own.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::io;
use std::time::{Duration, Instant};

use futures_util::future::{select, Either};
use janus_async::{Accepting, BoxFuture, BoxHttpIo, BoxWebSocket, Endpoint};
use smol::io::{AsyncRead, AsyncWrite};
use smol::net::{TcpListener, TcpStream};
use smol::Timer;
use smol_hyper::rt::FuturesIo;

pub use janus_async::{
    janus_core, ClientEvent, DrainCause, Error, Events, FleetError, HandleEvent, Options, Policy,
    ServerState, ServerView, SessionEvent, TypedEvent,
};

/// A connection to one Janus server, driven on smol.
pub type Client = janus_async::Client<Smol>;
/// A Janus session held by a [`Client`].
pub type Session = janus_async::Session<Smol>;
/// A plugin handle in a [`Session`].
pub type Handle = janus_async::Handle<Smol>;
/// A connection to a Janus server's Admin API, driven on smol.
pub type AdminClient = janus_async::AdminClient<Smol>;
/// One connection to each of several Janus servers, placing sessions by
/// a [`Policy`], driven on smol.
pub type Fleet = janus_async::Fleet<Smol>;
/// A session a [`Fleet`] placed on one of its servers.
pub type FleetSession = janus_async::FleetSession<Smol>;
/// A handle with a WebRTC PeerConnection (the `media` feature).
#[cfg(feature = "media")]
pub type MediaHandle = janus_async::MediaHandle<Smol>;
#[cfg(feature = "media")]
pub use janus_async::{janus_media, MediaEvents};

/// The async-io side of [`janus_async`]: smol's global executor, async-io
/// timers and sockets.
#[derive(Clone, Copy, Debug, Default)]
pub struct Smol;

/// A byte stream: TCP, or TLS over TCP.
trait Stream: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Stream for T {}

impl janus_async::Runtime for Smol {
    fn spawn(future: BoxFuture<()>) {
        smol::spawn(future).detach();
    }

    fn sleep_until(deadline: Instant) -> BoxFuture<()> {
        let timer = Timer::at(deadline);
        Box::pin(async move {
            timer.await;
        })
    }

    fn connect_websocket(
        endpoint: Endpoint,
        timeout: Duration,
    ) -> BoxFuture<Result<BoxWebSocket, String>> {
        Box::pin(async move {
            let opening = async {
                let request = janus_async::websocket_request(&endpoint)?;
                let stream = stream(&endpoint).await.map_err(|e| e.to_string())?;
                let (socket, _) = async_tungstenite::client_async_with_config(
                    request,
                    stream,
                    Some(janus_async::websocket_config(&endpoint)),
                )
                .await
                .map_err(|e| e.to_string())?;
                Ok(Box::pin(socket) as BoxWebSocket)
            };
            within(timeout, opening)
                .await
                .unwrap_or_else(|| Err(format!("no connection within {timeout:?}")))
        })
    }

    #[cfg(feature = "amqp")]
    fn connect_amqp(
        uri: janus_async::lapin::uri::AMQPUri,
        properties: janus_async::lapin::ConnectionProperties,
    ) -> BoxFuture<Result<janus_async::lapin::Connection, String>> {
        Box::pin(async move {
            janus_async::lapin::Connection::connect_uri_with_runtime(
                uri,
                properties,
                async_rs::Runtime::smol(),
            )
            .await
            .map_err(|e| e.to_string())
        })
    }

    #[cfg(unix)]
    fn packet_socket(
        socket: janus_async::janus_client::unix::PacketSocket,
    ) -> io::Result<janus_async::BoxPacketIo> {
        Ok(Box::new(unix::Packets(smol::Async::new(socket)?)))
    }

    fn connect_http(endpoint: Endpoint, timeout: Duration) -> BoxFuture<io::Result<BoxHttpIo>> {
        Box::pin(async move {
            let opening = async {
                let stream = stream(&endpoint).await?;
                Ok(Box::new(FuturesIo::new(stream)) as BoxHttpIo)
            };
            within(timeout, opening)
                .await
                .unwrap_or_else(|| Err(io::ErrorKind::TimedOut.into()))
        })
    }

    fn listen_http(
        addr: String,
    ) -> BoxFuture<io::Result<(std::net::SocketAddr, Accepting<BoxHttpIo>)>> {
        Box::pin(async move {
            let listener = TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            let io = |tcp: TcpStream| async move { Ok(Box::new(FuturesIo::new(tcp)) as BoxHttpIo) };
            Ok((local, accepting(listener, io)))
        })
    }

    fn listen_websocket(
        addr: String,
    ) -> BoxFuture<io::Result<(std::net::SocketAddr, Accepting<BoxWebSocket>)>> {
        Box::pin(async move {
            let listener = TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            let socket = |tcp: TcpStream| async move {
                let socket = async_tungstenite::accept_async(tcp)
                    .await
                    .map_err(io::Error::other)?;
                Ok(Box::pin(socket) as BoxWebSocket)
            };
            Ok((local, accepting(listener, socket)))
        })
    }

    fn bind_udp(addr: std::net::SocketAddr) -> BoxFuture<io::Result<janus_async::BoxUdp>> {
        Box::pin(async move {
            let socket = smol::Async::<std::net::UdpSocket>::bind(addr)?;
            Ok(std::sync::Arc::new(Udp(socket)) as janus_async::BoxUdp)
        })
    }
}

/// An async-io UDP socket for media.
struct Udp(smol::Async<std::net::UdpSocket>);

impl janus_async::UdpIo for Udp {
    fn poll_recv_from(
        &self,
        cx: &mut std::task::Context<'_>,
        buf: &mut [u8],
    ) -> std::task::Poll<io::Result<(usize, std::net::SocketAddr)>> {
        loop {
            match self.0.get_ref().recv_from(buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                other => return std::task::Poll::Ready(other),
            }
            std::task::ready!(self.0.poll_readable(cx))?;
        }
    }

    fn try_send_to(&self, buf: &[u8], to: std::net::SocketAddr) -> io::Result<usize> {
        self.0.get_ref().send_to(buf, to)
    }

    fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.0.get_ref().local_addr()
    }
}

/// Accepted TCP connections, each made into `T` by `make`.
fn accepting<T, F>(listener: TcpListener, make: fn(TcpStream) -> F) -> Accepting<T>
where
    T: Send + 'static,
    F: std::future::Future<Output = io::Result<T>> + Send + 'static,
{
    Box::pin(futures_util::stream::unfold(
        listener,
        move |listener| async move {
            let next = match listener.accept().await {
                Ok((tcp, _)) => make(tcp).await,
                Err(e) => Err(e),
            };
            Some((next, listener))
        },
    ))
}

/// `future`'s output, or `None` if `timeout` passes first.
async fn within<T>(timeout: Duration, future: impl std::future::Future<Output = T>) -> Option<T> {
    let future = std::pin::pin!(future);
    match select(future, Timer::after(timeout)).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(_) => None,
    }
}

/// A TCP stream to `endpoint`, wrapped in TLS if it asks for it.
async fn stream(endpoint: &Endpoint) -> io::Result<Box<dyn Stream>> {
    let tcp = TcpStream::connect((endpoint.host.as_str(), endpoint.port)).await?;
    tcp.set_nodelay(true)?;
    let Some(config) = endpoint.tls.clone() else {
        return Ok(Box::new(tcp));
    };
    let name = janus_async::server_name(endpoint).map_err(io::Error::other)?;
    let tls = futures_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await?;
    Ok(Box::new(tls))
}

#[cfg(unix)]
mod unix {
    use janus_async::janus_client::unix::PacketSocket;
    use std::io;
    use std::task::{ready, Context, Poll};

    /// A Unix packet socket on async-io's reactor.
    pub(crate) struct Packets(pub(crate) smol::Async<PacketSocket>);

    impl janus_async::PacketIo for Packets {
        fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>> {
            loop {
                match self.0.get_ref().recv() {
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    received => return Poll::Ready(received),
                }
                ready!(self.0.poll_readable(cx))?;
            }
        }

        fn poll_send(&self, cx: &mut Context<'_>, packet: &[u8]) -> Poll<io::Result<()>> {
            loop {
                match self.0.get_ref().send(packet) {
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    sent => return Poll::Ready(sent),
                }
                ready!(self.0.poll_writable(cx))?;
            }
        }

        fn socket(&self) -> &PacketSocket {
            self.0.get_ref()
        }
    }
}
