# Runs the README's multi-node quickstart as written (the sh block after `<!-- quickstart -->`),
# in an empty directory where build/nodes/acfts is the binary under test, then checks what it
# promises: alice received 100 and paid bob 30, both final, and bob holds 30.
set -euo pipefail
ACFTS=${1:?usage: readme_quickstart.sh ACFTS_BINARY README}
README=${2:?usage: readme_quickstart.sh ACFTS_BINARY README}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/acfts-quickstart-XXXXXX")
cleanup() {
  local rc=$?
  pkill -9 -f "$WORK/build/nodes/acfts" 2>/dev/null || true
  if [ $rc -ne 0 ]; then
    for f in "$WORK"/*.log; do [ -f "$f" ] && { echo "== $f"; tail -5 "$f"; }; done
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
die() { echo "FAIL: $*" >&2; exit 1; }
block=$(awk '/<!-- quickstart -->/ {armed = 1; next}
             armed && /^```sh/ {inside = 1; next}
             inside && /^```/ {exit}
             inside {print}' "$README")
[ "$(echo "$block" | grep -c .)" -ge 10 ] || die "no quickstart block in $README"
mkdir -p "$WORK/build/nodes"
ln -s "$(realpath "$ACFTS")" "$WORK/build/nodes/acfts"
cd "$WORK"
# The nodes the block starts outlive it (as in a user's shell); the trap kills them.
timeout 120 bash -euo pipefail -c "$block" >quickstart.out 2>&1 || {
  cat quickstart.out; die "the quickstart failed"
}
cat quickstart.out
[ "$(grep -cE '^[0-9a-f]{64}$' quickstart.out)" = 2 ] || die "two payments should print their hashes"
grep -Eq 'received +100 .*final' quickstart.out || die "alice's history lacks the 100 received"
grep -Eq 'sent +30 .*final' quickstart.out || die "alice's history lacks the 30 sent"
total() { ./build/nodes/acfts balance --config "$1" --json | grep -o '"total":[0-9]*' | cut -d: -f2; }
for _ in $(seq 100); do [ "$(total bob/wallet.toml)" = 30 ] && break; sleep 0.1; done
[ "$(total bob/wallet.toml)" = 30 ] || die "bob holds $(total bob/wallet.toml), not 30"
[ "$(total alice/wallet.toml)" = 70 ] || die "alice holds $(total alice/wallet.toml), not 70"
echo "quickstart ran as written: alice 70, bob 30"
