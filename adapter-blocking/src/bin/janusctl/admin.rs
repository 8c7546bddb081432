//! The Admin API commands.

use crate::output::{self, Out};
use crate::{Cli, Command, Failure, TokenAction};
use janus_blocking::janus_core::admin::{
    AcceptNewSessions, AddToken, AllowToken, DestroySession, DetachHandle, GetHandleInfo,
    GetStatus, HandleInfo, HangupWebrtc, ListHandles, ListSessions, ListTokens, QueryModule,
    RemoveToken, SetLogLevel,
};
use janus_blocking::janus_core::serde_json::{self, json, Value};
use janus_blocking::janus_core::{HandleId, SessionId};
use janus_blocking::{AdminClient, Error, Options};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Connects to the Admin API as the command line says.
fn connect(cli: &Cli, timeout: Duration) -> Result<AdminClient, Failure> {
    let mut options = Options::new()
        .request_timeout(timeout)
        .connect_timeout(timeout);
    if let Some(secret) = &cli.admin_secret {
        options = options.admin_secret(secret.as_str());
    }
    Ok(AdminClient::connect_with(&cli.admin_url, options)?)
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

pub fn run(cli: &Cli, out: &Out, timeout: Duration, command: &Command) -> Result<(), Failure> {
    let admin = connect(cli, timeout)?;
    let result = dispatch(&admin, out, command);
    admin.close();
    result
}

fn dispatch(admin: &AdminClient, out: &Out, command: &Command) -> Result<(), Failure> {
    match command {
        Command::Info => {
            let info = admin.info()?;
            out.either(&info.raw, || {
                let mut lines = vec![format!(
                    "Janus {} ({})",
                    info.version_string.as_deref().unwrap_or("?"),
                    info.raw["name"].as_str().unwrap_or("Janus")
                )];
                let secs = |v: Option<u64>| v.map_or("?".into(), |s| s.to_string());
                lines.push(format!(
                    "session timeout {} s, reclaim {} s",
                    secs(info.session_timeout),
                    secs(info.reclaim_session_timeout)
                ));
                lines.push(format!(
                    "api_secret {}, auth_token {}",
                    on(info.api_secret),
                    on(info.auth_token)
                ));
                lines.push(format!("plugins: {}", info.plugins.join(", ")));
                lines.join("\n")
            });
        }
        Command::Ping => {
            let start = Instant::now();
            admin.ping()?;
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            out.either(&json!({"pong": true, "rtt_ms": ms}), || {
                format!("pong from {} in {ms:.1} ms", admin.url())
            });
        }
        Command::Status => {
            let status = admin.call(GetStatus)?;
            let value = to_json(&status);
            out.either(&value, || {
                let rows = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| vec![k.clone(), v.to_string()])
                    .collect::<Vec<_>>();
                output::table(&["SETTING", "VALUE"], &rows, out.is_tty())
            });
        }
        Command::Sessions => sessions(admin, out)?,
        Command::Handles { session } => handles(admin, out, SessionId(*session))?,
        Command::HandleInfo {
            session,
            handle,
            plugin_only,
        } => {
            let mut call = GetHandleInfo::new(SessionId(*session), HandleId(*handle));
            if *plugin_only {
                call = call.plugin_only();
            }
            let info = admin.call(call)?;
            out.either(&to_json(&info), || summary(&info));
        }
        Command::Destroy { session } => {
            admin.call(DestroySession::new(SessionId(*session)))?;
            done(out, &format!("session {session} destroyed"));
        }
        Command::Detach { session, handle } => {
            admin.call(DetachHandle::new(SessionId(*session), HandleId(*handle)))?;
            done(out, &format!("handle {handle} detached"));
        }
        Command::Hangup { session, handle } => {
            admin.call(HangupWebrtc::new(SessionId(*session), HandleId(*handle)))?;
            done(out, &format!("handle {handle}: PeerConnection hung up"));
        }
        Command::Tokens { action } => tokens(admin, out, action)?,
        Command::LogLevel { level } => {
            let level = admin.call(SetLogLevel::new(*level))?;
            out.either(&json!({"level": level}), || format!("log level {level}"));
        }
        Command::AcceptSessions { state } => {
            let accept = admin.call(AcceptNewSessions::new(state == "on"))?;
            out.either(&json!({"accept": accept}), || {
                if accept {
                    "accepting new sessions".into()
                } else {
                    "not accepting new sessions (existing ones go on)".into()
                }
            });
        }
        Command::Message { plugin, request } => {
            let request = output::parse_object(request)?;
            let response = admin.call(QueryModule::plugin(plugin.as_str(), request))?;
            if let Some(code) = response.get("error_code") {
                return Err(Failure {
                    code: 1,
                    message: format!(
                        "{plugin} refused the request ({code}): {}",
                        response["error"].as_str().unwrap_or("no reason given")
                    ),
                });
            }
            out.either(&response, || {
                serde_json::to_string_pretty(&response).unwrap_or_default()
            });
        }
        Command::Top { interval, count } => top(admin, out, *interval, *count)?,
        Command::Send { .. } | Command::Watch { .. } | Command::Monitor { .. } => {
            return Err(Failure::usage("not an Admin API command"));
        }
    }
    Ok(())
}

