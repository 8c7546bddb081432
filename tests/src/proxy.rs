//! A TCP proxy the test controls, between a client and a real Janus: the
//! network faults a deployment meets, made on demand.
//!
//! * [`Proxy::cut`]: every open connection is reset (a NAT or load
//!   balancer dropping its state, a Janus restart seen from the client);
//! * [`Proxy::swallow`]: connections stay open but nothing passes either
//!   way (a silent partition: no FIN, no RST, just silence);
//! * [`Proxy::delay`]: every chunk waits before it is forwarded;
//! * [`Proxy::refuse`]: new connections are closed at once (the server is
//!   down);
//! * [`Proxy::idle_cut`]: a connection idle for longer than a limit is
//!   reset (a proxy with an idle timeout, below Janus's 30 s long poll).
//!
//! Threads and std only; everything binds to loopback.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// How often a forwarding thread looks at the fault settings.
const TICK: Duration = Duration::from_millis(20);

#[derive(Default)]
struct Faults {
    swallow: AtomicBool,
    refuse: AtomicBool,
    delay_ms: AtomicU64,
    idle_cut_ms: AtomicU64,
    /// Bumped by `cut`: connections opened before the bump are reset.
    generation: AtomicU64,
    stopped: AtomicBool,
    accepted: AtomicU64,
}

/// A running proxy to one target address; stopped on drop.
pub struct Proxy {
    addr: SocketAddr,
    faults: Arc<Faults>,
    streams: Arc<Mutex<Vec<(u64, TcpStream)>>>,
}

