#!/usr/bin/env bash
# Payments across processes on loopback: 4 validator nodes and 2 wallet nodes started from a fresh
# cluster.toml, then `acfts pay --count N` (one payment at a time, each final before the next).
#   bash bench/distributed_pay.sh [N]      (default 1000; build first with scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ACFTS=./build/nodes/acfts
N=${1:-1000}
WORK=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
"$ACFTS" keygen --out "$WORK" --base-port 0 >/dev/null
for v in v0 v1 v2 v3; do "$ACFTS" validator --config "$WORK/cluster.toml" --name $v >"$WORK/$v.log" 2>&1 & pids+=($!); done
for w in w0 w1; do "$ACFTS" wallet --config "$WORK/cluster.toml" --name $w -v >"$WORK/$w.log" 2>&1 & pids+=($!); done
for i in $(seq 100); do grep -q "connected to wallet w1" "$WORK/w0.log" 2>/dev/null && break; sleep 0.1; done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r)"
echo "command: bash bench/distributed_pay.sh $N"
"$ACFTS" pay --config "$WORK/cluster.toml" --wallet w0 --from a0 --to a4 --amount 1 --count "$N"
"$ACFTS" balance --config "$WORK/cluster.toml" --wallet w1 --json
