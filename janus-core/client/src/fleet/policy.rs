//! Placement policies and the view of a server they choose from.

use std::fmt;
use std::sync::Arc;

use super::ServerState;

/// A server as a placement policy sees it: only servers that may take a
/// new session (up, not draining) are shown to a policy.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ServerView {
    /// The server's name in the fleet.
    pub name: Arc<str>,
    /// The URL it is reached at.
    pub url: Arc<str>,
    /// Its state.
    pub state: ServerState,
    /// Live sessions this fleet holds on it (sessions being created
    /// included).
    pub sessions: usize,
}

/// A user's placement function: given the servers that may take a new
/// session, the index (into that slice) of the one to use, or `None` to
/// decline them all.
pub type PlaceFn = Arc<dyn Fn(&[ServerView]) -> Option<usize> + Send + Sync>;

/// How a fleet picks the server of a new session. Whatever the policy,
/// the other servers that may take a session follow the chosen one as
/// failover candidates, in ring order after it.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Policy {
    /// Each server in turn, in the order they were added (skipping those
    /// that are down or draining).
    #[default]
    RoundRobin,
    /// The server with the fewest live sessions (the first added of those
    /// tied).
    LeastSessions,
    /// A function of the caller's: it gets the servers that may take a
    /// session and returns the index of one in that slice. `None`, or an
    /// index past the end, declines them all and the placement fails.
    Custom(PlaceFn),
}

impl Policy {
    /// A [`Policy::Custom`] from a closure.
    pub fn custom(f: impl Fn(&[ServerView]) -> Option<usize> + Send + Sync + 'static) -> Self {
        Policy::Custom(Arc::new(f))
    }

    /// Whether the policy reads the session counts (so they should be
    /// fresh before it runs).
    pub fn reads_sessions(&self) -> bool {
        !matches!(self, Policy::RoundRobin)
    }
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Policy::RoundRobin => f.write_str("RoundRobin"),
            Policy::LeastSessions => f.write_str("LeastSessions"),
            Policy::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}
