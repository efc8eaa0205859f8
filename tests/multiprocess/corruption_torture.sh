# Storage-corruption torture: while two streams of payments run, a validator is stopped with
# SIGKILL, random bytes of a random file of its store (write-ahead log, table, MANIFEST, CURRENT)
# are overwritten, and it is started again. Each time it either refuses to start (its store is
# then put back exactly as it was before the damage, which it never served from) or serves; at
# most one validator carries damage it started with (the network tolerates f = 1). At the end
# every payment settles and `acfts audit` passes — leaving out (--skip) only a validator whose
# damage the audit itself finds. A validator serving on damage is asked to sign a second spend of
# a coin it locked, and must refuse: no validator ever signs a conflicting spend.
#   CORRUPTIONS (default 4; the long run uses 50+) and SEED pick the schedule.
source "$(dirname "$0")/lib.sh"
CORRUPTIONS=${CORRUPTIONS:-4}
RANDOM=${SEED:-11}
start_funded_cluster


# damage DIR: overwrites 1-16 random bytes at a random offset of a random store file.
damage() {
  local files=() f size offset n
  for f in "$1"/*.log "$1"/*.ldb "$1"/MANIFEST-* "$1"/CURRENT; do [ -s "$f" ] && files+=("$f"); done
  f=${files[$((RANDOM % ${#files[@]}))]}
  size=$(stat -c %s "$f")
  n=$((RANDOM % 16 + 1))
  offset=$(( (RANDOM * 32768 + RANDOM) % size ))
  head -c "$n" /dev/urandom | dd of="$f" bs=1 seek="$offset" conv=notrunc 2>/dev/null
  echo "$(basename "$f")@$offset+$n"
}

stream w0 a0 a5 "$WORK/s0" & s0=$!
stream w1 a4 a2 "$WORK/s1" & s1=$!
validators=(v0 v1 v2 v3)
damaged="" # the one validator that serves on damage it started with
refused=0 served=0
for k in $(seq 1 "$CORRUPTIONS"); do
  sleep "0.$((RANDOM % 5 + 3))"
  victim=${damaged:-${validators[$((RANDOM % 4))]}}
  kill9 "$victim"
  dir="$WORK/data/$victim"
  rm -rf "$WORK/before" && cp -a "$dir" "$WORK/before"
  what=$(damage "$dir")
  set +e
  : >"$WORK/$victim.log" # now, so that the last run's "serving on" is gone before we look
  "$ACFTS" validator --config "$CFG" --name "$victim" --verbose >>"$WORK/$victim.log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 20))
  while ! grep -q "serving on" "$WORK/$victim.log" && kill -0 $pid 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || die "$victim neither served nor refused"
    sleep 0.05
  done
  set -e
  if grep -q "serving on" "$WORK/$victim.log"; then
    PIDS[$victim]=$pid
    served=$((served + 1))
    damaged=$victim
    # It must still refuse a second spend of the genesis output, which every validator locked to
    # the funding payment: as a conflict, or as a storage fault if it reads its damage.
    answer=$("$PROBE" --config "$CFG" --validator "$victim" --to a3 --amount 10 2>&1 || true)
    [[ $answer == "rejected conflict"* || $answer == "rejected storage_fault"* ]] \
      || die "$victim, serving on damage ($what), answered a conflicting spend with: $answer"
    echo "$k: $victim $what: serves, refuses the conflict (${answer%% *} ${answer#* })" \
      | cut -c1-160 >>"$WORK/rounds"
  else
    wait $pid 2>/dev/null && die "$victim exited 0 without serving"
    grep -q "is damaged" "$WORK/$victim.log" || die "$victim refused without saying why: $(cat "$WORK/$victim.log")"
    refused=$((refused + 1))
    echo "$k: $victim $what: refused ($(grep -o 'is damaged ([^)]*)' "$WORK/$victim.log"))" >>"$WORK/rounds"
    rm -rf "$dir" && mv "$WORK/before" "$dir" # exactly as before the damage: never served from
    start validator "$victim"
  fi
done
end_streams_and_stop
set +e
report=$("$ACFTS" audit --config "$CFG" --json 2>&1)
rc=$?
set -e
# Every breach the audit names is the damaged validator's: a log record zeroed whole is skipped by
# LevelDB without a word (doc/operations.md: A damaged store), so the validator that served on it may have
# lost locks it signed; the audit finds them. That validator is one of the f faulty ones.
only_damaged_breaches() {
  local all mine
  all=$(echo "$report" | grep -o '"breaches":\[.*\]' | grep -o '"[^"]*"' | tail -n +2)
  # Only records it lost: a double signature or a broken supply is never excused.
  mine=$(echo "$all" | grep -cE "^\"validator $damaged (has no record of its signature|lost a lock it signed)" || true)
  [ -n "$all" ] && [ "$mine" = "$(echo "$all" | wc -l)" ]
}
if [ $rc = 2 ] && [ -n "$damaged" ] && echo "$report" | grep -q "data/$damaged.* is damaged"; then
  note "the audit refuses $damaged's damaged store; auditing the rest"
  report=$("$ACFTS" audit --config "$CFG" --json --skip "$damaged") || die "audit failed: $report"
elif [ $rc != 0 ] && [ -n "$damaged" ] && only_damaged_breaches; then
  note "the audit finds locks $damaged lost to its damage (and nothing else); auditing the rest"
  report=$("$ACFTS" audit --config "$CFG" --json --skip "$damaged") || die "audit failed: $report"
elif [ $rc != 0 ]; then
  die "audit failed: $report"
fi
echo "$report" | grep -q '"pending":0' || die "payments still pending: $report"
note "$(cat "$WORK/rounds" | tr '\n' ';')"
note "refused $refused, served $served; payments final: $final; audit: $report"
