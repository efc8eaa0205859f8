# Crash torture: two streams of payments run while randomly chosen validators and wallets (payer
# and payee) are killed with SIGKILL and restarted; then every pending payment completes and
# `acfts audit` passes with the supply whole. v2 and v3 keep their locks in two lock shards
# each (`--lock-shards 2`), and v1's two lock shards and its verifier are processes of their
# own, killed like any node: a kill may fall between a shard's reservation and the signature,
# or while a verifier checks, and the audit holds every share against the shards' stores.
#   KILLS (default 6; the long run uses 100+) and SEED pick the schedule (the default kills w0,
#   v1's shard 1, v1's shard 0, v1, v3 and v1's verifier).
source "$(dirname "$0")/lib.sh"
KILLS=${KILLS:-6}
RANDOM=${SEED:-40}
declare -A vargs=([v0]="" [v1]="" [v2]="--lock-shards 2" [v3]="--lock-shards 2")
keygen
shards_as_processes v1
verifiers_as_processes v1 1
start_shard v1 0
start_shard v1 1
start_verifier v1 0
# shellcheck disable=SC2086
for v in v0 v1 v2 v3; do start validator $v ${vargs[$v]}; done
for w in w0 w1; do start wallet $w; done
wait_for "$WORK/w0.log" "connected to wallet w1"
wait_for "$WORK/w1.log" "connected to wallet w0"
pay --wallet w0 --from a0 --to a4 --amount 200 >/dev/null || die "funding payment failed"
eventually 10 total_is w1 200

stream w0 a0 a5 "$WORK/s0" & s0=$!
stream w1 a4 a2 "$WORK/s1" & s1=$!
nodes=(v0 v1 v2 v3 w0 w1 v1.s0 v1.s1 v1.v0)
for k in $(seq 1 "$KILLS"); do
  sleep "0.$((RANDOM % 5 + 2))"
  victim=${nodes[$((RANDOM % ${#nodes[@]}))]}
  kill9 "$victim"
  sleep "0.$((RANDOM % 4 + 1))"
  # shellcheck disable=SC2086
  if [[ $victim == *.s* ]]; then
    start_shard "${victim%.s*}" "${victim#*.s}"
  elif [[ $victim == *.v* ]]; then
    start_verifier "${victim%.v*}" "${victim#*.v}"
  elif [[ $victim == v* ]]; then
    start validator "$victim" ${vargs[$victim]}
  else
    start wallet "$victim"
  fi
  echo "$victim" >>"$WORK/kills"
done
# All nodes are up: pending payments complete and hand-offs arrive; the supply is whole again.
end_streams_and_stop
report=$("$ACFTS" audit --config "$CFG" --json) || die "audit failed: $report"
echo "$report" | grep -q '"pending":0' || die "payments still pending: $report"
note "kills: $(tr '\n' ' ' <"$WORK/kills")"
note "payments reported final: $final; audit: $report"
