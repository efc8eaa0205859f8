# Crash torture: two streams of payments run while randomly chosen validators and wallets (payer
# and payee) are killed with SIGKILL and restarted; then every pending payment completes and
# `acfts audit` passes with the supply whole.
#   KILLS (default 6; the long run uses 100+) and SEED pick the schedule.
source "$(dirname "$0")/lib.sh"
KILLS=${KILLS:-6}
RANDOM=${SEED:-7}
start_funded_cluster

stream w0 a0 a5 "$WORK/s0" & s0=$!
stream w1 a4 a2 "$WORK/s1" & s1=$!
nodes=(v0 v1 v2 v3 w0 w1)
for k in $(seq 1 "$KILLS"); do
  sleep "0.$((RANDOM % 5 + 2))"
  victim=${nodes[$((RANDOM % ${#nodes[@]}))]}
  kill9 "$victim"
  sleep "0.$((RANDOM % 4 + 1))"
  if [[ $victim == v* ]]; then start validator "$victim"; else start wallet "$victim"; fi
  echo "$victim" >>"$WORK/kills"
done
# All nodes are up: pending payments complete and hand-offs arrive; the supply is whole again.
end_streams_and_stop
report=$("$ACFTS" audit --config "$CFG" --json) || die "audit failed: $report"
echo "$report" | grep -q '"pending":0' || die "payments still pending: $report"
note "kills: $(tr '\n' ' ' <"$WORK/kills")"
note "payments reported final: $final; audit: $report"
