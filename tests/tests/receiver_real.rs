//! The async adapters' event receivers against a real Janus: sampleevh
//! posting to `EventReceiver::http`, wsevh connecting to
//! `EventReceiver::websocket`, on tokio and on smol, feeding the session
//! ledger until a destroyed session is closed as destroyed, once.

use futures_util::StreamExt;
use janus_async::janus_core::monitor::{Change, Monitor, SessionEnd};
use janus_async::{EventReceiver, Runtime};
use janus_tests::rig::JanusServer;
use std::time::{Duration, Instant};

/// Runs the walk on runtime `R`; `ws`: wsevh rather than sampleevh.
async fn walk<R: Runtime>(ws: bool) {
    let receiver = if ws {
        EventReceiver::websocket::<R>("127.0.0.1:0").await
    } else {
        EventReceiver::http::<R>("127.0.0.1:0").await
    };
    let mut receiver = receiver.unwrap();
    let scheme = if ws { "ws" } else { "http" };
    let backend = format!("{scheme}://{}/", receiver.local_addr());
    let server = JanusServer::builder()
        .event_backend(&backend, !ws)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let client = janus_async::Client::<R>::connect(&server.ws_url())
        .await
        .unwrap();
    let session = client.create_session().await.unwrap();
    let id = session.id();
    session.destroy().await.unwrap();

    let mut monitor = Monitor::new(Duration::from_secs(5));
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut closes = Vec::new();
    while closes.is_empty() && Instant::now() < deadline {
        let next = futures_util::future::select(
            receiver.next(),
            R::sleep_until(Instant::now() + Duration::from_millis(500)),
        )
        .await;
        let futures_util::future::Either::Left((Some(delivery), _)) = next else {
            continue;
        };
        monitor
            .handle_events(Instant::now(), delivery.body(), server.server_name())
            .unwrap();
        delivery.taken();
        while let Some(entry) = monitor.poll_output() {
            if let Change::SessionClosed { session, reason } = entry.change {
                if session == id {
                    closes.push(reason);
                }
            }
        }
    }
    assert_eq!(closes, [SessionEnd::Destroyed]);
    client.close().await;
}

fn tokio_run(ws: bool) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(walk::<janus_tokio::Tokio>(ws));
}

#[test]
fn tokio_sampleevh() {
    tokio_run(false);
}

#[test]
fn tokio_wsevh() {
    tokio_run(true);
}

#[test]
fn smol_sampleevh() {
    smol::block_on(walk::<janus_smol::Smol>(false));
}

#[test]
fn smol_wsevh() {
    smol::block_on(walk::<janus_smol::Smol>(true));
}
