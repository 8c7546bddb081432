//! Connecting, the periodic health check of each server, and the watch on
//! each client's own events.

use std::sync::atomic::Ordering;
use std::sync::Weak;

use futures_util::StreamExt;
use janus_client::ClientEvent;

use super::*;
use crate::client::Events;

impl<R: Runtime> Inner<R> {
    /// Connects server `i` (it has no client): up with its new client, or
    /// down with why not.
    pub(super) async fn reconnect(self: &Arc<Self>, i: usize) {
        let slot = self.slot(i);
        match Client::<R>::connect_with(&slot.url, slot.options.clone()).await {
            Ok(client) => {
                if self.closed.load(Ordering::Relaxed) {
                    client.close().await;
                    return;
                }
                let events = client.events();
                let generation = {
                    let mut guard = lock(&slot.client);
                    guard.0 += 1;
                    guard.1 = Some(client);
                    guard.0
                };
                lock(&self.core).alive(i, Instant::now());
                R::spawn(Box::pin(watch(Arc::downgrade(self), i, generation, events)));
            }
            Err(e) => {
                tracing::debug!(server = %slot.name, error = %e, "fleet: connect failed");
                lock(&self.core).lost(i, Instant::now(), e.to_string());
            }
        }
    }

    /// One health check of server `i`: a ping on its client (a new
    /// connection if it has none); if Janus refused new sessions, a probe
    /// (a session created and destroyed) to see whether it accepts them
    /// again.
    async fn check(self: &Arc<Self>, i: usize) {
        let slot = self.slot(i);
        let Some((generation, client)) = slot.client() else {
            return self.reconnect(i).await;
        };
        let outcome = within::<R, _>(self.ping_timeout, client.ping()).await;
        let now = Instant::now();
        match outcome {
            Some(Ok(())) => lock(&self.core).alive(i, now),
            // An error answer is still an answer.
            Some(Err(e)) if e.janus_error().is_some() => lock(&self.core).alive(i, now),
            Some(Err(e)) => {
                if e.is_closed() {
                    slot.forget(generation);
                }
                lock(&self.core).lost(i, now, format!("ping failed: {e}"));
                return;
            }
            None => {
                let reason = format!("no answer to a ping within {:?}", self.ping_timeout);
                lock(&self.core).lost(i, now, reason);
                return;
            }
        }
        if let Ok(metrics) = client.metrics().await {
            lock(&self.core).set_sessions(i, metrics.footprint.sessions);
        }
        if lock(&self.core).is_refusing(i) {
            if let Some(Ok(probe)) =
                within::<R, _>(self.ping_timeout, client.create_session()).await
            {
                lock(&self.core).accepting(i);
                let _ = probe.destroy().await;
            }
        }
    }

    /// Sets each server's session count from its client's engine (none
    /// without a running client: its sessions ended with it).
    pub(super) async fn refresh(&self) {
        let slots = self.slots();
        let slots = slots.iter().enumerate().map(|(i, slot)| (i, slot.client()));
        let (clients, none): (Vec<_>, Vec<_>) = slots.partition(|(_, c)| c.is_some());
        let clients: Vec<(usize, Client<R>)> = clients
            .into_iter()
            .filter_map(|(i, c)| c.map(|(_, c)| (i, c)))
            .collect();
        let counts = join_all(clients.iter().map(|(i, c)| async move {
            // A client that stopped holds no session.
            (*i, c.metrics().await.map_or(0, |m| m.footprint.sessions))
        }))
        .await;
        let mut core = lock(&self.core);
        for (i, _) in none {
            core.set_sessions(i, 0);
        }
        for (i, sessions) in counts {
            core.set_sessions(i, sessions);
        }
    }
}

/// The health checks of server `i`, every ping interval, for as long as
/// the fleet lives.
pub(super) async fn checks<R: Runtime>(fleet: Weak<Inner<R>>, i: usize) {
    loop {
        let Some(interval) = fleet.upgrade().map(|f| f.ping_interval) else {
            return;
        };
        R::sleep_until(Instant::now() + interval).await;
        let Some(inner) = fleet.upgrade() else {
            return;
        };
        if inner.closed.load(Ordering::Relaxed) {
            return;
        }
        inner.check(i).await;
    }
}

/// Follows the events of server `i`'s client of `generation`: a lost
/// connection marks it down at once, a regained one up; when the client
/// stops for good (every reconnect failed), it is dropped, so that the
/// health checks connect anew.
async fn watch<R: Runtime>(
    fleet: Weak<Inner<R>>,
    i: usize,
    generation: u64,
    mut events: Events<ClientEvent>,
) {
    while let Some(event) = events.next().await {
        let Some(inner) = fleet.upgrade() else {
            return;
        };
        let now = Instant::now();
        match event {
            ClientEvent::Connected => lock(&inner.core).alive(i, now),
            ClientEvent::Disconnected { reason, .. } => {
                lock(&inner.core).lost(i, now, format!("connection lost: {reason}"))
            }
            _ => {}
        }
    }
    if let Some(inner) = fleet.upgrade() {
        let slot = inner.slot(i);
        if lock(&slot.client).0 == generation && !inner.closed.load(Ordering::Relaxed) {
            slot.forget(generation);
            let reason = "the connection is closed for good (every reconnect failed)";
            lock(&inner.core).lost(i, Instant::now(), reason);
        }
    }
}
