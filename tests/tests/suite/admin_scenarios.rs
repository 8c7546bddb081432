//! The Admin API scenarios: every Admin request Janus can answer on a
//! server without media, secrets right and wrong, and stored tokens end to
//! end through both APIs.

use crate::adapter::{Adapter, AdminApi, ClientApi, HandleApi, SessionApi};
use crate::scenarios::Kind;
use janus_async::janus_core::admin::{
    AcceptNewSessions, AddToken, AllowToken, CustomEvent, CustomLogline, DestroySession,
    DetachHandle, GetHandleInfo, GetStatus, HangupWebrtc, ListHandles, ListSessions, ListTokens,
    LoopsInfo, QueryModule, RemoveToken, ResolveAddress, SetLibniceDebug, SetLockingDebug,
    SetLogColors, SetLogLevel, SetLogTimestamps, SetMinNackQueue, SetNackOptimizations,
    SetNoMediaTimer, SetRefcountDebug, SetSessionTimeout, SetSlowlinkThreshold, StartPcap,
    StopPcap, StopText2Pcap, TestStun,
};
use janus_async::janus_core::serde_json::json;
use janus_async::janus_core::EndReason;
use janus_async::{Error, HandleEvent, Options};
use janus_tests::rig::JanusServer;
use janus_tests::support::{closed_port, ECHOTEST, VIDEOROOM};
use std::time::Duration;

fn admin_url(kind: Kind, server: &JanusServer) -> String {
    match kind {
        Kind::Ws => server.admin_ws_url(),
        Kind::Http => server.admin_http_url(),
        Kind::Unix | Kind::UnixDgram => server.admin_unix_url(),
        // The same URL: the Admin API's routing keys follow from it.
        Kind::Amqp => server.amqp_url().expect("a server built for RabbitMQ"),
    }
}

async fn admin<A: Adapter>(kind: Kind, server: &JanusServer) -> A::Admin {
    let url = admin_url(kind, server);
    let options = Options::new().admin_secret(server.admin_secret());
    A::Admin::connect_with(&url, options)
        .await
        .unwrap_or_else(|e| panic!("{}: admin connect to {url}: {e}", A::NAME))
}

async fn client<A: Adapter>(kind: Kind, server: &JanusServer, options: Options) -> A::Client {
    let url = kind.url(server);
    A::Client::connect_with(&url, options)
        .await
        .unwrap_or_else(|e| panic!("{}: connect to {url}: {e}", A::NAME))
}

