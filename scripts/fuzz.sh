#!/usr/bin/env bash
# Runs every fuzz target for N minutes each (default 10), one at a time at
# the lowest priority, then minimises each corpus (edges only, so it stays
# a few hundred files) and prints a summary. Exits 1 if a target found a
# crash (the input is in fuzz/artifacts/<target>/; replay it with
# `cargo run -p janus-sim --example replay -- <target> <file>`).
#
#   bash scripts/fuzz.sh        # 10 minutes per target
#   bash scripts/fuzz.sh 1      # 1 minute per target
#   TARGETS="http" bash scripts/fuzz.sh 5
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain it
# sets RUSTC_BOOTSTRAP=1 for the sanitizer flags.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

minutes="${1:-10}"
targets="${TARGETS:-frames lifecycle http}"
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null 2>&1 || export PATH="$HOME/.cargo/bin:$PATH"
cargo fuzz build -O >/dev/null

status=0
summary=()
for t in $targets; do
  mkdir -p "corpus/$t" "artifacts/$t"
  before=$(ls "corpus/$t" | wc -l)
  log="$(mktemp)"
  echo "== $t: $minutes min"
  set +e
  nice -n 19 cargo fuzz run -O "$t" -- \
    -max_total_time=$((minutes * 60)) -rss_limit_mb=4096 -print_final_stats=1 \
    >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: [0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  if [ "$rc" -ne 0 ]; then
    status=1
    grep -E 'panicked|invariant|SUMMARY|Test unit written' "$log" | head -5
    result="FINDING (see fuzz/artifacts/$t)"
  else
    result="no finding"
  fi
  nice -n 19 cargo fuzz cmin -O "$t" -- -rss_limit_mb=4096 -use_counters=0 >/dev/null 2>&1 || true
  after=$(ls "corpus/$t" | wc -l)
  summary+=("$t: $minutes min, $runs execs, $rate execs/s, $cov edges, corpus $before -> $after files: $result")
  rm -f "$log"
done
echo
printf '%s\n' "${summary[@]}"
exit "$status"
