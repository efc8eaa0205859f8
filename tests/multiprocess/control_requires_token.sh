# The wallet's control interface (pay, balance) answers only requests carrying the token from the
# wallet's data directory; the public port takes certified payments and nothing else.
source "$(dirname "$0")/lib.sh"
keygen
start_all
token="$WORK/data/w0/control.token"
[ "$(stat -c %a "$token")" = 600 ] || die "control token is not mode 600"
pay --wallet w0 --from a0 --to a4 --amount 2 >/dev/null || die "pay with the token failed"
cp "$token" "$WORK/token.saved"
printf '%064d' 0 >"$token"
set +e
out=$(pay --wallet w0 --from a0 --to a4 --amount 500 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] || die "pay with a wrong token succeeded"
echo "$out" | grep -q unauthorized || die "unclear refusal: $out"
grep -q "refused a control request" "$WORK/w0.log" || die "refusal not logged"
cp "$WORK/token.saved" "$token"
eventually 10 total_is w1 2
# The wallet's counters through the same port: one payment final at w0, one received at w1.
stats=$("$ACFTS" wallet stats --config "$CFG" --wallet w0 --json) || die "wallet stats failed"
echo "$stats" | grep -q '"final":1,"failed":0' || die "w0's counters: $stats"
echo "$stats" | grep -q '"pending":0' || die "w0's counters: $stats"
stats=$("$ACFTS" wallet stats --config "$CFG" --wallet w1 --json) || die "wallet stats failed"
echo "$stats" | grep -q '"received":1' || die "w1's counters: $stats"
printf '%064d' 0 >"$token"
set +e
out=$("$ACFTS" wallet stats --config "$CFG" --wallet w0 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] && echo "$out" | grep -q unauthorized || die "stats without the token: $out"
cp "$WORK/token.saved" "$token"
