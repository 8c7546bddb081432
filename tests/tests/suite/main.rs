//! One real-Janus suite for every adapter: `janus-blocking`, and
//! `janus-async` with `janus-tokio`, with `janus-smol` under smol and with
//! `janus-smol` under async-std's executor, each over WebSocket and HTTP
//! (TLS in `tls_with_a_private_root`) and over Janus's Unix-socket
//! transport, `SOCK_SEQPACKET` (`unix`) and `SOCK_DGRAM` (`unix_dgram`);
//! the async adapters also over its RabbitMQ transport (`amqp`), through
//! one private broker that the binary starts at its first such test.
//!
//! The scenarios (`scenarios.rs`) are written once over the `Adapter`
//! trait (`adapter.rs`); the macro below makes one `#[test]` per adapter,
//! transport and scenario: `<adapter>::<ws|http|unix|unix_dgram|amqp>::<scenario>`;
//! those that mostly wait for the server's clock run over two transports at
//! once as `<adapter>::ws_and_http::<scenario>` and
//! `<adapter>::unix_and_unix_dgram::<scenario>`; the transport-specific and
//! server-less ones are `<adapter>::<scenario>`.

mod adapter;
mod admin_scenarios;
mod amqp_scenarios;
mod media_adapter;
mod media_scenarios;
mod scenarios;
mod unix_scenarios;

use adapter::{Adapter, Async, Blocking, OnAsyncStd, OnSmol, OnTokio};
use janus_tests::netns::run_isolated;
use scenarios::Kind;
use std::future::Future;

/// Runs one scenario of adapter `A`.
fn run<A: Adapter>(scenario: impl Future<Output = ()>) {
    A::block_on(scenario)
}

/// Runs one scenario of adapter `A` over two transports at the same time
/// (each against its own server): for the scenarios that mostly wait for
/// the server's clock, so that the suite's wall time stays low.
fn run_at_once<A: Adapter, F: Future<Output = ()>>(kinds: [Kind; 2], scenario: fn(Kind) -> F) {
    A::block_on(A::join_all(2, 2, |i| scenario(kinds[i])));
}

