//! What a fleet's calls fail with.

use std::fmt;
use std::sync::Arc;

use super::ServerState;
use crate::Error;

/// Everything a fleet call can fail with. Each message says what happened
/// and what to do about it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FleetError {
    /// A fleet was built from no server.
    #[error("a fleet needs at least one server; add one with its name and URL")]
    Empty,
    /// Two servers were given the same name.
    #[error("two servers are named {0:?}; give each server its own name")]
    DuplicateName(String),
    /// A call named a server the fleet does not have.
    #[error("no server named {name:?} in this fleet (its servers: {known})")]
    UnknownServer {
        /// The name given.
        name: String,
        /// The fleet's servers, comma-separated.
        known: String,
    },
    /// No server may take a new session now: every one is down or
    /// draining (those tried by this call included).
    #[error(transparent)]
    Unavailable(Unavailable),
    /// The placement policy ([`Policy::Custom`](super::Policy::Custom))
    /// chose none of the servers that take sessions.
    #[error(
        "the placement function chose none of the servers that take new sessions ({candidates}); \
         make it return an index into the slice it is given"
    )]
    Declined {
        /// The servers it was offered, comma-separated.
        candidates: String,
    },
    /// The fleet was closed: its connections are gone.
    #[error("the fleet is closed; build a new one to place sessions")]
    Closed,
    /// A server answered with an error that failing over would not cure
    /// (for example a wrong API secret), or its URL cannot be used.
    #[error("server {server}: {source}")]
    Server {
        /// The server's name.
        server: String,
        /// What it answered.
        #[source]
        source: Error,
    },
}

impl FleetError {
    /// The client error behind a [`FleetError::Server`], if any.
    pub fn server_error(&self) -> Option<(&str, &Error)> {
        match self {
            FleetError::Server { server, source } => Some((server, source)),
            _ => None,
        }
    }
}

/// Why no server may take a new session: the state of each.
#[derive(Clone, Debug, PartialEq)]
pub struct Unavailable {
    /// Each server of the fleet, by name, with its state.
    pub servers: Vec<(Arc<str>, ServerState)>,
}

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no server accepts new sessions: ")?;
        for (n, (name, state)) in self.servers.iter().enumerate() {
            if n > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name} is {state}")?;
        }
        let draining = self
            .servers
            .iter()
            .any(|(_, s)| matches!(s, ServerState::Draining(_)));
        if draining {
            f.write_str("; undrain one, wait for one to come back, or add servers")
        } else {
            f.write_str("; wait for one to come back, or add servers")
        }
    }
}

impl std::error::Error for Unavailable {}
