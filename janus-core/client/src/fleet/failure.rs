//! What a failed request says about its server, written once for every
//! fleet.

use std::time::Instant;

use janus_core::{CommandError, JanusErrorKind, RequestError};

use super::FleetCore;
use crate::Error;

/// What a failed request says about its server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Unreachable (the connection lost or closed, a timeout, a proxy's
    /// 5xx): the server is down; fail over.
    Down,
    /// Janus accepts no new session (error 472): the server is draining;
    /// fail over.
    Refusing,
    /// An answer that failing over would not cure (a wrong secret, say).
    Fatal,
}

impl Failure {
    /// What `e` says about the server that answered it.
    pub fn of(e: &Error) -> Failure {
        if e.janus_error()
            .is_some_and(|j| j.kind == JanusErrorKind::NotAcceptingSessions)
        {
            Failure::Refusing
        } else if e.is_transport_closed()
            || e.is_timeout()
            || e.is_closed()
            || matches!(e, Error::Command(CommandError::NotConnected))
            // A proxy in front of a server that is gone (502, 503, 504).
            || matches!(e, Error::Request(RequestError::HttpStatus { status }) if *status >= 500)
        {
            Failure::Down
        } else {
            Failure::Fatal
        }
    }
}

impl FleetCore {
    /// Records what the failure `e` of a request to server `i` says about
    /// it (down, or draining), and returns it.
    pub fn failed(&mut self, i: usize, now: Instant, e: &Error) -> Failure {
        let failure = Failure::of(e);
        match failure {
            Failure::Refusing => {
                let reason = e.janus_error().map_or_else(String::new, |j| j.to_string());
                self.refused(i, now, reason);
            }
            Failure::Down => self.lost(i, now, e.to_string()),
            Failure::Fatal => {}
        }
        failure
    }
}
