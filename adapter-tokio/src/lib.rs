//! An async client for the [Janus WebRTC Gateway](https://janus.conf.meetecho.com/)
//! on [tokio](https://tokio.rs): WebSocket through `tokio-tungstenite`, HTTP
//! through hyper, TLS through rustls.
//!
//! ```no_run
//! use janus_tokio::{Client, HandleEvent};
//! use janus_tokio::janus_core::serde_json::json;
//! use futures_util::StreamExt;
//!
//! # async fn run() -> Result<(), janus_tokio::Error> {
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
//! runtime; this crate supplies the tokio side: [`Tokio`]. Call
//! [`Client::connect`] from within a tokio runtime (current-thread or
//! multi-thread): the driver is spawned on it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::io;
use std::time::{Duration, Instant};

use hyper_util::rt::TokioIo;
use janus_async::{Accepting, BoxFuture, BoxHttpIo, BoxWebSocket, Endpoint};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::Connector;

pub use janus_async::{
    janus_core, ClientEvent, DrainCause, Error, Events, FleetError, HandleEvent, Options, Policy,
    ServerState, ServerView, SessionEvent, TypedEvent,
};

/// A connection to one Janus server, driven on tokio.
pub type Client = janus_async::Client<Tokio>;
/// A Janus session held by a [`Client`].
pub type Session = janus_async::Session<Tokio>;
/// A plugin handle in a [`Session`].
pub type Handle = janus_async::Handle<Tokio>;
/// A connection to a Janus server's Admin API, driven on tokio.
pub type AdminClient = janus_async::AdminClient<Tokio>;
/// One connection to each of several Janus servers, placing sessions by
/// a [`Policy`], driven on tokio.
pub type Fleet = janus_async::Fleet<Tokio>;
/// A session a [`Fleet`] placed on one of its servers.
pub type FleetSession = janus_async::FleetSession<Tokio>;
/// A handle with a WebRTC PeerConnection (the `media` feature).
#[cfg(feature = "media")]
pub type MediaHandle = janus_async::MediaHandle<Tokio>;
#[cfg(feature = "media")]
pub use janus_async::{janus_media, MediaEvents};

/// The tokio side of [`janus_async`]: spawning on the current runtime,
/// tokio timers, tokio sockets.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tokio;

impl janus_async::Runtime for Tokio {
    fn spawn(future: BoxFuture<()>) {
        tokio::spawn(future);
    }

    fn sleep_until(deadline: Instant) -> BoxFuture<()> {
        Box::pin(tokio::time::sleep_until(deadline.into()))
    }

    fn connect_websocket(
        endpoint: Endpoint,
        timeout: Duration,
    ) -> BoxFuture<Result<BoxWebSocket, String>> {
        Box::pin(async move {
            let opening = async {
                let request = janus_async::websocket_request(&endpoint)?;
                let tcp = tcp(&endpoint).await.map_err(|e| e.to_string())?;
                let connector = match &endpoint.tls {
                    Some(config) => Connector::Rustls(config.clone()),
                    None => Connector::Plain,
                };
                let (socket, _) = tokio_tungstenite::client_async_tls_with_config(
                    request,
                    tcp,
                    Some(janus_async::websocket_config(&endpoint)),
                    Some(connector),
                )
                .await
                .map_err(|e| e.to_string())?;
                Ok(Box::pin(socket) as BoxWebSocket)
            };
            tokio::time::timeout(timeout, opening)
                .await
                .unwrap_or_else(|_| Err(format!("no connection within {timeout:?}")))
        })
    }

