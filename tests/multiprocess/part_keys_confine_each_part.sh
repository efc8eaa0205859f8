# Each part of a validator holds only its own link's key: `acfts keygen --lock-shard-parts 2
# --verifier-parts 1` writes v1's part key (keys/v1.parts.key, the validator's) and one file per
# part beside it (.shard-0, .shard-1, .verifier-0). The parts start with the part key out of
# reach, from their own files alone, and v1's calls reach them (a payment is signed). A thief of
# the verifier's machine, holding its key, can call that verifier — a stateless check — but not
# the shards: a release or reservation under the verifier's key is refused as unauthorized, and
# v1 still refuses a second spend of what it signed.
source "$(dirname "$0")/lib.sh"
ATTACKER=${3:?usage: part_keys_confine_each_part.sh ACFTS PROBE ATTACKER}
keygen --lock-shard-parts 2 --verifier-parts 1
keys="$WORK/keys/v1.parts.key"
for part in shard-0 shard-1 verifier-0; do
  [ -f "$keys.$part" ] || die "keygen wrote no key file for v1's $part"
done
mv "$keys" "$WORK/parts-key-elsewhere"
start_shard v1 0
start_shard v1 1
start_verifier v1 0
[ ! -e "$keys" ] || die "a part made the part key instead of using its own file"
! grep -q "no key file of its own" "$WORK"/v1.s0.log "$WORK"/v1.s1.log "$WORK"/v1.v0.log \
  || die "a part with its own key file warned that it had none"
mv "$WORK/parts-key-elsewhere" "$keys"
start validator v1
first=$("$PROBE" --config "$CFG" --validator v1 --to a1 --amount 10)
[[ $first == signed* ]] || die "v1 with parts started from their own files did not sign: $first"
note "parts started from their own key files; v1 signs through them"

out=$("$ATTACKER" forge-part --config "$CFG" --validator v1 --key-file "$keys.verifier-0") \
  && die "the verifier's own key did not reach the verifier: $out"
note "$out"
# Two shards, three calls each (a release, a reservation, junk), all refused; the verifier
# answers a call under its own key and refuses junk.
[ "$(echo "$out" | grep -c " unauthorized")" = 7 ] || die "a shard took the verifier's key: $out"
[ "$(echo "$out" | grep -c "answered")" = 1 ] && echo "$out" | grep -q "^verify answered" \
  || die "unexpected answers: $out"
second=$("$PROBE" --config "$CFG" --validator v1 --to a2 --amount 10)
[[ $second == "rejected conflict"* ]] || die "a second spend after the forged release: $second"
[ "$("$PROBE" --config "$CFG" --validator v1 --to a1 --amount 10)" = "$first" ] \
  || die "v1 answers otherwise after the attack"
note "the verifier's key opens no shard: the lock holds"