fn on(flag: Option<bool>) -> &'static str {
    match flag {
        Some(true) => "on",
        Some(false) => "off",
        None => "?",
    }
}

fn done(out: &Out, text: &str) {
    out.either(&json!({"ok": true}), || text.to_owned());
}

/// The handles of `session` with their info; a handle that went away in
/// between is left out.
fn handle_infos(
    admin: &AdminClient,
    session: SessionId,
) -> Result<Vec<(HandleId, HandleInfo)>, Error> {
    let mut infos = Vec::new();
    for handle in admin.call(ListHandles::new(session))? {
        match admin.call(GetHandleInfo::new(session, handle)) {
            Ok(info) => infos.push((handle, info)),
            Err(e) if e.is_janus_code(459) || e.is_janus_code(458) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(infos)
}

/// One session's line: what its handles say about it.
struct SessionRow {
    id: SessionId,
    handles: Vec<(HandleId, HandleInfo)>,
}

impl SessionRow {
    fn first(&self) -> Option<&HandleInfo> {
        self.handles.first().map(|(_, i)| i)
    }

    /// Seconds since the session's last activity, on the server's clock.
    fn idle(&self) -> Option<u64> {
        let info = self.first()?;
        Some(
            info.current_time?
                .saturating_sub(info.session_last_activity?)
                / 1_000_000,
        )
    }

    /// Seconds since its oldest handle was attached.
    fn age(&self) -> Option<u64> {
        self.handles
            .iter()
            .filter_map(|(_, i)| Some(i.current_time?.saturating_sub(i.created?) / 1_000_000))
            .max()
    }

    fn json(&self) -> Value {
        json!({
            "session": self.id,
            "handles": self.handles.iter().map(|(h, _)| h).collect::<Vec<_>>(),
            "transport": self.first().and_then(|i| i.session_transport.clone()),
            "idle_s": self.idle(),
            "age_s": self.age(),
            "plugins": self.handles.iter().filter_map(|(_, i)| i.plugin.clone()).collect::<Vec<_>>(),
        })
    }

    fn cells(&self) -> Vec<String> {
        let opt = |v: Option<u64>| v.map_or("-".into(), output::seconds);
        let mut plugins: Vec<&str> = self
            .handles
            .iter()
            .filter_map(|(_, i)| i.plugin.as_deref())
            .map(|p| p.trim_start_matches("janus.plugin."))
            .collect();
        plugins.dedup();
        vec![
            self.id.to_string(),
            self.handles.len().to_string(),
            self.first()
                .and_then(|i| i.session_transport.as_deref())
                .map_or("-", |t| t.trim_start_matches("janus.transport."))
                .to_owned(),
            opt(self.age()),
            opt(self.idle()),
            plugins.join(","),
        ]
    }
}

fn session_rows(admin: &AdminClient) -> Result<Vec<SessionRow>, Error> {
    let mut rows = Vec::new();
    for id in admin.call(ListSessions)? {
        match handle_infos(admin, id) {
            Ok(handles) => rows.push(SessionRow { id, handles }),
            Err(e) if e.is_janus_code(458) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(rows)
}

const SESSION_HEADER: [&str; 6] = ["SESSION", "HANDLES", "TRANSPORT", "AGE", "IDLE", "PLUGINS"];

fn sessions(admin: &AdminClient, out: &Out) -> Result<(), Failure> {
    let rows = session_rows(admin)?;
    if out.json {
        rows.iter().for_each(|r| out.json(&r.json()));
    } else if rows.is_empty() {
        out.line("no sessions");
    } else {
        let cells: Vec<_> = rows.iter().map(SessionRow::cells).collect();
        out.table(&SESSION_HEADER, &cells);
    }
    Ok(())
}

fn handle_cells(handle: HandleId, info: &HandleInfo) -> Vec<String> {
    let (bytes_in, bytes_out) = info.bytes();
    vec![
        handle.to_string(),
        info.plugin.clone().unwrap_or_default(),
        info.opaque_id.clone().unwrap_or_else(|| "-".into()),
        info.ice_state().unwrap_or("-").to_owned(),
        info.dtls_state().unwrap_or("-").to_owned(),
        output::bytes(bytes_in),
        output::bytes(bytes_out),
    ]
}

const HANDLE_HEADER: [&str; 7] = ["HANDLE", "PLUGIN", "OPAQUE ID", "ICE", "DTLS", "IN", "OUT"];

fn handles(admin: &AdminClient, out: &Out, session: SessionId) -> Result<(), Failure> {
    let infos = handle_infos(admin, session)?;
    if out.json {
        for (handle, info) in &infos {
            let (bytes_in, bytes_out) = info.bytes();
            out.json(&json!({
                "handle": handle, "plugin": info.plugin, "opaque_id": info.opaque_id,
                "ice": info.ice_state(), "dtls": info.dtls_state(),
                "bytes_in": bytes_in, "bytes_out": bytes_out,
            }));
        }
    } else if infos.is_empty() {
        out.line(&format!("session {session} has no handles"));
    } else {
        let rows: Vec<_> = infos.iter().map(|(h, i)| handle_cells(*h, i)).collect();
        out.table(&HANDLE_HEADER, &rows);
    }
    Ok(())
}

/// A handle's info for people.
fn summary(info: &HandleInfo) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let mut lines = vec![
        format!("plugin     {}", text(&info.plugin)),
        format!("opaque id  {}", text(&info.opaque_id)),
        format!(
            "session    {} over {}",
            info.session_id.map_or("-".into(), |s| s.to_string()),
            text(&info.session_transport)
        ),
    ];
    if let Some(flags) = &info.flags {
        let mut media = Vec::new();
        if flags.has_audio {
            media.push("audio");
        }
        if flags.has_video {
            media.push("video");
        }
        if flags.data_channels {
            media.push("data");
        }
        lines.push(format!(
            "webrtc     {}; ICE {}, DTLS {}",
            if flags.ready { "up" } else { "not up" },
            info.ice_state().unwrap_or("-"),
            info.dtls_state().unwrap_or("-")
        ));
        lines.push(format!(
            "media      {}",
            if media.is_empty() {
                "none".into()
            } else {
                media.join(", ")
            }
        ));
        let (bytes_in, bytes_out) = info.bytes();
        lines.push(format!(
            "traffic    {} in, {} out",
            output::bytes(bytes_in),
            output::bytes(bytes_out)
        ));
    }
    if let Some(specific) = &info.plugin_specific {
        lines.push(format!("plugin says {specific}"));
    }
    lines.join("\n")
}

fn tokens(admin: &AdminClient, out: &Out, action: &TokenAction) -> Result<(), Failure> {
    let plugins = |token: &str, plugins: Vec<String>| {
        out.either(&json!({"token": token, "plugins": plugins}), || {
            format!("{token}: {}", plugins.join(", "))
        })
    };
    match action {
        TokenAction::List => {
            let tokens = admin.call(ListTokens)?;
            if out.json {
                tokens.iter().for_each(|t| out.json(&to_json(t)));
            } else if tokens.is_empty() {
                out.line("no stored tokens");
            } else {
                let rows: Vec<_> = tokens
                    .iter()
                    .map(|t| vec![t.token.clone(), t.allowed_plugins.join(", ")])
                    .collect();
                out.table(&["TOKEN", "PLUGINS"], &rows);
            }
        }
        TokenAction::Add { token, plugins: p } => {
            let mut call = AddToken::new(token.as_str());
            if !p.is_empty() {
                call = call.plugins(p.iter().map(String::as_str));
            }
            plugins(token, admin.call(call)?);
        }
        TokenAction::Allow { token, plugins: p } => {
            plugins(
                token,
                admin.call(AllowToken::allow(
                    token.as_str(),
                    p.iter().map(String::as_str),
                ))?,
            );
        }
        TokenAction::Disallow { token, plugins: p } => {
            plugins(
                token,
                admin.call(AllowToken::disallow(
                    token.as_str(),
                    p.iter().map(String::as_str),
                ))?,
            );
        }
        TokenAction::Remove { token } => {
            admin.call(RemoveToken::new(token.as_str()))?;
            done(out, &format!("token {token} removed"));
        }
    }
    Ok(())
}

/// Sessions and handles with their traffic and its rate since the last
/// refresh; the screen is cleared between refreshes on a terminal.
fn top(admin: &AdminClient, out: &Out, interval: u64, count: Option<u64>) -> Result<(), Failure> {
    let interval = Duration::from_secs(interval.max(1));
    let mut last: HashMap<HandleId, (u64, u64)> = HashMap::new();
    let mut round = 0;
    loop {
        let rows = session_rows(admin)?;
        let secs = interval.as_secs_f64();
        let mut lines = Vec::new();
        let mut now = HashMap::new();
        for row in &rows {
            for (handle, info) in &row.handles {
                let (bytes_in, bytes_out) = info.bytes();
                let (prev_in, prev_out) =
                    last.get(handle).copied().unwrap_or((bytes_in, bytes_out));
                let rate = |now: u64, before: u64| now.saturating_sub(before) as f64 / secs;
                now.insert(*handle, (bytes_in, bytes_out));
                let (rate_in, rate_out) = (rate(bytes_in, prev_in), rate(bytes_out, prev_out));
                lines.push((
                    row.id, *handle, info, bytes_in, bytes_out, rate_in, rate_out,
                ));
            }
        }
        last = now;
        if out.json {
            for (session, handle, info, bytes_in, bytes_out, rate_in, rate_out) in &lines {
                out.json(&json!({
                    "round": round, "session": session, "handle": handle, "plugin": info.plugin,
                    "ice": info.ice_state(), "bytes_in": bytes_in, "bytes_out": bytes_out,
                    "in_per_s": rate_in, "out_per_s": rate_out,
                }));
            }
        } else {
            if out.is_tty() {
                out.line("\x1b[2J\x1b[H");
            }
            let handles: usize = rows.iter().map(|r| r.handles.len()).sum();
            out.line(&format!(
                "{} sessions, {handles} handles  (every {}s)",
                rows.len(),
                interval.as_secs()
            ));
            let cells: Vec<_> = lines
                .iter()
                .map(
                    |(session, handle, info, bytes_in, bytes_out, rate_in, rate_out)| {
                        vec![
                            session.to_string(),
                            handle.to_string(),
                            info.plugin
                                .as_deref()
                                .unwrap_or("-")
                                .trim_start_matches("janus.plugin.")
                                .to_owned(),
                            info.ice_state().unwrap_or("-").to_owned(),
                            output::bytes(*bytes_in),
                            output::bytes(*bytes_out),
                            format!("{}/s", output::bytes(*rate_in as u64)),
                            format!("{}/s", output::bytes(*rate_out as u64)),
                        ]
                    },
                )
                .collect();
            out.table(
                &[
                    "SESSION", "HANDLE", "PLUGIN", "ICE", "IN", "OUT", "IN/S", "OUT/S",
                ],
                &cells,
            );
        }
        round += 1;
        if count.is_some_and(|c| round >= c) {
            return Ok(());
        }
        std::thread::sleep(interval);
    }
}
