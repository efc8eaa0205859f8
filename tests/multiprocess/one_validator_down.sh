# kill -9 one validator (f = 1): payments still go final.
source "$(dirname "$0")/lib.sh"
keygen
start_all
kill9 v2
for i in 1 2 3; do
  pay --wallet w0 --from a0 --to a5 --amount 10 --timeout 10 >/dev/null || die "payment $i not final"
done
eventually 10 total_is w1 30
[ "$(supply)" = 1000000 ] || die "supply is $(supply)"
