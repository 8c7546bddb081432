//! The engine's HTTP exchanges over hyper's HTTP/1.1 client connections,
//! with a small pool of kept-alive connections to the one server.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use futures_util::future::{select, Either};
use http_body_util::{BodyExt, Full, Limited};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{HeaderValue, CONTENT_TYPE, HOST};
use janus_client::api::error_chain;
use janus_core::{ExchangeId, HttpMethod, HttpRequest};

use crate::runtime::{BoxFuture, Endpoint, Runtime};

/// How long past the engine's deadline an exchange may still run (the
/// engine ignores a later answer anyway).
const SLACK: Duration = Duration::from_secs(1);

/// At most this many idle connections are kept.
const MAX_IDLE: usize = 64;

/// What an exchange came to: status and body, or why there is none.
pub(crate) type Outcome = Result<(u16, Vec<u8>), String>;

type Sender = SendRequest<Full<Bytes>>;

/// The HTTP side of one client.
pub(crate) struct Http<R> {
    endpoint: Endpoint,
    /// The base URL's path, e.g. `/janus`.
    prefix: String,
    host: HeaderValue,
    /// The largest body accepted (the engine rejects larger ones itself).
    limit: usize,
    connect_timeout: Duration,
    idle: Arc<Mutex<Vec<Sender>>>,
    runtime: PhantomData<fn() -> R>,
}

impl<R: Runtime> Http<R> {
    /// For the server at `endpoint` (e.g. `http://127.0.0.1:8088/janus`).
    pub(crate) fn new(
        endpoint: Endpoint,
        max_body: usize,
        connect_timeout: Duration,
    ) -> Result<Self, String> {
        let uri: hyper::Uri = endpoint.url.parse().map_err(|e| format!("{e}"))?;
        let prefix = uri.path().trim_end_matches('/').to_owned();
        let default_port = if endpoint.tls.is_some() { 443 } else { 80 };
        let host = match (endpoint.host.contains(':'), endpoint.port == default_port) {
            (false, true) => endpoint.host.clone(),
            (false, false) => format!("{}:{}", endpoint.host, endpoint.port),
            (true, true) => format!("[{}]", endpoint.host),
            (true, false) => format!("[{}]:{}", endpoint.host, endpoint.port),
        };
        let host = HeaderValue::from_str(&host).map_err(|e| e.to_string())?;
        Ok(Self {
            endpoint,
            prefix,
            host,
            limit: max_body.saturating_add(1),
            connect_timeout,
            idle: Arc::default(),
            runtime: PhantomData,
        })
    }

    /// The exchange for `request`, bounded by its deadline; resolves with
    /// its id and outcome.
    pub(crate) fn exchange(&self, request: HttpRequest) -> BoxFuture<(ExchangeId, Outcome)> {
        let id = request.id;
        let deadline = request.deadline + SLACK;
        let built = hyper::Request::builder()
            .method(match request.method {
                HttpMethod::Get => hyper::Method::GET,
                _ => hyper::Method::POST,
            })
            .uri(match format!("{}{}", self.prefix, request.path) {
                uri if uri.is_empty() || uri.starts_with('?') => format!("/{uri}"),
                uri => uri,
            })
            .header(HOST, self.host.clone());
        let built = match request.body {
            Some(body) => built
                .header(CONTENT_TYPE, "application/json")
                .body(Full::new(Bytes::from(body))),
            None => built.body(Full::default()),
        };
        let pool = Pool::<R> {
            endpoint: self.endpoint.clone(),
            connect_timeout: self.connect_timeout,
            idle: self.idle.clone(),
            runtime: PhantomData,
        };
        let limit = self.limit;
        Box::pin(async move {
            let built = match built {
                Ok(b) => b,
                Err(e) => return (id, Err(format!("invalid request: {e}"))),
            };
            let work = Box::pin(pool.exchange(built, limit));
            match select(work, R::sleep_until(deadline)).await {
                Either::Left((outcome, _)) => (id, outcome),
                Either::Right(_) => (id, Err("timed out".into())),
            }
        })
    }
}

struct Pool<R> {
    endpoint: Endpoint,
    connect_timeout: Duration,
    idle: Arc<Mutex<Vec<Sender>>>,
    runtime: PhantomData<fn() -> R>,
}

impl<R: Runtime> Pool<R> {
    fn take_idle(&self) -> Option<Sender> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        while let Some(sender) = idle.pop() {
            if sender.is_ready() {
                return Some(sender);
            }
        }
        None
    }

    fn put_back(&self, sender: Sender) {
        if sender.is_closed() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE {
            idle.push(sender);
        }
    }

    async fn open(&self) -> Result<Sender, String> {
        let io = R::connect_http(self.endpoint.clone(), self.connect_timeout)
            .await
            .map_err(|e| {
                format!(
                    "connecting to {}:{}: {e}",
                    self.endpoint.host, self.endpoint.port
                )
            })?;
        let (sender, connection) = http1::handshake(io)
            .await
            .map_err(|e| format!("HTTP handshake: {}", error_chain(&e)))?;
        R::spawn(Box::pin(async move {
            let _ = connection.await;
        }));
        Ok(sender)
    }

    async fn exchange(self, request: hyper::Request<Full<Bytes>>, limit: usize) -> Outcome {
        let mut request = request;
        // A kept-alive connection the server has closed meanwhile gives the
        // request back unsent: then try again on a fresh one.
        let response = loop {
            let (mut sender, pooled) = match self.take_idle() {
                Some(s) => (s, true),
                None => (self.open().await?, false),
            };
            if sender.ready().await.is_err() {
                if pooled {
                    continue;
                }
                return Err("the HTTP connection closed".into());
            }
            match sender.try_send_request(request).await {
                Ok(response) => break (response, sender),
                Err(mut e) => match e.take_message() {
                    Some(unsent) if pooled => request = unsent,
                    _ => return Err(error_chain(&e.into_error())),
                },
            }
        };
        let (response, sender) = response;
        let status = response.status().as_u16();
        let body = Limited::new(response.into_body(), limit)
            .collect()
            .await
            .map_err(|e| format!("reading the body: {}", error_chain(&*e)))?
            .to_bytes();
        self.put_back(sender);
        Ok((status, body.to_vec()))
    }
}
