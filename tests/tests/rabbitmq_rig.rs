//! The rig's private RabbitMQ node starts, answers AMQP on loopback, and
//! leaves no process behind when dropped.

use janus_tests::rabbitmq::RabbitMq;
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[test]
fn a_private_node_starts_answers_and_stops() {
    let started = Instant::now();
    let broker = RabbitMq::start().unwrap_or_else(|e| panic!("{e}"));
    eprintln!("rabbitmq answered AMQP after {:?}", started.elapsed());
    let port = broker.amqp_port();
    assert!(broker.amqp_url().contains(&format!("127.0.0.1:{port}")));
    drop(broker);
    // Nothing listens on its port once it is dropped.
    let gone = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(Instant::now() < gone, "the node still listens on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A Janus started with `rabbitmq(...)` connects to the private node: its
/// RabbitMQ transport is loaded (Janus drops a transport that cannot reach
/// its broker at start).
#[test]
fn janus_serves_over_the_private_node() {
    use janus_tests::rig::JanusServer;

    let broker = RabbitMq::start().unwrap_or_else(|e| panic!("{e}"));
    let server = JanusServer::builder()
        .plugins(&["echotest"])
        .rabbitmq(broker.amqp_port(), "A")
        .start()
        .unwrap_or_else(|e| panic!("{e}"));
    let info = server.info().unwrap();
    assert!(
        info["transports"].get("janus.transport.rabbitmq").is_some(),
        "the RabbitMQ transport is not loaded: {}\n{}",
        info["transports"],
        server.log()
    );
}
