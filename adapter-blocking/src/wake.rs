//! Waiting on a socket, a doorbell and a deadline at once.
//!
//! Commands reach the background thread through an mpsc channel; while that
//! thread sleeps in `poll(2)` on its WebSocket, a command's sender also rings
//! a doorbell (one end of a Unix socket pair) so the thread wakes at once.
//! Elsewhere than Unix the thread wakes every few milliseconds instead.

use crate::link::Socket;
use std::time::Duration;

#[cfg(unix)]
mod imp {
    use super::*;
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;
    use std::sync::Arc;

    /// The sending side: rung after every command.
    #[derive(Clone, Debug)]
    pub(crate) struct Ringer(Arc<UnixStream>);

    /// The receiving side, owned by the background thread.
    #[derive(Debug)]
    pub(crate) struct Bell(UnixStream);

    pub(crate) fn doorbell() -> std::io::Result<(Ringer, Bell)> {
        let (tx, rx) = UnixStream::pair()?;
        tx.set_nonblocking(true)?;
        rx.set_nonblocking(true)?;
        Ok((Ringer(Arc::new(tx)), Bell(rx)))
    }

    impl Ringer {
        pub(crate) fn ring(&self) {
            // A full buffer means the bell is already ringing.
            let _ = (&*self.0).write(&[1]);
        }
    }

    impl Bell {
        /// Sleeps until the socket is readable (or writable, if `write`),
        /// the bell rings, or `timeout` passes; then silences the bell.
        pub(crate) fn wait(&mut self, socket: &Socket, write: bool, timeout: Option<Duration>) {
            if let Some(fd) = socket.fd() {
                self.wait_fd(&fd, write, timeout);
            }
        }

        /// [`wait`](Self::wait) on any file descriptor. Gives whether it is
        /// ready (or may be: a failed poll says yes).
        pub(crate) fn wait_fd(
            &mut self,
            socket: &impl std::os::fd::AsFd,
            write: bool,
            timeout: Option<Duration>,
        ) -> bool {
            let mut flags = PollFlags::IN;
            if write {
                flags |= PollFlags::OUT;
            }
            let timeout = timeout.and_then(|t| Timespec::try_from(t).ok());
            let mut fds = [
                PollFd::new(&socket, flags),
                PollFd::new(&self.0, PollFlags::IN),
            ];
            // EINTR and the like only mean "look again".
            if poll(&mut fds, timeout.as_ref()).is_err() {
                return true;
            }
            let (socket_ready, rung) = (!fds[0].revents().is_empty(), !fds[1].revents().is_empty());
            if rung {
                let mut buf = [0u8; 64];
                while matches!(self.0.read(&mut buf), Ok(n) if n > 0) {}
            }
            socket_ready
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use super::*;

    /// The sending side (a no-op here).
    #[derive(Clone, Debug)]
    pub(crate) struct Ringer;

    /// The receiving side: a short sleep stands for the wait.
    #[derive(Debug)]
    pub(crate) struct Bell;

    pub(crate) fn doorbell() -> std::io::Result<(Ringer, Bell)> {
        Ok((Ringer, Bell))
    }

    impl Ringer {
        pub(crate) fn ring(&self) {}
    }

    impl Bell {
        pub(crate) fn wait(&mut self, socket: &Socket, write: bool, timeout: Option<Duration>) {
            self.wait_fd(socket, write, timeout);
        }

        pub(crate) fn wait_fd(
            &mut self,
            _socket: &impl Sized,
            _write: bool,
            timeout: Option<Duration>,
        ) -> bool {
            let tick = Duration::from_millis(5);
            std::thread::sleep(timeout.map_or(tick, |t| t.min(tick)));
            true
        }
    }
}

pub(crate) use imp::{doorbell, Bell, Ringer};
