//! The media handle of each adapter behind one trait, so the media
//! scenarios are written once: [`MediaAdapter`] makes one from a handle,
//! [`MediaApi`] is what the adapters' `MediaHandle`s share.

use std::path::Path;
use std::time::Duration;

use janus_async::janus_core::serde_json::Value;
use janus_async::janus_core::{Jsep, PluginReply};
use janus_async::janus_media::{Codec, Event, FilePlan, MediaKind, MediaOptions, Tracks};
use janus_async::Error;

use crate::adapter::{Adapter, Async, Blocking, Executor, HandleApi};

/// An adapter with a media handle.
pub trait MediaAdapter: Adapter {
    /// Its media handle.
    type Media: MediaApi<Handle = Self::Handle>;
    /// Starts a PeerConnection on `handle`.
    async fn media(handle: Self::Handle, options: MediaOptions) -> Result<Self::Media, Error>;
}

/// What every adapter's `MediaHandle` offers.
pub trait MediaApi: Send + Sync + Sized + 'static {
    /// Its handle type.
    type Handle: HandleApi;
    /// The handle.
    fn handle(&self) -> &Self::Handle;
    /// Offer, message, answer.
    async fn negotiate(&self, body: Value, tracks: &Tracks) -> Result<PluginReply, Error>;
    /// Answer Janus's offer with a message.
    async fn answer(&self, offer: &Jsep, body: Value) -> Result<PluginReply, Error>;
    /// Opens files to play and record.
    fn open_files(&self, inputs: &[&Path], outputs: &[&Path]) -> Result<FilePlan, Error>;
    /// Plays and records them.
    fn use_files(&self, plan: FilePlan);
    /// Sends a frame.
    fn write_frame(
        &self,
        kind: MediaKind,
        codec: Codec,
        at: Duration,
        data: &[u8],
    ) -> Result<(), Error>;
    /// Opens a data channel.
    fn open_channel(&self, label: &str) -> Result<Option<Jsep>, Error>;
    /// Sends text on a data channel.
    fn send_text(&self, label: &str, text: &str) -> Result<(), Error>;
    /// The first event `pick` accepts within `timeout`.
    async fn wait_for<T>(
        &self,
        timeout: Duration,
        pick: impl FnMut(&Event) -> Option<T> + Send,
    ) -> Option<T>;
    /// Closes the PeerConnection.
    fn close(&self);
}

macro_rules! forward_media {
    (impl [$($g:tt)*] $media:ty, $handle:ty; $($call:tt)*) => {
        impl<$($g)*> MediaApi for $media {
            type Handle = $handle;
            fn handle(&self) -> &$handle {
                <$media>::handle(self)
            }
            async fn negotiate(&self, body: Value, tracks: &Tracks) -> Result<PluginReply, Error> {
                <$media>::negotiate(self, body, tracks) $($call)*
            }
            async fn answer(&self, offer: &Jsep, body: Value) -> Result<PluginReply, Error> {
                <$media>::answer(self, offer, body) $($call)*
            }
            fn open_files(&self, inputs: &[&Path], outputs: &[&Path]) -> Result<FilePlan, Error> {
                <$media>::open_files(self, inputs, outputs)
            }
            fn use_files(&self, plan: FilePlan) {
                <$media>::use_files(self, plan)
            }
            fn write_frame(
                &self,
                kind: MediaKind,
                codec: Codec,
                at: Duration,
                data: &[u8],
            ) -> Result<(), Error> {
                <$media>::write_frame(self, kind, codec, at, data)
            }
            fn open_channel(&self, label: &str) -> Result<Option<Jsep>, Error> {
                <$media>::open_channel(self, label)
            }
            fn send_text(&self, label: &str, text: &str) -> Result<(), Error> {
                <$media>::send_text(self, label, text)
            }
            async fn wait_for<T>(
                &self,
                timeout: Duration,
                pick: impl FnMut(&Event) -> Option<T> + Send,
            ) -> Option<T> {
                forward_media!(@wait self, timeout, pick; $($call)*)
            }
            fn close(&self) {
                <$media>::close(self)
            }
        }
    };
    (@wait $s:ident, $t:ident, $p:ident; .await) => { $s.wait_for($t, $p).await };
    (@wait $s:ident, $t:ident, $p:ident;) => { $s.wait_for($t, $p).ok() };
}

forward_media!(impl [] janus_blocking::media::MediaHandle, janus_blocking::Handle;);
forward_media!(
    impl [R: janus_async::Runtime] janus_async::MediaHandle<R>, janus_async::Handle<R>; .await
);

impl MediaAdapter for Blocking {
    type Media = janus_blocking::media::MediaHandle;
    async fn media(handle: Self::Handle, options: MediaOptions) -> Result<Self::Media, Error> {
        janus_blocking::media::MediaHandle::new(handle, options)
    }
}

impl<E: Executor> MediaAdapter for Async<E> {
    type Media = janus_async::MediaHandle<E::Runtime>;
    async fn media(handle: Self::Handle, options: MediaOptions) -> Result<Self::Media, Error> {
        janus_async::MediaHandle::new(handle, options).await
    }
}
