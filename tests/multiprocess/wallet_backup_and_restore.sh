# Back up and restore a wallet (issue 23, item 1): a backup taken while the wallet pays a stream,
# and one taken at rest; the wallet's directory deleted; the backup at rest restored: balance,
# history and pending hand-offs are what they were, and it pays on. The backup taken during the
# stream, restored later, is stale: the coin it holds was spent since, and the validators'
# refusal says so ("spent since the backup") without losing anything else. A wrong passphrase,
# an altered file and an existing target are refused.
source "$(dirname "$0")/lib.sh"
start_on_own_files
echo "correct horse battery staple" >"$WORK/pass"
echo "wrong" >"$WORK/wrong"

for i in 1 2 3 4 5 6 7 8; do "$ACFTS" pay --config "$CFG" --wallet w0 --to a4 --amount $i >/dev/null 2>&1; done &
stream=$!
sleep 0.3
"$ACFTS" wallet backup --config "$W0" --out "$WORK/during.backup" --passphrase-file "$WORK/pass" \
  || die "backup during a stream failed"
wait $stream || die "the stream failed"
[ "$(stat -c %a "$WORK/during.backup")" = 600 ] || die "the backup is readable by others"
out=$("$ACFTS" wallet backup --config "$W0" --out "$WORK/during.backup" --passphrase-file "$WORK/pass" 2>&1) \
  && die "a backup was written over another"
echo "$out" | grep -q "exists" || die "unclear refusal: $out"
eventually 20 file_total_is "$W1" 36
# A final payment whose hand-off is pending (its URI names a dead port): the backup must keep it.
good=$("$ACFTS" receive --config "$W1" --amount 3)
dead=$(echo "$good" | sed 's/node=[^&]*/node=127.0.0.1:1/')
"$ACFTS" pay --config "$W0" --to "$dead" >/dev/null 2>&1 || die "paying the dead route failed"
pending=$("$ACFTS" tx undelivered --config "$W0" --json | grep -o '"tx":"[0-9a-f]*","payee":"[0-9a-f]*","endpoint":"[^"]*"') \
  && die "no undelivered hand-off"
[ -n "$pending" ] || die "tx undelivered lists nothing"
"$ACFTS" wallet backup --config "$W0" --out "$WORK/rest.backup" --passphrase-file "$WORK/pass" \
  | tee "$WORK/backup.out" || die "backup at rest failed"
grep -q "store records" "$WORK/backup.out" || die "backup says nothing"
before=$(file_total "$W0")
history=$("$ACFTS" history --config "$W0" --json --limit 0)
[ "$before" = 999961 ] || die "w0 holds $before"

# The wallet is lost: its node stopped, its files deleted.
stop_wallet w0
rm -rf "$WORK/data/w0" "$W0" "$WORK"/keys/a[0-3].key
out=$("$ACFTS" wallet restore "$WORK/rest.backup" --out "$WORK/w0r" --passphrase-file "$WORK/wrong" 2>&1) \
  && die "a wrong passphrase was taken"
echo "$out" | grep -q "wrong passphrase" || die "unclear refusal: $out"
[ ! -e "$WORK/w0r" ] || die "a refused restore left a directory"
cp "$WORK/rest.backup" "$WORK/altered.backup"
flipped=$(( $(od -An -tu1 -j200 -N1 "$WORK/altered.backup") ^ 1 )) # one bit of the content
printf "\\$(printf '%03o' "$flipped")" | dd of="$WORK/altered.backup" bs=1 seek=200 conv=notrunc 2>/dev/null
cmp -s "$WORK/rest.backup" "$WORK/altered.backup" && die "the test did not alter the backup"
out=$("$ACFTS" wallet restore "$WORK/altered.backup" --out "$WORK/w0x" --passphrase-file "$WORK/pass" 2>&1) \
  && die "an altered backup was restored"
