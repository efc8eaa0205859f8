# A validator restarted after kill -9 refuses a conflicting transaction for an input it locked,
# and still answers the original with its signature.
source "$(dirname "$0")/lib.sh"
keygen
start validator v0
first=$("$PROBE" --config "$CFG" --validator v0 --to a1 --amount 10)
[[ $first == signed* ]] || die "first spend not signed: $first"
kill9 v0
start validator v0
second=$("$PROBE" --config "$CFG" --validator v0 --to a2 --amount 10)
[[ $second == "rejected conflict"* ]] || die "conflict not refused after restart: $second"
echo "$second" | grep -q "${first#signed }" || die "conflict should name the locked tx: $second"
again=$("$PROBE" --config "$CFG" --validator v0 --to a1 --amount 10)
[ "$again" = "$first" ] || die "retry after restart: '$again' != '$first'"
