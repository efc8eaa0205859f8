# Payment requests (issue 16, item 2): `acfts receive` prints a URI after BIP-21, and `acfts pay
# --to URI` pays it and hands the certified payment to the node the URI names — here a wallet
# that the payer's configuration does not list, and that is down when the payment is made: the
# hand-off completes once it comes up. Malformed URIs are refused with the reason.
source "$(dirname "$0")/lib.sh"
keygen
# w0 runs from a copy of the cluster file without w1 (it knows only the validators).
awk '/^\[\[wallets\]\]/ {flush(); keep = 1; buf = ""; inw = 1}
     inw {buf = buf $0 "\n"; if ($0 ~ /^name = .w1.$/) keep = 0; next}
     {print}
     function flush() { if (inw && keep) printf "%s", buf }
     END {flush()}' "$CFG" >"$WORK/w0only.toml"
grep -q "name = 'w1'" "$WORK/w0only.toml" && die "w1 is still in w0's file"
grep -q "name = 'w0'" "$WORK/w0only.toml" || die "w0 is missing from its file"
for v in v0 v1 v2 v3; do start validator $v; done
: >"$WORK/w0.log"
"$ACFTS" wallet --config "$WORK/w0only.toml" --name w0 --verbose >>"$WORK/w0.log" 2>&1 &
PIDS[w0]=$!
wait_for "$WORK/w0.log" "serving on"
uri=$("$ACFTS" receive --config "$CFG" --wallet w1 --amount 25) || die "receive failed"
note "w1's request: $uri"
echo "$uri" | grep -Eq '^acfts:[0-9a-f]{64}\?node=127\.0\.0\.1:[0-9]+&amount=25$' || die "bad URI: $uri"
"$ACFTS" receive --config "$CFG" --wallet w1 --qr | grep -q "█" || die "no QR code drawn"
# Refusals: not an address, a required parameter it does not know, an amount that differs.
w0pay() { "$ACFTS" pay --config "$WORK/w0only.toml" --wallet w0 "$@"; }
out=$(w0pay --to "acfts:1234?amount=5" 2>&1) && die "a bad address was paid"
echo "$out" | grep -q "64 hex digits" || die "unclear refusal: $out"
out=$(w0pay --to "$uri&req-refund=1" 2>&1) && die "an unknown required parameter was accepted"
echo "$out" | grep -q "req-refund" || die "unclear refusal: $out"
out=$(w0pay --to "$uri" --amount 26 2>&1) && die "an amount other than the URI's was paid"
echo "$out" | grep -q "differs" || die "unclear refusal: $out"
# w1 is down: the payment is final all the same (the validators sign), the hand-off waits.
tx=$(w0pay --to "$uri") || die "paying the URI failed: $tx"
start wallet w1
eventually 30 total_is w1 25
note "paid $tx to $uri; w1 holds $(total w1)"
grep -q "a payment is routed to 127.0.0.1" "$WORK/w0.log" || die "w0 did not log the URI's route"
# Scripts read JSON, errors included (with the stable code).
json=$("$ACFTS" receive --config "$CFG" --wallet w1 --amount 2 --json)
echo "$json" | grep -q '"uri":"acfts:' || die "receive --json: $json"
paid=$(w0pay --to "$(echo "$json" | sed 's/.*"uri":"\([^"]*\)".*/\1/')" --json) || die "pay --json failed"
echo "$paid" | grep -q '"status":"final"' || die "pay --json: $paid"
eventually 30 total_is w1 27
err=$(w0pay --to "acfts:zz" --json 2>/dev/null) && die "a bad URI was paid"
echo "$err" | grep -q '"error":{"code":"malformed_message"' || die "error not in JSON: $err"
# And back: w1 pays w0's request.
back=$("$ACFTS" receive --config "$CFG" --wallet w0 --address a1)
"$ACFTS" pay --config "$CFG" --wallet w1 --to "$back" --amount 5 >/dev/null || die "paying back failed"
eventually 10 total_is w1 22
[ "$(total w0)" = 999978 ] || die "w0 holds $(total w0)"
# History: what each wallet sent and received, kept across a restart.
h0=$("$ACFTS" history --config "$CFG" --wallet w0 --json)
echo "$h0" | grep -q "\"tx\":\"$tx\",\"direction\":\"sent\",\"counterparty\":\"[0-9a-f]*\",\"amount\":25,\"state\":\"final\"" \
  || die "w0's history lacks the URI payment: $h0"
h1=$("$ACFTS" history --config "$CFG" --wallet w1 --json)
echo "$h1" | grep -q "\"tx\":\"$tx\",\"direction\":\"received\"" || die "w1's history: $h1"
[ "$(echo "$h1" | grep -o '"direction"' | wc -l)" = 3 ] || die "w1 should have 3 lines: $h1"
kill -TERM "${PIDS[w1]}"; wait "${PIDS[w1]}" 2>/dev/null || true; unset "PIDS[w1]"
start wallet w1
[ "$("$ACFTS" history --config "$CFG" --wallet w1 --json)" = "$h1" ] || die "history changed on restart"
[ "$(total w1)" = 22 ] || die "w1 holds $(total w1) after a restart"
"$ACFTS" history --config "$CFG" --wallet w1 --limit 2 | tee "$WORK/h.txt"
[ "$(wc -l <"$WORK/h.txt")" = 2 ] || die "--limit 2 printed $(wc -l <"$WORK/h.txt") lines"
