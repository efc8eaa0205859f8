# A validator whose store was damaged while it was down (the last 8 bytes of its newest LevelDB
# log overwritten: bit rot, a torn sector) refuses to start, with one line that names the file and
# says what to do — it never serves with a lock missing, so it can never sign a conflicting spend
# of a coin it locked. The same for a wallet's store (issue 12, item 1).
source "$(dirname "$0")/lib.sh"
keygen
start validator v0
first=$("$PROBE" --config "$CFG" --validator v0 --to a1 --amount 10)
[[ $first == signed* ]] || die "first spend not signed: $first"
kill9 v0
damage() { # DIR: overwrite the last 8 bytes of its newest .log
  local log
  log=$(ls "$1"/*.log | sort | tail -1)
  [ -s "$log" ] || die "no log in $1"
  printf 'ZZZZZZZZ' | dd of="$log" bs=1 seek=$(( $(stat -c %s "$log") - 8 )) conv=notrunc 2>/dev/null
  basename "$log"
}
# refuses KIND NAME ADVICE: NAME, its store damaged, exits non-zero with one line naming the
# damaged file and containing ADVICE.
refuses() {
  local file out rc
  file=$(damage "$WORK/data/$2")
  set +e
  out=$(timeout 20 "$ACFTS" "$1" --config "$CFG" --name "$2" 2>&1)
  rc=$?
  set -e
  note "$out"
  [ $rc -ne 0 ] && [ $rc -ne 124 ] || die "$2 started on a damaged store (rc $rc)"
  [ "$(echo "$out" | grep -c .)" = 1 ] || die "expected one line, got: $out"
  echo "$out" | grep -q "$file is damaged" || die "the line does not name $file: $out"
  echo "$out" | grep -q "$3" || die "the line does not say what to do: $out"
}
refuses validator v0 "f faulty"
# A wallet's store.
start wallet w0
kill9 w0
refuses wallet w0 "keep the directory"
