#!/usr/bin/env bash
# Draws `acfts bench --json` reports as SVG charts (gnuplot and jq from Debian, installed here
# when missing):
#   scripts/plot-bench.sh SCENARIOS.json TRIALS.json OUT_DIR
# SCENARIOS.json: `acfts bench --scenario all --mode concurrent --shares both --json ...`:
#   OUT_DIR/scenarios.svg, payments/s per scenario, single vs pooled shares, with the
#   signature-bound and the per-payment limits as lines.
# TRIALS.json: `acfts bench --scenario S1 --trials 10,100,1000,10000,100000 --shares both ...`:
#   OUT_DIR/trials.svg, speed against trials, single vs pooled.
set -euo pipefail
scenarios=${1:?usage: plot-bench.sh SCENARIOS.json TRIALS.json OUT_DIR}
trials=${2:?usage: plot-bench.sh SCENARIOS.json TRIALS.json OUT_DIR}
out=${3:?usage: plot-bench.sh SCENARIOS.json TRIALS.json OUT_DIR}
missing=()
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
command -v jq >/dev/null || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# scenario, single tx/s, pooled tx/s (concurrent rows of single-key payers, largest trials).
jq -r '
  [.results[] | select(.mode == "concurrent" and (.payer // "key") == "key")] as $rows
  | ($rows | map(.trials) | max) as $t
  | [$rows[] | select(.trials == $t)] | group_by(.scenario)[]
  | [.[0].scenario,
     (map(select(.shares == "single"))[0].tx_per_s // 0),
     (map(select(.shares == "pooled"))[0].tx_per_s // 0)] | @tsv' "$scenarios" >"$tmp/scen.tsv"
limit=$(jq '.crypto_limit_tx_per_s' "$scenarios")
pp_limit=$(jq '.per_payment_limit_tx_per_s' "$scenarios")
machine=$(jq -r '"\(.machine.cpu), \(.machine.cores) cores"' "$scenarios")
gnuplot <<GP
set terminal svg size 760,460 font "sans,11"
set output "$out/scenarios.svg"
set title "acfts bench, concurrent, 1 unit per payment ($machine)"
set ylabel "payments/s"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:*]
set key outside bottom center horizontal
set grid ytics
plot "$tmp/scen.tsv" using 2:xtic(1) title "single shares" lc rgb "#7f7f7f", \
     "" using 3 title "pooled shares" lc rgb "#1f77b4", \
     $limit with lines lw 2 dt 2 lc rgb "#d62728" title "signature-bound limit (single)", \
     $pp_limit with lines lw 2 dt 3 lc rgb "#2ca02c" title "per-payment limit"
GP

# trials, single tx/s, pooled tx/s
jq -r '
  [.results[] | select(.scenario == "S1")] | group_by(.trials)[]
  | [.[0].trials,
     (map(select(.shares == "single"))[0].tx_per_s // 0),
     (map(select(.shares == "pooled"))[0].tx_per_s // 0)] | @tsv' "$trials" >"$tmp/trials.tsv"
machine=$(jq -r '"\(.machine.cpu), \(.machine.cores) cores"' "$trials")
gnuplot <<GP
set terminal svg size 760,420 font "sans,11"
set output "$out/trials.svg"
set title "S1 concurrent: speed against trials ($machine)"
set xlabel "trials"
set ylabel "payments/s"
set logscale x
set yrange [0:*]
set key top left
set grid
plot "$tmp/trials.tsv" using 1:2 with linespoints lw 2 pt 7 lc rgb "#7f7f7f" title "single shares", \
     "" using 1:3 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "pooled shares"
GP
echo "wrote $out/scenarios.svg and $out/trials.svg"
