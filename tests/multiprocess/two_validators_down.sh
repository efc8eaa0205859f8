# kill -9 two validators (f + 1): a payment stays pending, the supply is unchanged; restart them:
# the pending payment completes by itself and new payments go final.
source "$(dirname "$0")/lib.sh"
keygen
start_all
kill9 v1
kill9 v3
set +e
out=$(pay --wallet w0 --from a0 --to a4 --amount 70 --timeout 5 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] || die "pay succeeded with two validators down"
echo "$out" | grep -q pending || die "pay should report pending: $out"
[ "$(supply)" = 1000000 ] || die "supply changed while pending: $(supply)"
[ "$(total w1)" = 0 ] || die "payee got money without a certificate"
start validator v1
start validator v3
eventually 20 total_is w1 70
pay --wallet w0 --from a0 --to a4 --amount 5 --timeout 10 >/dev/null || die "new payment not final"
eventually 10 total_is w1 75
[ "$(supply)" = 1000000 ] || die "supply is $(supply)"
