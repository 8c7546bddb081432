//! `janusctl monitor`: the session ledger of one or more servers, fed by
//! their event handlers (sampleevh POSTs here, wsevh connects here) and by
//! Admin API `list_sessions` polls, printed as it changes.

use crate::output::Out;
use crate::{Cli, Failure};
use janus_blocking::janus_core::admin::ListSessions;
use janus_blocking::janus_core::monitor::{Change, Entry, Monitor};
use janus_blocking::janus_core::serde_json::{json, Value};
use janus_blocking::{AdminClient, Options};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::{Duration, Instant};

/// One delivery from an event handler, and how to tell it was taken.
struct Delivery {
    body: Vec<u8>,
    taken: Option<Sender<()>>,
}

/// What `monitor` was asked for.
pub struct Args<'a> {
    pub listen: Option<&'a str>,
    pub ws_listen: Option<&'a str>,
    pub poll_urls: &'a [String],
    pub poll_every: Duration,
    pub duration: Option<Duration>,
    pub summary: bool,
    pub grace: Duration,
}

pub fn run(cli: &Cli, out: &Out, timeout: Duration, args: Args<'_>) -> Result<(), Failure> {
    let (tx, rx) = mpsc::channel::<Delivery>();
    if let Some(addr) = args.listen {
        let listener = TcpListener::bind(addr)
            .map_err(|e| Failure::usage(format!("cannot listen on {addr}: {e}")))?;
        let tx = tx.clone();
        thread::spawn(move || accept(listener, tx, serve_http));
    }
    if let Some(addr) = args.ws_listen {
        let listener = TcpListener::bind(addr)
            .map_err(|e| Failure::usage(format!("cannot listen on {addr}: {e}")))?;
        let tx = tx.clone();
        thread::spawn(move || accept(listener, tx, serve_ws));
    }
    drop(tx);
    let mut servers = Vec::new();
    for url in args.poll_urls {
        let mut options = Options::new()
            .request_timeout(timeout)
            .connect_timeout(timeout);
        if let Some(secret) = &cli.admin_secret {
            options = options.admin_secret(secret.as_str());
        }
        let admin = AdminClient::connect_with(url, options)?;
        let info = admin.info()?;
        let name = info.raw["server-name"]
            .as_str()
            .unwrap_or(url.as_str())
            .to_owned();
        servers.push((name, info.reclaim_session_timeout, admin));
    }
    let default_server = servers
        .first()
        .map_or_else(|| "janus".to_owned(), |(n, _, _)| n.clone());
    let mut monitor = Monitor::new(args.grace);
    for (name, reclaim, _) in &servers {
        if let Some(r) = reclaim {
            monitor.set_reclaim_timeout(name, *r);
        }
    }
    if !out.json {
        out.line(&format!(
            "monitoring {} (events on {}{}), polling every {}s",
            if servers.is_empty() {
                "events only".to_owned()
            } else {
                servers
                    .iter()
                    .map(|(n, _, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            args.listen.unwrap_or("-"),
            args.ws_listen
                .map(|w| format!(", WebSocket {w}"))
                .unwrap_or_default(),
            args.poll_every.as_secs()
        ));
    }
    let start = Instant::now();
    let mut next_poll = start;
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    loop {
        let now = Instant::now();
        if args.duration.is_some_and(|d| now >= start + d) {
            break;
        }
        if now >= next_poll {
            for (name, _, admin) in &servers {
                let asked = Instant::now();
                match admin.call(ListSessions) {
                    Ok(list) => monitor.handle_poll(Instant::now(), name, asked, &list),
                    Err(e) => eprintln!("janusctl: polling {name}: {e}"),
                }
            }
            next_poll = now + args.poll_every;
        }
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(d) => {
                if let Err(e) = monitor.handle_events(Instant::now(), &d.body, &default_server) {
                    eprintln!("janusctl: {e}");
                }
                if let Some(taken) = d.taken {
                    let _ = taken.send(());
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => thread::sleep(Duration::from_millis(200)),
        }
        monitor.handle_timeout(Instant::now());
        while let Some(entry) = monitor.poll_output() {
            tally(&mut counts, &entry.change);
            print(out, &entry, start);
        }
    }
    if args.summary {
        let value = json!({"summary": counts});
        out.either(&value, || {
            let mut text = String::from("summary:");
            for (k, v) in &counts {
                text.push_str(&format!("\n  {k:<18} {v}"));
            }
            text
        });
    }
    Ok(())
}

fn tally(counts: &mut BTreeMap<String, u64>, change: &Change) {
    let key = match change {
        Change::SessionOpened { .. } => "opened".to_owned(),
        Change::SessionClosed { reason, .. } => format!("closed {reason}"),
        Change::HandleOpened { .. } => "handles opened".to_owned(),
        Change::HandleClosed { .. } => "handles closed".to_owned(),
        _ => return,
    };
    *counts.entry(key).or_default() += 1;
}

fn print(out: &Out, entry: &Entry, start: Instant) {
    let t = entry.at.saturating_duration_since(start).as_secs_f64();
    let (value, text): (Value, String) = match &entry.change {
        Change::SessionOpened {
            session,
            transport,
            seen,
        } => (
            json!({"change": "session_opened", "session": session.0, "transport": transport,
                   "seen": format!("{seen:?}").to_lowercase()}),
            format!(
                "session {session} opened ({}, seen by {seen:?})",
                transport.as_deref().unwrap_or("transport unknown")
            ),
        ),
        Change::SessionClosed { session, reason } => (
            json!({"change": "session_closed", "session": session.0, "reason": reason.to_string()}),
            format!("session {session} closed: {reason}"),
        ),
        Change::HandleOpened {
            session,
            handle,
            plugin,
        } => (
            json!({"change": "handle_opened", "session": session.0, "handle": handle.0, "plugin": plugin}),
            format!(
                "handle {handle} of session {session} opened ({})",
                plugin.as_deref().unwrap_or("plugin unknown")
            ),
        ),
        Change::HandleClosed {
            session,
            handle,
            reason,
        } => (
            json!({"change": "handle_closed", "session": session.0, "handle": handle.0,
                   "reason": format!("{reason:?}").to_lowercase()}),
            format!("handle {handle} of session {session} closed ({reason:?})"),
        ),
        other => (
            json!({"change": format!("{other:?}")}),
            format!("{other:?}"),
        ),
    };
    let mut value = value;
    value["server"] = json!(entry.server);
    value["t"] = json!(t);
    out.either(&value, || format!("{t:>8.3}s {} {text}", entry.server));
}

/// Accepts connections for ever, each served on a thread of its own.
fn accept(listener: TcpListener, tx: Sender<Delivery>, serve: fn(TcpStream, Sender<Delivery>)) {
    for stream in listener.incoming().flatten() {
        let tx = tx.clone();
        thread::spawn(move || serve(stream, tx));
    }
}

/// sampleevh's POSTs on one connection (kept alive): each answered 200
/// once the monitor has taken its events, 503 if it could not.
fn serve_http(mut stream: TcpStream, tx: Sender<Delivery>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        // The head, parsed by httparse once complete.
        let (head_len, length) = loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut request = httparse::Request::new(&mut headers);
            match request.parse(&buf) {
                Ok(httparse::Status::Complete(n)) => {
                    let length = request
                        .headers
                        .iter()
                        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                        .and_then(|h| std::str::from_utf8(h.value).ok())
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    break (n, length);
                }
                Ok(httparse::Status::Partial) => match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                },
                Err(_) => {
                    let _ =
                        stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
                    return;
                }
            }
        };
        if length > 64 << 20 {
            let _ =
                stream.write_all(b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n");
            return;
        }
        while buf.len() < head_len + length {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buf[head_len..head_len + length].to_vec();
        buf.drain(..head_len + length);
        let (taken, rx) = mpsc::channel();
        let ok = tx
            .send(Delivery {
                body,
                taken: Some(taken),
            })
            .is_ok()
            && rx.recv_timeout(Duration::from_secs(10)).is_ok();
        let status: &[u8] = if ok {
            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        } else {
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
        };
        if stream.write_all(status).is_err() {
            return;
        }
    }
}

/// wsevh's connection: every text message is a delivery.
fn serve_ws(stream: TcpStream, tx: Sender<Delivery>) {
    let Ok(mut socket) = tungstenite::accept(stream) else {
        return;
    };
    while let Ok(message) = socket.read() {
        let body = match message {
            tungstenite::Message::Text(text) => text.as_bytes().to_vec(),
            tungstenite::Message::Binary(bytes) => bytes.to_vec(),
            tungstenite::Message::Close(_) => return,
            _ => continue,
        };
        if tx.send(Delivery { body, taken: None }).is_err() {
            return;
        }
    }
}
