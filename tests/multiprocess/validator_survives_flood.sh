# A flood of requests from one connection does not stop a validator from serving other wallets.
source "$(dirname "$0")/lib.sh"
keygen
start validator v0
"$PROBE" --config "$CFG" --validator v0 --to a1 --amount 1 --flood 20000 >"$WORK/flood.out" 2>&1 &
flood=$!
sleep 0.2
start_ns=$(date +%s%N)
answer=$("$PROBE" --config "$CFG" --validator v0 --to a2 --amount 2)
elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
[[ $answer == signed* || $answer == "rejected conflict"* ]] || die "no answer during the flood: $answer"
wait $flood || die "flooding client failed: $(cat "$WORK/flood.out")"
grep -q "flooded 20000" "$WORK/flood.out" || die "flood did not run: $(cat "$WORK/flood.out")"
kill -0 "${PIDS[v0]}" || die "validator died"
note "another client was answered in ${elapsed_ms} ms during a flood of 20000 requests"
