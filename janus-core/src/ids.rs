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
