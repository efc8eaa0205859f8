#!/usr/bin/env bash
# The validator layouts of bench/RESULTS.md: each V,S of --validator-parts in turn, the whole
# sequence ROUNDS times (default 2), so that every layout sees the machine's state of the moment.
#   bash bench/parts_layouts.sh [ACFTS]
#     the whole network ("Verifiers and lock shards as processes"): S1 payments/s and the CPU
#     line of each row;
#   bash bench/parts_layouts.sh --validator-only [ACFTS]
#     one validator alone ("One validator as parts, alone"): requests/s with 0…4 verifiers and
#     0, 2…4 lock shards as processes, and each kind's CPU per request.
# (ACFTS defaults to build/nodes/acfts.)
set -euo pipefail
alone=false
if [ "${1:-}" = --validator-only ]; then
  alone=true
  shift
fi
ACFTS=${1:-build/nodes/acfts}
for round in $(seq 1 "${ROUNDS:-2}"); do
  if $alone; then
    for shards in 0 2 3 4; do
      for verifiers in 0 1 2 3 4; do
        echo "== $verifiers,$shards round $round"
        "$ACFTS" bench --validator-only --requests 20000 --workers 2 --shares pooled \
          --validator-parts "$verifiers,$shards" 2>&1 | tail -1
      done
    done
    continue
  fi
  for parts in 0,0 1,0 2,0 4,0 0,2 1,2 2,2 0,4; do
    echo "== $parts round $round"
    "$ACFTS" bench --distributed --scenario S1 --trials 4000 --mode concurrent \
      --validator-parts "$parts" 2>&1 | grep -A2 "^scen" | tail -2
  done
done
