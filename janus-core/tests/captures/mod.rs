//! Reading the frames captured from Janus 1.1.2 under
//! `tests/data/plugins/<plugin>/` (see `tests/examples/capture_plugins.rs`):
//! `<name>.request.json` is the message body that was sent and
//! `<name>.json` the `plugindata.data` that came back.
#![allow(dead_code)]

use janus_core::plugins::{PluginRequest, ReplyError};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Debug;
use std::fs;
use std::path::{Path, PathBuf};

pub fn dir(plugin: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/plugins")
        .join(plugin)
}

pub fn load(plugin: &str, name: &str) -> Value {
    let path = dir(plugin).join(format!("{name}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The typed request serializes to the body that was sent, and reads back
/// from it.
pub fn sent<R>(plugin: &str, name: &str, request: &R)
where
    R: PluginRequest + DeserializeOwned + PartialEq + Debug,
{
    let body = load(plugin, &format!("{name}.request"));
    assert_eq!(request.to_body(), body, "{name}: serialized request");
    let back: R = serde_json::from_value(body).expect("request reads back");
    assert_eq!(&back, request, "{name}: request read back");
}

/// Checks the request against its capture, then parses the answer as the
/// request's reply and checks that it serializes back unchanged.
pub fn exchange<R>(plugin: &str, name: &str, request: R) -> R::Reply
where
    R: PluginRequest + DeserializeOwned + PartialEq + Debug,
    R::Reply: Serialize,
{
    sent(plugin, name, &request);
    let data = load(plugin, name);
    let reply = R::parse_reply(data.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        serde_json::to_value(&reply).unwrap(),
        data,
        "{name}: round trip"
    );
    reply
}

/// Checks the request against its capture and returns the plugin's error.
pub fn refused<R>(plugin: &str, name: &str, request: R) -> (i64, String)
where
    R: PluginRequest + DeserializeOwned + PartialEq + Debug,
    R::Reply: Debug,
{
    sent(plugin, name, &request);
    match R::parse_reply(load(plugin, name)) {
        Err(ReplyError::Plugin { code, reason }) => (code, reason),
        other => panic!("{name}: expected a plugin error, got {other:?}"),
    }
}

/// An unsolicited event capture: parses as the plugin's event enum `E`
/// and serializes back unchanged.
pub fn event<E>(plugin: &str, name: &str) -> E
where
    E: DeserializeOwned + Serialize,
{
    let data = load(plugin, name);
    let event: E = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(serde_json::to_value(&event).unwrap(), data, "{name}");
    event
}

/// Every capture of `plugin` that is not a request, by name.
pub fn answers(plugin: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir(plugin))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && !n.ends_with(".request.json"))
        .map(|n| n.trim_end_matches(".json").to_string())
        .collect();
    names.sort();
    names
}
