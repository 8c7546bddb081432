//! A minimal SIP user agent on loopback UDP for the SIP plugin's tests: it
//! answers every request Janus sends it with success (a registrar that
//! accepts any REGISTER, a callee that rings and then answers any INVITE
//! with a plain RTP SDP, and says 200 to everything else), so that the
//! plugin's events after a real SIP exchange can be observed.

use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// The running agent; stopped when dropped.
pub struct SipPeer {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl SipPeer {
    /// Starts the agent on a free loopback UDP port.
    pub fn start() -> io::Result<SipPeer> {
        let socket = UdpSocket::bind("127.0.0.1:0")?;
        socket.set_read_timeout(Some(Duration::from_millis(50)))?;
        let address = socket.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, requests) = (stop.clone(), requests.clone());
            thread::spawn(move || serve(socket, address, &stop, &requests))
        };
        Ok(SipPeer {
            address,
            stop,
            requests,
            thread: Some(thread),
        })
    }

    /// The UDP port it listens on.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The methods of the requests received so far, in order.
    pub fn methods(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Drop for SipPeer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(socket: UdpSocket, address: SocketAddr, stop: &AtomicBool, requests: &Mutex<Vec<String>>) {
    let mut buffer = [0u8; 65_536];
    while !stop.load(Ordering::Relaxed) {
        let Ok((len, from)) = socket.recv_from(&mut buffer) else {
            continue;
        };
        let text = String::from_utf8_lossy(&buffer[..len]).into_owned();
        let Some(method) = text.split(' ').next().map(str::to_string) else {
            continue;
        };
        if method.starts_with("SIP/") {
            continue; // a response to nothing we sent
        }
        requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(method.clone());
        if method == "ACK" {
            continue;
        }
        if method == "INVITE" {
            let _ = socket.send_to(
                response(&text, "180 Ringing", address, None).as_bytes(),
                from,
            );
            let sdp = format!(
                "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n\
                 m=audio {} RTP/AVP 111\r\na=rtpmap:111 opus/48000/2\r\na=sendrecv\r\n",
                address.port() + 2
            );
            let _ = socket.send_to(
                response(&text, "200 OK", address, Some(&sdp)).as_bytes(),
                from,
            );
        } else {
            let _ = socket.send_to(response(&text, "200 OK", address, None).as_bytes(), from);
        }
    }
}

/// A response to `request`: its Via, From, Call-ID and CSeq copied, a tag
/// added to To, a Contact of this agent, and the SDP body if any.
fn response(request: &str, status: &str, address: SocketAddr, sdp: Option<&str>) -> String {
    let mut out = format!("SIP/2.0 {status}\r\n");
    for line in request.split("\r\n").skip(1) {
        if line.is_empty() {
            break;
        }
        let name = line
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match name.as_str() {
            "via" | "v" | "from" | "f" | "call-id" | "i" | "cseq" => {
                out.push_str(line);
                out.push_str("\r\n");
            }
            "to" | "t" => {
                out.push_str(line);
                if !line.contains(";tag=") {
                    out.push_str(";tag=peer");
                }
                out.push_str("\r\n");
            }
            "expires" => {
                out.push_str(line);
                out.push_str("\r\n");
            }
            _ => {}
        }
    }
    out.push_str(&format!("Contact: <sip:peer@{address}>\r\n"));
    match sdp {
        Some(sdp) => {
            out.push_str("Content-Type: application/sdp\r\n");
            out.push_str(&format!("Content-Length: {}\r\n\r\n{sdp}", sdp.len()));
        }
        None => out.push_str("Content-Length: 0\r\n\r\n"),
    }
    out
}
