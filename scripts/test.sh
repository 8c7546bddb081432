#!/usr/bin/env bash
# Runs every check: installs Janus 1.1.2 (Debian's package) if missing, then
# formatting, clippy with warnings denied, the docs (broken links are errors),
# and the whole test suite, whose
# integration tests start their own private Janus servers on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

# Janus for the real-server tests; ffmpeg (ffprobe) makes and checks the
# media tests' files; iproute2 and util-linux's unshare build their private
# network namespace.
missing=()
command -v janus >/dev/null 2>&1 || missing+=(janus)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
# A private RabbitMQ node (never the system service) for the AMQP tests.
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
if ((${#missing[@]})); then
  echo "installing ${missing[*]} (apt-get update && apt-get install -y ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  # The tests start private servers; the packages' system services stay off.
  no_services=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    no_services=1
  fi
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  if [ "$no_services" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
fi
# janus exits 1 after printing its version, so ask the package manager.
echo "using $(command -v janus): $(dpkg-query -W -f='${Package} ${Version}' janus 2>/dev/null || echo 'janus (not from a Debian package)')"

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
cargo test --workspace
