# A validator that signs two spends of one coin is caught by a wallet, and the proof convicts it in
# another process that has only the committee file (issue 24, item 1). The equivocator is real:
# v3's store is deleted and v3 restarted with its key — it forgot its locks, as a validator
# restored from an old backup (or one that lies) would. The second spend comes from a stale
# backup of the payer, the way an honest user makes one.
source "$(dirname "$0")/lib.sh"
start_on_own_files
echo "correct horse battery staple" >"$WORK/pass"
"$ACFTS" wallet backup --config "$W0" --out "$WORK/w0.backup" --passphrase-file "$WORK/pass" >/dev/null \
  || die "backup failed"

# tx1, certified by v0, v1 and v3 (v2 is down, so v3's share is in the certificate).
kill9 v2
tx1=$("$ACFTS" pay --config "$W0" --to "$("$ACFTS" receive --config "$W1" --amount 5)" 2>/dev/null) \
  || die "tx1 failed"
eventually 20 file_total_is "$W1" 5
start validator v2
# v3 loses its store and comes back with the same key.
kill9 v3
rm -rf "$WORK/data/v3"
start validator v3

# The stale backup spends the coin tx1 spent: v0 and v1 refuse (conflict), v2 and v3 sign.
stop_wallet w0
"$ACFTS" wallet restore "$WORK/w0.backup" --out "$WORK/w0s" --passphrase-file "$WORK/pass" >/dev/null \
  || die "restore failed"
start_wallet w0s "$WORK/w0s/wallet.toml"
out=$("$ACFTS" pay --config "$WORK/w0s/wallet.toml" --to "$("$ACFTS" receive --config "$W1" --amount 6)" 2>&1) \
  && die "a coin spent since the backup was spent again"
echo "$out" | grep -q "spent since the backup" || die "unclear refusal: $out"
"$ACFTS" proof list --config "$WORK/w0s/wallet.toml" | grep -q "no equivocation seen" \
  || die "a proof before the other certificate was seen"

# tx1's certificate reaches the stale wallet (the payee exports it): v3's share is on both.
"$ACFTS" tx export "$tx1" --config "$W1" --out "$WORK/tx1.cert" >/dev/null || die "export failed"
"$ACFTS" tx import "$WORK/tx1.cert" --config "$WORK/w0s/wallet.toml" >/dev/null || die "import failed"
eventually 10 grep -q "equivocation: validator v3 signed two transactions" "$WORK/w0s.log"
"$ACFTS" proof list --config "$WORK/w0s/wallet.toml" --out "$WORK/proofs" >"$WORK/list.out" \
  || die "proof list failed"
[ "$(ls "$WORK/proofs" | wc -l)" = 1 ] || die "expected one proof: $(ls "$WORK/proofs")"
grep -q "^validator v3 signed two transactions spending .*$tx1" "$WORK/list.out" \
  || die "the proof does not name v3 and tx1: $(cat "$WORK/list.out")"
proof=$(ls "$WORK"/proofs/*)
note "$(head -1 "$WORK/list.out")"

# Checked elsewhere with the committee file alone (no store, no node).
mkdir "$WORK/elsewhere"
cp "$WORK/committee.toml" "$proof" "$WORK/elsewhere/"
verdict=$(cd "$WORK/elsewhere" && "$ACFTS" proof verify "$(basename "$proof")" --config committee.toml) \
  || die "the proof did not verify: $verdict"
echo "$verdict" | grep -q "^valid: validator v3 signed two transactions" || die "verdict: $verdict"
note "$(echo "$verdict" | tail -1)"
"$ACFTS" proof verify "$proof" --config "$WORK/committee.toml" --json | grep -q '"validator":"v3"' \
  || die "proof verify --json does not name v3"
# A damaged proof convicts nobody.
content=$(cat "$proof")
digit=${content:200:1}
[ "$digit" = 0 ] && other=1 || other=0
echo "${content:0:200}$other${content:201}" >"$WORK/bad.equivocation" # one hex digit of a share
out=$("$ACFTS" proof verify "$WORK/bad.equivocation" --config "$WORK/committee.toml" 2>&1) \
  && die "a damaged proof verified: $out"
note "damaged proof: $out"

# Seen again after a restart: kept, not made twice.
stop_wallet w0s
start_wallet w0s "$WORK/w0s/wallet.toml"
"$ACFTS" tx import "$WORK/tx1.cert" --config "$WORK/w0s/wallet.toml" >/dev/null || die "import again failed"
[ "$("$ACFTS" proof list --config "$WORK/w0s/wallet.toml" --json | grep -o '"validator":' | wc -l)" = 1 ] \
  || die "the proof was made twice"
grep -q "equivocation:" "$WORK/w0s.log" && die "the same equivocation was logged again after a restart"
note "one proof, kept across a restart"
