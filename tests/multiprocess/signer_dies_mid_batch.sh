# The signer dies mid-batch: v1's two lock shards are processes of their own and hold a
# transaction's inputs durably, while v1 itself (the signer, which keeps the key and writes the
# batch's shares) cannot write its batch — a fault drill fails every fsync of its own store —
# and is then killed with SIGKILL. Nothing was signed; after its restart v1 refuses a conflicting
# transaction for those inputs, naming the first, and signs the first when asked again; so also
# after every part is killed.
source "$(dirname "$0")/lib.sh"
keygen
shards_as_processes v1
start_shard v1 0
start_shard v1 1
drill="$WORK/v1-disk-dead"
start validator v1 --fault-drill "$drill"
touch "$drill"
first=$("$PROBE" --config "$CFG" --validator v1 --to a1 --amount 10)
[[ $first == "rejected storage_fault"* ]] || die "v1 answered without a durable batch: $first"
grep -q "storage fault" "$WORK/v1.log" || die "v1 did not log its fault"
kill9 v1
rm -f "$drill"
note "v1 faulted writing its batch and was killed; its shards hold the reservation"

start validator v1
conflict=$("$PROBE" --config "$CFG" --validator v1 --to a2 --amount 10)
[[ $conflict == "rejected conflict"* ]] || die "a conflicting spend after the signer died: $conflict"
again=$("$PROBE" --config "$CFG" --validator v1 --to a1 --amount 10)
[[ $again == signed* ]] || die "the first transaction was not signed when asked again: $again"
echo "$conflict" | grep -q "${again#signed }" || die "the conflict names another tx: $conflict"
[ "$("$PROBE" --config "$CFG" --validator v1 --to a1 --amount 10)" = "$again" ] \
  || die "a second retry got another answer"
[[ $("$PROBE" --config "$CFG" --validator v1 --to a2 --amount 10) == "rejected conflict"* ]] \
  || die "the conflict was signed after the first"
note "after the restart: conflict refused, the first signed once"

# Every part killed and started again: the shards' stores and v1's own hold the same.
kill9 v1
kill9 v1.s0
kill9 v1.s1
start_shard v1 0
start_shard v1 1
start validator v1
[ "$("$PROBE" --config "$CFG" --validator v1 --to a1 --amount 10)" = "$again" ] \
  || die "after every part was killed, the first got another answer"
[[ $("$PROBE" --config "$CFG" --validator v1 --to a2 --amount 10) == "rejected conflict"* ]] \
  || die "after every part was killed, the conflict was signed"
note "every part killed and restarted: the same answers"
