//! Integration tests against a real Janus server.
