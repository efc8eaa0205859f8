# Runs the README's multi-node quickstart as written (the sh block after `<!-- quickstart -->`),
# twice in one directory where build/nodes/acfts is the binary under test (the second run while
# the first one's nodes still serve), then checks what each run promises: alice received 100 and
# paid bob 30, both final and delivered, and bob holds 30.
set -euo pipefail
ACFTS=${1:?usage: readme_quickstart.sh ACFTS_BINARY README}
README=${2:?usage: readme_quickstart.sh ACFTS_BINARY README}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/acfts-quickstart-XXXXXX")
RUNS=()
cleanup() {
  local rc=$?
  pkill -9 -f "$WORK/build/nodes/acfts" 2>/dev/null || true
  for d in "${RUNS[@]}"; do rm -rf "$d"; done
  if [ $rc -ne 0 ]; then
    for d in "${RUNS[@]}"; do
      for f in "$d"/*.log; do [ -f "$f" ] && { echo "== $f"; tail -5 "$f"; }; done
    done
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
export TMPDIR="$WORK"
total() { "$WORK/build/nodes/acfts" balance --config "$1" --json | grep -o '"total":[0-9]*' | cut -d: -f2; }
for run in 1 2; do
  # The nodes the block starts outlive it (as in a user's shell); the trap kills them.
  timeout 120 bash -euo pipefail -c "$block" >"quickstart$run.out" 2>&1 || {
    cat "quickstart$run.out"; die "run $run of the quickstart failed"
  }
  cat "quickstart$run.out"
  dir=$(grep -m1 "^$WORK/acfts-quickstart\." "quickstart$run.out") || die "run $run printed no directory"
  RUNS+=("$dir")
  out="quickstart$run.out"
  [ "$(grep -cE '^[0-9a-f]{64}$' "$out")" = 2 ] || die "two payments should print their hashes"
  [ "$(grep -c "final, delivered" "$out")" = 2 ] || die "run $run: both payments should say delivered"
  grep -Eq 'received +100 .*final' "$out" || die "alice's history lacks the 100 received"
  grep -Eq 'sent +30 .*final' "$out" || die "alice's history lacks the 30 sent"
  for _ in $(seq 100); do [ "$(total "$dir/bob/wallet.toml")" = 30 ] && break; sleep 0.1; done
  [ "$(total "$dir/bob/wallet.toml")" = 30 ] || die "run $run: bob holds $(total "$dir/bob/wallet.toml"), not 30"
  [ "$(total "$dir/alice/wallet.toml")" = 70 ] || die "run $run: alice holds $(total "$dir/alice/wallet.toml"), not 70"
  echo "quickstart run $run ran as written: alice 70, bob 30"
done
[ "${RUNS[0]}" != "${RUNS[1]}" ] || die "both runs used one directory"