/// Every Admin request a server without media answers, against the
/// sessions and handles of a Janus API client on the same server.
pub async fn admin_api_walk<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let admin = admin::<A>(kind, &server).await;
    let info = admin.info().await.unwrap();
    assert_eq!(info.version_string.as_deref(), Some("1.1.2"));
    admin.ping().await.unwrap();

    let janus = client::<A>(kind, &server, Options::new()).await;
    let session = janus.create_session().await.unwrap();
    let handle = session.attach(ECHOTEST).await.unwrap();
    let (sid, hid) = (session.id(), handle.id());

    assert!(admin.call(ListSessions).await.unwrap().contains(&sid));
    assert_eq!(admin.call(ListHandles::new(sid)).await.unwrap(), [hid]);
    let info = admin.call(GetHandleInfo::new(sid, hid)).await.unwrap();
    assert_eq!(info.plugin.as_deref(), Some(ECHOTEST));
    assert_eq!((info.session_id, info.handle_id), (Some(sid), Some(hid)));
    let transport = match kind {
        Kind::Ws => "janus.transport.websockets",
        Kind::Http => "janus.transport.http",
        Kind::Unix | Kind::UnixDgram => "janus.transport.pfunix",
        Kind::Amqp => "janus.transport.rabbitmq",
    };
    assert_eq!(info.session_transport.as_deref(), Some(transport));
    let flags = info.flags.expect("a full handle_info has flags");
    assert!(!flags.ready && !info.webrtc_ready());
    assert_eq!((info.ice_state(), info.bytes()), (None, (0, 0)));
    let plugin_only = admin
        .call(GetHandleInfo::new(sid, hid).plugin_only())
        .await
        .unwrap();
    assert!(plugin_only.flags.is_none() && plugin_only.plugin_specific.is_some());

    // Settings: each answers with its new value, which get_status reports.
    let status = admin.call(GetStatus).await.unwrap();
    let level = status.log_level.unwrap();
    assert_eq!(admin.call(SetLogLevel::new(6)).await.unwrap(), 6);
    assert_eq!(admin.call(GetStatus).await.unwrap().log_level, Some(6));
    assert_eq!(admin.call(SetLogLevel::new(level)).await.unwrap(), level);
    assert!(!admin.call(SetLogTimestamps::new(false)).await.unwrap());
    assert!(!admin.call(SetLogColors::new(false)).await.unwrap());
    assert!(!admin.call(SetLockingDebug::new(false)).await.unwrap());
    assert!(!admin.call(SetRefcountDebug::new(false)).await.unwrap());
    assert!(!admin.call(SetLibniceDebug::new(false)).await.unwrap());
    assert_eq!(admin.call(SetMinNackQueue::new(300)).await.unwrap(), 300);
    assert!(admin.call(SetNackOptimizations::new(true)).await.unwrap());
    assert_eq!(admin.call(SetNoMediaTimer::new(2)).await.unwrap(), 2);
    assert_eq!(admin.call(SetSlowlinkThreshold::new(4)).await.unwrap(), 4);
    let status = admin.call(GetStatus).await.unwrap();
    assert_eq!(
        (
            status.min_nack_queue,
            status.nack_optimizations,
            status.no_media_timer
        ),
        (Some(300), Some(true), Some(2))
    );
    let timeout = status.session_timeout.unwrap();
    assert_eq!(
        admin
            .call(SetSessionTimeout::global(timeout + 1))
            .await
            .unwrap(),
        timeout as i64 + 1
    );
    assert_eq!(
        admin
            .call(SetSessionTimeout::session(sid, Some(0)))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        admin
            .call(SetSessionTimeout::session(sid, None))
            .await
            .unwrap(),
        -1
    );

    // Draining: new sessions are refused, existing ones go on.
    assert!(!admin.call(AcceptNewSessions::new(false)).await.unwrap());
    assert!(janus.create_session().await.is_err());
    session.keepalive().await.unwrap();
    assert!(admin.call(AcceptNewSessions::new(true)).await.unwrap());
    drop(janus.create_session().await.unwrap());

    // Modules, events, log lines, the network.
    let rooms = admin
        .call(QueryModule::plugin(VIDEOROOM, json!({"request": "list"})))
        .await
        .unwrap();
    assert!(rooms["list"].is_array(), "{rooms}");
    let err = admin
        .call(QueryModule::event_handler(
            "janus.eventhandler.none",
            json!({}),
        ))
        .await
        .unwrap_err();
    assert!(err.is_janus_code(460), "{err:?}");
    let err = admin
        .call(QueryModule::logger("janus.logger.none", json!({})))
        .await
        .unwrap_err();
    assert!(err.is_janus_code(460), "{err:?}");
    // The HTTP transport has an admin interface: it answers, here that the
    // request lacks its `request`.
    let answer = admin
        .call(QueryModule::transport("janus.transport.http", json!({})))
        .await
        .unwrap();
    assert!(answer["error_code"].is_u64(), "{answer}");
    admin
        .call(CustomEvent::new("janus-rs", json!({"walk": true})))
        .await
        .unwrap();
    admin
        .call(CustomLogline::new("janus-rs admin walk").level(4))
        .await
        .unwrap();
    let resolved = admin.call(ResolveAddress::new("127.0.0.1")).await.unwrap();
    assert_eq!(resolved.ip, "127.0.0.1");
    let stun = admin
        .call(TestStun::new("127.0.0.1", closed_port()))
        .await
        .unwrap_err();
    assert!(stun.janus_error().is_some(), "{stun:?}");
    assert!(admin.call(LoopsInfo).await.unwrap().is_empty());

    // A capture of the handle's traffic, written by the server.
    let dir = tempfile::tempdir().unwrap();
    let pcap = StartPcap::new(sid, hid)
        .folder(dir.path().to_str().unwrap())
        .filename("walk.pcap");
    admin.call(pcap).await.unwrap();
    admin.call(StopPcap::new(sid, hid)).await.unwrap();
    assert!(dir.path().join("walk.pcap").exists());
    let text = StartPcap::new(sid, hid)
        .text()
        .folder(dir.path().to_str().unwrap())
        .filename("walk.txt")
        .truncate(100);
    admin.call(text).await.unwrap();
    admin.call(StopText2Pcap::new(sid, hid)).await.unwrap();
    assert!(dir.path().join("walk.txt").exists());
    // No PeerConnection to hang up: Janus says yes all the same.
    admin.call(HangupWebrtc::new(sid, hid)).await.unwrap();

    // Ending another client's handle and session: the owner is told.
    admin.call(DetachHandle::new(sid, hid)).await.unwrap();
    let ended = loop {
        match crate::scenarios::next_handle_event(&handle, Duration::from_secs(3)).await {
            HandleEvent::Ended(reason) => break reason,
            _ => continue,
        }
    };
    assert_eq!(ended, EndReason::ServerDetached);
    admin.call(DestroySession::new(sid)).await.unwrap();
    assert!(!admin.call(ListSessions).await.unwrap().contains(&sid));
    let err = admin.call(ListHandles::new(sid)).await.unwrap_err();
    assert!(err.is_janus_code(458), "{err:?}");
    admin.close().await;
}

