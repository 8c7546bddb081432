//! Receiving what Janus's event handlers send: sampleevh's HTTP POSTs and
//! wsevh's WebSocket messages, handed over one delivery at a time (for a
//! [`Monitor`](janus_core::monitor::Monitor), say).

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_channel::{mpsc, oneshot};
use futures_core::Stream;
use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};

use crate::runtime::Runtime;

/// The largest delivery taken (bigger ones are refused with 413).
const MAX_DELIVERY: usize = 64 << 20;

/// One delivery: an event, or an array of them (grouping on).
#[derive(Debug)]
pub struct Delivery {
    body: Bytes,
    ack: Option<oneshot::Sender<()>>,
}

impl Delivery {
    /// The JSON text as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Says the delivery was taken: sampleevh's POST is answered 200. A
    /// delivery dropped without this is answered 503, so that sampleevh
    /// tries it again. (wsevh's messages need no answer.)
    pub fn taken(mut self) {
        if let Some(ack) = self.ack.take() {
            let _ = ack.send(());
        }
    }
}

/// A listener for one event handler, yielding its deliveries as a
/// [`Stream`]. Its connections are served by tasks of the runtime `R`; they
/// stop when the receiver is dropped.
pub struct EventReceiver {
    rx: mpsc::Receiver<Delivery>,
    local: SocketAddr,
}

impl std::fmt::Debug for EventReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventReceiver")
            .field("local", &self.local)
            .finish_non_exhaustive()
    }
}

impl EventReceiver {
    /// Listens on `addr` (e.g. `127.0.0.1:7777`) for sampleevh's POSTs
    /// (its `backend = "http://127.0.0.1:7777/"`); each POST is answered
    /// once its delivery is [`taken`](Delivery::taken).
    pub async fn http<R: Runtime>(addr: &str) -> io::Result<Self> {
        let (local, mut accepting) = R::listen_http(addr.to_owned()).await?;
        let (tx, rx) = mpsc::channel(64);
        R::spawn(Box::pin(async move {
            while let Some(io) = accepting.next().await {
                let Ok(io) = io else { continue };
                if tx.is_closed() {
                    return;
                }
                let tx = tx.clone();
                let service = service_fn(move |request: Request<Incoming>| {
                    let tx = tx.clone();
                    async move { Ok::<_, Infallible>(take(tx, request).await) }
                });
                R::spawn(Box::pin(async move {
                    let _ = http1::Builder::new()
                        .header_read_timeout(None)
                        .serve_connection(io, service)
                        .await;
                }));
            }
        }));
        Ok(Self { rx, local })
    }

    /// Listens on `addr` for wsevh's connection (its `backend =
    /// "ws://127.0.0.1:7778/"`); each text message is a delivery.
    pub async fn websocket<R: Runtime>(addr: &str) -> io::Result<Self> {
        let (local, mut accepting) = R::listen_websocket(addr.to_owned()).await?;
        let (tx, rx) = mpsc::channel(64);
        R::spawn(Box::pin(async move {
            while let Some(socket) = accepting.next().await {
                let Ok(mut socket) = socket else { continue };
                if tx.is_closed() {
                    return;
                }
                let mut tx = tx.clone();
                R::spawn(Box::pin(async move {
                    while let Some(Ok(message)) = socket.next().await {
                        let body = match message {
                            tungstenite::Message::Text(text) => {
                                Bytes::from(text.as_bytes().to_vec())
                            }
                            tungstenite::Message::Binary(bytes) => bytes,
                            tungstenite::Message::Close(_) => return,
                            _ => continue,
                        };
                        if tx.send(Delivery { body, ack: None }).await.is_err() {
                            let _ = socket.close().await;
                            return;
                        }
                    }
                }));
            }
        }));
        Ok(Self { rx, local })
    }

    /// The address it listens on (with the port the system chose for `:0`).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }
}

impl Stream for EventReceiver {
    type Item = Delivery;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Delivery>> {
        self.rx.poll_next_unpin(cx)
    }
}

/// One POST: its body handed over, and the answer once it is taken.
async fn take(
    mut tx: mpsc::Sender<Delivery>,
    request: Request<Incoming>,
) -> Response<Empty<Bytes>> {
    let status = match Limited::new(request.into_body(), MAX_DELIVERY)
        .collect()
        .await
    {
        Ok(body) => {
            let (ack, taken) = oneshot::channel();
            let delivery = Delivery {
                body: body.to_bytes(),
                ack: Some(ack),
            };
            if tx.send(delivery).await.is_ok() && taken.await.is_ok() {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            }
        }
        Err(_) => StatusCode::PAYLOAD_TOO_LARGE,
    };
    let mut response = Response::new(Empty::new());
    *response.status_mut() = status;
    response
}
