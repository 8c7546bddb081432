//! Every Admin API request of Janus 1.1.2, typed, with its reply.

use super::{fields_of, AdminCall, AdminRequest, HandleInfo};
use crate::ids::{HandleId, SessionId};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The reply of a request that answers with nothing but success.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Done {}

/// Reads the reply field `key` as `T` (a missing field reads as `null`).
fn field<T: serde::de::DeserializeOwned>(
    mut fields: Map<String, Value>,
    key: &str,
) -> Result<T, serde_json::Error> {
    serde_json::from_value(fields.remove(key).unwrap_or(Value::Null))
}

/// Implements [`AdminCall`] for a request whose reply is one field of the
/// `success` (`$key`), or the whole `success` (no key).
macro_rules! admin_call {
    ($ty:ty => $reply:ty, $key:literal, |$s:ident| $request:expr) => {
        impl AdminCall for $ty {
            type Reply = $reply;
            fn to_request(&self) -> AdminRequest {
                let $s = self;
                $request
            }
            fn parse_reply(fields: Map<String, Value>) -> Result<$reply, serde_json::Error> {
                field(fields, $key)
            }
        }
    };
    ($ty:ty => $reply:ty, |$s:ident| $request:expr) => {
        impl AdminCall for $ty {
            type Reply = $reply;
            fn to_request(&self) -> AdminRequest {
                let $s = self;
                $request
            }
        }
    };
}

/// A request made of its verb and the struct's fields.
fn request<T: Serialize>(verb: &'static str, fields: &T) -> AdminRequest {
    AdminRequest {
        fields: fields_of(fields),
        ..AdminRequest::new(verb)
    }
}

mod modules;
mod sessions;
mod settings;
mod tokens;

pub use modules::*;
pub use sessions::*;
pub use settings::*;
pub use tokens::*;
