# A payment that cannot go final yet has a name: `acfts pay` reports pending with the transaction
# hash, `acfts tx status` says pending (who signed), then final (the certificate's signers) once
# validators return; a pay whose wallet node is killed and restarted while it waits is answered
# by the restarted node (issue 12, item 5).
source "$(dirname "$0")/lib.sh"
keygen
for v in v0 v1 v2; do start validator $v; done
for w in w0 w1; do start wallet $w; done
wait_for "$WORK/w0.log" "connected to wallet w1"
pay --wallet w0 --from a0 --to a1 --amount 100 >/dev/null || die "set-up payment failed"
kill9 v2 # 2 of 4 left: below the quorum of 3
set +e
tx=$(pay --wallet w0 --from a0 --to a4 --amount 7 --timeout 2 2>"$WORK/pay.err")
rc=$?
set -e
[ $rc = 3 ] || die "pay should report pending (exit 3), got $rc: $(cat "$WORK/pay.err")"
[[ $tx =~ ^[0-9a-f]{64}$ ]] || die "pending pay printed '$tx', not a transaction hash"
grep -q "pending: payment $tx" "$WORK/pay.err" || die "stderr does not name $tx: $(cat "$WORK/pay.err")"
set +e
status=$("$ACFTS" tx status --config "$CFG" --wallet w0 "$tx" --json)
rc=$?
set -e
[ $rc = 3 ] || die "tx status of a pending payment should exit 3, got $rc: $status"
echo "$status" | grep -q '"status":"pending"' || die "not pending: $status"
note "$status"
# The wallet node dies while a client waits; validators return; the restarted node answers.
pay --wallet w0 --from a1 --to a5 --amount 3 --timeout 40 >"$WORK/second" 2>"$WORK/second.err" &
waiter=$!
sleep 1
kill9 w0
start validator v2
start wallet w0
wait $waiter || die "the waiting pay did not go final: $(cat "$WORK/second.err")"
second=$(cat "$WORK/second")
[[ $second =~ ^[0-9a-f]{64}$ ]] || die "the waiting pay printed '$second'"
eventually 20 bash -c "'$ACFTS' tx status --config '$CFG' --wallet w0 $tx >/dev/null"
status=$("$ACFTS" tx status --config "$CFG" --wallet w0 "$tx" --json)
echo "$status" | grep -q '"status":"final"' || die "not final: $status"
echo "$status" | grep -q '"signers":\["v0","v1","v2"\]' || die "signers: $status"
note "$status"
set +e
"$ACFTS" tx status --config "$CFG" --wallet w0 "$(printf '%064d' 0)" >/dev/null
rc=$?
set -e
[ $rc = 4 ] || die "an unknown transaction should exit 4, got $rc"
eventually 20 total_is w1 10
