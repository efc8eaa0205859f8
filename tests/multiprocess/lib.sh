# Shared by the multi-process tests: a fresh cluster on free loopback ports, node start/kill,
# balance reading. Every process a test starts is killed when the test exits.
set -euo pipefail

ACFTS=${1:?usage: test.sh ACFTS_BINARY [PROBE_BINARY]}
PROBE=${2:-}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/acfts-mp-XXXXXX")
CFG="$WORK/cluster.toml"
declare -A PIDS=()

cleanup() {
  local rc=$?
  for name in "${!PIDS[@]}"; do kill -9 "${PIDS[$name]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ $rc -ne 0 ]; then
    echo "--- logs ($WORK) ---"
    for f in "$WORK"/*.log; do [ -f "$f" ] && { echo "== $f"; tail -20 "$f"; }; done
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT

die() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "-- $*"; }

keygen() { "$ACFTS" keygen --out "$WORK" --base-port 0 "$@" >/dev/null; }

# wait_for FILE PATTERN [SECONDS]: until a line of FILE matches.
wait_for() {
  local deadline=$((SECONDS + ${3:-20}))
  until grep -q "$2" "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "timed out waiting for '$2' in $1"
    sleep 0.05
  done
}

# start KIND NAME [ARGS...]: starts a validator or wallet node and waits until it serves.
start() {
  local kind=$1 name=$2
  shift 2
  # Empty the log here, not in the background job: otherwise wait_for may still see the last
  # run's "serving on" (a restart after kill -9) and return before the new process listens.
  : >"$WORK/$name.log"
  "$ACFTS" "$kind" --config "$CFG" --name "$name" --verbose "$@" >>"$WORK/$name.log" 2>&1 &
  PIDS[$name]=$!
  wait_for "$WORK/$name.log" "serving on"
}

# add_parts V KEY N: validator V's entry gets KEY = N free loopback "host:port"s (lock_shards or
# verifiers: parts as processes of their own) and the part key file, if it has none yet.
add_parts() {
  python3 - "$CFG" "$1" "$2" "$3" <<'PY'
import socket, sys
path, name, key, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
text = open(path).read()
held = []  # kept bound until every port is picked, so that none is picked twice
for _ in range(n):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    held.append(s)
line = "name = '%s'\n" % name
assert text.count(line) == 1
extra = "%s = [%s]\n" % (key, ", ".join("'127.0.0.1:%d'" % s.getsockname()[1] for s in held))
if "part_key_file = 'keys/%s.parts.key'" % name not in text:
    extra += "part_key_file = 'keys/%s.parts.key'\n" % name
open(path, "w").write(text.replace(line, line + extra))
PY
}

# shards_as_processes V...: each validator V gets two lock shards as processes of their own, to
# be started with start_shard before V.
shards_as_processes() {
  for v in "$@"; do add_parts "$v" lock_shards 2; done
}

# verifiers_as_processes V N: validator V gets N verifiers as processes of their own, to be
# started with start_verifier before V.
verifiers_as_processes() {
  add_parts "$1" verifiers "$2"
}

# start_verifier V K: verifier K of validator V as a process (`--part verifier:K`), logged as V.vK.
start_verifier() {
  : >"$WORK/$1.v$2.log"
  "$ACFTS" validator --config "$CFG" --name "$1" --part "verifier:$2" --verbose >>"$WORK/$1.v$2.log" 2>&1 &
  PIDS[$1.v$2]=$!
  wait_for "$WORK/$1.v$2.log" "serving on"
}

# start_shard V K: lock shard K of validator V as a process (`--part shard:K`), logged as V.sK.
start_shard() {
  : >"$WORK/$1.s$2.log"
  "$ACFTS" validator --config "$CFG" --name "$1" --part "shard:$2" --verbose >>"$WORK/$1.s$2.log" 2>&1 &
  PIDS[$1.s$2]=$!
  wait_for "$WORK/$1.s$2.log" "serving on"
}

# start_wallet NAME FILE: a wallet node from its own file (wallet init's, or keygen's w0.toml).
start_wallet() {
  : >"$WORK/$1.log"
  "$ACFTS" wallet --config "$2" --verbose >>"$WORK/$1.log" 2>&1 &
  PIDS[$1]=$!
  wait_for "$WORK/$1.log" "serving on"
}

stop_wallet() {
  kill -TERM "${PIDS[$1]}"; wait "${PIDS[$1]}" 2>/dev/null || true; unset "PIDS[$1]"
}

kill9() {
  kill -9 "${PIDS[$1]}" 2>/dev/null || true
  wait "${PIDS[$1]}" 2>/dev/null || true
  unset "PIDS[$1]"
}

start_all() {
  for v in v0 v1 v2 v3; do start validator $v; done
  for w in w0 w1; do start wallet $w; done
  # Both wallets reach every validator and each other.
  wait_for "$WORK/w0.log" "connected to wallet w1"
  wait_for "$WORK/w1.log" "connected to wallet w0"
}

pay() { "$ACFTS" pay --config "$CFG" "$@"; }

# start_on_own_files: a fresh cluster whose wallets run from their own wallet files, $W0 and $W1
# (the quickstart's layout: neither file knows the other wallet).
start_on_own_files() {
  keygen
  for v in v0 v1 v2 v3; do start validator $v; done
  W0="$WORK/w0.toml" W1="$WORK/w1.toml"
  start_wallet w0 "$W0"
  start_wallet w1 "$W1"
}

# file_total FILE: the total of the wallet of a wallet file; file_total_is FILE UNITS.
file_total() { "$ACFTS" balance --config "$1" --json | grep -o '"total":[0-9]*' | cut -d: -f2; }
file_total_is() { [ "$(file_total "$1")" = "$2" ]; }

total() {
  "$ACFTS" balance --config "$CFG" --wallet "$1" --json | grep -o '"total":[0-9]*' | cut -d: -f2
}

supply() { echo $(( $(total w0) + $(total w1) )); }

# eventually SECONDS COMMAND...: retries COMMAND until it succeeds.
eventually() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || die "never true: $*"
    sleep 0.1
  done
}

total_is() { [ "$(total "$1")" = "$2" ]; }

# stream WALLET FROM TO LOGFILE: pays 1 unit again and again until $WORK/stop exists, writing
# "final" or "other" per payment to LOGFILE (the tortures' background traffic).
stream() {
  while [ ! -f "$WORK/stop" ]; do
    if pay --wallet "$1" --from "$2" --to "$3" --amount 1 --timeout 5 >/dev/null 2>&1; then
      echo final >>"$4"
    else
      echo other >>"$4"; sleep 0.05
    fi
  done
}

# start_funded_cluster: a fresh cluster, every node up, and 200 units at a4 (w1) so that both
# wallets can pay.
start_funded_cluster() {
  keygen
  start_all
  pay --wallet w0 --from a0 --to a4 --amount 200 >/dev/null || die "funding payment failed"
  eventually 10 total_is w1 200
}

# end_streams_and_stop: stops the streams (pids $s0 $s1), counts their final payments into
# $final, waits until the supply is whole again (pending payments complete, hand-offs arrive),
# then stops every node (SIGTERM) so that the stores can be audited.
end_streams_and_stop() {
  touch "$WORK/stop"
  wait "$s0" "$s1" || true
  final=$(( $(grep -c final "$WORK/s0" || true) + $(grep -c final "$WORK/s1" || true) ))
  settled() { [ "$(supply)" = 1000000 ]; }
  eventually 30 settled
  sleep 1.5 # the retry interval: let any last hand-off land
  for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}"; done
  wait 2>/dev/null || true
  PIDS=()
}
