# A change of committee from end to end (issue 24, item 2): four validators serve payments; v3's
# store is lost and v0's key is rotated by a change the governance policy approves; the sealed
# lock sets of v0–v2 start the next committee; wallets follow by their committee file. Old coins
# are spent under the new committee, a payment locked but not certified before the seal completes
# as the same transaction, one sent during the change waits and then completes, and a stale
# backup's second spend of an old coin is refused by the new committee.
source "$(dirname "$0")/lib.sh"
keygen
COM="$WORK/committee.toml" W0="$WORK/w0.toml" W1="$WORK/w1.toml"
for i in 1 2 3; do "$ACFTS" key new --out "$WORK/op$i.key" >"$WORK/op$i.pub"; done
gov="thresh(2, $(cat "$WORK/op1.pub"), $(cat "$WORK/op2.pub"), $(cat "$WORK/op3.pub"))"
sed -i "1i governance = \"$gov\"" "$COM"
# startv NAME FILE [ARGS]: a validator from FILE (its log emptied first, as `start` does).
startv() {
  : >"$WORK/$1.log"
  "$ACFTS" validator --config "$2" --name "$1" --verbose "${@:3}" >>"$WORK/$1.log" 2>&1 &
  PIDS[$1]=$!
  wait_for "$WORK/$1.log" "serving on"
}
for v in v0 v1 v2 v3; do startv $v "$COM"; done
start_wallet w0 "$W0"
start_wallet w1 "$W1"
echo pass >"$WORK/pass"
# payto FROM_FILE TO_FILE AMOUNT [ARGS]: pays to a payment request of the payee's wallet.
payto() { "$ACFTS" pay --config "$1" --to "$("$ACFTS" receive --config "$2" --amount "$3")" "${@:4}"; }

# Before the change: a coin at w1 (100), and a backup of w0 that still holds the coin it pays next.
payto "$W0" "$W1" 100 >/dev/null 2>&1 || die "the first payment failed"
"$ACFTS" wallet backup --config "$W0" --out "$WORK/stale.backup" --passphrase-file "$WORK/pass" >/dev/null
payto "$W0" "$W1" 50 >/dev/null 2>&1 || die "the second payment failed"
eventually 10 file_total_is "$W1" 150

# v3's store is lost; with v1 and v2 stopped, a payment is locked by v0 alone and stays pending.
kill9 v3
rm -rf "$WORK/data/v3"
stop_wallet v1
stop_wallet v2
out=$(payto "$W0" "$W1" 7 --timeout 3 2>&1) && die "one validator made a payment final"
locked=$(echo "$out" | grep -o "payment [0-9a-f]\{64\}" | cut -d' ' -f2)
[ -n "$locked" ] || die "no pending payment: $out"
stop_wallet w0

# The next committee: v1 and v2 keep their keys, v0 gets a new one, v3 is a new machine.
"$ACFTS" keygen --out "$WORK/next" --base-port 0 >/dev/null
NEXT="$WORK/next/committee.toml"
pub() { awk -v n="name = '$1'" '$0 == n { f = 1 } f && /^public_key/ { print; exit }' "$2" | cut -d"'" -f2; }
for v in v1 v2; do
  sed -i "s/$(pub $v "$NEXT")/$(pub $v "$COM")/" "$NEXT"
  cp "$WORK/keys/$v.key" "$WORK/next/keys/$v.key"
done
"$ACFTS" committee propose --config "$COM" --next "$NEXT" --out "$WORK/change" >/dev/null
"$ACFTS" committee sign "$WORK/change" --key "$WORK/op1.key" >/dev/null
stop_wallet v0
out=$("$ACFTS" validator seal --config "$COM" --name v0 --change "$WORK/change" 2>&1) \
  && die "one governance signature of two sealed v0"
echo "$out" | grep -q "policy_not_satisfied" || die "unclear refusal: $out"
"$ACFTS" committee sign "$WORK/change" --key "$WORK/op3.key" | grep -q ": approved" || die "not approved"

