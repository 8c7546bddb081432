//! A private RabbitMQ node for the tests: Debian's `rabbitmq-server`
//! started by hand (never the system service) with its own node name,
//! data directory and free loopback ports, stopped on drop.
//!
//! ```no_run
//! let broker = janus_tests::rabbitmq::RabbitMq::start().expect("start rabbitmq");
//! println!("AMQP on {}", broker.amqp_url());
//! ```
//!
//! A node answers AMQP about 10 s after it is launched: start one per test
//! binary and share it.

use std::fs;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's package puts the server script.
pub const RABBITMQ_SERVER: &str = "/usr/lib/rabbitmq/bin/rabbitmq-server";

/// How long a node may take to answer AMQP.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// A message taken from a queue by [`RabbitMq::take_queued`].
#[derive(Clone, Debug)]
pub struct Queued {
    /// Its `correlation_id` property.
    pub correlation_id: Option<String>,
    /// Its `expiration` property (milliseconds, as text).
    pub expiration: Option<String>,
    /// Its body.
    pub body: Vec<u8>,
}

/// A running private RabbitMQ node.
#[derive(Debug)]
pub struct RabbitMq {
    child: Child,
    amqp_port: u16,
    dist_port: u16,
    epmd_port: u16,
    node: String,
    dir: tempfile::TempDir,
}

