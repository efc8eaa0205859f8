# A co-signed payment closes its loop (issue 22, item 3). Nodes run from their own wallet files:
# w0 and w1 do not know each other. w0 makes a transaction file for its 2-of-3 address, two keys
# sign it offline, w1 submits it. The file names its creator's node, so w1 hands the certificate
# to w0 too: w0's held request becomes final, the input leaves its balance, the change arrives,
# `tx abandon` is refused and the change can be spent. w1's history shows its own side (received
# 300), not "sent" (before: w0 stayed held with the spent input counted, abandon was accepted and
# the next spend failed with payment_conflict; w1's history said "sent 700").
source "$(dirname "$0")/lib.sh"
start_on_own_files
ed=$("$ACFTS" key new --scheme ed25519 --out "$WORK/ed.key")
secp=$("$ACFTS" key new --scheme secp256k1 --out "$WORK/secp.key")
p256=$("$ACFTS" key new --scheme p256 --out "$WORK/p256.key")
"$ACFTS" address new --config "$W0" --name shared --policy "thresh(2, $ed, $secp, $p256)" >/dev/null
"$ACFTS" pay --config "$W0" --from a0 --to shared --amount 1000 >/dev/null 2>&1 || die "funding the policy failed"
payee=$("$ACFTS" receive --config "$W1" --json | sed 's/.*"address":"\([0-9a-f]*\)".*/\1/')

"$ACFTS" tx create --config "$W0" --from shared --to "$payee" --amount 300 --out "$WORK/pay.tx" \
  >"$WORK/create.out" || die "tx create failed: $(cat "$WORK/create.out")"
tx=$(head -1 "$WORK/create.out" | awk '{print $2}')
port0=$(grep '^port' "$W0" | cut -d' ' -f3)
grep -q "^creator 127.0.0.1:$port0$" "$WORK/pay.tx" || die "the file does not name its creator: $(tail -1 "$WORK/pay.tx")"
"$ACFTS" tx sign "$WORK/pay.tx" --key "$WORK/secp.key" >/dev/null || die "sign (secp256k1) failed"
"$ACFTS" tx sign "$WORK/pay.tx" --key "$WORK/p256.key" >/dev/null || die "sign (P-256) failed"
grep -q "^creator 127.0.0.1:$port0$" "$WORK/pay.tx" || die "tx sign lost the creator line"
sed "s/^creator .*/creator nowhere/" "$WORK/pay.tx" >"$WORK/bad.tx"
out=$("$ACFTS" tx show "$WORK/bad.tx" 2>&1) && die "a bad creator line was read"
echo "$out" | grep -q "invalid_tx_file" || die "unclear refusal: $out"

"$ACFTS" tx submit "$WORK/pay.tx" --config "$W1" >/dev/null || die "w1 could not submit"
eventually 20 file_total_is "$W1" 300
s0() { "$ACFTS" tx status --config "$W0" "$tx"; }
eventually 20 bash -c "'$ACFTS' tx status --config '$W0' '$tx' | grep -q '^final'"
eventually 20 file_total_is "$W0" 999700
note "w1 submitted $tx: w0 sees it final ($(s0)), holds $(file_total "$W0")"
out=$("$ACFTS" tx abandon "$tx" --config "$W0" 2>&1) && die "a certified transaction was abandoned"
echo "$out" | grep -q "unknown_transaction" || die "unclear refusal: $out"
h0=$("$ACFTS" history --config "$W0" --json)
echo "$h0" | grep -q "\"tx\":\"$tx\",\"direction\":\"sent\",\"counterparty\":\"$payee\",\"amount\":300" \
  || die "w0's history lacks its side: $h0"
h1=$("$ACFTS" history --config "$W1" --json)
echo "$h1" | grep -q "\"tx\":\"$tx\",\"direction\":\"received\",\"counterparty\":\"[0-9a-f]*\",\"amount\":300" \
  || die "w1's history does not show what it received: $h1"
echo "$h1" | grep -q '"direction":"sent"' && die "w1's history shows a payment it did not make: $h1"
# The change is w0's to spend (before: payment_conflict).
"$ACFTS" tx create --config "$W0" --from shared --to "$payee" --amount 700 --out "$WORK/all.tx" \
  >/dev/null || die "the change cannot be planned"
"$ACFTS" tx sign "$WORK/all.tx" --key "$WORK/ed.key" >/dev/null
"$ACFTS" tx sign "$WORK/all.tx" --key "$WORK/secp.key" >/dev/null
"$ACFTS" tx submit "$WORK/all.tx" --config "$W0" >/dev/null || die "spending the change failed"
eventually 20 file_total_is "$W0" 999000
note "the change was spent: w0 holds $(file_total "$W0")"