/// The admin secret is required and checked at connect; each API's client
/// pointed at the other's endpoint is told so.
pub async fn admin_secret_and_endpoints_are_checked<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder());
    let url = admin_url(kind, &server);
    let err = A::Admin::connect_with(&url, Options::new().admin_secret("wrong"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, Error::Connect { .. }) && text.contains("admin secret was refused"),
        "{text}"
    );
    // Without a secret: info and ping, and nothing else.
    let open = A::Admin::connect_with(&url, Options::new()).await.unwrap();
    open.ping().await.unwrap();
    assert!(open.info().await.is_ok());
    let err = open.call(ListSessions).await.unwrap_err();
    assert!(err.is_janus_code(403), "{err:?}");
    open.close().await;
    // An Admin client on the Janus API endpoint, and the reverse.
    let janus_url = kind.url(&server);
    let options = Options::new().admin_secret(server.admin_secret());
    let err = A::Admin::connect_with(&janus_url, options)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Janus API"), "{err}");
    let err = A::Client::connect_with(&url, Options::new())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("AdminClient"), "{err}");
}

/// Stored tokens end to end: added, widened, narrowed and removed through
/// the Admin API, used and refused on the Janus API.
pub async fn admin_tokens_end_to_end<A: Adapter>(kind: Kind) {
    let server = kind.server(JanusServer::builder().token_auth(true));
    let admin = admin::<A>(kind, &server).await;
    let plugins = admin
        .call(AddToken::new("walk").plugins([ECHOTEST]))
        .await
        .unwrap();
    assert_eq!(plugins, [ECHOTEST]);
    let tokens = admin.call(ListTokens).await.unwrap();
    let walk = tokens.iter().find(|t| t.token == "walk").unwrap();
    assert_eq!(walk.allowed_plugins, [ECHOTEST]);

    let janus = client::<A>(kind, &server, Options::new().token("walk")).await;
    let session = janus.create_session().await.unwrap();
    session.attach(ECHOTEST).await.unwrap();
    let err = session.attach(VIDEOROOM).await.unwrap_err();
    assert!(err.is_janus_code(405), "{err:?}");

    let plugins = admin
        .call(AllowToken::allow("walk", [VIDEOROOM]))
        .await
        .unwrap();
    assert!(plugins.iter().any(|p| p == VIDEOROOM), "{plugins:?}");
    session.attach(VIDEOROOM).await.unwrap();
    admin
        .call(AllowToken::disallow("walk", [VIDEOROOM]))
        .await
        .unwrap();
    let err = session.attach(VIDEOROOM).await.unwrap_err();
    assert!(err.is_janus_code(405), "{err:?}");

    admin.call(RemoveToken::new("walk")).await.unwrap();
    assert!(!admin
        .call(ListTokens)
        .await
        .unwrap()
        .iter()
        .any(|t| t.token == "walk"));
    let err = janus.create_session().await.unwrap_err();
    assert!(err.is_janus_code(403), "{err:?}");
    let err = admin.call(RemoveToken::new("walk")).await.unwrap_err();
    assert!(err.janus_error().is_some(), "{err:?}");
}