    fn instance() -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        tokio::runtime::Handle::try_current()
            .map(|handle| handle.id())
            .ok()
            .hash(&mut hasher);
        hasher.finish()
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
                async_rs::Runtime::tokio_current(),
            )
            .await
            .map_err(|e| e.to_string())
        })
    }

    #[cfg(unix)]
    fn packet_socket(
        socket: janus_async::janus_client::unix::PacketSocket,
    ) -> io::Result<janus_async::BoxPacketIo> {
        // `AsyncFd::new` is deprecated for objects whose `as_raw_fd` could
        // change or close under it; a `PacketSocket` owns its descriptor
        // for its whole life and never gives it up, so it is sound here
        // (the unsafe `register` would add nothing but `unsafe`).
        #[allow(deprecated)]
        let registered = tokio::io::unix::AsyncFd::new(socket)?;
        Ok(Box::new(unix::Packets(registered)))
    }

    fn connect_http(endpoint: Endpoint, timeout: Duration) -> BoxFuture<io::Result<BoxHttpIo>> {
        Box::pin(async move {
            let opening = async {
                let tcp = tcp(&endpoint).await?;
                let Some(config) = endpoint.tls.clone() else {
                    return Ok(Box::new(TokioIo::new(tcp)) as BoxHttpIo);
                };
                let name = janus_async::server_name(&endpoint).map_err(io::Error::other)?;
                let tls = tokio_rustls::TlsConnector::from(config)
                    .connect(name, tcp)
                    .await?;
                Ok(Box::new(TokioIo::new(tls)) as BoxHttpIo)
            };
            tokio::time::timeout(timeout, opening)
                .await
                .unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
        })
    }

    fn listen_http(
        addr: String,
    ) -> BoxFuture<io::Result<(std::net::SocketAddr, Accepting<BoxHttpIo>)>> {
        Box::pin(async move {
            let listener = TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            let io = |tcp: TcpStream| async move { Ok(Box::new(TokioIo::new(tcp)) as BoxHttpIo) };
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
                let socket = tokio_tungstenite::accept_async(tcp)
                    .await
                    .map_err(io::Error::other)?;
                Ok(Box::pin(socket) as BoxWebSocket)
            };
            Ok((local, accepting(listener, socket)))
        })
    }

    fn bind_udp(addr: std::net::SocketAddr) -> BoxFuture<io::Result<janus_async::BoxUdp>> {
        Box::pin(async move {
            let socket = tokio::net::UdpSocket::bind(addr).await?;
            Ok(std::sync::Arc::new(Udp(socket)) as janus_async::BoxUdp)
        })
    }
}

/// A tokio UDP socket for media.
struct Udp(tokio::net::UdpSocket);

impl janus_async::UdpIo for Udp {
    fn poll_recv_from(
        &self,
        cx: &mut std::task::Context<'_>,
        buf: &mut [u8],
    ) -> std::task::Poll<io::Result<(usize, std::net::SocketAddr)>> {
        let mut read = tokio::io::ReadBuf::new(buf);
        self.0
            .poll_recv_from(cx, &mut read)
            .map_ok(|from| (read.filled().len(), from))
    }

    fn try_send_to(&self, buf: &[u8], to: std::net::SocketAddr) -> io::Result<usize> {
        self.0.try_send_to(buf, to)
    }

    fn local_addr(&self) -> io::Result<std::net::SocketAddr> {
        self.0.local_addr()
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

async fn tcp(endpoint: &Endpoint) -> io::Result<TcpStream> {
    let tcp = TcpStream::connect((endpoint.host.as_str(), endpoint.port)).await?;
    tcp.set_nodelay(true)?;
    Ok(tcp)
}

#[cfg(unix)]
mod unix {
    use janus_async::janus_client::unix::PacketSocket;
    use std::io;
    use std::task::{ready, Context, Poll};
    use tokio::io::unix::AsyncFd;

    /// A Unix packet socket on tokio's reactor.
    pub(crate) struct Packets(pub(crate) AsyncFd<PacketSocket>);

    impl janus_async::PacketIo for Packets {
        fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Vec<u8>>>> {
            loop {
                let mut ready = ready!(self.0.poll_read_ready(cx))?;
                if let Ok(received) = ready.try_io(|s| s.get_ref().recv()) {
                    return Poll::Ready(received);
                }
            }
        }

        fn poll_send(&self, cx: &mut Context<'_>, packet: &[u8]) -> Poll<io::Result<()>> {
            loop {
                let mut ready = ready!(self.0.poll_write_ready(cx))?;
                if let Ok(sent) = ready.try_io(|s| s.get_ref().send(packet)) {
                    return Poll::Ready(sent);
                }
            }
        }

        fn socket(&self) -> &PacketSocket {
            self.0.get_ref()
        }
    }
}
