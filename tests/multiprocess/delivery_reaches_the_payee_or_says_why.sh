# A payment that says "final" reaches its payee or says why (issue 22). Nodes run from their own
# wallet files (the quickstart's layout): w0's file does not know w1.
#  1. Paying by name with a file that knows the payee's endpoint delivers (before: final, never
#     delivered, without a word).
#  2. A hostile payment request (w1's address with another node= — here a validator's port, then
#     w0's own) does not re-route later payments: the correct URI after it is delivered, and the
#     misrouted one is reported undelivered with its route and error, then redirected with
#     `tx resend --to` (before: the last node= won for the address, and every later payment was
#     final and lost to the payee until the payer restarted).
#  3. A payee that is down while paid, and a payer restarted meanwhile: the route is kept with the
#     payment, and the payee is paid once it is up (before: the route lived in memory only).
source "$(dirname "$0")/lib.sh"
start_on_own_files

# 1. By name, from the cluster file that names both wallets; w0's own file knows no w1.
tx=$("$ACFTS" pay --config "$CFG" --wallet w0 --to a4 --amount 7 2>"$WORK/pay.err") || die "pay by name failed: $tx"
grep -q "final, delivered" "$WORK/pay.err" || die "pay did not say delivered: $(cat "$WORK/pay.err")"
eventually 20 file_total_is "$W1" 7
st=$("$ACFTS" tx status --config "$W0" "$tx" --json)
echo "$st" | grep -q '"delivery":"delivered"' || die "tx status: $st"
note "paid a4 by name: delivered"

# 2. A correct request, a hostile one, the correct one again.
good=$("$ACFTS" receive --config "$W1" --amount 10)
payee=$(echo "$good" | sed 's/^acfts:\([0-9a-f]*\)?.*/\1/')
v0port=$(grep -A3 "name = 'v0'" "$CFG" | grep '^port' | cut -d' ' -f3)
w0port=$(grep '^port' "$W0" | cut -d' ' -f3)
"$ACFTS" pay --config "$W0" --to "$good" >/dev/null 2>&1 || die "paying the correct URI failed"
eventually 20 file_total_is "$W1" 17
evil=$("$ACFTS" pay --config "$W0" --to "acfts:$payee?node=127.0.0.1:$v0port&amount=11" --json 2>/dev/null) \
  || die "paying the hostile URI failed: $evil"
evil_tx=$(echo "$evil" | sed 's/.*"tx":"\([0-9a-f]*\)".*/\1/')
echo "$evil" | grep -q '"delivery":"undelivered"' || die "a misrouted payment was reported delivered: $evil"
echo "$evil" | grep -q "\"endpoint\":\"127.0.0.1:$v0port\"" || die "the route is not named: $evil"
"$ACFTS" pay --config "$W0" --to "acfts:$payee?node=127.0.0.1:$w0port&amount=12" >/dev/null 2>&1 \
  || die "paying the second hostile URI failed"
"$ACFTS" pay --config "$W0" --to "$good" --json >"$WORK/again.json" 2>/dev/null || die "paying the correct URI again failed"
grep -q '"delivery":"delivered"' "$WORK/again.json" || die "the correct URI after a hostile one: $(cat "$WORK/again.json")"
eventually 20 file_total_is "$W1" 27
note "after two hostile requests the correct one was delivered; w1 holds $(file_total "$W1")"
list=$("$ACFTS" tx undelivered --config "$W0" --json) && die "undelivered payments listed with exit 0"
[ "$(echo "$list" | grep -o '"tx"' | wc -l)" = 2 ] || die "tx undelivered: $list"
echo "$list" | grep -q "\"tx\":\"$evil_tx\"" || die "tx undelivered lacks $evil_tx: $list"
"$ACFTS" tx status --config "$W0" "$evil_tx" | grep -q "final: .*not yet delivered: .*127.0.0.1:$v0port" \
  || die "tx status does not say where it is stuck: $("$ACFTS" tx status --config "$W0" "$evil_tx")"
"$ACFTS" history --config "$W0" | grep -q "final, undelivered" || die "history does not show the undelivered payment"
# The misrouted ones are redirected to the payee's real node.
"$ACFTS" tx resend "$evil_tx" --config "$W0" --to "$good" | grep -q "^delivered" || die "tx resend --to did not deliver"
eventually 20 file_total_is "$W1" 38
for t in $("$ACFTS" tx undelivered --config "$W0" --json | grep -o '"tx":"[0-9a-f]*"' | cut -d'"' -f4); do
  "$ACFTS" tx resend "$t" --config "$W0" --to "$good" >/dev/null || die "tx resend $t"
done
eventually 20 file_total_is "$W1" 50
"$ACFTS" tx undelivered --config "$W0" >/dev/null || die "hand-offs still undelivered after resend"
note "all four URI payments delivered, two after a redirect"

# 3. w1 down while paid, w0 restarted before w1 comes back.
stop_wallet w1
uri=$("$ACFTS" receive --config "$W1" --amount 5)
out=$("$ACFTS" pay --config "$W0" --to "$uri" 2>&1 >/dev/null) || die "paying a payee that is down failed"
echo "$out" | grep -q "not yet delivered" || die "pay did not say the payee was not reached: $out"
stop_wallet w0
start_wallet w0 "$W0"
start_wallet w1 "$W1"
eventually 30 file_total_is "$W1" 55
note "a payee down during the payment and a payer restart: delivered once both were up"
