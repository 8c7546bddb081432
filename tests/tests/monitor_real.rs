//! The session ledger against a real Janus 1.1.2 with the sampleevh event
//! handler posting to a receiver here, and Admin API polls: every way a
//! session ends is closed exactly once, with its reason.

use janus_blocking::janus_core::admin::{DestroySession, ListSessions};
use janus_blocking::janus_core::monitor::{Change, Monitor, SessionEnd};
use janus_blocking::janus_core::SessionId;
use janus_blocking::{AdminClient, Client, Options};
use janus_tests::rig::JanusServer;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// An HTTP endpoint that takes sampleevh's POSTs (keep-alive included) and
/// hands their bodies over, answering 200 once each is taken; while `down`
/// is set it drops every connection unanswered (a backend outage).
fn receiver(down: Arc<AtomicBool>) -> (String, Receiver<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let tx = tx.clone();
            let down = down.clone();
            thread::spawn(move || serve(stream, tx, down));
        }
    });
    (url, rx)
}

fn serve(stream: TcpStream, tx: mpsc::Sender<Vec<u8>>, down: Arc<AtomicBool>) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        // Request line and headers.
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() || down.load(Ordering::SeqCst) {
            return;
        }
        if tx.send(body).is_err() {
            return;
        }
        let _ = writer.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    }
}

struct Watch {
    monitor: Monitor,
    events: Receiver<Vec<u8>>,
    server: String,
    closed: HashMap<SessionId, Vec<SessionEnd>>,
    opened: HashMap<SessionId, usize>,
}

impl Watch {
    fn new(server: &JanusServer, events: Receiver<Vec<u8>>, reclaim: u64) -> Self {
        let mut monitor = Monitor::new(Duration::from_secs(3));
        monitor.set_reclaim_timeout(server.server_name(), reclaim);
        Watch {
            monitor,
            events,
            server: server.server_name().to_owned(),
            closed: HashMap::new(),
            opened: HashMap::new(),
        }
    }

    fn pump(&mut self, admin: Option<&AdminClient>) {
        let now = Instant::now();
        while let Ok(body) = self.events.try_recv() {
            self.monitor
                .handle_events(now, &body, &self.server)
                .unwrap();
        }
        if let Some(admin) = admin {
            let asked = Instant::now();
            let sessions = admin.call(ListSessions).unwrap();
            self.monitor
                .handle_poll(Instant::now(), &self.server, asked, &sessions);
        }
        self.monitor.handle_timeout(Instant::now());
        while let Some(entry) = self.monitor.poll_output() {
            match entry.change {
                Change::SessionOpened { session, .. } => {
                    *self.opened.entry(session).or_default() += 1
                }
                Change::SessionClosed { session, reason } => {
                    self.closed.entry(session).or_default().push(reason)
                }
                _ => {}
            }
        }
    }

    /// Waits until `session` is closed (at most `limit`); its reasons.
    fn closed(
        &mut self,
        session: SessionId,
        admin: &AdminClient,
        limit: Duration,
    ) -> Vec<SessionEnd> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline && !self.closed.contains_key(&session) {
            self.pump(Some(admin));
            thread::sleep(Duration::from_millis(200));
        }
        // A little longer: nothing may close it twice.
        for _ in 0..5 {
            self.pump(Some(admin));
            thread::sleep(Duration::from_millis(100));
        }
        assert_eq!(
            self.opened.get(&session),
            Some(&1),
            "opened once: {session}"
        );
        self.closed.get(&session).cloned().unwrap_or_default()
    }
}

