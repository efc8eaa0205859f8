# Validators that keep their locks in lock shards (`acfts validator --lock-shards 2`): payments
# are final and arrive; a validator killed with SIGKILL and started again refuses a conflicting
# transaction for an input it locked, naming the same transaction; started with
# another shard count (or none) it refuses to start and says which count its store needs; the
# audit finds every lock a share was given for in the shards' stores.
source "$(dirname "$0")/lib.sh"
keygen
for v in v0 v1 v2 v3; do start validator $v --lock-shards 2; done
for w in w0 w1; do start wallet $w; done
wait_for "$WORK/w0.log" "connected to wallet w1"
pay --wallet w0 --from a0 --to a4 --amount 20 >/dev/null || die "payment to a4 failed"
pay --wallet w0 --from a0 --to a4 --amount 10 >/dev/null || die "second payment to a4 failed"
pay --wallet w0 --from a0 --to a5 --amount 12 >/dev/null || die "payment to a5 failed"
eventually 10 total_is w1 42
# a4 spends both of its outputs in one transaction: inputs that may lie in both shards.
pay --wallet w1 --from a4 --to a1 --amount 30 >/dev/null || die "payment back failed"
eventually 10 total_is w1 12
[ -d "$WORK/data/v0/shard-0" ] && [ -d "$WORK/data/v0/shard-1" ] || die "no shard stores in $WORK/data/v0"
note "payments final and delivered through sharded validators"

# The genesis output is spent (w0's first payment): a fresh spend of it conflicts, before and
# after v3 is killed, with the same transaction named.
first=$("$PROBE" --config "$CFG" --validator v3 --to a2 --amount 10)
[[ $first == "rejected conflict"* ]] || die "a second spend of the genesis was not refused: $first"
kill9 v3
start validator v3 --lock-shards 2
again=$("$PROBE" --config "$CFG" --validator v3 --to a2 --amount 10)
[ "$again" = "$first" ] || die "after kill -9: '$again' != '$first'"
note "after kill -9 the shards still hold what v3 signed"

kill9 v3
for args in "--lock-shards 3" ""; do
  # shellcheck disable=SC2086
  if "$ACFTS" validator --config "$CFG" --name v3 $args >"$WORK/wrong.log" 2>&1; then
    die "v3 started with '$args' on a store of 2 lock shards"
  fi
  grep -q "start this validator with --lock-shards 2" "$WORK/wrong.log" \
    || die "no clear error for '$args': $(cat "$WORK/wrong.log")"
done
note "another shard count is refused with the count the store needs"

# The audit reads every shard's locks: each share held against the lock of every input it spent.
for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}"; done
wait 2>/dev/null || true
PIDS=()
report=$("$ACFTS" audit --config "$CFG" --json) || die "audit of the sharded stores failed: $report"
echo "$report" | grep -q '"locks_held_against_shares":[1-9]' || die "the audit held no lock: $report"
note "audit: $report"