impl Proxy {
    /// Starts a proxy on a free loopback port that forwards to `target`.
    pub fn start(target: SocketAddr) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        listener.set_nonblocking(true)?;
        let faults = Arc::new(Faults::default());
        let streams: Arc<Mutex<Vec<(u64, TcpStream)>>> = Arc::default();
        let (f, s) = (faults.clone(), streams.clone());
        thread::Builder::new()
            .name("proxy-accept".into())
            .spawn(move || accept_loop(listener, target, f, s))?;
        Ok(Proxy {
            addr,
            faults,
            streams,
        })
    }

    /// The proxy's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `url` (pointing at the target) rewritten to point at the proxy.
    pub fn url(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        format!("{scheme}://{}{path}", self.addr)
    }

    /// Resets every connection open now.
    pub fn cut(&self) {
        self.faults.generation.fetch_add(1, Ordering::SeqCst);
        let streams = std::mem::take(&mut *self.lock());
        for (_, s) in streams {
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    /// Swallows every byte both ways (on), or lets them pass again (off).
    pub fn swallow(&self, on: bool) {
        self.faults.swallow.store(on, Ordering::SeqCst);
    }

    /// Refuses new connections (on), or accepts them again (off).
    pub fn refuse(&self, on: bool) {
        self.faults.refuse.store(on, Ordering::SeqCst);
    }

    /// Delays every forwarded chunk by `delay` (zero: no delay).
    pub fn delay(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self.faults.delay_ms.store(ms, Ordering::SeqCst);
    }

    /// Resets a connection after `limit` without traffic (`None`: never).
    pub fn idle_cut(&self, limit: Option<Duration>) {
        let ms = limit.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        self.faults.idle_cut_ms.store(ms, Ordering::SeqCst);
    }

    /// How many connections the proxy has accepted so far.
    pub fn accepted(&self) -> u64 {
        self.faults.accepted.load(Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(u64, TcpStream)>> {
        self.streams.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.faults.stopped.store(true, Ordering::SeqCst);
        self.cut();
    }
}

fn accept_loop(
    listener: TcpListener,
    target: SocketAddr,
    faults: Arc<Faults>,
    streams: Arc<Mutex<Vec<(u64, TcpStream)>>>,
) {
    while !faults.stopped.load(Ordering::SeqCst) {
        let client = match listener.accept() {
            Ok((client, _)) => client,
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                thread::sleep(Duration::from_millis(5));
                continue;
            }
            Err(_) => return,
        };
        faults.accepted.fetch_add(1, Ordering::SeqCst);
        if faults.refuse.load(Ordering::SeqCst) {
            let _ = client.shutdown(Shutdown::Both);
            continue;
        }
        let Ok(server) = TcpStream::connect(target) else {
            let _ = client.shutdown(Shutdown::Both);
            continue;
        };
        let generation = faults.generation.load(Ordering::SeqCst);
        let last = Arc::new(Mutex::new(Instant::now()));
        let pairs = [
            (client.try_clone(), server.try_clone()),
            (server.try_clone(), client.try_clone()),
        ];
        if let (Ok(c), Ok(s)) = (client.try_clone(), server.try_clone()) {
            let mut list = streams.lock().unwrap_or_else(PoisonError::into_inner);
            list.push((generation, c));
            list.push((generation, s));
        }
        for (from, to) in pairs {
            let (Ok(from), Ok(to)) = (from, to) else {
                continue;
            };
            let (faults, last) = (faults.clone(), last.clone());
            let _ = thread::Builder::new()
                .name("proxy-pipe".into())
                .spawn(move || pipe(from, to, generation, &faults, &last));
        }
    }
}

/// Forwards `from` to `to` under the current faults until either side
/// closes or the connection is cut.
fn pipe(
    mut from: TcpStream,
    mut to: TcpStream,
    generation: u64,
    faults: &Faults,
    last: &Mutex<Instant>,
) {
    let _ = from.set_read_timeout(Some(TICK));
    let mut buf = vec![0u8; 16 * 1024];
    let close = |from: &TcpStream, to: &TcpStream| {
        let _ = from.shutdown(Shutdown::Both);
        let _ = to.shutdown(Shutdown::Both);
    };
    loop {
        if faults.stopped.load(Ordering::SeqCst)
            || faults.generation.load(Ordering::SeqCst) != generation
        {
            return close(&from, &to);
        }
        let idle_limit = faults.idle_cut_ms.load(Ordering::SeqCst);
        if idle_limit > 0 {
            let idle = last
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .elapsed();
            if idle > Duration::from_millis(idle_limit) {
                return close(&from, &to);
            }
        }
        let n = match from.read(&mut buf) {
            Ok(0) => return close(&from, &to),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(_) => return close(&from, &to),
        };
        if faults.swallow.load(Ordering::SeqCst) {
            continue;
        }
        *last.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now();
        let delay = faults.delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            thread::sleep(Duration::from_millis(delay));
        }
        if to.write_all(&buf[..n]).is_err() {
            return close(&from, &to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An echo server on loopback.
    fn echo_server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { return };
                thread::spawn(move || {
                    let mut buf = [0u8; 1024];
                    while let Ok(n) = s.read(&mut buf) {
                        if n == 0 || s.write_all(&buf[..n]).is_err() {
                            return;
                        }
                    }
                });
            }
        });
        addr
    }

    fn round_trip(s: &mut TcpStream) -> std::io::Result<Vec<u8>> {
        s.write_all(b"ping")?;
        let mut buf = [0u8; 4];
        s.read_exact(&mut buf)?;
        Ok(buf.to_vec())
    }

    #[test]
    fn forwards_cuts_swallows_and_refuses() {
        let proxy = Proxy::start(echo_server()).unwrap();
        assert_eq!(
            proxy.url("http://127.0.0.1:1/janus"),
            format!("http://{}/janus", proxy.addr())
        );
        let mut s = TcpStream::connect(proxy.addr()).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        assert_eq!(round_trip(&mut s).unwrap(), b"ping");

        proxy.swallow(true);
        assert!(round_trip(&mut s).is_err(), "swallowed");
        proxy.swallow(false);

        proxy.cut();
        let mut buf = [0u8; 4];
        assert!(matches!(s.read(&mut buf), Ok(0) | Err(_)), "reset");

        proxy.refuse(true);
        let mut refused = TcpStream::connect(proxy.addr()).unwrap();
        refused
            .set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        assert!(matches!(refused.read(&mut buf), Ok(0) | Err(_)));
        proxy.refuse(false);

        proxy.idle_cut(Some(Duration::from_millis(100)));
        let mut idle = TcpStream::connect(proxy.addr()).unwrap();
        idle.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        assert_eq!(round_trip(&mut idle).unwrap(), b"ping");
        thread::sleep(Duration::from_millis(300));
        assert!(round_trip(&mut idle).is_err(), "cut when idle");
        assert_eq!(proxy.accepted(), 3);
    }
}
