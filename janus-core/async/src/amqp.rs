//! Janus's RabbitMQ transport (`janus.transport.rabbitmq`) on any runtime,
//! through `lapin`.
//!
//! Each client has a channel of its own with an exclusive, server-named
//! queue bound to the exchange with the key Janus publishes its replies and
//! events with (`from-janus.NAME`), so the broker drops other servers'
//! traffic before it reaches the process; replies of other clients on the
//! same key are dropped by their correlation id, unparsed (see
//! [`janus_client::amqp`]). Requests are published to `to-janus.NAME` with
//! their transaction as the correlation id and their timeout as the
//! message's expiration.
//!
//! The AMQP connection itself is shared: every client of the process on
//! the same runtime that names the same broker (host, port, user, virtual
//! host) uses one, so a fleet of servers behind one broker costs one TCP
//! connection. When it fails, each client's link ends and the driver opens
//! it again; the first to do so connects again, the others use that
//! connection. Sessions are not tied to the link (Janus never learns that
//! an AMQP client went away), so nothing is claimed after a reconnect.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::FutureExt;
use janus_client::amqp::{self, AmqpTarget};
use lapin::options::{
    BasicConsumeOptions, BasicPublishOptions, ExchangeDeclareOptions, QueueBindOptions,
    QueueDeclareOptions,
};
use lapin::types::FieldTable;
use lapin::uri::{AMQPAuthority, AMQPQueryString, AMQPScheme, AMQPUri, AMQPUserInfo};
use lapin::{BasicProperties, Channel, Connection, ConnectionProperties, Consumer, ExchangeKind};

use crate::runtime::{within, BoxFuture, Runtime};

/// Deliveries for other clients skipped in one poll before the link
/// yields (a flood of other sessions' events must not hog the thread).
const SKIP_BUDGET: usize = 64;

/// What tells a shared broker connection apart: the runtime (its type and
/// instance) and where it connects as whom, with which heartbeat.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct BrokerKey {
    runtime: std::any::TypeId,
    instance: u64,
    host: String,
    port: u16,
    username: String,
    password: String,
    vhost: String,
    heartbeat: u16,
}

/// One AMQP connection, shared by the clients that name the same broker.
struct Broker {
    uri: AMQPUri,
    connection: futures_util::lock::Mutex<Option<Connection>>,
}

/// The broker `target` names, shared while some link holds it.
fn broker<R: Runtime>(target: &AmqpTarget) -> Arc<Broker> {
    static BROKERS: OnceLock<Mutex<HashMap<BrokerKey, Weak<Broker>>>> = OnceLock::new();
    let key = BrokerKey {
        runtime: std::any::TypeId::of::<R>(),
        instance: R::instance(),
        host: target.host.clone(),
        port: target.port,
        username: target.username.clone(),
        password: target.password.clone(),
        vhost: target.vhost.clone(),
        heartbeat: target.heartbeat,
    };
    let mut brokers = BROKERS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    brokers.retain(|_, broker| broker.strong_count() > 0);
    if let Some(broker) = brokers.get(&key).and_then(Weak::upgrade) {
        return broker;
    }
    let broker = Arc::new(Broker {
        uri: uri_of(target),
        connection: futures_util::lock::Mutex::new(None),
    });
    brokers.insert(key, Arc::downgrade(&broker));
    broker
}

/// The URI lapin connects with, built from the target's parts (not as
/// text: an IPv6 host would not survive lapin's URL parsing).
fn uri_of(target: &AmqpTarget) -> AMQPUri {
    AMQPUri {
        scheme: AMQPScheme::AMQP,
        authority: AMQPAuthority {
            userinfo: AMQPUserInfo {
                username: target.username.clone(),
                password: target.password.clone(),
            },
            host: target.host.clone(),
            port: target.port,
        },
        vhost: target.vhost.clone(),
        query: AMQPQueryString {
            heartbeat: Some(target.heartbeat),
            ..AMQPQueryString::default()
        },
    }
}

