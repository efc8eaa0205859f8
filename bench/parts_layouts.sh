#!/usr/bin/env bash
# The validator layouts of bench/RESULTS.md ("Verifiers and lock shards as processes"): each
# V,S of --validator-parts in turn, the whole sequence ROUNDS times (default 2), so that every
# layout sees the machine's state of the moment. Prints each row and its CPU line.
#   bash bench/parts_layouts.sh [ACFTS]   (default: build/nodes/acfts)
set -euo pipefail
ACFTS=${1:-build/nodes/acfts}
for round in $(seq 1 "${ROUNDS:-2}"); do
  for parts in 0,0 1,0 2,0 4,0 0,2 1,2 2,2 0,4; do
    echo "== $parts round $round"
    "$ACFTS" bench --distributed --scenario S1 --trials 4000 --mode concurrent \
      --validator-parts "$parts" 2>&1 | grep -A2 "^scen" | tail -2
  done
done
