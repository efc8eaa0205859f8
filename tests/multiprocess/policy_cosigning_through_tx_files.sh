# Co-signing through transaction files (after PSBT), with real processes: `tx create` on w0 for a
# 2-of-3 address (Ed25519, secp256k1, P-256) of which w0 holds no key reserves its inputs (across
# a restart) and writes the file; two offline `tx sign`s with key files of two schemes complete it;
# a copy with one signature is refused naming the missing weight, before anything is sent; w1
# submits the complete file: final, the payee credited, the change handed back to w0, `acfts
# audit` clean. `tx abandon` frees a reservation (issue 14).
source "$(dirname "$0")/lib.sh"
keygen
ed=$("$ACFTS" key new --scheme ed25519 --out "$WORK/ed.key")
secp=$("$ACFTS" key new --scheme secp256k1 --out "$WORK/secp.key")
p256=$("$ACFTS" key new --scheme p256 --out "$WORK/p256.key")
"$ACFTS" key new --scheme p256 --out "$WORK/stranger.key" >/dev/null
# The policy as a program would write it (--policy-file), the same as --policy "thresh(2, ...)".
cat >"$WORK/shared.json" <<JSON
{"thresh": 2, "of": [{"key": "$ed"}, {"key": "$secp"}, {"key": "$p256"}]}
JSON
shared=$("$ACFTS" address new --config "$CFG" --wallet w0 --name shared \
  --policy-file "$WORK/shared.json")
echo '{"thresh": 2, "of": [' >"$WORK/broken.json"
out=$("$ACFTS" address new --config "$CFG" --wallet w0 --name broken \
  --policy-file "$WORK/broken.json" 2>&1) && die "a broken policy file was accepted"
echo "$out" | grep -q "not JSON" || die "unclear refusal: $out"
start_all
pay --wallet w0 --from a0 --to shared --amount 1000 >/dev/null || die "paying into the policy failed"

"$ACFTS" tx create --config "$CFG" --wallet w0 --from shared --to a4 --amount 300 \
  --out "$WORK/pay.tx" >"$WORK/create.out" || die "tx create failed: $(cat "$WORK/create.out")"
note "tx create: $(cat "$WORK/create.out")"
grep -q "pays    300 to" "$WORK/create.out" || die "create does not say what it pays"
grep -q "weight 0 of 2, missing 2" "$WORK/create.out" || die "create does not say what is missing"
tx=$(head -1 "$WORK/create.out" | awk '{print $2}')
out=$("$ACFTS" tx create --config "$CFG" --wallet w0 --from shared --to a4 --amount 1 \
  --out "$WORK/pay.tx" 2>&1) && die "an existing file was overwritten"
echo "$out" | grep -q "invalid_tx_file" || die "unclear refusal: $out"
# The reservation holds across a restart: nothing else may spend the input.
kill -TERM "${PIDS[w0]}"; wait "${PIDS[w0]}" 2>/dev/null || true; unset "PIDS[w0]"
start wallet w0
set +e
"$ACFTS" tx status --config "$CFG" --wallet w0 "$tx" >"$WORK/status.out"; rc=$?
set -e
[ $rc = 3 ] && grep -q "^held" "$WORK/status.out" || die "not held after a restart: $(cat "$WORK/status.out")"
out=$("$ACFTS" tx create --config "$CFG" --wallet w0 --from shared --to a4 --amount 1 \
  --out "$WORK/other.tx" 2>&1) && die "a reserved input was planned twice"
echo "$out" | grep -q "insufficient_funds" || die "unclear refusal: $out"

