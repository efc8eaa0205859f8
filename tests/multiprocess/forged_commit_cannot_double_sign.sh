# A peer that forges the validator's internal "write is durable" report, timed across a pending
# write, can neither make it sign two spends of one coin nor fault it (issue 11, attacks 2 and 3).
source "$(dirname "$0")/lib.sh"
ATTACKER=${3:?usage: forged_commit_cannot_double_sign.sh ACFTS PROBE ATTACKER}
keygen
for v in v0 v1 v2 v3; do start validator $v; done
out=$("$ATTACKER" forge-commit --config "$CFG" --validator v0 --tries 40)
note "$out"
echo "$out" | grep -q "^double_signed 0 of 40$" || die "a forged commit report made v0 double-sign"
echo "$out" | grep -q "^one_signed 40 other 0$" || die "honest answers changed"
echo "$out" | grep -q "^after: signed$" || die "v0 no longer signs"
# A forged failure report must not fault the validator either.
kill9 v0; kill9 v1; kill9 v2; kill9 v3
rm -rf "$WORK"/data
for v in v0 v1 v2 v3; do start validator $v; done
out=$("$ATTACKER" forge-commit --config "$CFG" --validator v0 --tries 40 --forged-error)
note "$out"
echo "$out" | grep -q "^double_signed 0 of 40$" || die "double-signed after forged failures"
echo "$out" | grep -q "^one_signed 40 other 0$" || die "a forged failure report faulted v0"
echo "$out" | grep -q "^after: signed$" || die "v0 faulted by a forged failure report"
for v in v0 v1 v2 v3; do kill -0 "${PIDS[$v]}" || die "$v died"; done