echo "$out" | grep -q "altered" || die "unclear refusal: $out"
"$ACFTS" wallet restore "$WORK/rest.backup" --out "$WORK/w0r" --passphrase-file "$WORK/pass" \
  || die "restore failed"
out=$("$ACFTS" wallet restore "$WORK/rest.backup" --out "$WORK/w0r" --passphrase-file "$WORK/pass" 2>&1) \
  && die "a restore overwrote a directory"
[ "$(stat -c %a "$WORK/w0r/keys/a0.key")" = 600 ] || die "a restored key is readable by others"
start_wallet w0r "$WORK/w0r/wallet.toml"
[ "$(file_total "$WORK/w0r/wallet.toml")" = "$before" ] || die "restored balance $(file_total "$WORK/w0r/wallet.toml"), not $before"
[ "$("$ACFTS" history --config "$WORK/w0r/wallet.toml" --json --limit 0)" = "$history" ] \
  || die "the restored history differs"
restored=$("$ACFTS" tx undelivered --config "$WORK/w0r/wallet.toml" --json | grep -o '"tx":"[0-9a-f]*","payee":"[0-9a-f]*","endpoint":"[^"]*"') \
  && die "the restored wallet lost its pending hand-off"
[ "$restored" = "$pending" ] || die "pending hand-offs differ: $restored, not $pending"
"$ACFTS" pay --config "$WORK/w0r/wallet.toml" --to "$("$ACFTS" receive --config "$W1" --amount 100)" >/dev/null 2>&1 \
  || die "the restored wallet cannot pay"
eventually 20 file_total_is "$W1" 136
"$ACFTS" tx resend "$(echo "$pending" | cut -d'"' -f4)" --config "$WORK/w0r/wallet.toml" --to "$good" >/dev/null \
  || die "the restored pending hand-off could not be resent"
eventually 20 file_total_is "$W1" 139
note "restored from the backup at rest: $before units, its history and its pending hand-off; it paid on and delivered it"
stop_wallet w0r

# The backup taken during the stream is stale: its coin was spent since.
"$ACFTS" wallet restore "$WORK/during.backup" --out "$WORK/w0s" --passphrase-file "$WORK/pass" >/dev/null \
  || die "restoring the stale backup failed"
start_wallet w0s "$WORK/w0s/wallet.toml"
stale=$(file_total "$WORK/w0s/wallet.toml")
[ "$stale" -gt "$before" ] || die "the stale backup holds $stale, not more than $before"
out=$("$ACFTS" pay --config "$WORK/w0s/wallet.toml" --to "$("$ACFTS" receive --config "$W1" --amount 5)" 2>&1) \
  && die "a coin spent since the backup was spent again"
echo "$out" | grep -q "spent since the backup" || die "unclear refusal: $out"
note "stale backup: $out"
stop_wallet w0s

# Certificates out (issue 23, item 2): every certificate that made a coin of w1, into a wallet
# with w1's keys and an empty store, which then holds what w1 held.
held=$(file_total "$W1")
"$ACFTS" tx export --all --config "$W1" --out "$WORK/certs" | grep -q "certified transactions" \
  || die "tx export --all failed"
out=$("$ACFTS" tx export --all --config "$W1" --out "$WORK/certs" 2>&1) && die "an export overwrote a directory"
stop_wallet w1
mv "$WORK/data/w1" "$WORK/w1.store.kept"
start_wallet w1 "$W1"
[ "$(file_total "$W1")" = 0 ] || die "the fresh store holds $(file_total "$W1")"
for f in "$WORK"/certs/*.cert; do "$ACFTS" tx import "$f" --config "$W1" >/dev/null || die "import $f"; done
[ "$(file_total "$W1")" = "$held" ] || die "after tx import of every certificate: $(file_total "$W1"), not $held"
note "tx export --all: $(ls "$WORK/certs" | wc -l) certificates gave a new store all of w1's $held units"
for name in "${!PIDS[@]}"; do kill -TERM "${PIDS[$name]}"; done
wait 2>/dev/null || true
PIDS=()
