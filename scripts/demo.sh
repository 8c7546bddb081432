#!/usr/bin/env bash
# The demo: installs Janus 1.1.2 (Debian's package) if missing, starts a
# private Janus on loopback ports, and walks a full session lifecycle with
# the blocking adapter over WebSocket and HTTP, printing each step.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v janus >/dev/null 2>&1; then
  echo "janus not found: installing it (apt-get update && apt-get install -y janus)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq janus >/dev/null
fi

cargo run -q -p janus-tests --example demo
