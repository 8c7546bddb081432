//! Where and how to connect, written once for every driver: URL parsing,
//! the one rustls configuration, and the WebSocket handshake request.

use std::sync::{Arc, OnceLock};

use tungstenite::client::IntoClientRequest;
use tungstenite::handshake::client::Request;
use tungstenite::http::{HeaderValue, Uri};

/// Where to open a connection, parsed from the URL given to `connect`.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The host name or address (IPv6 without brackets).
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// For `wss://` and `https://`: the rustls configuration to speak TLS
    /// with (`host` is the server name); `None` for plain TCP.
    pub tls: Option<Arc<rustls::ClientConfig>>,
    /// The whole URL, its scheme in lower case.
    pub url: String,
    /// Whether it speaks the engine's WebSocket flavour (`ws://`, `wss://`,
    /// and the Unix-socket URLs) rather than HTTP.
    pub websocket: bool,
    /// For `unix://` and `unix+dgram://`: the socket to open instead of a
    /// TCP connection (`host` is empty and `port` 0).
    pub unix: Option<crate::unix::UnixTarget>,
    /// For `amqp://`: the broker, exchange and routing keys of Janus's
    /// RabbitMQ transport (`host` and `port` are the broker's).
    pub amqp: Option<crate::amqp::AmqpTarget>,
    /// The largest message the engine accepts (`Config::max_frame_size`);
    /// see [`websocket_config`].
    pub max_frame_size: usize,
    /// The WebSocket subprotocol to ask for: `janus-protocol`, or
    /// `janus-admin-protocol` for the Admin API.
    pub subprotocol: &'static str,
}

impl Endpoint {
    /// The same endpoint for an engine that accepts messages of at most
    /// `max_frame_size` bytes.
    pub fn with_max_frame_size(mut self, max_frame_size: usize) -> Self {
        self.max_frame_size = max_frame_size;
        self
    }

    /// The same endpoint for the API `api` (its WebSocket subprotocol, or
    /// over RabbitMQ its routing keys).
    pub fn for_api(mut self, api: janus_core::Api) -> Self {
        self.subprotocol = api.subprotocol();
        if api == janus_core::Api::Admin {
            self.amqp = self.amqp.map(crate::amqp::AmqpTarget::for_admin);
        }
        self
    }
}

/// The subprotocol Janus insists on for its WebSocket API.
pub const SUBPROTOCOL: &str = "janus-protocol";

/// The rustls client configuration: the ring provider, TLS 1.2 and 1.3,
/// and as trust anchors the DER certificates `roots`, or the webpki roots
/// if there are none (that configuration is built once per process).
pub fn tls_config(roots: &[Vec<u8>]) -> Result<Arc<rustls::ClientConfig>, String> {
    static WEBPKI: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    let build = |store: rustls::RootCertStore| {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS set-up: {e}"))?
            .with_root_certificates(store)
            .with_no_client_auth();
        Ok(Arc::new(config))
    };
    if roots.is_empty() {
        return WEBPKI
            .get_or_init(|| {
                build(rustls::RootCertStore {
                    roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                })
            })
            .clone();
    }
    let mut store = rustls::RootCertStore::empty();
    for der in roots {
        store
            .add(rustls::pki_types::CertificateDer::from(der.clone()))
            .map_err(|e| format!("invalid root certificate: {e}"))?;
    }
    build(store)
}

/// The rustls server name for `endpoint.host`.
pub fn server_name(endpoint: &Endpoint) -> Result<rustls::pki_types::ServerName<'static>, String> {
    rustls::pki_types::ServerName::try_from(endpoint.host.clone())
        .map_err(|e| format!("invalid TLS server name {:?}: {e}", endpoint.host))
}

