# An address owned by a 2-of-3 policy across three schemes (Ed25519, secp256k1, P-256), added with
# `acfts address new` to wallet w0, which holds two of its keys: real processes pay into it and out
# of it, the payee is credited, and `acfts audit` is clean. A wallet that holds one key only is
# refused with the missing weight named, and keeps its outputs (issue 14).
source "$(dirname "$0")/lib.sh"
keygen
ed=$("$ACFTS" key new --scheme ed25519 --out "$WORK/ed.key")
secp=$("$ACFTS" key new --scheme secp256k1 --out "$WORK/secp.key")
p256=$("$ACFTS" key new --scheme p256 --out "$WORK/p256.key")
[ "$(stat -c %a "$WORK/p256.key")" = 600 ] || die "key file is not mode 600"
shared=$("$ACFTS" address new --config "$CFG" --wallet w0 --name shared \
  --policy "thresh(2, $ed, $secp, $p256)" --key-file "$WORK/secp.key" --key-file "$WORK/p256.key")
note "shared = $shared"
lonely=$("$ACFTS" address new --config "$CFG" --wallet w1 --name lonely \
  --policy "thresh(2, $ed, $secp)" --key-file "$WORK/ed.key")
out=$("$ACFTS" address new --config "$CFG" --wallet w0 --name shared --policy "thresh(1, $ed)" 2>&1) \
  && die "a name used twice was accepted"
echo "$out" | grep -q "in use" || die "unclear refusal: $out"
"$ACFTS" key new --scheme p256 --out "$WORK/stranger.key" >/dev/null
out=$("$ACFTS" address new --config "$CFG" --wallet w0 --name odd --policy "thresh(1, $ed)" \
  --key-file "$WORK/stranger.key" 2>&1) && die "a key file of another key was accepted"
echo "$out" | grep -q "none of the policy's keys" || die "unclear refusal: $out"
out=$("$ACFTS" address new --config "$CFG" --wallet w0 --name odd --policy "thresh(3, $ed, $secp)" \
  2>&1) && die "a policy that can never be satisfied was accepted"
echo "$out" | grep -q "never be satisfied" || die "unclear refusal: $out"
# Linted when made (issue 22): one key twice under a threshold, a window already closed, max_out(0).
for bad in "thresh(2, $ed, $ed)|twice" "and($ed, before(2020-01-01T00:00:00Z))|already past" \
           "and($ed, max_out(0))|max_out(0)"; do
  out=$("$ACFTS" address new --config "$CFG" --wallet w0 --name odd --policy "${bad%|*}" 2>&1) \
    && die "a policy that locks or misleads was accepted: ${bad%|*}"
  echo "$out" | grep -q "${bad#*|}" || die "unclear refusal of ${bad%|*}: $out"
done
start_all
pay --wallet w0 --from a0 --to shared --amount 1000 >/dev/null || die "paying into the policy failed"
pay --wallet w0 --from shared --to a4 --amount 300 >/dev/null || die "paying out of the policy failed"
eventually 10 total_is w1 300
[ "$(total w0)" = 999700 ] || die "w0 holds $(total w0)"
# w1 holds one key of `lonely`: a payment from it is refused with the missing weight.
pay --wallet w0 --from a0 --to lonely --amount 50 >/dev/null || die "paying into lonely failed"
eventually 10 total_is w1 350
set +e
out=$(pay --wallet w1 --from lonely --to a5 --amount 10 --timeout 10 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] || die "a policy short of a signature paid"
echo "$out" | grep -q "policy_not_satisfied" || die "unclear refusal: $out"
echo "$out" | grep -q "missing 1" || die "the missing weight is not named: $out"
note "refused: $out"
eventually 10 total_is w1 350
[ "$(supply)" = 1000000 ] || die "supply is $(supply)"
for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}"; done
wait 2>/dev/null || true
PIDS=()
audit=$("$ACFTS" audit --config "$CFG" --json) || die "audit failed: $audit"
note "audit: $audit"
