//! The Janus API commands: one request to a plugin, or a handle's events.

use crate::output::Out;
use crate::{Cli, Failure};
use janus_blocking::janus_core::serde_json::{self, json, Value};
use janus_blocking::janus_core::{PluginReply, Trickle};
use janus_blocking::{Client, Handle, HandleEvent, Options, Session};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

/// A session with one handle attached to `plugin`, on a new connection.
fn attach(
    cli: &Cli,
    timeout: Duration,
    plugin: &str,
) -> Result<(Client, Session, Handle), Failure> {
    let mut options = Options::new()
        .request_timeout(timeout)
        .connect_timeout(timeout);
    if let Some(secret) = &cli.api_secret {
        options = options.api_secret(secret.as_str());
    }
    if let Some(token) = &cli.token {
        options = options.token(token.as_str());
    }
    let client = Client::connect_with(&cli.url, options)?;
    let session = client.create_session()?;
    let handle = session.attach(plugin)?;
    Ok((client, session, handle))
}

/// Detaches, destroys and closes, whatever happened before.
fn finish(client: Client, session: Session, handle: Handle) {
    let _ = handle.detach();
    let _ = session.destroy();
    client.close();
}

pub fn send(
    cli: &Cli,
    out: &Out,
    timeout: Duration,
    plugin: &str,
    body: Value,
    wait: Duration,
) -> Result<(), Failure> {
    let (client, session, handle) = attach(cli, timeout, plugin)?;
    let result = handle.message(body).map_err(Failure::from).map(|reply| {
        print_reply(out, &reply);
        print_events(out, &handle, Some(Instant::now() + wait));
    });
    finish(client, session, handle);
    result
}

pub fn watch(
    cli: &Cli,
    out: &Out,
    timeout: Duration,
    plugin: &str,
    body: Option<Value>,
    duration: Option<Duration>,
) -> Result<(), Failure> {
    let (client, session, handle) = attach(cli, timeout, plugin)?;
    if !out.json {
        out.line(&format!(
            "watching handle {} of session {} ({plugin})",
            handle.id(),
            session.id()
        ));
    }
    let result = match body {
        Some(body) => handle
            .message(body)
            .map(|reply| print_reply(out, &reply))
            .map_err(Failure::from),
        None => Ok(()),
    };
    if result.is_ok() {
        print_events(out, &handle, duration.map(|d| Instant::now() + d));
    }
    finish(client, session, handle);
    result
}

fn print_reply(out: &Out, reply: &PluginReply) {
    let value = json!({
        "reply": reply.plugin,
        "data": *reply.data,
        "jsep": reply.jsep.as_ref().map(|j| serde_json::to_value(j).unwrap_or(Value::Null)),
    });
    out.either(&value, || {
        let mut text = serde_json::to_string_pretty(&*reply.data).unwrap_or_default();
        if let Some(jsep) = &reply.jsep {
            text.push_str(&format!("\n(with an SDP {:?})", jsep.kind));
        }
        text
    });
}

/// Prints the handle's events until `until` (or its end).
fn print_events(out: &Out, handle: &Handle, until: Option<Instant>) {
    loop {
        let wait = match until {
            Some(t) => t.saturating_duration_since(Instant::now()),
            None => Duration::from_secs(3600),
        };
        if wait.is_zero() {
            return;
        }
        match handle.events().recv_timeout(wait) {
            Ok(event) => {
                let ended = matches!(event, HandleEvent::Ended(_));
                let value = event_json(&event);
                out.either(&value, || human(&event, &value));
                if ended {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) if until.is_none() => {}
            Err(_) => return,
        }
    }
}

/// An event as JSON: `{"event": <kind>, ...its fields}`.
fn event_json(event: &HandleEvent) -> Value {
    match event {
        HandleEvent::Plugin {
            plugin, data, jsep, ..
        } => json!({
            "event": "plugin", "plugin": plugin, "data": **data,
            "jsep": jsep.as_ref().map(|j| serde_json::to_value(j).unwrap_or(Value::Null)),
        }),
        HandleEvent::WebrtcUp => json!({"event": "webrtcup"}),
        HandleEvent::Media {
            mid,
            kind,
            receiving,
            ..
        } => json!({"event": "media", "mid": mid, "type": kind, "receiving": receiving}),
        HandleEvent::Slowlink {
            mid,
            media,
            uplink,
            lost,
        } => {
            json!({"event": "slowlink", "mid": mid, "media": media, "uplink": uplink, "lost": lost})
        }
        HandleEvent::Hangup { reason } => json!({"event": "hangup", "reason": reason}),
        HandleEvent::Trickle(trickle) => json!({
            "event": "trickle",
            "completed": matches!(trickle, Trickle::Completed),
        }),
        HandleEvent::Unknown(raw) => json!({"event": "unknown", "raw": raw}),
        HandleEvent::Ended(reason) => json!({"event": "ended", "reason": reason.to_string()}),
        HandleEvent::Lagged { dropped } => json!({"event": "lagged", "dropped": dropped}),
        HandleEvent::LateReply { request, reply } => json!({
            "event": "late_reply",
            "request": request.0,
            "data": reply.as_ref().map(|r| (*r.data).clone()).unwrap_or(Value::Null),
            "error": reply.as_ref().err().map(ToString::to_string),
        }),
        other => json!({"event": format!("{other:?}")}),
    }
}

fn human(event: &HandleEvent, value: &Value) -> String {
    match event {
        HandleEvent::Plugin { data, .. } => format!("event: {}", **data),
        HandleEvent::Ended(reason) => format!("handle ended: {reason}"),
        _ => format!("{}: {value}", value["event"].as_str().unwrap_or("event")),
    }
}
