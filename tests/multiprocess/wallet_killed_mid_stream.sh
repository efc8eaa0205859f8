# kill -9 the paying wallet in the middle of a stream of payments and restart it: no payment is
# lost or duplicated, and the supply is whole.
source "$(dirname "$0")/lib.sh"
keygen
start_all
attempts=40
: >"$WORK/results"
(
  for i in $(seq 1 $attempts); do
    if pay --wallet w0 --from a0 --to a4 --amount 1 --timeout 10 >/dev/null 2>&1; then
      echo final >>"$WORK/results"
    else
      echo other >>"$WORK/results"
      sleep 0.05
    fi
  done
) &
stream=$!
eventually 20 bash -c "[ \$(grep -c final '$WORK/results') -ge 10 ]"
kill9 w0
note "killed w0 after $(grep -c final "$WORK/results") final payments"
sleep 0.5
start wallet w0
wait $stream
final=$(grep -c final "$WORK/results" || true)
# Every payment the wallet recorded completes; none is paid twice.
settled() {
  local w1; w1=$(total w1)
  [ "$(supply)" = 1000000 ] && [ "$w1" -ge "$final" ] && [ "$w1" -le "$attempts" ]
}
eventually 20 settled
sleep 1 # nothing more arrives after settling: no duplicate delivery changes the totals
w1=$(total w1)
settled || die "after settling: w1 total $(total w1), final $final, attempts $attempts, supply $(supply)"
[ "$(total w1)" = "$w1" ] || die "w1 total moved after settling"
note "final reported $final of $attempts; payee holds $w1; supply $(supply)"