/// Splits a `ws://`, `wss://`, `http://` or `https://` URL into where to
/// connect; a secure one gets [`tls_config`]`(roots)`. `unix://PATH`
/// (`SOCK_SEQPACKET`) and `unix+dgram://PATH` (`SOCK_DGRAM`) name Janus's
/// Unix-socket transport (see [`unix`](crate::unix)), and `amqp://` its
/// RabbitMQ transport (see [`amqp`](crate::amqp)).
pub fn endpoint(url: &str, roots: &[Vec<u8>]) -> Result<Endpoint, String> {
    if url
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("amqp://"))
    {
        let target = crate::amqp::AmqpTarget::parse(url)?;
        return Ok(Endpoint {
            host: target.host.clone(),
            port: target.port,
            tls: None,
            url: format!("amqp://{}", &url[7..]),
            websocket: true,
            unix: None,
            amqp: Some(target),
            max_frame_size: janus_core::Config::default().max_frame_size,
            subprotocol: SUBPROTOCOL,
        });
    }
    if url
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("amqps://"))
    {
        return Err(
            "amqps:// (RabbitMQ over TLS) is not supported: use amqp:// to a broker \
                    on a trusted network, or a local TLS tunnel to the broker"
                .into(),
        );
    }
    if let Some(target) = crate::unix::parse(url) {
        let scheme_len = url.find("://").unwrap_or(0);
        return Ok(Endpoint {
            host: String::new(),
            port: 0,
            tls: None,
            url: format!(
                "{}{}",
                url[..scheme_len].to_ascii_lowercase(),
                &url[scheme_len..]
            ),
            websocket: true,
            unix: Some(target?),
            amqp: None,
            max_frame_size: janus_core::Config::default().max_frame_size,
            subprotocol: SUBPROTOCOL,
        });
    }
    let uri: Uri = url.parse().map_err(|e| format!("{e}"))?;
    let (tls, websocket) = match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
        Some("wss") => (true, true),
        Some("https") => (true, false),
        Some("ws") => (false, true),
        Some("http") => (false, false),
        _ => {
            return Err("the scheme must be ws, wss, http, https, unix, unix+dgram or amqp".into())
        }
    };
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or("the URL has no host")?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
    let tls = if tls { Some(tls_config(roots)?) } else { None };
    // The scheme in lower case (tungstenite matches it case-sensitively).
    let url = match url.split_once("://") {
        Some((scheme, rest)) => format!("{}://{rest}", scheme.to_ascii_lowercase()),
        None => url.to_owned(),
    };
    Ok(Endpoint {
        host,
        port,
        tls,
        url,
        websocket,
        unix: None,
        amqp: None,
        max_frame_size: janus_core::Config::default().max_frame_size,
        subprotocol: SUBPROTOCOL,
    })
}

/// The WebSocket settings every adapter uses for `endpoint`.
///
/// * Message limits follow the engine's: a message up to twice
///   `max_frame_size` (plus 64 KiB) is read whole and handed to the engine,
///   which refuses what is over its own limit without dropping the
///   connection; only a larger one (memory abuse) ends the connection.
/// * Reads go in 16 KiB steps instead of 128 KiB: Janus's messages are
///   small, and tungstenite zero-fills its read step on every read attempt,
///   which a non-blocking socket makes once more per message (the one that
///   finds nothing): 128 KiB of `memset` each time is most of a message's
///   cost.
pub fn websocket_config(endpoint: &Endpoint) -> tungstenite::protocol::WebSocketConfig {
    let limit = endpoint
        .max_frame_size
        .saturating_mul(2)
        .saturating_add(64 * 1024);
    tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(16 * 1024)
        .max_message_size(Some(limit))
        .max_frame_size(Some(limit))
}

/// The WebSocket handshake request for `endpoint`, asking for its
/// subprotocol (`janus-protocol`, or `janus-admin-protocol`).
pub fn websocket_request(endpoint: &Endpoint) -> Result<Request, String> {
    let mut request = endpoint
        .url
        .as_str()
        .into_client_request()
        .map_err(|e| e.to_string())?;
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static(endpoint.subprotocol),
    );
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let e = endpoint("ws://127.0.0.1:8188", &[]).unwrap();
        assert_eq!(
            (e.host.as_str(), e.port, e.tls.is_some()),
            ("127.0.0.1", 8188, false)
        );
        let e = endpoint("https://[::1]/janus", &[]).unwrap();
        assert_eq!(
            (e.host.as_str(), e.port, e.tls.is_some()),
            ("::1", 443, true)
        );
        let e = endpoint("WSS://janus.example", &[]).unwrap();
        assert_eq!((e.port, e.tls.is_some()), (443, true));
        assert!(endpoint("ftp://x", &[]).is_err());
        let e = endpoint("Unix+Dgram:///run/j.sock?bind=/tmp/me.sock", &[]).unwrap();
        assert_eq!(e.url, "unix+dgram:///run/j.sock?bind=/tmp/me.sock");
        assert!(e.websocket && e.tls.is_none());
        let target = e.unix.unwrap();
        assert_eq!(target.kind, crate::unix::SocketType::Datagram);
        assert!(endpoint("unix:///x?bind=/y", &[]).is_err());
        assert!(endpoint("not a url", &[]).is_err());
        let webpki = tls_config(&[]).unwrap();
        assert!(
            Arc::ptr_eq(&webpki, &tls_config(&[]).unwrap()),
            "built once"
        );
        let bad = endpoint("wss://x", &[b"not DER".to_vec()]).unwrap_err();
        assert!(bad.contains("root certificate"), "{bad}");
        let e = endpoint("ws://127.0.0.1:1/", &[]).unwrap();
        let request = websocket_request(&e).unwrap();
        let big = websocket_config(&e.clone().with_max_frame_size(100 << 20));
        assert_eq!(big.max_message_size, Some((200 << 20) + (64 << 10)));
        assert_eq!(request.headers()["Sec-WebSocket-Protocol"], SUBPROTOCOL);
        let admin = websocket_request(&e.for_api(janus_core::Api::Admin)).unwrap();
        assert_eq!(
            admin.headers()["Sec-WebSocket-Protocol"],
            "janus-admin-protocol"
        );
    }
}
