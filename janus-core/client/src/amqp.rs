//! What Janus's RabbitMQ transport (`janus.transport.rabbitmq`) needs of a
//! client besides an AMQP connection, written once for every adapter: where
//! to publish and what to bind (from the URL), the AMQP properties of each
//! request, and how a delivery becomes a frame for the engine.
//!
//! The URL is `amqp://USER:PASS@HOST:PORT/VHOST?server=NAME`. Requests go
//! to the topic exchange `janus` (`exchange=` changes it) with the routing
//! key `to-janus.NAME`; Janus publishes its replies and events with
//! `from-janus.NAME`, which the client binds a queue of its own to. Without
//! `server` the keys are `to-janus` and `from-janus`; `to=` and `from=` set
//! them outright. One broker connection can so serve several servers, each
//! under its name.
//!
//! Facts of Janus 1.1.2 this follows: replies carry the request's
//! `correlation_id` (events do not), and a request Janus cannot parse is
//! answered with a 454 that has no `transaction` but has the correlation
//! id, so the transaction travels as the correlation id and is put back
//! into such an answer; Janus reads only the last body frame of a message,
//! so a request longer than [`AMQP_MAX_REQUEST`] fails at once; and a
//! request is published with an `expiration` equal to its timeout, so that
//! a request given up on is not run by a Janus that comes back later.

use std::borrow::Cow;
use std::time::Duration;

use janus_core::serde_json::{self, Value};

/// The longest request Janus 1.1.2's RabbitMQ transport reads whole: it
/// parses only the last body frame of a message (131,072 bytes with the
/// broker's default frame size).
pub const AMQP_MAX_REQUEST: usize = 131_072;

/// Where a RabbitMQ connection publishes and what it binds, parsed from
/// the URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmqpTarget {
    /// The broker's host.
    pub host: String,
    /// The broker's port (5672 by default).
    pub port: u16,
    /// The user name (`guest` by default).
    pub username: String,
    /// The password (`guest` by default).
    pub password: String,
    /// The virtual host (`/` by default).
    pub vhost: String,
    /// The exchange requests are published to and replies come from.
    pub exchange: String,
    /// The routing key of requests.
    pub to_janus: String,
    /// The routing key Janus publishes with (the client's binding).
    pub from_janus: String,
    /// The server's name (`server=`), from which the keys were made.
    pub server: Option<String>,
    /// The exchange's type, declared if the exchange does not exist yet
    /// (`exchange_type=`; `topic` by default, as a routing key per server
    /// needs). An exchange that exists is used as it is.
    pub exchange_type: String,
    /// The AMQP heartbeat asked of the broker, in seconds (`heartbeat=`;
    /// 10 by default): a link that hears nothing for two of them is dead.
    pub heartbeat: u16,
}

