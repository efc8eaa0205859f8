# A peer that reaches every published port (validators, wallets' public and control ports) and
# sends them system messages (exit_msg with every reason, down_msg, errors, links), every internal
# atom, junk and forged responses changes nothing: every process stays up, payments go final both
# ways, balances and the supply are right, and `acfts audit` passes (issue 11, attack 1).
source "$(dirname "$0")/lib.sh"
ATTACKER=${3:?usage: hostile_peer_changes_nothing.sh ACFTS PROBE ATTACKER}
keygen
start_all
pay --wallet w0 --from a0 --to a4 --amount 10 >/dev/null || die "first payment failed"
# Bytes that are no request, and requests the wallet must refuse, even with the right token, get a
# clear error and change nothing; other shapes and tokens never pass.
out=$("$ATTACKER" bad-control --config "$CFG" --wallet w0) || die "a malformed command was accepted: $out"
note "$out"
expect_refusal() { echo "$out" | grep -q "^$1 .*$2" || die "unclear refusal of $1 (wanted $2): $out"; }
for cmd in junk empty unknown-tag truncated; do expect_refusal $cmd malformed_message; done
expect_refusal non-canonical non_canonical
for cmd in pay-zero hold-zero; do expect_refusal $cmd zero_payment; done
for cmd in pay-foreign split-foreign balance-foreign; do expect_refusal $cmd unknown_address; done
expect_refusal pay-too-much insufficient_funds
for cmd in await-unknown abandon-unknown export-unknown resend-unknown; do
  expect_refusal $cmd unknown_transaction
done
for cmd in pay-route pay-route-port resend-route; do expect_refusal $cmd "port\\|endpoint"; done
expect_refusal total-wrong-token unauthorized
for cmd in total-no-token old-pay route endpoints addresses; do expect_refusal $cmd timeout; done
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
