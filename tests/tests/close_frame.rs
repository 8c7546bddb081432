//! A server that closes the WebSocket gets its Close answered, by every
//! adapter, before the client drops the connection and reconnects. Janus
//! does not close on its own, so a tungstenite server plays it here.

use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tungstenite::http::HeaderValue;
use tungstenite::Message;

/// Answers the handshake with Janus's subprotocol (the signature is
/// tungstenite's callback).
#[allow(clippy::result_large_err)]
fn subprotocol(_: &Request, mut response: Response) -> Result<Response, ErrorResponse> {
    response.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("janus-protocol"),
    );
    Ok(response)
}

/// Accepts one WebSocket (answering Janus's subprotocol), closes it, and
/// reports whether the client answered the Close. Returns the URL.
fn closing_server() -> (String, mpsc::Receiver<bool>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("ws://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut socket = tungstenite::accept_hdr(stream, subprotocol).unwrap();
        socket.close(None).unwrap();
        let _ = socket.flush();
        let answered = loop {
            match socket.read() {
                Ok(Message::Close(_)) => continue,
                Ok(_) => continue,
                // tungstenite reports a completed close handshake this way.
                Err(tungstenite::Error::ConnectionClosed) => break true,
                Err(e) => {
                    eprintln!("server: {e:?}");
                    break false;
                }
            }
        };
        tx.send(answered).unwrap();
    });
    (url, rx)
}

fn no_reconnect() -> janus_blocking::Options {
    janus_blocking::Options::new().fetch_info(false).reconnect(
        janus_blocking::janus_core::ReconnectPolicy {
            max_attempts: 0,
            ..Default::default()
        },
    )
}

fn answered(rx: mpsc::Receiver<bool>) -> bool {
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the server saw nothing")
}

#[test]
fn blocking_answers_a_server_close() {
    let (url, rx) = closing_server();
    let client = janus_blocking::Client::connect_with(&url, no_reconnect()).unwrap();
    assert!(answered(rx), "the Close was not answered");
    client.close();
}

#[test]
fn tokio_answers_a_server_close() {
    let (url, rx) = closing_server();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = janus_tokio::Client::connect_with(&url, no_reconnect())
            .await
            .unwrap();
        assert!(answered(rx), "the Close was not answered");
        client.close().await;
    });
}

#[test]
fn smol_answers_a_server_close() {
    let (url, rx) = closing_server();
    smol::block_on(async {
        let client = janus_smol::Client::connect_with(&url, no_reconnect())
            .await
            .unwrap();
        assert!(answered(rx), "the Close was not answered");
        client.close().await;
    });
}
