# Validators whose lock shards and verifiers run as processes of their own (`acfts validator
# --part shard:K|verifier:K`, the entry's lock_shards, verifiers and part_key_file): v1 with two
# shards and two verifiers, v2 with one verifier, v3 with two shards. Payments are final and
# arrive, also a spend of two inputs; a bad witness is refused by a verifier in its own process;
# every shard of v1 killed with SIGKILL and started again still holds what v1 signed (a second
# spend of the genesis is refused naming the same transaction); with one verifier killed v1 uses
# the other, with both it refuses as a storage fault (the wallet asks again), and it answers as
# before once they are back;
# a validator whose parts are not up, a part out of range, an unnamed verifier of two, and a
# shard whose count changed refuse to start with a clear error; calls without the validator's
# part key, junk and system messages reach every part's port and change nothing; the audit holds
# every share against the shards' stores. `acfts status` says `degraded`, naming the parts that
# are down, while they are, and `serving` once they are back.
source "$(dirname "$0")/lib.sh"
ATTACKER=${3:?usage: validator_parts_as_processes.sh ACFTS PROBE ATTACKER}
keygen --metrics
# status_has V TEXT: v's `acfts status --json` contains TEXT (its exit code aside).
status_has() { { "$ACFTS" status --config "$CFG" --node "$1" --json 2>/dev/null || true; } | grep -qF "$2"; }
# v1 and v3 get two lock shards each, as processes.
shards_as_processes v1 v3
verifiers_as_processes v1 2
verifiers_as_processes v2 1

# Without its shards, v1 does not start, and says which part to start first.
if "$ACFTS" validator --config "$CFG" --name v1 >"$WORK/early.log" 2>&1; then
  die "v1 started without its lock shards"
fi
grep -q "is not listening: start its part first" "$WORK/early.log" || die "unclear: $(cat "$WORK/early.log")"
if "$ACFTS" validator --config "$CFG" --name v1 --part shard:2 >"$WORK/range.log" 2>&1; then
  die "shard 2 of 2 started"
fi
grep -q "has 2 lock shards (shard:0 to shard:1)" "$WORK/range.log" || die "unclear: $(cat "$WORK/range.log")"
if "$ACFTS" validator --config "$CFG" --name v1 --part verifier >"$WORK/which.log" 2>&1; then
  die "an unnamed verifier of two started"
fi
grep -q "has 2 verifiers: name one (verifier:0 to verifier:1)" "$WORK/which.log" || die "unclear: $(cat "$WORK/which.log")"
note "a validator without its shards, a shard out of range, an unnamed verifier of two refuse to start"

for v in v1 v3; do for k in 0 1; do start_shard $v $k; done; done
# Its shards up, v1 still waits for its verifiers.
if "$ACFTS" validator --config "$CFG" --name v1 >"$WORK/early.log" 2>&1; then
  die "v1 started without its verifiers"
fi
grep -q "verifier 0 of v1 at .* is not listening: start its part first" "$WORK/early.log" || die "unclear: $(cat "$WORK/early.log")"
start_verifier v1 0
start_verifier v1 1
# A validator with one verifier may leave out its number.
: >"$WORK/v2.v0.log"
"$ACFTS" validator --config "$CFG" --name v2 --part verifier >>"$WORK/v2.v0.log" 2>&1 &
PIDS[v2.v0]=$!
wait_for "$WORK/v2.v0.log" "verifier 0 of 1 serving on"
# This keygen wrote no part's own key file: each part derives its link's key from the part key
# (right on one machine), and says that on a machine of its own it should have its own file.
for log in v1.s0 v1.s1 v1.v0 v1.v1 v2.v0; do
  grep -q "no key file of its own .* copy only its own file there" "$WORK/$log.log" \
    || die "$log did not warn that it derives its key from the part key: $(cat "$WORK/$log.log")"
done
for v in v0 v1 v2 v3; do start validator $v; done
for w in w0 w1; do start wallet $w; done
wait_for "$WORK/w0.log" "connected to wallet w1"
pay --wallet w0 --from a0 --to a4 --amount 20 >/dev/null || die "payment to a4 failed"
pay --wallet w0 --from a0 --to a4 --amount 10 >/dev/null || die "second payment to a4 failed"
eventually 10 total_is w1 30
pay --wallet w1 --from a4 --to a1 --amount 25 >/dev/null || die "a spend of two inputs failed"
eventually 10 total_is w1 5
[ -d "$WORK/data/v1/shard-0" ] && [ -d "$WORK/data/v1/shard-1" ] || die "no shard stores of v1"
note "payments final and delivered through validators with shards and verifiers as processes"
status_has v1 '"state":"serving","parts":4,"parts_down":[]' || die "status v1: $("$ACFTS" status --config "$CFG" --node v1 --json)"

# Rules 1–3 are the verifiers' now: a witness over another hash is refused by them, at v1 and v2.
for v in v1 v2; do
  bad=$("$PROBE" --config "$CFG" --validator $v --to a2 --amount 10 --bad-witness)
  [[ $bad == "rejected invalid_witness"* ]] || die "$v took a bad witness: $bad"