# Offline: no node is asked (the key files and the file are all it needs).
set +e
"$ACFTS" tx show "$WORK/pay.tx" --json >"$WORK/show0.json"; rc=$?
set -e
[ $rc = 3 ] || die "tx show of an unsigned file exits $rc"
grep -q '"complete":false' "$WORK/show0.json" || die "show: $(cat "$WORK/show0.json")"
"$ACFTS" tx sign "$WORK/pay.tx" --key "$WORK/secp.key" >"$WORK/sign1.out" || die "tx sign failed"
note "tx sign (secp256k1): $(cat "$WORK/sign1.out")"
grep -q "pays    300 to" "$WORK/sign1.out" || die "sign does not show what it pays"
grep -q "weight 1 of 2, missing 1" "$WORK/sign1.out" || die "sign: $(cat "$WORK/sign1.out")"
cp "$WORK/pay.tx" "$WORK/one.tx"
out=$("$ACFTS" tx sign "$WORK/pay.tx" --key "$WORK/stranger.key" 2>&1) && die "a stranger's key signed"
echo "$out" | grep -q "unknown_key" || die "unclear refusal: $out"
"$ACFTS" tx sign "$WORK/pay.tx" --key "$WORK/p256.key" >"$WORK/sign2.out" || die "tx sign failed"
note "tx sign (P-256): $(tail -1 "$WORK/sign2.out")"
"$ACFTS" tx show "$WORK/pay.tx" --json >"$WORK/show2.json" || die "complete file not complete"
grep -q '"complete":true' "$WORK/show2.json" || die "show: $(cat "$WORK/show2.json")"
note "tx show: $(cat "$WORK/show2.json")"

# One signature of two: refused with the missing weight, nothing sent.
set +e
out=$("$ACFTS" tx submit "$WORK/one.tx" --config "$CFG" --wallet w1 2>&1); rc=$?
set -e
[ $rc = 1 ] || die "a file with one signature was submitted (exit $rc): $out"
echo "$out" | grep -q "policy_not_satisfied" && echo "$out" | grep -q "missing 1" \
  || die "unclear refusal: $out"
note "one signature: $out"
# A damaged file is refused.
sed 's/^acfts-tx-v1 /acfts-tx-v9 /' "$WORK/pay.tx" >"$WORK/bad.tx"
out=$("$ACFTS" tx show "$WORK/bad.tx" 2>&1) && die "a damaged file was read"
echo "$out" | grep -q "invalid_tx_file" || die "unclear refusal: $out"

# w1, which holds none of the keys, submits the complete file.
got=$("$ACFTS" tx submit "$WORK/pay.tx" --config "$CFG" --wallet w1) || die "tx submit failed: $got"
[ "$got" = "$tx" ] || die "submitted $got, created $tx"
eventually 10 total_is w1 300
eventually 10 total_is w0 999700
"$ACFTS" tx status --config "$CFG" --wallet w1 "$tx" | grep -q "^final" || die "not final on w1"
eventually 10 bash -c "'$ACFTS' tx status --config '$CFG' --wallet w0 '$tx' | grep -q '^final'"
# Submitted again: final already.
"$ACFTS" tx submit "$WORK/pay.tx" --config "$CFG" --wallet w1 >/dev/null || die "a repeat failed"

# Abandon: the change (700 at `shared`) is reserved by a new file, then freed.
"$ACFTS" tx create --config "$CFG" --wallet w0 --from shared --to a4 --amount 700 \
  --out "$WORK/all.tx" >/dev/null || die "second tx create failed"
out=$("$ACFTS" tx create --config "$CFG" --wallet w0 --from shared --to a4 --amount 1 \
  --out "$WORK/more.tx" 2>&1) && die "a reserved input was planned twice"
"$ACFTS" tx abandon "$WORK/all.tx" --config "$CFG" --wallet w0 >/dev/null || die "abandon failed"
out=$("$ACFTS" tx abandon "$WORK/all.tx" --config "$CFG" --wallet w0 2>&1) && die "abandoned twice"
echo "$out" | grep -q "unknown_transaction" || die "unclear refusal: $out"
"$ACFTS" tx create --config "$CFG" --wallet w0 --from shared --to a4 --amount 1 \
  --out "$WORK/more.tx" >/dev/null || die "the freed input cannot be planned"

[ "$(supply)" = 1000000 ] || die "supply is $(supply)"
for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}"; done
wait 2>/dev/null || true
PIDS=()
audit=$("$ACFTS" audit --config "$CFG" --json) || die "audit failed: $audit"
note "audit: $audit"
