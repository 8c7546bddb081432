//! Opening a WebSocket to Janus (plain or rustls over ring).

use janus_client::net::{self, Endpoint};
use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Connector, WebSocket};

/// An open WebSocket, in non-blocking mode.
pub(crate) type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// Opens the WebSocket at `endpoint` with the `janus-protocol`
/// subprotocol; `timeout` bounds the TCP connect and the handshakes. The
/// socket is left non-blocking.
pub(crate) fn connect(endpoint: &Endpoint, timeout: Duration) -> Result<Socket, String> {
    if !endpoint.websocket {
        return Err(format!("{} is not a WebSocket URL", endpoint.url));
    }
    let request = net::websocket_request(endpoint)?;
    let stream = tcp_connect(&endpoint.host, endpoint.port, timeout).map_err(|e| e.to_string())?;
    let set_up = |s: &TcpStream| -> io::Result<()> {
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(timeout))?;
        s.set_write_timeout(Some(timeout))
    };
    set_up(&stream).map_err(|e| e.to_string())?;
    let connector = match &endpoint.tls {
        Some(tls) => Connector::Rustls(tls.clone()),
        None => Connector::Plain,
    };
    let config = Some(net::websocket_config(endpoint));
    let (socket, _response) =
        tungstenite::client_tls_with_config(request, stream, config, Some(connector)).map_err(
            |e| match e {
                // The read timeout set above expired mid-handshake.
                tungstenite::HandshakeError::Interrupted(_) => {
                    format!("no WebSocket handshake within {timeout:?}")
                }
                tungstenite::HandshakeError::Failure(e) => e.to_string(),
            },
        )?;
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
        let at = |url: String| net::endpoint(&url, &[]).unwrap();
        assert!(connect(&at(format!("wss://127.0.0.1:{port}")), timeout).is_err());
        assert!(connect(&at(format!("ws://127.0.0.1:{port}")), timeout).is_err());
        peer.join().unwrap();

        let closed = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        assert!(connect(&at(format!("ws://127.0.0.1:{port}")), timeout).is_err());
        let http = connect(&at("http://127.0.0.1:1".into()), timeout).unwrap_err();
        assert!(http.contains("not a WebSocket"), "{http}");
    }
}