# Seal v0–v2 (2f+1; v3 has no store) and start them again: they lock nothing new.
for v in v0 v1 v2; do
  "$ACFTS" validator seal --config "$COM" --name $v --change "$WORK/change" --out "$WORK/$v.seal" \
    >/dev/null || die "sealing $v failed"
  startv $v "$COM"
done
out=$(payto "$W1" "$W0" 5 --timeout 3 2>&1) && die "a payment went final after 2f+1 seals"
echo "$out" | grep -q "sealed for a change of committee" || die "the wait does not say why: $out"
waiting=$(echo "$out" | grep -o "payment [0-9a-f]\{64\}" | cut -d' ' -f2)
note "during the change: $out"
stop_wallet w1

handover_at=$(date +%s.%N)
# Hand over: the sealed lock sets start the next committee's validators; the committee files
# follow the change (the old ones kept as committee.toml.epoch0).
for v in v0 v1 v2; do
  stop_wallet $v
  "$ACFTS" validator export-locks --config "$COM" --name $v --out "$WORK/$v.locks" >/dev/null \
    || die "export-locks $v failed"
done
"$ACFTS" committee follow --config "$NEXT" --old "$COM" --change "$WORK/change" >"$WORK/follow.next" \
  || die "the next committee's file did not follow: $(cat "$WORK/follow.next")"
for v in v0 v1 v2 v3; do
  startv $v "$NEXT" --epoch-from "$WORK/v0.locks" "$WORK/v1.locks" "$WORK/v2.locks"
done
grep -q "starts from [1-9][0-9]* locks" "$WORK/v0.log" || die "v0 did not import: $(head -3 "$WORK/v0.log")"
"$ACFTS" committee follow --config "$W0" --change "$WORK/change" | grep -q "follows committee" \
  || die "w0's committee file did not follow"
[ -f "$COM.epoch0" ] || die "the old committee file was not kept"
grep -q "^\[\[past\]\]" "$COM" || die "the followed file has no chain of past committees"
out=$("$ACFTS" committee follow --config "$W1" --change "$WORK/change") || die "following again failed"
echo "$out" | grep -q "already" || die "following twice: $out"
start_wallet w0 "$W0"
start_wallet w1 "$W1"

# The payment sent during the change completes under the new committee; so does the one v0
# locked before the seal, as the same transaction.
final_is() { "$ACFTS" tx status --config "$1" "$2" | grep -q "^final"; }
eventually 20 final_is "$W1" "$waiting"
resumed_at=$(date +%s.%N)
eventually 20 final_is "$W0" "$locked"
note "the pause: $(awk "BEGIN { printf \"%.1f\", $resumed_at - $handover_at }") s from the first export to the first payment final under the next committee (export, follow, import, restarts)"
eventually 20 file_total_is "$W1" $((150 + 7 - 5))
# Old coins are spent under the new committee, both ways.
payto "$W1" "$W0" 152 >/dev/null 2>&1 || die "old coins were not spent under the new committee"
payto "$W0" "$W1" 1 >/dev/null 2>&1 || die "w0 cannot pay under the new committee"
eventually 20 file_total_is "$W0" $((1000000 - 1))
note "the new committee serves: $("$ACFTS" tx status --config "$W0" "$locked")"

# The stale backup spends again the coin the second payment spent before the change: the new
# committee knows that spend from the hand-over and refuses.
"$ACFTS" wallet restore "$WORK/stale.backup" --out "$WORK/w0s" --passphrase-file "$WORK/pass" >/dev/null
"$ACFTS" committee follow --config "$WORK/w0s/wallet.toml" --change "$WORK/change" >/dev/null \
  || die "the restored wallet's file did not follow"
stop_wallet w0
start_wallet w0s "$WORK/w0s/wallet.toml"
out=$(payto "$WORK/w0s/wallet.toml" "$W1" 60 --timeout 20 2>&1) \
  && die "a stale backup spent an old coin twice under the new committee"
echo "$out" | grep -q "payment_conflict" || die "unclear refusal: $out"
note "the stale backup: $out"
