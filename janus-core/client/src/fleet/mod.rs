//! The placement and health state of a fleet of Janus servers, without
//! I/O: which servers are up, down or draining, how many sessions each
//! holds, and where the next session goes.
//!
//! [`FleetCore`] knows servers by name. An async or blocking fleet owns
//! one client per server, asks the core for the [`Placement`] of each new
//! session (the policy's choice first, then the failover candidates),
//! reports what each attempt and each health check saw, and refreshes the
//! session counts from its clients' engines. Time comes in as an argument;
//! the core never reads a clock.
//!
//! ```
//! use janus_client::fleet::{FleetCore, Policy, ServerState};
//! use std::time::Instant;
//!
//! let now = Instant::now();
//! let mut fleet = FleetCore::new(Policy::RoundRobin);
//! let a = fleet.add("a", "ws://10.0.0.1:8188", now).unwrap();
//! let b = fleet.add("b", "ws://10.0.0.2:8188", now).unwrap();
//! fleet.alive(a, now);
//! fleet.alive(b, now);
//! assert_eq!(fleet.placement().unwrap().order(), &[a, b]);
//! assert_eq!(fleet.placement().unwrap().order(), &[b, a]);
//! fleet.lost(b, now, "connection refused");
//! assert_eq!(fleet.placement().unwrap().order(), &[a]);
//! assert!(matches!(fleet.state(b), ServerState::Down { .. }));
//! ```

mod error;
mod failure;
mod policy;
mod state;

pub use error::{FleetError, Unavailable};
pub use failure::Failure;
pub use policy::{PlaceFn, Policy, ServerView};
pub use state::{DrainCause, FleetCore, Placement, ServerState};

#[cfg(test)]
mod tests;