impl Broker {
    /// A new channel on the shared connection, connecting (again) first if
    /// there is none, it failed, or it gives no channel within `timeout`.
    async fn channel<R: Runtime>(&self, timeout: Duration) -> Result<Channel, String> {
        let mut connection = self.connection.lock().await;
        if let Some(open) = connection.as_ref().filter(|c| c.status().connected()) {
            let channel = with_timeout::<R, _>(open.create_channel(), timeout, "opening a channel");
            if let Ok(Ok(channel)) = channel.await {
                return Ok(channel);
            }
        }
        // None, or one that failed: the links on it end by themselves.
        *connection = None;
        let properties = ConnectionProperties::default()
            .with_connection_name(format!("janus-rs {}", env!("CARGO_PKG_VERSION")).into());
        let connect = R::connect_amqp(self.uri.clone(), properties);
        let open = with_timeout::<R, _>(connect, timeout, "connecting to the broker")
            .await?
            .map_err(|e| format!("RabbitMQ: {e}"))?;
        let channel = with_timeout::<R, _>(open.create_channel(), timeout, "opening a channel");
        let channel = channel.await?.map_err(|e| format!("RabbitMQ: {e}"));
        if channel.is_ok() {
            *connection = Some(open);
        }
        channel
    }
}

/// `future`, or an error naming `what` after `timeout`.
async fn with_timeout<R: Runtime, T>(
    future: impl std::future::Future<Output = T> + Send,
    timeout: Duration,
    what: &str,
) -> Result<T, String> {
    within::<R, _>(timeout, future).await.ok_or_else(|| {
        format!("RabbitMQ: {what} took longer than {timeout:?}: is the broker up and reachable?")
    })
}

/// Opens a link to the server `target` names: a channel on the shared
/// connection, the exchange declared as Janus declares it, and a queue of
/// the client's own bound to Janus's routing key.
pub(crate) fn open<R: Runtime>(
    target: &AmqpTarget,
    transaction_prefix: String,
    request_timeout: Duration,
    timeout: Duration,
) -> BoxFuture<Result<AmqpLink, String>> {
    let target = target.clone();
    Box::pin(async move {
        let broker = broker::<R>(&target);
        let channel = broker.channel::<R>(timeout).await?;
        let subscribing = subscribe::<R>(&broker, channel, &target, timeout);
        let (channel, consumer) =
            with_timeout::<R, _>(subscribing, timeout, "binding the client's queue")
                .await?
                .map_err(|e| {
                    format!(
                        "RabbitMQ: binding a queue to exchange {:?} with key {:?}: {e}",
                        target.exchange, target.from_janus
                    )
                })?;
        Ok(AmqpLink {
            _broker: broker,
            target,
            channel,
            consumer,
            transaction_prefix,
            request_timeout,
            publishing: None,
            closing: None,
            done: false,
        })
    })
}