impl AmqpTarget {
    /// Reads `amqp://USER:PASS@HOST:PORT/VHOST?server=NAME&exchange=X&to=K&from=K`.
    pub fn parse(url: &str) -> Result<AmqpTarget, String> {
        let rest = match url.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("amqp") => rest,
            _ => return Err("a RabbitMQ URL starts with amqp://".into()),
        };
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, vhost) = rest.split_once('/').unwrap_or((rest, ""));
        let (credentials, address) = match authority.rsplit_once('@') {
            Some((c, a)) => (Some(c), a),
            None => (None, authority),
        };
        let (username, password) = match credentials {
            Some(c) => {
                let (u, p) = c.split_once(':').unwrap_or((c, ""));
                (decode(u)?, decode(p)?)
            }
            None => ("guest".to_owned(), "guest".to_owned()),
        };
        let port_of = |p: &str| match p.parse::<u16>() {
            Ok(port) if port > 0 && p.bytes().all(|b| b.is_ascii_digit()) => Ok(port),
            _ => Err(format!("the port {p:?} is not a number from 1 to 65535")),
        };
        let (host, port) = match address.strip_prefix('[') {
            // An IPv6 address, perhaps with a port.
            Some(v6) => match v6.split_once(']') {
                Some((host, "")) => (host, 5672),
                Some((host, port)) => match port.strip_prefix(':') {
                    Some(port) => (host, port_of(port)?),
                    None => return Err(format!("{address:?} is not HOST:PORT")),
                },
                None => return Err(format!("{address:?} lacks its closing ]")),
            },
            None => match address.rsplit_once(':') {
                Some((host, port)) => (host, port_of(port)?),
                None => (address, 5672),
            },
        };
        if host.is_empty() {
            return Err("the RabbitMQ URL names no host".into());
        }
        let vhost = match decode(vhost)? {
            v if v.is_empty() => "/".to_owned(),
            v => v,
        };
        let mut target = AmqpTarget {
            host: host.to_owned(),
            port,
            username,
            password,
            vhost,
            exchange: "janus".into(),
            to_janus: "to-janus".into(),
            from_janus: "from-janus".into(),
            server: None,
            exchange_type: "topic".into(),
            heartbeat: 10,
        };
        let (mut to, mut from) = (None, None);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value)?;
            match key {
                "server" => {
                    target.to_janus = format!("to-janus.{value}");
                    target.from_janus = format!("from-janus.{value}");
                    target.server = Some(value);
                }
                "exchange" => target.exchange = value,
                "exchange_type" => target.exchange_type = value,
                "heartbeat" => {
                    target.heartbeat = value.parse().map_err(|_| {
                        format!("heartbeat={value:?} is not a number of seconds (0 to 65535)")
                    })?
                }
                "to" => to = Some(value),
                "from" => from = Some(value),
                other => {
                    return Err(format!(
                        "unknown RabbitMQ URL parameter {other:?}: use server, exchange, \
                         exchange_type, to, from or heartbeat"
                    ))
                }
            }
        }
        if let Some(to) = to {
            target.to_janus = to;
        }
        if let Some(from) = from {
            target.from_janus = from;
        }
        Ok(target)
    }

    /// The same target for the Admin API: the keys `to-janus-admin.NAME`
    /// and `from-janus-admin.NAME` (`to-janus-admin` and `from-janus-admin`
    /// without a server name), unless `to=` or `from=` set them.
    pub fn for_admin(mut self) -> Self {
        let suffix = self
            .server
            .as_ref()
            .map_or(String::new(), |name| format!(".{name}"));
        if self.to_janus == format!("to-janus{suffix}") {
            self.to_janus = format!("to-janus-admin{suffix}");
        }
        if self.from_janus == format!("from-janus{suffix}") {
            self.from_janus = format!("from-janus-admin{suffix}");
        }
        self
    }

    /// The AMQP message for the request frame `frame` whose transaction is
    /// `transaction` (see [`transaction_of`]), given up on after `timeout`;
    /// a request Janus would not read whole is refused.
    pub fn publish<'a>(
        &'a self,
        frame: &'a [u8],
        transaction: Option<String>,
        timeout: Duration,
    ) -> Result<Publish<'a>, String> {
        if frame.len() > AMQP_MAX_REQUEST {
            return Err(format!(
                "the request is {} bytes; Janus's RabbitMQ transport reads at most {AMQP_MAX_REQUEST} \
                 (one body frame): send large SDPs over WebSocket or HTTP",
                frame.len()
            ));
        }
        Ok(Publish {
            routing_key: &self.to_janus,
            correlation_id: transaction,
            expiration_ms: timeout.as_millis().clamp(1, u128::from(u32::MAX)) as u64,
            body: frame,
        })
    }

    /// The frame a delivery holds for the engine, or `None` when it is not
    /// for this client: published with another routing key (another
    /// server's), or a reply whose correlation id does not start with this
    /// client's transaction prefix (another client's; events carry no
    /// correlation id and always pass). A reply without a transaction gets
    /// its correlation id as the transaction.
    pub fn receive<'a>(
        &self,
        routing_key: &str,
        correlation_id: Option<&str>,
        transaction_prefix: &str,
        body: &'a [u8],
    ) -> Option<Cow<'a, [u8]>> {
        if routing_key != self.from_janus {
            return None;
        }
        let Some(correlation) = correlation_id else {
            return Some(Cow::Borrowed(body));
        };
        if !correlation.starts_with(transaction_prefix) {
            return None;
        }
        // A scan, not a parse: only a reply without one is rewritten.
        if body.windows(13).any(|w| w == b"\"transaction\"") {
            return Some(Cow::Borrowed(body));
        }
        let mut value: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(_) => return Some(Cow::Borrowed(body)),
        };
        match value.as_object_mut() {
            Some(object) => {
                object.insert("transaction".into(), Value::String(correlation.to_owned()));
                serde_json::to_vec(&value).ok().map(Cow::Owned)
            }
            None => Some(Cow::Borrowed(body)),
        }
    }
}

