# A payee that no node of the payer can reach is still paid (issue 16, item 2): w0 pays a4 while
# w1 is down, exports the certified transaction and stops for good; w1 comes up, imports the file
# and holds the payment. A tampered copy is refused before anything is added, a repeat changes
# nothing, and `acfts audit` is clean.
source "$(dirname "$0")/lib.sh"
keygen
for v in v0 v1 v2 v3; do start validator $v; done
start wallet w0
tx=$(pay --wallet w0 --from a0 --to a4 --amount 40) || die "the payment was not final: $tx"
"$ACFTS" tx export "$tx" --config "$CFG" --wallet w0 --out "$WORK/paid.cert" >/dev/null \
  || die "tx export failed"
head -c 19 "$WORK/paid.cert" | grep -q "^acfts-certified-v1 " || die "not a certified file"
out=$("$ACFTS" tx export "$tx" --config "$CFG" --wallet w0 --out "$WORK/paid.cert" 2>&1) \
  && die "an existing file was overwritten"
out=$("$ACFTS" tx export "$(printf '0%.0s' {1..64})" --config "$CFG" --wallet w0 \
  --out "$WORK/none.cert" 2>&1) && die "an unknown transaction was exported"
echo "$out" | grep -q "unknown_transaction" || die "unclear refusal: $out"
kill9 w0 # gone before it could hand the payment over
start wallet w1
[ "$(total w1)" = 0 ] || die "w1 holds $(total w1) before the import"
# A tampered copy: one hex digit of the transaction changed (its certificate names another).
text=$(cat "$WORK/paid.cert")
i=60
[ "${text:$i:1}" = 0 ] && digit=1 || digit=0
echo "${text:0:$i}$digit${text:$((i + 1))}" >"$WORK/tampered.cert"
out=$("$ACFTS" tx import "$WORK/tampered.cert" --config "$CFG" --wallet w1 2>&1) \
  && die "a tampered file was imported"
echo "$out" | grep -Eq "invalid_certificate|malformed_message|non_canonical" \
  || die "unclear refusal: $out"
note "tampered: $out"
[ "$(total w1)" = 0 ] || die "a refused import added $(total w1)"
got=$("$ACFTS" tx import "$WORK/paid.cert" --config "$CFG" --wallet w1) || die "import failed: $got"
[ "$got" = "$tx" ] || die "imported $got, paid $tx"
[ "$(total w1)" = 40 ] || die "w1 holds $(total w1) after the import"
"$ACFTS" tx import "$WORK/paid.cert" --config "$CFG" --wallet w1 >/dev/null || die "a repeat failed"
[ "$(total w1)" = 40 ] || die "a repeated import changed the balance: $(total w1)"
for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}"; done
wait 2>/dev/null || true
PIDS=()
audit=$("$ACFTS" audit --config "$CFG" --json) || die "audit failed: $audit"
note "audit: $audit"
