# The first steps of a change of committee (issue 24, item 2): the governance policy in the
# committee file approves a change or nothing does; each sealed validator signs its lock set's
# root and, from its next start, locks no new input — across kill -9. With 2f+1 sealed, no new
# payment of the old committee can become final (it needs an honest validator that sealed).
source "$(dirname "$0")/lib.sh"
keygen
for i in 1 2 3 4; do "$ACFTS" key new --out "$WORK/op$i.key" >"$WORK/op$i.pub"; done
gov="thresh(2, $(cat "$WORK/op1.pub"), $(cat "$WORK/op2.pub"), $(cat "$WORK/op3.pub"))"
sed -i "1i governance = \"$gov\"" "$CFG"
start_all
pay --wallet w0 --to a4 --amount 10 >/dev/null 2>&1 || die "the first payment failed"
"$ACFTS" keygen --out "$WORK/next" --base-port 0 >/dev/null
"$ACFTS" keygen --out "$WORK/other" --base-port 0 >/dev/null

# A change is proposed and signed; one signature of the two needed approves nothing.
"$ACFTS" committee propose --config "$CFG" --next "$WORK/next/committee.toml" --out "$WORK/change" \
  | grep -q "it needs the signatures" || die "propose said nothing"
out=$("$ACFTS" committee propose --config "$CFG" --next "$WORK/next/committee.toml" --out "$WORK/change" 2>&1) \
  && die "propose overwrote a change file"
"$ACFTS" committee sign "$WORK/change" --key "$WORK/op1.key" | grep -q "not yet approved" \
  || die "one signature of two approved the change"
out=$("$ACFTS" committee sign "$WORK/change" --key "$WORK/op4.key" 2>&1) && die "a stranger's key signed"
echo "$out" | grep -q "unknown_key" || die "unclear refusal: $out"
stop_wallet v0
out=$("$ACFTS" validator seal --config "$CFG" --name v0 --change "$WORK/change" 2>&1) \
  && die "v0 sealed for an unapproved change"
echo "$out" | grep -q "policy_not_satisfied" || die "unclear refusal: $out"
note "one signature: $out"
start validator v0
"$ACFTS" committee sign "$WORK/change" --key "$WORK/op3.key" | grep -q ": approved" \
  || die "two signatures did not approve the change"
out=$("$ACFTS" validator seal --config "$CFG" --name v3 --change "$WORK/change" 2>&1) \
  && die "a running validator's store was sealed"
echo "$out" | grep -q "stop it" || die "unclear refusal: $out"

# v0, v1 and v2 (2f+1) seal, one by one: stopped, sealed, started again.
for v in v0 v1 v2; do
  stop_wallet $v
  "$ACFTS" validator seal --config "$CFG" --name $v --change "$WORK/change" --out "$WORK/$v.seal" \
    >"$WORK/$v.sealed" || die "sealing $v failed"
  grep -q "^$v sealed for committee .*: [1-9][0-9]* locks" "$WORK/$v.sealed" || die "$(cat "$WORK/$v.sealed")"
  start validator $v
done
note "$(cat "$WORK/v0.sealed")"
grep -q "^acfts-seal-v1 " "$WORK/v0.seal" || die "no seal statement file"
# Sealing again for the same change repeats the statement; for another change is refused.
stop_wallet v0
"$ACFTS" validator seal --config "$CFG" --name v0 --change "$WORK/change" --out "$WORK/v0.again" >/dev/null \
  || die "sealing v0 again failed"
cmp -s "$WORK/v0.seal" "$WORK/v0.again" || die "a second seal signed another statement"
"$ACFTS" committee propose --config "$CFG" --next "$WORK/other/committee.toml" --out "$WORK/change2" >/dev/null
"$ACFTS" committee sign "$WORK/change2" --key "$WORK/op1.key" >/dev/null
"$ACFTS" committee sign "$WORK/change2" --key "$WORK/op2.key" >/dev/null
out=$("$ACFTS" validator seal --config "$CFG" --name v0 --change "$WORK/change2" 2>&1) \
  && die "v0 sealed for a second committee"
echo "$out" | grep -q "sealed already" || die "unclear refusal: $out"
start validator v0

# No new payment can become final: 3 sealed validators refuse, only v3 would sign; the payment
# waits for the next committee.
out=$(pay --wallet w0 --to a4 --amount 5 --timeout 5 2>&1) && die "a payment went final after 2f+1 seals"
echo "$out" | grep -q "sealed for a change of committee" || die "the wait does not say sealed: $out"
note "after 2f+1 seals: $out"
kill9 v1
start validator v1
[ "$(total w1)" = 10 ] || die "w1 holds $(total w1), not the 10 of the first payment"
out=$(pay --wallet w1 --to a0 --amount 3 --timeout 5 2>&1) && die "a payment went final after v1's kill -9"
echo "$out" | grep -q "v1.* sealed for a change of committee" || die "after kill -9: $out"
note "the seal survives kill -9; the money before it is where it was"

# Hand-over: the sealed lock sets of v0, v1, v2 start the next committee's validators. v3 has
# not sealed, so it has no set to give; two sets are not enough (the change waits).
for v in v0 v1 v2; do
  stop_wallet $v
  "$ACFTS" validator export-locks --config "$CFG" --name $v --out "$WORK/$v.locks" >/dev/null \
    || die "export-locks $v failed"
done
stop_wallet v3
out=$("$ACFTS" validator export-locks --config "$CFG" --name v3 --out "$WORK/v3.locks" 2>&1) \
  && die "an unsealed validator exported its locks"
echo "$out" | grep -q "has not sealed" || die "unclear refusal: $out"
imp() { "$ACFTS" validator import-locks --config "$WORK/next/cluster.toml" --name "$1" --old "$CFG" \
          --change "$WORK/change" "${@:2}"; }
out=$(imp v0 --from "$WORK/v0.locks" --from "$WORK/v1.locks" 2>&1) && die "two lock sets started a validator"
echo "$out" | grep -q "the change waits" || die "unclear refusal: $out"
for n in v0 v1 v2 v3; do
  imp $n --from "$WORK/v0.locks" --from "$WORK/v1.locks" --from "$WORK/v2.locks" >"$WORK/import.$n" \
    || die "import into the next $n failed: $(cat "$WORK/import.$n")"
done
grep -q "starts from [1-9][0-9]* locks and 0 unspendable inputs, merged from 3 sealed lock sets (v0, v1, v2)" \
  "$WORK/import.v0" || die "import: $(cat "$WORK/import.v0")"
note "$(cat "$WORK/import.v0")"
# A lock set with an invented lock: the lock is refused, the rest is used.
cp "$WORK/v2.locks" "$WORK/v2.bad.locks"
line=$(sed -n 2p "$WORK/v0.locks") # the request ends with the owner's signature, then "90" (no parents)
at=$((${#line} - 10))
[ "${line:$at:1}" = 0 ] && digit=1 || digit=0
echo "${line:0:$at}$digit${line:$((at + 1))}" >>"$WORK/v2.bad.locks" # one digit of that signature
rm -rf "$WORK/next/data/v1"
out=$(imp v1 --from "$WORK/v0.locks" --from "$WORK/v1.locks" --from "$WORK/v2.bad.locks" 2>&1) \
  || die "a set with an invented lock stopped the import: $out"
echo "$out" | grep -q "refused: v2: a lock of .* without a valid owner request" || die "not refused: $out"
note "an invented lock: $(echo "$out" | grep -m1 refused)"
