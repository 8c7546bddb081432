//! The serde side of inbound decoding: one pass over each message object,
//! keeping the fields the engine may read (strings borrowed, nested parts
//! as raw JSON text) and reading every value leniently: a value of the
//! wrong type is `Other`, never an error.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

use super::Kind;

/// One top-level JSON value of a frame.
pub(super) enum Item<'a> {
    /// Boxed: filled in place and handed on without copying its 200 bytes.
    Object(Box<Fields<'a>>),
    Array(Vec<&'a RawValue>),
    Other(&'static str),
}

impl Item<'_> {
    pub(super) fn describe(&self) -> &'static str {
        match self {
            Item::Object(_) => "an object",
            Item::Array(_) => "an array",
            Item::Other(kind) => kind,
        }
    }
}

/// The fields of one message the engine reads as it decodes; the rest are
/// skipped, and read from the whole message's text if it is ever needed.
#[derive(Debug, Default)]
pub(super) struct Fields<'a> {
    /// `janus`: `Some(None)` when it is not a string.
    pub(super) kind: Option<Option<Kind>>,
    pub(super) transaction: Option<Scalar<'a>>,
    pub(super) session_id: Option<u64>,
    pub(super) sender: Option<u64>,
    /// `data.id`.
    pub(super) data_id: Option<u64>,
    pub(super) error: Option<&'a RawValue>,
    pub(super) plugindata: Option<PluginPart<'a>>,
    pub(super) jsep: Option<&'a RawValue>,
    pub(super) candidate: Option<&'a RawValue>,
    pub(super) candidates: Option<&'a RawValue>,
}

/// A JSON value read leniently: what the engine needs of it, or `Other`.
#[derive(Debug)]
pub(super) enum Scalar<'a> {
    U64(u64),
    Bool(bool),
    Str(Cow<'a, str>),
    /// Null, a negative or fractional number, an array or an object.
    Other,
}

impl Scalar<'_> {
    pub(super) fn as_u64(&self) -> Option<u64> {
        match self {
            Scalar::U64(n) => Some(*n),
            _ => None,
        }
    }

    pub(super) fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Reads JSON text as a [`Scalar`].
pub(super) fn scalar(raw: &str) -> Scalar<'_> {
    serde_json::from_str(raw).unwrap_or(Scalar::Other)
}

/// The visitor methods for every JSON value but an object, all giving `$value`.
macro_rules! not_an_object {
    ($ty:ty, $value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_str<E>(self, _: &str) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$ty, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($value)
        }
    };
}

/// The `data` of a `success`, of which only `id` matters (`None`: no
/// object, or no unsigned `id` in it).
pub(super) struct DataId(pub(super) Option<u64>);

impl<'de> Deserialize<'de> for DataId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DataId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DataId, A::Error> {
                let mut id = None;
                while let Some(key) = map.next_key::<Scalar<'de>>()? {
                    if key.as_str() == Some("id") {
                        id = map.next_value::<Scalar<'de>>()?.as_u64();
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(DataId(id))
            }
            not_an_object!(DataId, DataId(None));
        }
        d.deserialize_any(V)
    }
}

/// `plugindata`: its `plugin` and its raw `data`; `None` when it is not an object.
#[derive(Debug)]
pub(super) struct PluginPart<'a>(pub(super) Option<(Option<Scalar<'a>>, Option<&'a RawValue>)>);

impl<'de: 'a, 'a> Deserialize<'de> for PluginPart<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = PluginPart<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut plugin, mut data) = (None, None);
                while let Some(key) = map.next_key::<Scalar<'de>>()? {
                    match key.as_str() {
                        Some("plugin") => plugin = Some(map.next_value()?),
                        Some("data") => data = Some(map.next_value()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(PluginPart(Some((plugin, data))))
            }
            not_an_object!(PluginPart<'a>, PluginPart(None));
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Calls `f` with each field of a JSON object; `false` if it is not one.
pub(super) fn for_each_field<'a>(raw: &'a str, mut f: impl FnMut(&str, &'a RawValue)) -> bool {
    struct Fields<'f, 'a>(&'f mut dyn FnMut(&str, &'a RawValue));
    impl<'de: 'a, 'a> Visitor<'de> for Fields<'_, 'a> {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            while let Some(key) = map.next_key::<Scalar<'de>>()? {
                let value: &'de RawValue = map.next_value()?;
                if let Scalar::Str(key) = key {
                    (self.0)(&key, value);
                }
            }
            Ok(true)
        }
        not_an_object!(bool, false);
    }
    let mut de = serde_json::Deserializer::from_str(raw);
    de.deserialize_any(Fields(&mut f)).unwrap_or(false)
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Scalar<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(u64::try_from(v).map_or(Scalar::Other, Scalar::U64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar::U64(v))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Scalar::Other)
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v)))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Other)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The keys of [`Fields`].
enum Key {
    Janus,
    Transaction,
    SessionId,
    Sender,
    Data,
    Error,
    PluginData,
    Jsep,
    Candidate,
    Candidates,
    Skip,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "janus" => Key::Janus,
                    "transaction" => Key::Transaction,
                    "session_id" => Key::SessionId,
                    "sender" => Key::Sender,
                    "data" => Key::Data,
                    "error" => Key::Error,
                    "plugindata" => Key::PluginData,
                    "jsep" => Key::Jsep,
                    "candidate" => Key::Candidate,
                    "candidates" => Key::Candidates,
                    _ => Key::Skip,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Item<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Item<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object or array")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item<'a>, A::Error> {
                let mut f = Box::<Fields<'de>>::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Janus => {
                            let name: Scalar<'de> = map.next_value()?;
                            f.kind = Some(name.as_str().map(Kind::of));
                        }
                        Key::Transaction => f.transaction = Some(map.next_value()?),
                        Key::SessionId => f.session_id = map.next_value::<Scalar<'de>>()?.as_u64(),
                        Key::Sender => f.sender = map.next_value::<Scalar<'de>>()?.as_u64(),
                        Key::Data => f.data_id = map.next_value::<DataId>()?.0,
                        Key::Error => f.error = Some(map.next_value()?),
                        Key::PluginData => f.plugindata = Some(map.next_value()?),
                        Key::Jsep => f.jsep = Some(map.next_value()?),
                        Key::Candidate => f.candidate = Some(map.next_value()?),
                        Key::Candidates => f.candidates = Some(map.next_value()?),
                        Key::Skip => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Item::Object(f))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item<'a>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<&'de RawValue>()? {
                    items.push(item);
                }
                Ok(Item::Array(items))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Item<'a>, E> {
                Ok(Item::Other("a boolean"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Item<'a>, E> {
                Ok(Item::Other("a number"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Item<'a>, E> {
                Ok(Item::Other("a number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Item<'a>, E> {
                Ok(Item::Other("a number"))
            }
            fn visit_str<E>(self, _: &str) -> Result<Item<'a>, E> {
                Ok(Item::Other("a string"))
            }
            fn visit_unit<E>(self) -> Result<Item<'a>, E> {
                Ok(Item::Other("null"))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}
