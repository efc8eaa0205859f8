# A peer that reaches every published port (validators, wallets' public and control ports) and
# sends them system messages (exit_msg with every reason, down_msg, errors, links), every internal
# atom, junk and forged responses changes nothing: every process stays up, payments go final both
# ways, balances and the supply are right, and `acfts audit` passes (issue 11, attack 1).
source "$(dirname "$0")/lib.sh"
ATTACKER=${3:?usage: hostile_peer_changes_nothing.sh ACFTS PROBE ATTACKER}
keygen
start_all
pay --wallet w0 --from a0 --to a4 --amount 10 >/dev/null || die "first payment failed"
# Malformed addresses and hashes, even with the right token, get a clear error and change nothing.
out=$("$ATTACKER" bad-control --config "$CFG" --wallet w0) || die "a malformed command was accepted: $out"
note "$out"
for cmd in pay-from pay-to submit split balance; do
  echo "$out" | grep -q "^$cmd .*unknown_address" || die "unclear refusal of $cmd: $out"
done
for cmd in await status; do
  echo "$out" | grep -q "^$cmd .*malformed_message" || die "unclear refusal of $cmd: $out"
done
out=$("$ATTACKER" barrage --config "$CFG") || die "attacker failed: $out"
note "$out"
sleep 1
for name in "${!PIDS[@]}"; do kill -0 "${PIDS[$name]}" 2>/dev/null || die "$name died"; done
for amount in 1 2 3; do
  pay --wallet w0 --from a0 --to a4 --amount $amount --timeout 10 >/dev/null \
    || die "payment of $amount after the attack failed"
done
pay --wallet w1 --from a4 --to a1 --amount 5 --timeout 10 >/dev/null || die "pay back failed"
eventually 10 total_is w1 11
[ "$(supply)" = 1000000 ] || die "supply is $(supply)"
# A second barrage while payments are in flight.
pay --wallet w0 --from a0 --to a5 --amount 1 --count 50 >"$WORK/stream" 2>&1 &
stream=$!
"$ATTACKER" barrage --config "$CFG" >/dev/null || die "second barrage failed"
wait $stream || die "payments during the attack failed: $(cat "$WORK/stream")"
eventually 10 total_is w1 61
for name in "${!PIDS[@]}"; do kill -0 "${PIDS[$name]}" 2>/dev/null || die "$name died"; done
for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}"; done
wait 2>/dev/null || true
PIDS=()
report=$("$ACFTS" audit --config "$CFG" --json) || die "audit failed: $report"
note "audit: $report"
