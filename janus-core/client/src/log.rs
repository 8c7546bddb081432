//! What the client core logs, through `tracing`: link changes, the end of
//! sessions and handles, each request's outcome. Frame contents (and so
//! secrets) never are.

use crate::router::Trace;
use crate::ClientEvent;
use janus_core::{Event, HandleEvent, SessionEvent};
use std::time::Instant;

/// The end of a session or handle, at debug level.
pub(crate) fn log_end(event: Event) -> Event {
    match &event {
        Event::Session {
            session,
            event: SessionEvent::Ended(reason),
        } => tracing::debug!(%session, %reason, "session ended"),
        Event::Session {
            session,
            event: SessionEvent::Reclaimed,
        } => tracing::info!(%session, "session reclaimed"),
        Event::Handle {
            handle,
            event: HandleEvent::Ended(reason),
            ..
        } => tracing::debug!(%handle, %reason, "handle ended"),
        _ => {}
    }
    event
}

/// One request's outcome, at debug level (failures with their error).
pub(crate) fn log_resolved(trace: Trace, now: Instant, error: Option<&impl std::fmt::Display>) {
    let elapsed = now.saturating_duration_since(trace.since);
    match error {
        None => tracing::debug!(request = trace.verb, ?elapsed, "succeeded"),
        Some(error) => tracing::debug!(request = trace.verb, ?elapsed, %error, "failed"),
    }
}

/// What happened to the connection: link changes at info and warn, input
/// that could not be used at warn.
pub(crate) fn log_client_event(event: &ClientEvent) {
    match event {
        ClientEvent::Connected => tracing::info!("connected"),
        ClientEvent::Disconnected {
            reason,
            reconnecting,
        } => tracing::warn!(%reason, reconnecting, "disconnected"),
        ClientEvent::ProtocolError(error) => tracing::warn!(%error, "input dropped"),
        ClientEvent::Unknown { session, .. } => {
            tracing::debug!(?session, "a message for no session held here")
        }
        ClientEvent::Lagged { dropped } => tracing::warn!(dropped, "client events dropped"),
    }
}
