//! Integration-test support for the janus-rs workspace.
//!
//! The [`rig`] module starts a real, private Janus 1.1.2 server (the Debian
//! `janus` package) per test, bound to loopback only, on free ports, with its
//! own throw-away configuration directory. See [`rig::JanusServer`].
//!
//! ```no_run
//! use janus_tests::rig::JanusServer;
//!
//! let server = JanusServer::builder()
//!     .session_timeout(10)
//!     .start()
//!     .expect("start janus");
//! let info = server.info().unwrap();
//! assert_eq!(info["version"], 1102);
//! println!("connect to {}", server.ws_url());
//! // dropped here: the process is killed and the directory removed
//! ```

#![warn(missing_docs)]

mod http;
pub mod media_files;
pub mod netns;
pub mod proxy;
pub mod rabbitmq;
pub mod rig;
pub mod sip_peer;
pub mod support;
