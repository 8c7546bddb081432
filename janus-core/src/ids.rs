//! Typed identifiers.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<u64> for $name {
            fn from(v: u64) -> Self {
                Self(v)
            }
        }
    };
}

id_type!(
    /// A Janus session id, chosen by the server (or by the caller of `create` with an explicit id).
    SessionId
);
id_type!(
    /// A Janus plugin handle id, chosen by the server.
    HandleId
);
id_type!(
    /// The engine's id for one command. It resolves exactly once, through
    /// [`Event::Response`](crate::Event::Response).
    ///
    /// It is also the number carried in the request's Janus `transaction`.
    RequestId
);
id_type!(
    /// The id of one HTTP exchange emitted by the HTTP transport; the adapter
    /// hands it back with the response ([`Input::HttpResponse`](crate::Input::HttpResponse)).
    ExchangeId
);

/// A hasher for the engine's own counters (request and exchange ids): they
/// are sequential and never chosen by the peer, so the id itself places the
/// entry (ids made in a row sit side by side in memory) and a multiplication
/// fills the top bits the table uses to tell entries apart, at a fraction of
/// SipHash's cost.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CounterHasher(u64);

impl std::hash::Hasher for CounterHasher {
    fn finish(&self) -> u64 {
        const TOP: u64 = 0xFE00_0000_0000_0000;
        (self.0 & !TOP) | (self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) & TOP)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by one of the engine's own counters.
pub(crate) type CounterMap<V> =
    std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<CounterHasher>>;