/// One request as an AMQP message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publish<'a> {
    /// Its routing key (on [`AmqpTarget::exchange`]).
    pub routing_key: &'a str,
    /// Its `correlation_id` property: the request's transaction.
    pub correlation_id: Option<String>,
    /// Its `expiration` property, in milliseconds: the request's timeout.
    pub expiration_ms: u64,
    /// The body: the frame.
    pub body: &'a [u8],
}

/// The top-level `transaction` of a JSON frame, if it has one (the other
/// members are skipped, not built).
pub fn transaction_of(frame: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Transaction<'a> {
        #[serde(borrow)]
        transaction: Option<Cow<'a, str>>,
    }
    let parsed: Transaction<'_> = serde_json::from_slice(frame).ok()?;
    parsed.transaction.map(Cow::into_owned)
}

/// Percent-decoding of a URL part.
fn decode(part: &str) -> Result<String, String> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = part
                .get(i + 1..i + 3)
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("a bad percent escape in {part:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{part:?} is not UTF-8 once decoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_broker_and_the_keys() {
        let t = AmqpTarget::parse("amqp://bob:s%40cret@10.0.0.5:5673/%2f?server=A").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("10.0.0.5", 5673));
        assert_eq!(
            (t.username.as_str(), t.password.as_str()),
            ("bob", "s@cret")
        );
        assert_eq!(t.vhost, "/");
        assert_eq!(t.exchange, "janus");
        assert_eq!(
            (t.to_janus.as_str(), t.from_janus.as_str()),
            ("to-janus.A", "from-janus.A")
        );

        let admin = t.clone().for_admin();
        assert_eq!(
            (admin.to_janus.as_str(), admin.from_janus.as_str()),
            ("to-janus-admin.A", "from-janus-admin.A")
        );

        let t = AmqpTarget::parse("AMQP://broker").unwrap();
        let admin = t.clone().for_admin();
        assert_eq!(
            (admin.to_janus.as_str(), admin.from_janus.as_str()),
            ("to-janus-admin", "from-janus-admin")
        );
        assert_eq!((t.host.as_str(), t.port), ("broker", 5672));
        assert_eq!((t.username.as_str(), t.vhost.as_str()), ("guest", "/"));
        assert_eq!(
            (t.to_janus.as_str(), t.from_janus.as_str()),
            ("to-janus", "from-janus")
        );

        let t = AmqpTarget::parse("amqp://h?exchange_type=direct&heartbeat=30").unwrap();
        assert_eq!((t.exchange_type.as_str(), t.heartbeat), ("direct", 30));
        let t = AmqpTarget::parse("amqp://h").unwrap();
        assert_eq!((t.exchange_type.as_str(), t.heartbeat), ("topic", 10));
        let t = AmqpTarget::parse("amqp://[::1]:5673").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 5673));

        let t = AmqpTarget::parse("amqp://h/prod?exchange=x&to=in&from=out").unwrap();
        assert_eq!(t.vhost, "prod");
        assert_eq!(
            (
                t.exchange.as_str(),
                t.to_janus.as_str(),
                t.from_janus.as_str()
            ),
            ("x", "in", "out")
        );
        let admin = t.clone().for_admin();
        assert_eq!(
            (admin.to_janus, admin.from_janus),
            (t.to_janus, t.from_janus)
        );

        for (url, said) in [
            ("ws://h", "amqp://"),
            ("amqp://h:99999", "port"),
            ("amqp://", "no host"),
            ("amqp://h?queue=q", "unknown RabbitMQ URL parameter"),
            ("amqp://h/%zz", "percent"),
            ("amqp://[::1", "closing ]"),
            ("amqp://h:0", "port"),
            ("amqp://h:+5", "port"),
            ("amqp://h/%+f", "percent"),
            ("amqp://h?heartbeat=x", "heartbeat"),
        ] {
            let e = AmqpTarget::parse(url).unwrap_err();
            assert!(e.contains(said), "{url}: {e}");
        }
    }

    #[test]
    fn a_request_carries_its_transaction_and_timeout_and_its_size_is_checked() {
        let t = AmqpTarget::parse("amqp://h?server=A").unwrap();
        let frame = br#"{"janus":"create","transaction":"c1-7"}"#;
        let tx = transaction_of(frame);
        assert_eq!(tx.as_deref(), Some("c1-7"));
        assert_eq!(transaction_of(br#"{"janus":"ping"}"#), None);
        assert_eq!(transaction_of(b"not json"), None);
        let p = t.publish(frame, tx, Duration::from_secs(15)).unwrap();
        assert_eq!(p.routing_key, "to-janus.A");
        assert_eq!(p.correlation_id.as_deref(), Some("c1-7"));
        assert_eq!(p.expiration_ms, 15_000);
        assert_eq!(p.body, frame);

        let big = format!(
            r#"{{"janus":"message","transaction":"t","body":"{}"}}"#,
            "x".repeat(AMQP_MAX_REQUEST)
        );
        let e = t
            .publish(big.as_bytes(), Some("t".into()), Duration::from_secs(1))
            .unwrap_err();
        assert!(e.contains("at most 131072"), "{e}");
        let exact = vec![b' '; AMQP_MAX_REQUEST];
        assert!(t.publish(&exact, None, Duration::from_secs(1)).is_ok());
    }

    #[test]
    fn deliveries_are_filtered_and_a_lost_transaction_is_put_back() {
        let t = AmqpTarget::parse("amqp://h?server=A").unwrap();
        let reply = br#"{"janus":"success","transaction":"c1-7"}"#;
        // Another server's traffic, another client's reply: dropped unread.
        assert_eq!(t.receive("from-janus.B", Some("c1-7"), "c1-", reply), None);
        assert_eq!(t.receive("from-janus.A", Some("c2-7"), "c1-", reply), None);
        // Ours, and events (no correlation id), pass as they are.
        assert_eq!(
            t.receive("from-janus.A", Some("c1-7"), "c1-", reply)
                .unwrap(),
            &reply[..]
        );
        let event = br#"{"janus":"event","session_id":1}"#;
        assert_eq!(
            t.receive("from-janus.A", None, "c1-", event).unwrap(),
            &event[..]
        );
        // A 454 that lost its transaction gets it back from the correlation id.
        let bad = br#"{"janus":"error","error":{"code":454,"reason":"JSON error"}}"#;
        let fixed = t.receive("from-janus.A", Some("c1-9"), "c1-", bad).unwrap();
        let value: Value = serde_json::from_slice(&fixed).unwrap();
        assert_eq!(value["transaction"], "c1-9");
        assert_eq!(value["error"]["code"], 454);
    }
}
