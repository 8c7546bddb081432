//! Typed identifiers.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
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

/// Hashing for ids the server chooses (sessions, handles): a folded
/// multiplication keyed by a secret drawn per engine from the standard
/// library's `RandomState` (as `HashMap::new` draws it), so a server cannot
/// aim ids at one bucket, at a fraction of SipHash's cost.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PeerIds(u64);

impl PeerIds {
    pub(crate) fn new() -> Self {
        use std::hash::BuildHasher;
        Self(std::collections::hash_map::RandomState::new().hash_one(0x006A_616E_7573_u64))
    }
}

impl std::hash::BuildHasher for PeerIds {
    type Hasher = PeerIdHasher;

    fn build_hasher(&self) -> PeerIdHasher {
        PeerIdHasher {
            key: self.0,
            state: 0x243F_6A88_85A3_08D3,
        }
    }
}

/// The hasher of [`PeerIds`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct PeerIdHasher {
    key: u64,
    state: u64,
}

/// The high and low halves of a full product, folded together.
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

impl std::hash::Hasher for PeerIdHasher {
    fn finish(&self) -> u64 {
        self.state
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.state = fold(n ^ self.key, self.state ^ 0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by ids the server chooses.
pub(crate) type PeerMap<K, V> = std::collections::HashMap<K, V, PeerIds>;
