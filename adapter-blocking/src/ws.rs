//! Opening a WebSocket to Janus (plain or rustls over ring).

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tungstenite::client::IntoClientRequest;
use tungstenite::http::HeaderValue;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Connector, WebSocket};

/// An open WebSocket, in non-blocking mode.
pub(crate) type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// The subprotocol Janus insists on.
const SUBPROTOCOL: &str = "janus-protocol";

/// The rustls configuration (ring): the DER certificates `roots` as trust
/// anchors, or the webpki roots if there are none (built once).
fn tls_config(roots: &[Vec<u8>]) -> Result<Arc<rustls::ClientConfig>, String> {
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

/// tungstenite's defaults, but reading in 16 KiB steps: it zero-fills its
/// read step on every read attempt, and Janus's messages are small.
fn config() -> tungstenite::protocol::WebSocketConfig {
    tungstenite::protocol::WebSocketConfig::default().read_buffer_size(16 * 1024)
}

/// Opens `url` (`ws://` or `wss://`, trusting `roots`, see [`tls_config`])
/// with the `janus-protocol` subprotocol; `timeout` bounds the TCP connect
/// and the handshakes. The socket is left non-blocking.
pub(crate) fn connect(url: &str, timeout: Duration, roots: &[Vec<u8>]) -> Result<Socket, String> {
    let mut request = url.into_client_request().map_err(|e| e.to_string())?;
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static(SUBPROTOCOL),
    );
    let uri = request.uri();
    let tls = match uri.scheme_str() {
        Some("wss") => true,
        Some("ws") => false,
        _ => return Err("not a ws:// or wss:// URL".into()),
    };
    let host = uri.host().ok_or("the URL has no host")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
    let stream = tcp_connect(host, port, timeout).map_err(|e| e.to_string())?;
    let set_up = |s: &TcpStream| -> io::Result<()> {
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(timeout))?;
        s.set_write_timeout(Some(timeout))
    };
    set_up(&stream).map_err(|e| e.to_string())?;
    let connector = if tls {
        Connector::Rustls(tls_config(roots)?)
    } else {
        Connector::Plain
    };
    let (socket, _response) =
        tungstenite::client_tls_with_config(request, stream, Some(config()), Some(connector))
            .map_err(|e| e.to_string())?;
    let tcp = tcp_of(&socket).ok_or("unexpected stream type")?;
    let set_up = |s: &TcpStream| -> io::Result<()> {
        s.set_read_timeout(None)?;
        s.set_write_timeout(None)?;
        s.set_nonblocking(true)
    };
    set_up(tcp).map_err(|e| e.to_string())?;
    Ok(socket)
}

fn tcp_connect(host: &str, port: u16, timeout: Duration) -> io::Result<TcpStream> {
    let mut last = None;
    for addr in (host, port).to_socket_addrs()? {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no address")))
}

/// The TCP stream under the WebSocket (and TLS).
pub(crate) fn tcp_of(socket: &Socket) -> Option<&TcpStream> {
    match socket.get_ref() {
        MaybeTlsStream::Plain(s) => Some(s),
        MaybeTlsStream::Rustls(s) => Some(s.get_ref()),
        _ => None,
    }
}

/// Sends a close frame (best effort, briefly blocking) and drops the socket.
pub(crate) fn close(mut socket: Socket) {
    if let Some(tcp) = tcp_of(&socket) {
        let _ = tcp.set_nonblocking(false);
        let _ = tcp.set_write_timeout(Some(Duration::from_millis(200)));
    }
    let _ = socket.close(None);
    let _ = socket.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::thread;

    #[test]
    fn the_tls_configuration_builds() {
        let config = tls_config(&[]).unwrap();
        assert!(Arc::ptr_eq(&config, &tls_config(&[]).unwrap()));
        let err = tls_config(&[b"not DER".to_vec()]).unwrap_err();
        assert!(err.contains("invalid root certificate"), "{err}");
    }

    #[test]
    fn refused_and_non_websocket_peers_fail_to_connect() {
        let timeout = Duration::from_secs(2);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // A peer that answers garbage to the TLS and the WebSocket handshakes.
        let peer = thread::spawn(move || {
            for _ in 0..2 {
                let (mut s, _) = listener.accept().unwrap();
                let _ = io::Write::write_all(&mut s, b"HTTP/1.1 403 Forbidden\r\n\r\n");
            }
        });
        assert!(connect(&format!("wss://127.0.0.1:{port}"), timeout, &[]).is_err());
        assert!(connect(&format!("ws://127.0.0.1:{port}"), timeout, &[]).is_err());
        peer.join().unwrap();

        let closed = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        assert!(connect(&format!("ws://127.0.0.1:{port}"), timeout, &[]).is_err());
        assert!(connect("http://127.0.0.1:1", timeout, &[]).is_err());
    }
}
