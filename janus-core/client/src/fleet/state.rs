//! The servers' states and the placement of new sessions.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use super::{FleetError, Policy, ServerView, Unavailable};

/// Why a server takes no new session while still up.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DrainCause {
    /// The fleet's owner drained it (`drain`): no new session goes there,
    /// the existing ones are kept.
    Asked,
    /// Janus refused a new session (error 472, its Admin API's
    /// `accept_new_sessions` is off), with the server's words. Cleared
    /// once a session is created there again.
    Refused(String),
}

impl fmt::Display for DrainCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DrainCause::Asked => f.write_str("drained here"),
            DrainCause::Refused(reason) => write!(f, "Janus refuses new sessions: {reason}"),
        }
    }
}

/// A server's state in the fleet.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerState {
    /// Reachable, and taking new sessions.
    Up,
    /// Unreachable: its connection is lost, a ping or a request failed, or
    /// it could not be connected to. No session is placed there until a
    /// health check finds it up again.
    Down {
        /// What failed.
        reason: String,
        /// Since when (the time given with the failure that made it down).
        since: Instant,
    },
    /// Reachable, but taking no new session; its sessions are kept.
    Draining(DrainCause),
}

impl ServerState {
    /// Whether new sessions may go there.
    pub fn is_up(&self) -> bool {
        matches!(self, ServerState::Up)
    }

    /// Whether it is down.
    pub fn is_down(&self) -> bool {
        matches!(self, ServerState::Down { .. })
    }

    /// Whether it is draining.
    pub fn is_draining(&self) -> bool {
        matches!(self, ServerState::Draining(_))
    }
}

impl fmt::Display for ServerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerState::Up => f.write_str("up"),
            ServerState::Down { reason, .. } => write!(f, "down ({reason})"),
            ServerState::Draining(cause) => write!(f, "draining ({cause})"),
        }
    }
}

#[derive(Debug)]
struct Server {
    name: Arc<str>,
    url: Arc<str>,
    /// `None` while up.
    down: Option<(String, Instant)>,
    asked_drain: bool,
    refused: Option<String>,
    /// Live sessions, as last counted (plus those created since).
    sessions: usize,
    /// Sessions being created there now.
    placing: usize,
}

impl Server {
    fn state(&self) -> ServerState {
        if let Some((reason, since)) = &self.down {
            ServerState::Down {
                reason: reason.clone(),
                since: *since,
            }
        } else if self.asked_drain {
            ServerState::Draining(DrainCause::Asked)
        } else if let Some(reason) = &self.refused {
            ServerState::Draining(DrainCause::Refused(reason.clone()))
        } else {
            ServerState::Up
        }
    }

    fn takes_sessions(&self) -> bool {
        self.down.is_none() && !self.asked_drain && self.refused.is_none()
    }
}

/// Where to try to create a new session: server indices, the policy's
/// choice first, then the failover candidates. From
/// [`FleetCore::placement`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    order: Vec<usize>,
}

impl Placement {
    /// The servers to try, in order.
    pub fn order(&self) -> &[usize] {
        &self.order
    }
}

/// The placement and health state of a fleet of servers (see the
/// [module](super)).
///
/// A new server is down ("not connected yet") until [`alive`](Self::alive)
/// is reported for it.
#[derive(Debug)]
pub struct FleetCore {
    servers: Vec<Server>,
    policy: Policy,
    /// The round-robin cursor: the index the next turn starts from.
    next: usize,
}

impl FleetCore {
    /// An empty fleet placing by `policy`.
    pub fn new(policy: Policy) -> Self {
        Self {
            servers: Vec::new(),
            policy,
            next: 0,
        }
    }

    /// The placement policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Replaces the placement policy.
    pub fn set_policy(&mut self, policy: Policy) {
        self.policy = policy;
    }

    /// Adds a server, down ("not connected yet", since `now`) until it is
    /// reported [`alive`](Self::alive), and returns its index (indices
    /// follow the order of adding and never change). A name already used
    /// is refused.
    pub fn add(&mut self, name: &str, url: &str, now: Instant) -> Result<usize, FleetError> {
        if self.index(name).is_some() {
            return Err(FleetError::DuplicateName(name.to_owned()));
        }
        self.servers.push(Server {
            name: name.into(),
            url: url.into(),
            down: Some(("not connected yet".into(), now)),
            asked_drain: false,
            refused: None,
            sessions: 0,
            placing: 0,
        });
        Ok(self.servers.len() - 1)
    }

    /// How many servers there are.
    pub fn len(&self) -> usize {
        self.servers.len()
    }

    /// Whether there is no server.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }

    /// The index of the server named `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.servers.iter().position(|s| &*s.name == name)
    }

    /// The index of the server named `name`, or an error that lists the
    /// fleet's servers.
    pub fn find(&self, name: &str) -> Result<usize, FleetError> {
        self.index(name).ok_or_else(|| FleetError::UnknownServer {
            name: name.to_owned(),
            known: self.names(|_| true),
        })
    }

    /// The name of server `i`.
    pub fn name(&self, i: usize) -> &Arc<str> {
        &self.servers[i].name
    }

    /// The state of server `i`.
    pub fn state(&self, i: usize) -> ServerState {
        self.servers[i].state()
    }

    /// Whether server `i` may take a new session now.
    pub fn takes_sessions(&self, i: usize) -> bool {
        self.servers[i].takes_sessions()
    }

    /// Server `i` as a policy sees it.
    pub fn view(&self, i: usize) -> ServerView {
        let s = &self.servers[i];
        ServerView {
            name: s.name.clone(),
            url: s.url.clone(),
            state: s.state(),
            sessions: s.sessions + s.placing,
        }
    }

    /// Every server, in the order they were added.
    pub fn views(&self) -> Vec<ServerView> {
        (0..self.servers.len()).map(|i| self.view(i)).collect()
    }

    fn names(&self, keep: impl Fn(&Server) -> bool) -> String {
        let names: Vec<&str> = self
            .servers
            .iter()
            .filter(|s| keep(s))
            .map(|s| &*s.name)
            .collect();
        names.join(", ")
    }

    // ----- health --------------------------------------------------------

    /// Server `i` answered (a ping, a request, a connect): it is up again
    /// if it was down. A refusal of new sessions stays until a session is
    /// created there ([`accepting`](Self::accepting)).
    pub fn alive(&mut self, i: usize, _now: Instant) {
        self.servers[i].down = None;
    }

    /// Server `i` is unreachable (a lost connection, a failed ping or
    /// connect, a request that timed out): no session goes there until it
    /// is [`alive`](Self::alive) again. The first failure's time is kept.
    pub fn lost(&mut self, i: usize, now: Instant, reason: impl Into<String>) {
        let server = &mut self.servers[i];
        let since = server.down.as_ref().map_or(now, |(_, since)| *since);
        server.down = Some((reason.into(), since));
    }

    /// Janus on server `i` refused a new session (error 472): it drains.
    /// It also answered, so it is up.
    pub fn refused(&mut self, i: usize, now: Instant, reason: impl Into<String>) {
        self.alive(i, now);
        self.servers[i].refused = Some(reason.into());
    }

    /// Server `i` created a session: any refusal is over.
    pub fn accepting(&mut self, i: usize) {
        self.servers[i].refused = None;
    }

    /// Whether Janus on server `i` refused new sessions last time.
    pub fn is_refusing(&self, i: usize) -> bool {
        self.servers[i].refused.is_some()
    }

    /// Drains server `i` at the owner's request: no new session is placed
    /// there; its sessions are kept.
    pub fn drain(&mut self, i: usize) {
        self.servers[i].asked_drain = true;
    }

    /// Ends a [`drain`](Self::drain).
    pub fn undrain(&mut self, i: usize) {
        self.servers[i].asked_drain = false;
    }

    /// Drains (`on`) or undrains the server named `name`.
    pub fn set_drained(&mut self, name: &str, on: bool) -> Result<(), FleetError> {
        let i = self.find(name)?;
        self.servers[i].asked_drain = on;
        Ok(())
    }

    // ----- sessions ------------------------------------------------------

    /// The live sessions of server `i`, as counted by its client's engine.
    pub fn set_sessions(&mut self, i: usize, sessions: usize) {
        self.servers[i].sessions = sessions;
    }

    /// A session is being created on server `i` (counted until
    /// [`finish`](Self::finish)).
    pub fn begin(&mut self, i: usize) {
        self.servers[i].placing += 1;
    }

    /// The placement of a new session with the creation on its first
    /// candidate already begun: the choice and its count in one step, so
    /// that concurrent callers see each other's choices.
    pub fn place(&mut self) -> Result<Placement, FleetError> {
        let placement = self.placement()?;
        self.begin(placement.order()[0]);
        Ok(placement)
    }

    /// Begins a creation on failover candidate `i`, unless it stopped
    /// taking sessions since the placement (then `false`).
    pub fn try_begin(&mut self, i: usize) -> bool {
        let takes = self.takes_sessions(i);
        if takes {
            self.begin(i);
        }
        takes
    }

    /// The creation begun on server `i` is over; `created` says whether a
    /// session now lives there (then a refusal is over too).
    pub fn finish(&mut self, i: usize, created: bool) {
        let server = &mut self.servers[i];
        server.placing = server.placing.saturating_sub(1);
        if created {
            server.sessions += 1;
            server.refused = None;
        }
    }

    // ----- placement -----------------------------------------------------

    /// Where the next session goes: the policy's choice among the servers
    /// that take sessions, then the others that do, in ring order after
    /// it. Fails when none takes sessions (saying why for each) or when a
    /// custom policy declines them all. A round-robin turn is used up
    /// even if the caller does not try it.
    pub fn placement(&mut self) -> Result<Placement, FleetError> {
        let eligible: Vec<usize> = (0..self.servers.len())
            .filter(|&i| self.servers[i].takes_sessions())
            .collect();
        if eligible.is_empty() {
            return Err(FleetError::Unavailable(self.unavailable()));
        }
        let first = match &self.policy {
            Policy::RoundRobin => {
                let n = self.servers.len();
                let chosen = (0..n)
                    .map(|k| (self.next + k) % n)
                    .find(|i| self.servers[*i].takes_sessions())
                    .expect("one server takes sessions");
                self.next = (chosen + 1) % n;
                chosen
            }
            Policy::LeastSessions => *eligible
                .iter()
                .min_by_key(|&&i| self.servers[i].sessions + self.servers[i].placing)
                .expect("one server takes sessions"),
            Policy::Custom(f) => {
                let views: Vec<ServerView> = eligible.iter().map(|&i| self.view(i)).collect();
                match f(&views) {
                    Some(k) if k < eligible.len() => eligible[k],
                    _ => {
                        return Err(FleetError::Declined {
                            candidates: self.names(Server::takes_sessions),
                        })
                    }
                }
            }
        };
        let n = self.servers.len();
        let order = (0..n)
            .map(|k| (first + k) % n)
            .filter(|&i| self.servers[i].takes_sessions())
            .collect();
        Ok(Placement { order })
    }

    /// Why no server takes sessions: the state of each.
    pub fn unavailable(&self) -> Unavailable {
        Unavailable {
            servers: self
                .servers
                .iter()
                .map(|s| (s.name.clone(), s.state()))
                .collect(),
        }
    }
}
