#!/usr/bin/env bash
# The verifier stage given more cores, on a machine that has too few to give: one validator alone
# (`acfts bench --validator-only --validator-parts V,0`) with each of its V verifier processes
# held to QUOTA of a core by a CPU cgroup of its own, for V = 1, 2, 4 in turn, the sequence
# ROUNDS times. The verifiers together are given V × QUOTA cores; the validator's process and
# the driver keep the rest. (bench/RESULTS.md, "The verifier stage given cores".)
#   sudo bash bench/verifier_scaling.sh [ACFTS]     QUOTA=0.2 ROUNDS=2 REQUESTS=12000 by default
# Needs root and the cgroup v1 cpu controller (/sys/fs/cgroup/cpu); opt-in, never run by ctest.
set -euo pipefail
ACFTS=${1:-build/nodes/acfts}
QUOTA=${QUOTA:-0.2}
ROUNDS=${ROUNDS:-2}
REQUESTS=${REQUESTS:-12000}
ROOT=/sys/fs/cgroup/cpu
[ -w "$ROOT" ] || { echo "verifier_scaling: needs root and a writable $ROOT" >&2; exit 2; }
CG=$ROOT/acfts-verifiers-$$
period=100000
quota=$(python3 -c "print(int($QUOTA * $period))")
cleanup() {
  for k in 0 1 2 3; do
    [ -d "$CG/v$k" ] || continue
    # Processes left in a group (none once the bench has stopped its parts) go back to the root.
    while read -r pid; do echo "$pid" > "$ROOT/cgroup.procs" 2>/dev/null || true; done \
      < "$CG/v$k/cgroup.procs"
    rmdir "$CG/v$k" 2>/dev/null || true
  done
  rmdir "$CG" 2>/dev/null || true
  rm -f "$out"
}
out=$(mktemp)
trap cleanup EXIT
mkdir "$CG"
for k in 0 1 2 3; do
  mkdir "$CG/v$k"
  echo "$period" > "$CG/v$k/cpu.cfs_period_us"
  echo "$quota" > "$CG/v$k/cpu.cfs_quota_us"
done

# While the bench with pid $1 runs, moves each verifier process it started into the group of its
# index as soon as it exists (the bench waits for every part to say "serving on" before it signs
# its requests and starts the clock). Only the bench's own children: never another node's parts.
hold_verifiers_of() {
  local bench=$1 held=" "
  while kill -0 "$bench" 2>/dev/null; do
    for pid in $(pgrep -P "$bench" -f -- "--part verifier:" || true); do
      case "$held" in *" $pid "*) continue ;; esac
      k=$( (tr '\0' ' ' < "/proc/$pid/cmdline") 2>/dev/null \
        | sed -n 's/.*--part verifier:\([0-9]*\).*/\1/p' || true)
      if [ -n "$k" ] && [ -d "$CG/v$k" ] && echo "$pid" > "$CG/v$k/cgroup.procs" 2>/dev/null; then
        held="$held$pid "
        echo "held verifier:$k ($pid)"
      fi
    done
    sleep 0.02
  done
}

echo "each verifier held to $QUOTA of a core; $REQUESTS requests per row; $(nproc) cores"
for round in $(seq 1 "$ROUNDS"); do
  for verifiers in 1 2 4; do
    echo "== $verifiers verifiers, round $round"
    "$ACFTS" bench --validator-only --requests "$REQUESTS" --workers 2 --shares pooled \
      --validator-parts "$verifiers,0" > "$out" 2>&1 &
    bench=$!
    hold_verifiers_of "$bench"
    wait "$bench" || { cat "$out"; exit 1; }
    tail -1 "$out"
    for k in $(seq 0 $((verifiers - 1))); do
      echo "verifier:$k throttled $(awk '/^nr_throttled/ {print $2}' "$CG/v$k/cpu.stat") periods so far"
    done
  done
done