/// Makes sure the exchange exists (used as it is if it does; declared with
/// the target's type and Janus's flags if not), declares a queue of the
/// client's own, binds it, and consumes from it (no acknowledgements: a
/// lost reply is a timeout). Gives the channel it ends on.
async fn subscribe<R: Runtime>(
    broker: &Broker,
    mut channel: Channel,
    target: &AmqpTarget,
    timeout: Duration,
) -> Result<(Channel, Consumer), String> {
    let exchange = || target.exchange.as_str().into();
    let said = |e: lapin::Error| e.to_string();
    let passive = ExchangeDeclareOptions {
        passive: true,
        ..ExchangeDeclareOptions::default()
    };
    let found = channel
        .exchange_declare(
            exchange(),
            ExchangeKind::Topic,
            passive,
            FieldTable::default(),
        )
        .await;
    if found.is_err() {
        // The broker closed that channel: declare on a new one.
        channel = broker.channel::<R>(timeout).await?;
        let kind = match target.exchange_type.as_str() {
            "topic" => ExchangeKind::Topic,
            "direct" => ExchangeKind::Direct,
            "fanout" => ExchangeKind::Fanout,
            "headers" => ExchangeKind::Headers,
            other => ExchangeKind::Custom(other.to_owned()),
        };
        channel
            .exchange_declare(
                exchange(),
                kind,
                ExchangeDeclareOptions::default(),
                FieldTable::default(),
            )
            .await
            .map_err(said)?;
    }
    let queue = channel
        .queue_declare(
            "".into(),
            QueueDeclareOptions {
                exclusive: true,
                auto_delete: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .map_err(said)?;
    channel
        .queue_bind(
            queue.name().clone(),
            exchange(),
            target.from_janus.as_str().into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .map_err(said)?;
    let consumer = channel
        .basic_consume(
            queue.name().clone(),
            "".into(),
            BasicConsumeOptions {
                no_ack: true,
                exclusive: true,
                ..BasicConsumeOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .map_err(said)?;
    Ok((channel, consumer))
}

/// One client's link over RabbitMQ: its channel, its queue's consumer, and
/// the publish under way.
pub(crate) struct AmqpLink {
    /// Keeps the shared connection for as long as the link lives.
    _broker: Arc<Broker>,
    target: AmqpTarget,
    channel: Channel,
    consumer: Consumer,
    transaction_prefix: String,
    /// The expiration of a frame whose request the engine does not know.
    request_timeout: Duration,
    publishing: Option<BoxFuture<Result<(), String>>>,
    closing: Option<BoxFuture<()>>,
    /// The consumer ended.
    done: bool,
}

impl AmqpLink {
    /// The next frame for the engine (deliveries not for this client are
    /// skipped), `None` at the end of the link.
    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Vec<u8>>>> {
        for _ in 0..SKIP_BUDGET {
            if self.done {
                return Poll::Ready(None);
            }
            let delivery = match futures_util::ready!(Pin::new(&mut self.consumer).poll_next(cx)) {
                Some(Ok(delivery)) => delivery,
                Some(Err(e)) => return Poll::Ready(Some(Err(io::Error::other(e.to_string())))),
                None => {
                    self.done = true;
                    return Poll::Ready(None);
                }
            };
            let correlation = delivery.properties.correlation_id().as_ref();
            if let Some(frame) = self.target.receive(
                delivery.routing_key.as_str(),
                correlation.map(|c| c.as_str()),
                &self.transaction_prefix,
                &delivery.data,
            ) {
                return Poll::Ready(Some(Ok(frame.into_owned())));
            }
        }
        // Plenty skipped: let other tasks run, then go on.
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    /// Whether a new frame can be published (the one before it has been
    /// handed to the connection).
    pub(crate) fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(publishing) = &mut self.publishing {
            let done = futures_util::ready!(publishing.poll_unpin(cx));
            self.publishing = None;
            done.map_err(io::Error::other)?;
        }
        Poll::Ready(Ok(()))
    }

    /// Publishes `frame`, with the timeout `timeout_of` gives for its
    /// transaction as its expiration. A frame over Janus's limit is not
    /// sent (the engine refuses such requests before they get here).
    pub(crate) fn start_send(
        &mut self,
        frame: String,
        timeout_of: impl FnOnce(&str) -> Option<Duration>,
    ) -> io::Result<()> {
        let transaction = amqp::transaction_of(frame.as_bytes());
        let timeout = transaction
            .as_deref()
            .and_then(timeout_of)
            .unwrap_or(self.request_timeout);
        let publish = match self.target.publish(frame.as_bytes(), transaction, timeout) {
            Ok(publish) => publish,
            // The engine refuses such requests before they get here; one
            // that gets here anyway is not sent (its caller times out),
            // and the link, and every other request on it, go on.
            Err(reason) => {
                tracing::warn!(%reason, "RabbitMQ: a frame not sent");
                return Ok(());
            }
        };
        let mut properties = BasicProperties::default()
            .with_expiration(publish.expiration_ms.to_string().into())
            .with_content_type("application/json".into());
        if let Some(correlation) = publish.correlation_id {
            properties = properties.with_correlation_id(correlation.into());
        }
        let (exchange, routing_key) =
            (self.target.exchange.clone(), publish.routing_key.to_owned());
        let channel = self.channel.clone();
        self.publishing = Some(Box::pin(async move {
            channel
                .basic_publish(
                    exchange.into(),
                    routing_key.into(),
                    BasicPublishOptions::default(),
                    frame.as_bytes(),
                    properties,
                )
                .await
                .map(drop)
                .map_err(|e| format!("RabbitMQ publish: {e}"))
        }));
        Ok(())
    }

    /// Waits until every frame has been handed to the connection.
    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_ready(cx)
    }

    /// Flushes, then closes the channel (its queue goes with it).
    pub(crate) fn poll_close(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let flushed = futures_util::ready!(self.poll_flush(cx));
        let channel = self.channel.clone();
        let closing = self.closing.get_or_insert_with(|| {
            Box::pin(async move {
                let _ = channel.close(200, "closed by the client".into()).await;
            })
        });
        futures_util::ready!(closing.poll_unpin(cx));
        Poll::Ready(flushed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_uri_keeps_every_part_as_it_was_decoded() {
        let target =
            AmqpTarget::parse("amqp://bob:s%40cret%2F@[2001:db8::5]:5673/%2f?heartbeat=4").unwrap();
        let uri = uri_of(&target);
        assert_eq!(uri.authority.host, "2001:db8::5");
        assert_eq!(uri.authority.port, 5673);
        assert_eq!(uri.authority.userinfo.password, "s@cret/");
        assert_eq!(uri.vhost, "/");
        assert_eq!(uri.query.heartbeat, Some(4));
    }
}
