# keygen → 4 validators + 2 wallets → payments from w0 to w1 and back; balances add up.
source "$(dirname "$0")/lib.sh"
keygen
start_all
for amount in 1 2 3 4 5; do
  tx=$(pay --wallet w0 --from a0 --to a4 --amount $amount) || die "pay $amount failed"
  [[ $tx =~ ^[0-9a-f]{64}$ ]] || die "pay printed '$tx', not a transaction hash"
done
eventually 10 total_is w1 15
pay --wallet w1 --from a4 --to a1 --amount 6 >/dev/null || die "pay back failed"
pay --wallet w1 --from a4 --to a0 --amount 4 >/dev/null || die "pay back failed"
eventually 10 total_is w1 5
[ "$(supply)" = 1000000 ] || die "supply is $(supply)"
json=$("$ACFTS" balance --config "$CFG" --wallet w0 --json)
echo "$json" | grep -q '"a1":6' || die "a1 should hold 6: $json"
# Clear one-line reasons for what cannot be paid.
out=$(pay --wallet w1 --from a5 --to a0 --amount 1 2>&1) && die "a5 has nothing to pay"
echo "$out" | grep -q insufficient_funds || die "unclear error: $out"
out=$(pay --wallet w0 --from a9 --to a0 --amount 1 2>&1) && die "a9 does not exist"
echo "$out" | grep -q unknown_address || die "unclear error: $out"
note "round trip ok, supply $(supply)"
