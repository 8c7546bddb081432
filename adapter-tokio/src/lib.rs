//! The tokio adapter for the `janus-core` engine.
//!
//! Re-exports the engine; the runtime-specific client API lives here.

pub use janus_core;
