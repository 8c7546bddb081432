//! Performing the engine's HTTP exchanges with ureq, one thread each.
//!
//! A long poll blocks for up to 30 s, so every exchange runs on its own
//! short-lived thread and hands its outcome back to the background thread
//! through the command channel.

use crate::driver::Command;
use janus_core::{HttpMethod, HttpRequest};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::{Duration, Instant};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// How long past the engine's deadline ureq may still wait (the engine
/// ignores a later answer anyway).
const SLACK: Duration = Duration::from_secs(1);

/// The HTTP side of one client.
#[derive(Debug)]
pub(crate) struct Http {
    agent: ureq::Agent,
    /// The server's base URL, e.g. `http://127.0.0.1:8088/janus`.
    base: String,
    /// The largest body accepted (the engine rejects larger ones itself).
    limit: u64,
    results: Sender<Command>,
}

/// What an exchange came to: status and body, or why there is none.
pub(crate) type Outcome = Result<(u16, Vec<u8>), String>;

impl Http {
    /// For the server at `base`; `roots` (DER), if any, replace the webpki
    /// roots as the trust anchors for `https://`.
    pub(crate) fn new(
        base: &str,
        max_frame_size: usize,
        roots: &[Vec<u8>],
        results: Sender<Command>,
    ) -> Self {
        let mut config = ureq::Agent::config_builder().http_status_as_error(false);
        if !roots.is_empty() {
            let certs: Vec<Certificate<'static>> = roots
                .iter()
                .map(|der| Certificate::from_der(der).to_owned())
                .collect();
            let tls = TlsConfig::builder()
                .root_certs(RootCerts::new_with_certs(&certs))
                .build();
            config = config.tls_config(tls);
        }
        let agent = config.build().into();
        Self {
            agent,
            base: base.trim_end_matches('/').to_owned(),
            limit: max_frame_size as u64 + 1,
            results,
        }
    }

    /// Starts `request` on a thread of its own; its outcome comes back as
    /// [`Command::Http`]. Returns the reason if no thread could start.
    pub(crate) fn start(&self, request: HttpRequest) -> Result<(), String> {
        let agent = self.agent.clone();
        let url = format!("{}{}", self.base, request.path);
        let (limit, results) = (self.limit, self.results.clone());
        let id = request.id;
        thread::Builder::new()
            .name("janus-http".into())
            .spawn(move || {
                let outcome = exchange(&agent, &url, request, limit);
                let _ = results.send(Command::Http { id, outcome });
            })
            .map(drop)
            .map_err(|e| format!("cannot start an HTTP thread: {e}"))
    }
}

fn exchange(agent: &ureq::Agent, url: &str, request: HttpRequest, limit: u64) -> Outcome {
    let timeout = Some(request.deadline.saturating_duration_since(Instant::now()) + SLACK);
    let response = match request.method {
        HttpMethod::Get => agent
            .get(url)
            .config()
            .timeout_global(timeout)
            .build()
            .call(),
        HttpMethod::Post => agent
            .post(url)
            .header("content-type", "application/json")
            .config()
            .timeout_global(timeout)
            .build()
            .send(request.body.unwrap_or_default()),
    };
    let mut response = response.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| e.to_string())?;
    Ok((status, body))
}
