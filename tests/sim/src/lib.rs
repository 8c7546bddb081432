//! Test-only support for janus-rs: a simulated Janus, a seeded fault layer,
//! the operation enum shared by proptest and the fuzz targets, and the
//! lifecycle invariant checker.
//!
//! * [`Janus`]: a deterministic, sans-IO model of a Janus 1.1.2 server
//!   (sessions, handles, transactions, keepalive, the session-timeout
//!   watchdog, reclaim after a WebSocket drop, HTTP long polls).
//! * [`World`]: one `janus_core::Connection` wired to one [`Janus`] through a
//!   seeded network that drops, delays, reorders, duplicates and corrupts
//!   messages, cuts the connection, refuses reconnects, fails HTTP
//!   exchanges, freezes the client (a clock jump) and feeds it times from the
//!   past. It runs [`Op`]s and checks after every step.
//! * [`Checker`]: the invariants of the architecture notes, on the engine's
//!   own outputs.
//! * [`targets`]: the bodies of the fuzz targets, replayed by `cargo test`.
//! * [`soak`]: many seeded lifecycles, as the `soak` binary and a CI test run them.
//!
//! See `TESTING.md` at the repository root for how to run each tool.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod check;
mod janus;
mod ops;
mod rng;
pub mod soak;
pub mod targets;
mod world;

pub use check::{CheckStats, Checker, Kind, Violation};
pub use janus::{
    Janus, Owner, SessionEnd, SimConfig, SimHandle, SimOutput, SimSession, SimStats, Source,
    ECHO_HINT, PLUGINS, POLL_HOLD, WATCHDOG,
};
pub use ops::{fault_strategy, op_strategy, Fault, Op};
pub use rng::Rng;
pub use world::{FaultRates, Scenario, World, WorldStats};