done
note "a bad witness is refused by verifiers in processes of their own"

# The genesis output is spent: a fresh spend of it at v1 conflicts, before and after both of
# v1's shards are killed with SIGKILL and started again, with the same transaction named.
first=$("$PROBE" --config "$CFG" --validator v1 --to a2 --amount 10)
[[ $first == "rejected conflict"* ]] || die "a second spend of the genesis was not refused: $first"
kill9 v1.s0
kill9 v1.s1
start_shard v1 0
start_shard v1 1
again=$("$PROBE" --config "$CFG" --validator v1 --to a2 --amount 10)
[ "$again" = "$first" ] || die "after kill -9 of the shards: '$again' != '$first'"
pay --wallet w0 --from a0 --to a5 --amount 7 >/dev/null || die "payment after the shards' restart failed"
eventually 10 total_is w1 12
note "after kill -9 of its shards v1 still refuses what they hold, and signs again"

# Without its verifiers v1 decides nothing: a storage fault (the wallet asks again); the other
# three still certify; once they are back v1 answers as before. With one of them, it decides all.
# With one of its two verifiers down, v1 sends every request to the other.
kill9 v1.v0
eventually 10 status_has v1 '"state":"degraded","parts":4,"parts_down":["verifier-0"]'
for _ in 1 2 3 4; do
  again=$("$PROBE" --config "$CFG" --validator v1 --to a2 --amount 10)
  [ "$again" = "$first" ] || die "with verifier 0 down: '$again' != '$first'"
done
kill9 v1.v1
eventually 10 status_has v1 '"state":"degraded","parts":4,"parts_down":["verifier-0","verifier-1"]'
if "$ACFTS" status --config "$CFG" --node v1 >/dev/null 2>&1; then die "status of a degraded v1 exited 0"; fi
down=$("$PROBE" --config "$CFG" --validator v1 --to a2 --amount 10)
[[ $down == "rejected storage_fault "*"verifier "[01]" of v1 at "*" is not reachable" ]] || die "v1 without verifiers: $down"
pay --wallet w0 --from a0 --to a5 --amount 2 >/dev/null || die "payment with v1's verifiers down failed"
eventually 10 total_is w1 14
start_verifier v1 0
start_verifier v1 1
# Its links find them again by themselves, before any request needs them.
eventually 10 status_has v1 '"state":"serving","parts":4,"parts_down":[]'
again=$("$PROBE" --config "$CFG" --validator v1 --to a2 --amount 10)
[ "$again" = "$first" ] || die "after the verifiers' restart: '$again' != '$first'"
note "with one verifier killed v1 uses the other; with both, it refuses as a storage fault and status says degraded; both mend after their restart"

# Calls without the part key, junk and system messages at every port, the shards' included.
out=$("$ATTACKER" forge-part --config "$CFG" --validator v1) || die "a forged part call was answered: $out"
note "$out"
# Two shards, three calls each (a release, a reservation, junk), two verifiers, two calls each (a
# request, junk): the tag is checked first.
[ "$(echo "$out" | grep -c " unauthorized")" = 10 ] || die "calls without the key not refused: $out"
out=$("$ATTACKER" forge-part --config "$CFG" --validator v2) || die "a forged verifier call was answered: $out"
[ "$(echo "$out" | grep -c " unauthorized")" = 2 ] || die "v2's verifier took a call without the key: $out"
out=$("$ATTACKER" barrage --config "$CFG") || die "attacker failed: $out"
note "$out"
sleep 1
for name in "${!PIDS[@]}"; do kill -0 "${PIDS[$name]}" 2>/dev/null || die "$name died"; done
again=$("$PROBE" --config "$CFG" --validator v1 --to a2 --amount 10)
[ "$again" = "$first" ] || die "after the attack: '$again' != '$first'"
pay --wallet w0 --from a0 --to a5 --amount 3 >/dev/null || die "payment after the attack failed"
eventually 10 total_is w1 17
note "the parts' ports refuse every call without the key and stay up"

for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}"; done
wait 2>/dev/null || true
PIDS=()
report=$("$ACFTS" audit --config "$CFG" --json) || die "audit failed: $report"
echo "$report" | grep -q '"locks_held_against_shares":[1-9]' || die "the audit held no lock: $report"
note "audit: $report"

# A third shard added to v1's list would move inputs to other shards: its store refuses.
python3 - "$CFG" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r"(name = 'v1'\n(?:verifiers = [^\n]*\n)?lock_shards = \['[^']+', '[^']+')\]",
              r"\1, '127.0.0.1:9']", text, count=1)
open(path, "w").write(text)
PY
grep -q "127.0.0.1:9'" "$CFG" || die "could not add a third shard to v1: $(grep -A2 lock_shards "$CFG")"
if "$ACFTS" validator --config "$CFG" --name v1 --part shard:0 >"$WORK/count.log" 2>&1; then
  die "shard 0 started as one of three on a store of shard 0 of 2"
fi
grep -q "holds the locks of lock shard 0 of 2, not shard 0 of 3" "$WORK/count.log" \
  || die "unclear: $(cat "$WORK/count.log")"
note "a shard's store refuses another shard count"