macro_rules! suite {
    (
        adapters: { $($adapter:ident: $ty:ty $(=> $amqp:ident)?),* $(,)? }
        every_transport: $all:tt
        ws_and_http_each: $both:tt
        unix_types_each: $unix:tt
        unix_seqpacket: $seq:tt
        unix_dgram: $dgram:tt
        clock_bound_everywhere: $clock:tt
        clock_bound_ws_and_http: $clock_web:tt
        once: $once:tt
        media: $media:tt
        amqp_each: $amqp_list:tt
    ) => {
        $(suite!(
            @adapter $adapter: $ty; [$($amqp)?]; $all; $amqp_list;
            $all; $both; $unix; $seq; $dgram; $clock; $clock_web; $once; $media
        );)*
    };
    (@amqp $module:ident; [$($all:ident),* $(,)?]; [$($amqp:ident),* $(,)?]) => {
        /// Janus's RabbitMQ transport, through the binary's one private broker.
        mod $module {
            use super::*;
            $(#[test] fn $all() { run::<A>(scenarios::$all::<A>(Kind::Amqp)) })*
            $(#[test] fn $amqp() { run::<A>(scenarios::$amqp::<A>(Kind::Amqp)) })*
        }
    };
    (
        @adapter $adapter:ident: $ty:ty; [$($amqp:ident)?]; $all_list:tt; $amqp_list:tt;
        [$($all:ident),* $(,)?];
        [$($both:ident),* $(,)?];
        [$($unix:ident),* $(,)?];
        [$($seq:ident),* $(,)?];
        [$($dgram:ident),* $(,)?];
        [$($clock:ident),* $(,)?];
        [$($clock_web:ident),* $(,)?];
        [$($once:ident),* $(,)?];
        [$($media:ident),* $(,)?]
    ) => {
        mod $adapter {
            use super::*;
            type A = $ty;

            mod ws {
                use super::*;
                $(#[test] fn $all() { run::<A>(scenarios::$all::<A>(Kind::Ws)) })*
                $(#[test] fn $both() { run::<A>(scenarios::$both::<A>(Kind::Ws)) })*
            }

            mod http {
                use super::*;
                $(#[test] fn $all() { run::<A>(scenarios::$all::<A>(Kind::Http)) })*
                $(#[test] fn $both() { run::<A>(scenarios::$both::<A>(Kind::Http)) })*
            }

            mod unix {
                use super::*;
                $(#[test] fn $all() { run::<A>(scenarios::$all::<A>(Kind::Unix)) })*
                $(#[test] fn $unix() { run::<A>(scenarios::$unix::<A>(Kind::Unix)) })*
                $(#[test] fn $seq() { run::<A>(scenarios::$seq::<A>(Kind::Unix)) })*
            }

            mod unix_dgram {
                use super::*;
                $(#[test] fn $all() { run::<A>(scenarios::$all::<A>(Kind::UnixDgram)) })*
                $(#[test] fn $unix() { run::<A>(scenarios::$unix::<A>(Kind::UnixDgram)) })*
                $(#[test] fn $dgram() { run::<A>(scenarios::$dgram::<A>(Kind::UnixDgram)) })*
            }

            mod ws_and_http {
                use super::*;
                $(#[test] fn $clock() { run_at_once::<A, _>([Kind::Ws, Kind::Http], scenarios::$clock::<A>) })*
                $(#[test] fn $clock_web() {
                    run_at_once::<A, _>([Kind::Ws, Kind::Http], scenarios::$clock_web::<A>)
                })*
            }

            mod unix_and_unix_dgram {
                use super::*;
                $(#[test] fn $clock() {
                    run_at_once::<A, _>([Kind::Unix, Kind::UnixDgram], scenarios::$clock::<A>)
                })*
            }

            $(#[test] fn $once() { run::<A>(scenarios::$once::<A>()) })*

            $(suite!(@amqp $amqp; $all_list; $amqp_list);)?

            /// Real media, each in a private network namespace.
            mod media {
                use super::*;
                $(#[test] fn $media() {
                    let name = concat!(stringify!($adapter), "::media::", stringify!($media));
                    run_isolated(name, || run::<A>(media_scenarios::$media::<A>()))
                })*
            }
        }
    };
}

suite! {
    adapters: {
        blocking: Blocking,
        tokio: Async<OnTokio> => amqp,
        smol: Async<OnSmol> => amqp,
        async_std: Async<OnAsyncStd> => amqp,
    }
    every_transport: [
        full_lifecycle,
        echotest_message_resolves_to_the_event,
        videoroom_list_is_synchronous,
        videoroom_unknown_request_is_a_plugin_error,
        unknown_plugin_is_janus_460,
        claim_of_an_unknown_session_is_janus_458,
        handle_gone_on_the_server,
        a_request_times_out,
        api_secret_is_required,
        token_auth,
        drops_destroy_and_detach,
        drops_after_a_failed_destroy,
        close_ends_everything_locally,
        connect_failures,
        upper_case_schemes_work,
        cancelled_futures_leave_no_trace,
        a_thousand_sessions_on_one_connection,
        an_unread_stream_stays_bounded,
        videoroom_walk_with_typed_events,
        admin_api_walk,
    ]
    // TLS, the TCP proxy's faults, the other walks (their plugins behave
    // the same whatever the transport), the admin endpoint checks.
    ws_and_http_each: [
        server_killed_mid_request,
        tls_with_a_private_root,
        a_cut_connection_is_survived,
        audiobridge_walk_with_typed_events,
        textroom_management_walk,
        videocall_register_and_call_walk,
        recordplay_list_update_and_record_walk,
        voicemail_record_walk,
        sip_walk_without_a_peer,
        sip_call_with_a_minimal_peer,
        nosip_generate_and_process_walk,
        admin_secret_and_endpoints_are_checked,
        admin_tokens_end_to_end,
    ]
    unix_types_each: [
        requests_over_the_limit_fail_at_once,
    ]
    // A datagram socket learns that the server is gone only at its next
    // send or after the link timeout.
    unix_seqpacket: [
        server_killed_mid_request,
    ]
    // Over SOCK_SEQPACKET a session's timeout closes the connection (see
    // `unix_only_a_session_timeout_closes_the_connection_and_the_others_are_claimed`).
    unix_dgram: [
        server_session_timeout_is_reported,
    ]
    clock_bound_everywhere: [
        keepalive_holds_a_session,
        a_hold_keeps_a_session_alive,
    ]
    clock_bound_ws_and_http: [
        server_session_timeout_is_reported,
    ]
    once: [
        unix_only_dropped_connection_is_reclaimed,
        unix_dgram_only_a_socket_bound_again_claims_the_sessions,
        unix_only_a_session_timeout_closes_the_connection_and_the_others_are_claimed,
        ws_only_dropped_websocket_is_reclaimed,
        ws_only_claim_moves_events_to_the_new_owner,
        ws_only_a_silent_partition_is_survived,
        http_only_destroy_right_after_an_event,
        http_only_an_outage_is_survived,
        http_only_an_idle_cutting_proxy_is_survived,
        bad_urls_are_refused,
    ]
    media: [
        echotest_round_trip,
        videoroom_one_publisher_two_subscribers,
        ice_failure_is_a_typed_ending,
        textroom_chat_over_data_channels,
        streaming_watch_of_an_rtp_mountpoint,
    ]
    // With every_transport's, on the async adapters (the blocking one has
    // no RabbitMQ transport): the clock-bound scenarios (keepalives are
    // what keeps a session over RabbitMQ) and the transport's own.
    amqp_each: [
        keepalive_holds_a_session,
        server_session_timeout_is_reported,
        requests_over_the_limit_fail_at_once,
        clients_and_servers_share_a_broker,
        a_dropped_broker_link_keeps_the_sessions,
        a_broker_restart_is_survived,
        a_request_given_up_on_expires_in_the_broker,
        an_exchange_of_another_type_is_used_as_it_is,
    ]
}

/// Clients are `Clone + Send + Sync`; sessions, handles and event streams
/// can move between threads; so can the futures of every async call (e.g.
/// into `tokio::spawn`).
#[test]
fn values_and_futures_cross_threads() {
    use janus_async::janus_core::serde_json::json;
    use janus_async::janus_core::{SessionId, Trickle};
    use janus_async::{Events, HandleEvent};
    use janus_tests::support::ECHOTEST;

    fn clone_send_sync<T: Clone + Send + Sync + 'static>() {}
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send>(_: &T) {}
    clone_send_sync::<janus_blocking::Client>();
    clone_send_sync::<janus_tokio::Client>();
    clone_send_sync::<janus_smol::Client>();
    send_sync::<janus_blocking::Session>();
    send_sync::<janus_blocking::Handle>();
    send_sync::<janus_blocking::Events<janus_blocking::HandleEvent>>();
    send_sync::<janus_tokio::Session>();
    send_sync::<janus_tokio::Handle>();
    send_sync::<janus_smol::Session>();
    send_sync::<janus_smol::Handle>();
    clone_send_sync::<Events<HandleEvent>>();
    let _ = |client: &janus_tokio::Client,
             session: &janus_tokio::Session,
             handle: &janus_tokio::Handle| {
        send(&client.create_session());
        send(&client.claim(SessionId(1), true));
        send(&client.info());
        send(&client.close());
        send(&session.attach(ECHOTEST));
        send(&session.destroy());
        send(&handle.message(json!({})));
        send(&handle.trickle(Trickle::Completed));
        send(&handle.detach());
    };
}

/// The blocking client has no RabbitMQ transport: an `amqp://` URL is
/// refused at once, with an error that names the adapters that have one.
#[test]
fn the_blocking_client_refuses_amqp_urls() {
    let url = "amqp://127.0.0.1:5672/%2f?server=a";
    match janus_blocking::Client::connect(url) {
        Err(janus_async::Error::Url { url: u, reason }) => {
            assert_eq!(u, url);
            assert!(reason.contains("janus-tokio"), "{reason}");
        }
        other => panic!("expected a URL error, got {other:?}"),
    }
}