impl RabbitMq {
    /// Starts a node on free loopback ports and waits until it answers the
    /// AMQP handshake.
    pub fn start() -> io::Result<RabbitMq> {
        if !Path::new(RABBITMQ_SERVER).exists() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{RABBITMQ_SERVER} is missing: install it with \
                     `apt-get install -y rabbitmq-server` (scripts/test.sh does)"
                ),
            ));
        }
        let dir = tempfile::Builder::new().prefix("rabbitmq-rig-").tempdir()?;
        let [amqp_port, dist_port, epmd_port] = free_ports()?;
        fs::write(
            dir.path().join("rabbitmq.conf"),
            format!(
                "listeners.tcp.default = 127.0.0.1:{amqp_port}\n\
                 distribution.listener.interface = 127.0.0.1\n\
                 distribution.listener.port_range.min = {dist_port}\n\
                 distribution.listener.port_range.max = {dist_port}\n\
                 loopback_users = none\n"
            ),
        )?;
        fs::write(dir.path().join("enabled_plugins"), "[].\n")?;
        let node = format!("rig{}-{amqp_port}@localhost", std::process::id());
        let child = launch(dir.path(), &node, [amqp_port, dist_port, epmd_port])?;
        let mut broker = RabbitMq {
            child,
            amqp_port,
            dist_port,
            epmd_port,
            node,
            dir,
        };
        broker.wait_until_it_answers()?;
        Ok(broker)
    }

    /// The node every test of this process shares, started by the first
    /// call (about 10 s). A watcher process stops it when this process
    /// ends, however it ends.
    pub fn shared() -> &'static RabbitMq {
        static SHARED: std::sync::OnceLock<RabbitMq> = std::sync::OnceLock::new();
        SHARED.get_or_init(|| {
            let broker = RabbitMq::start().unwrap_or_else(|e| panic!("{e}"));
            // Every process of the node has its epmd port in its
            // environment (and nothing else does).
            // In a session of its own and deaf to the usual signals, so that
            // a signal to this process's group (Ctrl-C, `timeout`) leaves
            // it to do its work.
            let script = format!(
                "trap '' INT TERM HUP; while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
                 for f in $(grep -alz '^ERL_EPMD_PORT={epmd}$' /proc/[0-9]*/environ); do \
                 p=${{f#/proc/}}; kill -KILL ${{p%/environ}} 2>/dev/null; done; \
                 rm -rf '{dir}'",
                pid = std::process::id(),
                epmd = broker.epmd_port,
                dir = broker.dir.path().display(),
            );
            // It outlives this process by design: nobody waits for it.
            #[allow(clippy::zombie_processes)]
            let _watcher = Command::new("setsid")
                .arg("sh")
                .arg("-c")
                .arg(script)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("start the broker's watcher: {e}"));
            broker
        })
    }

    /// Stops the node and starts it again on the same ports, with the same
    /// data; returns once it answers AMQP again.
    pub fn restart(&mut self) -> io::Result<()> {
        self.stop();
        self.child = launch(
            self.dir.path(),
            &self.node,
            [self.amqp_port, self.dist_port, self.epmd_port],
        )?;
        self.wait_until_it_answers()
    }

    /// Takes every message waiting in `queue` (through a connection and a
    /// runtime of its own, on a thread of its own: callable from anywhere).
    pub fn take_queued(&self, queue: &str) -> io::Result<Vec<Queued>> {
        use lapin::options::BasicGetOptions;
        use lapin::{Connection, ConnectionProperties};
        let (uri, queue) = (self.amqp_url(), queue.to_owned());
        let taking = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async move {
                let fail = |e: lapin::Error| io::Error::other(e.to_string());
                let connection = Connection::connect(&uri, ConnectionProperties::default())
                    .await
                    .map_err(fail)?;
                let channel = connection.create_channel().await.map_err(fail)?;
                let mut taken = Vec::new();
                while let Some(message) = channel
                    .basic_get(queue.as_str().into(), BasicGetOptions { no_ack: true })
                    .await
                    .map_err(fail)?
                {
                    let properties = &message.delivery.properties;
                    taken.push(Queued {
                        correlation_id: properties.correlation_id().as_ref().map(|s| s.to_string()),
                        expiration: properties.expiration().as_ref().map(|s| s.to_string()),
                        body: message.delivery.data.clone(),
                    });
                }
                let _ = connection.close(200, "done".into()).await;
                Ok(taken)
            })
        });
        taking
            .join()
            .map_err(|_| io::Error::other("the queue reader panicked"))?
    }

    fn wait_until_it_answers(&mut self) -> io::Result<()> {
        let started = Instant::now();
        loop {
            if amqp_answers(self.amqp_port) {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait()? {
                return Err(io::Error::other(format!(
                    "rabbitmq-server exited ({status}) before answering AMQP:\n{}",
                    self.log()
                )));
            }
            if started.elapsed() > STARTUP_TIMEOUT {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "rabbitmq-server did not answer AMQP within {STARTUP_TIMEOUT:?}:\n{}",
                        self.log()
                    ),
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// `amqp://guest:guest@127.0.0.1:PORT/%2f`.
    pub fn amqp_url(&self) -> String {
        format!("amqp://guest:guest@127.0.0.1:{}/%2f", self.amqp_port)
    }

    /// The AMQP port on 127.0.0.1.
    pub fn amqp_port(&self) -> u16 {
        self.amqp_port
    }

    /// What the node printed, and its log files.
    pub fn log(&self) -> String {
        let mut text = fs::read_to_string(self.dir.path().join("node.out")).unwrap_or_default();
        if let Ok(entries) = fs::read_dir(self.dir.path().join("log")) {
            for entry in entries.flatten() {
                text.push_str(&fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
        text
    }

    /// Stops the node and its epmd.
    pub fn stop(&mut self) {
        // The script runs the Erlang VM as a child: signal the whole tree.
        let pid = self.child.id();
        for child in descendants(pid) {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(child.to_string())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        // epmd daemonized itself: find it by the port it was given.
        // (Every process of the node has that port in its environment.)
        for epmd in processes_with_env("ERL_EPMD_PORT", &self.epmd_port.to_string()) {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(epmd.to_string())
                .status();
        }
        // Its ports are free once the processes are gone.
        let until = Instant::now() + Duration::from_secs(10);
        while Instant::now() < until
            && [self.amqp_port, self.dist_port, self.epmd_port]
                .iter()
                .any(|port| TcpStream::connect((Ipv4Addr::LOCALHOST, *port)).is_ok())
        {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for RabbitMq {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Launches the node `node` with its files in `dir` and the ports
/// `[amqp, distribution, epmd]`.
fn launch(
    dir: &Path,
    node: &str,
    [amqp_port, dist_port, epmd_port]: [u16; 3],
) -> io::Result<Child> {
    let path = |name: &str| dir.join(name);
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path("node.out"))?;
    Command::new(RABBITMQ_SERVER)
        .env("HOME", dir)
        .env("RABBITMQ_NODENAME", node)
        .env("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
        .env("RABBITMQ_NODE_PORT", amqp_port.to_string())
        .env("RABBITMQ_DIST_PORT", dist_port.to_string())
        .env("ERL_EPMD_PORT", epmd_port.to_string())
        .env("ERL_EPMD_ADDRESS", "127.0.0.1")
        .env("RABBITMQ_MNESIA_BASE", path("mnesia"))
        .env("RABBITMQ_LOG_BASE", path("log"))
        .env("RABBITMQ_PID_FILE", path("node.pid"))
        .env("RABBITMQ_CONFIG_FILE", path("rabbitmq.conf"))
        .env("RABBITMQ_ENABLED_PLUGINS_FILE", path("enabled_plugins"))
        .stdin(Stdio::null())
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log))
        .spawn()
}

/// Three distinct free loopback TCP ports.
fn free_ports() -> io::Result<[u16; 3]> {
    let held: Vec<TcpListener> = (0..3)
        .map(|_| TcpListener::bind((Ipv4Addr::LOCALHOST, 0)))
        .collect::<io::Result<_>>()?;
    let mut ports = [0; 3];
    for (port, l) in ports.iter_mut().zip(&held) {
        *port = l.local_addr()?.port();
    }
    Ok(ports)
}

/// Whether a broker on `port` answers the AMQP 0-9-1 protocol header with
/// a `Connection.Start` method frame.
fn amqp_answers(port: u16) -> bool {
    let Ok(mut tcp) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return false;
    };
    let _ = tcp.set_read_timeout(Some(Duration::from_secs(2)));
    if tcp.write_all(b"AMQP\x00\x00\x09\x01").is_err() {
        return false;
    }
    let mut head = [0u8; 11];
    // A method frame (type 1) on channel 0 whose method is class 10 (connection), id 10 (start).
    tcp.read_exact(&mut head).is_ok() && head[0] == 1 && head[7..11] == [0, 10, 0, 10]
}

/// Every process below `pid`, deepest first.
fn descendants(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let children =
        fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    for child in children.split_whitespace().filter_map(|c| c.parse().ok()) {
        out.extend(descendants(child));
        out.push(child);
    }
    out
}

/// Processes whose environment has `key=value`.
fn processes_with_env(key: &str, value: &str) -> Vec<u32> {
    let wanted = format!("{key}={value}");
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let environ: PathBuf = format!("/proc/{pid}/environ").into();
            fs::read(environ)
                .is_ok_and(|env| env.split(|b| *b == 0).any(|kv| kv == wanted.as_bytes()))
        })
        .collect()
}