#[test]
fn every_ending_path_is_closed_once_with_its_reason() {
    let (url, events) = receiver(Arc::default());
    let server = JanusServer::builder()
        .session_timeout(4)
        .event_backend(&url, true)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let admin = AdminClient::connect(&server.admin_http_url(), server.admin_secret()).unwrap();
    let reclaim = admin.info().unwrap().reclaim_session_timeout.unwrap();
    assert_eq!(reclaim, 0);
    let mut watch = Watch::new(&server, events, reclaim);

    // The owner destroys it.
    let ws = Client::connect(&server.ws_url()).unwrap();
    let s = ws.create_session().unwrap();
    s.attach("janus.plugin.echotest").unwrap();
    let id = s.id();
    s.destroy().unwrap();
    assert_eq!(
        watch.closed(id, &admin, Duration::from_secs(5)),
        [SessionEnd::Destroyed]
    );

    // The Admin API destroys it.
    let http = Client::connect(&server.http_url()).unwrap();
    let s = http.create_session().unwrap();
    let id = s.id();
    admin.call(DestroySession::new(id)).unwrap();
    assert_eq!(
        watch.closed(id, &admin, Duration::from_secs(5)),
        [SessionEnd::Destroyed]
    );
    drop(s);

    // Nobody keeps it alive: the watchdog.
    let s = ws.create_session().unwrap();
    s.set_keepalive(false).unwrap();
    let id = s.id();
    assert_eq!(
        watch.closed(id, &admin, Duration::from_secs(12)),
        [SessionEnd::Timeout]
    );
    drop(s);

    // Its WebSocket closes with reclaim off: Janus says nothing of the
    // session, the ledger does.
    let other = Client::connect(&server.ws_url()).unwrap();
    let s = other.create_session().unwrap();
    let id = s.id();
    // Closed, the client ends its sessions locally only: nothing is sent.
    other.close();
    drop(s);
    assert_eq!(
        watch.closed(id, &admin, Duration::from_secs(5)),
        [SessionEnd::TransportGone]
    );
    ws.close();
    http.close();
}

#[test]
fn with_reclaim_on_a_closed_websocket_ends_in_a_timeout() {
    let (url, events) = receiver(Arc::default());
    let server = JanusServer::builder()
        .session_timeout(30)
        .reclaim_session_timeout(2)
        .event_backend(&url, false)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let admin = AdminClient::connect(&server.admin_http_url(), server.admin_secret()).unwrap();
    let mut watch = Watch::new(&server, events, 2);
    let options = Options::new().reconnect(janus_blocking::janus_core::ReconnectPolicy::NEVER);
    let client = Client::connect_with(&server.ws_url(), options).unwrap();
    let s = client.create_session().unwrap();
    let id = s.id();
    client.close();
    drop(s);
    assert_eq!(
        watch.closed(id, &admin, Duration::from_secs(12)),
        [SessionEnd::Timeout]
    );
}

/// The event handler's backend is down while a session is destroyed:
/// sampleevh gives up and the `destroyed` is lost. The poll finds the
/// session gone and, no event saying why within the grace period, the
/// ledger closes it as vanished, once.
#[test]
fn events_lost_in_a_backend_outage_are_made_up_for_by_polls() {
    let down = Arc::new(AtomicBool::new(false));
    let (url, events) = receiver(down.clone());
    let server = JanusServer::builder()
        .event_backend(&url, false)
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let admin = AdminClient::connect(&server.admin_http_url(), server.admin_secret()).unwrap();
    let mut watch = Watch::new(&server, events, 0);
    let client = Client::connect(&server.ws_url()).unwrap();
    let s = client.create_session().unwrap();
    let id = s.id();
    // Seen opened, through its event or the poll.
    for _ in 0..20 {
        watch.pump(Some(&admin));
        if watch.opened.contains_key(&id) {
            break;
        }
        thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(watch.opened.get(&id), Some(&1));
    down.store(true, Ordering::SeqCst);
    s.destroy().unwrap();
    // The backend stays down until the ledger has settled the session:
    // only the polls can tell it.
    assert_eq!(
        watch.closed(id, &admin, Duration::from_secs(10)),
        [SessionEnd::Vanished]
    );
    down.store(false, Ordering::SeqCst);
    // sampleevh's five tries span about 3 s: once the backend is back, a
    // `destroyed` that still arrives changes nothing.
    thread::sleep(Duration::from_secs(2));
    watch.pump(Some(&admin));
    assert_eq!(watch.closed.get(&id).map(Vec::len), Some(1));
    client.close();
}
