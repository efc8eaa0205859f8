# Bad configuration stops a node with a one-line message naming the field or file, exit non-zero.
source "$(dirname "$0")/lib.sh"
keygen
expect_refusal() { # DESCRIPTION PATTERN COMMAND...
  local what=$1 pattern=$2; shift 2
  set +e
  out=$("$@" 2>&1)
  rc=$?
  set -e
  [ $rc -ne 0 ] || die "$what: node started"
  echo "$out" | grep -q -- "$pattern" || die "$what: message '$out' does not name '$pattern'"
  [ "$(echo "$out" | wc -l)" -le 2 ] || die "$what: more than one line: $out"
}
variant() { sed "$1" "$CFG" >"$WORK/$2.toml"; echo "$WORK/$2.toml"; }
run_v0() { "$ACFTS" validator --config "$1" --name v0; }
expect_refusal "missing field" "validators\[0\].host" run_v0 "$(variant '0,/^host = .*/{/^host = .*/d}' missing)"
expect_refusal "duplicate name" "duplicate name 'v0'" run_v0 "$(variant "s/name = 'v1'/name = 'v0'/" dup)"
expect_refusal "bad key" "public_key" run_v0 "$(variant "0,/public_key = '/{s/public_key = '../public_key = 'zz/}" badkey)"
expect_refusal "not TOML" "line" run_v0 "$(variant '1i [[[ oops' syntax)"
expect_refusal "unknown node" "no validator named 'v9'" "$ACFTS" validator --config "$CFG" --name v9
expect_refusal "bad metrics port" "metrics_port" run_v0 \
  "$(variant "0,/^name = 'v0'/{s/^name = 'v0'/metrics_port = 70000\nname = 'v0'/}" badmetrics)"
# Lock shards as processes: a list of two or more host:port, a part key file only with them.
expect_refusal "one lock shard" "validators\[0\].lock_shards: not a list of two or more" run_v0 \
  "$(variant "0,/^name = 'v0'/{s/^name = 'v0'/lock_shards = ['127.0.0.1:7999']\nname = 'v0'/}" oneshard)"
expect_refusal "bad lock shard" "lock_shards: entry 1 is not a" run_v0 \
  "$(variant "0,/^name = 'v0'/{s/^name = 'v0'/lock_shards = ['127.0.0.1:7998', 'nowhere']\nname = 'v0'/}" badshard)"
expect_refusal "part key without parts" "part_key_file: only with lock_shards or verifiers" run_v0 \
  "$(variant "0,/^name = 'v0'/{s/^name = 'v0'/part_key_file = 'p.key'\nname = 'v0'/}" partkey)"
expect_refusal "lock shards without a part key" "validators\[0\].part_key_file" run_v0 \
  "$(variant "0,/^name = 'v0'/{s/^name = 'v0'/lock_shards = ['127.0.0.1:7997', '127.0.0.1:7996']\nname = 'v0'/}" nopartkey)"
expect_refusal "verifiers not a list" "validators\[0\].verifiers: not a list of" run_v0 \
  "$(variant "0,/^name = 'v0'/{s/^name = 'v0'/verifiers = '127.0.0.1:7995'\nname = 'v0'/}" verlist)"
expect_refusal "bad verifier" "verifiers: entry 0 is not a" run_v0 \
  "$(variant "0,/^name = 'v0'/{s/^name = 'v0'/verifiers = ['nowhere']\nname = 'v0'/}" badverifier)"
expect_refusal "unknown part" "not a part this build runs alone" "$ACFTS" validator --config "$CFG" --name v0 --part signer
expect_refusal "verifier of none" "lists no verifiers" "$ACFTS" validator --config "$CFG" --name v0 --part verifier
chmod 644 "$WORK/keys/v0.key"
expect_refusal "key readable by others" "keys/v0.key" run_v0 "$CFG"
chmod 600 "$WORK/keys/v0.key"
mv "$WORK/keys/v1.key" "$WORK/keys/v1.moved"
expect_refusal "missing key file" "keys/v1.key" "$ACFTS" validator --config "$CFG" --name v1
mv "$WORK/keys/v1.moved" "$WORK/keys/v1.key"
cp "$WORK/keys/v2.key" "$WORK/keys/v2.saved"; rm -f "$WORK/keys/v2.key"; cp "$WORK/keys/v3.key" "$WORK/keys/v2.key"
expect_refusal "someone else's key" "keys/v2.key" "$ACFTS" validator --config "$CFG" --name v2
start validator v0
expect_refusal "port in use" "cannot listen" "$ACFTS" validator --config "$(variant "s/data_dir = 'data\/v0'/data_dir = 'data\/v0b'/" other)" --name v0
expect_refusal "store locked by a running node" "locked" "$ACFTS" validator --config "$CFG" --name v0
# The committee and wallet files (issue 16): the same, one line naming the file and field.
C="$WORK/committee.toml"
cvariant() { sed "$1" "$C" >"$WORK/$2.toml"; echo "$WORK/$2.toml"; }
expect_refusal "committee: f that does not fit" "f: 4 validators tolerate f = 1" run_v0 "$(cvariant 's/^f = 1/f = 2/' badf)"
expect_refusal "committee: genesis address" "genesis.address" run_v0 "$(cvariant "s/^address = '../address = 'zz/" badgen)"
W="$WORK/w0.toml"
sed "s/^committee = .*/committee = 7/" "$W" >"$WORK/badref.toml"
expect_refusal "wallet file: committee not a path" "committee: not the path" "$ACFTS" wallet --config "$WORK/badref.toml"
sed "s/^name = 'w0'/name = 'v1'/" "$W" >"$WORK/clash.toml"
expect_refusal "wallet file: a validator's name" "duplicate name 'v1'" "$ACFTS" wallet --config "$WORK/clash.toml"
# A mistyped optional field is an error naming the file and the key, not silently ignored (issue 22).
expect_refusal "cluster file: unknown key" "validators\[0\].metrics_prot: unknown key" run_v0 \
  "$(variant "0,/^name = 'v0'/{s/^name = 'v0'/metrics_prot = 9100\nname = 'v0'/}" typo)"
expect_refusal "cluster file: unknown top-level key" "tls_cert: unknown key" run_v0 "$(variant '1i tls_cert = "x"' typotop)"
expect_refusal "committee: unknown key" "genesis.amonut: unknown key" run_v0 "$(cvariant 's/^amount = /amonut = /' typogen)"
# The chain of past committees: epochs below this file's, going up; keys of 64 hex digits.
pastkey=$(grep -m1 public_key "$C" | cut -d"'" -f2)
expect_refusal "committee: a past epoch not below" "past\[0\].epoch: past epochs go up" run_v0 \
  "$(cvariant "\$a [[past]]\nepoch = 0\nf = 0\nkeys = ['$pastkey']" pastepoch)"
expect_refusal "committee: a past key" "past\[0\].keys\[0\]: not 64 hex digits" run_v0 \
  "$(cvariant "1i epoch = 1
\$a [[past]]\nepoch = 0\nf = 0\nkeys = ['zz']" pastkey)"
expect_refusal "committee: a past unknown key" "past\[0\].kyes: unknown key" run_v0 \
  "$(cvariant "1i epoch = 1
\$a [[past]]\nepoch = 0\nf = 0\nkyes = ['$pastkey']" pasttypo)"
sed "s/^control_port = /contol_port = /" "$W" >"$WORK/typow.toml"
expect_refusal "wallet file: unknown key" "typow.toml: contol_port: unknown key" "$ACFTS" wallet --config "$WORK/typow.toml"
# TLS keys and the network CA's key are held to the owner keys' rule: mode 600 (issue 22).
"$ACFTS" keygen --out "$WORK/tlsnet" --tls --validators 4 --wallets 1 --addresses 1 >/dev/null
chmod 644 "$WORK/tlsnet/tls/v0.key"
expect_refusal "TLS key readable by others" "tls/v0.key: mode 644" "$ACFTS" validator --config "$WORK/tlsnet/cluster.toml" --name v0
chmod 600 "$WORK/tlsnet/tls/v0.key"
"$ACFTS" wallet init --committee "$WORK/tlsnet/committee.toml" --out "$WORK/tlsnet/joiner" >/dev/null
chmod 644 "$WORK/tlsnet/tls/ca.key"
expect_refusal "CA key readable by others" "ca.key: mode 644" "$ACFTS" cert sign "$WORK/tlsnet/joiner/tls/joiner.csr" \
  --ca-cert "$WORK/tlsnet/tls/ca.crt" --ca-key "$WORK/tlsnet/tls/ca.key"
chmod 600 "$WORK/tlsnet/tls/ca.key"
# What a user types is what is paid: amounts and counts are decimal digits, nothing else (issue 22).
for typed in 010 0x10 -5 +5 ' 5' 1e3 1.5 ''; do
  expect_refusal "--amount '$typed'" "invalid_number" "$ACFTS" pay --config "$CFG" --wallet w0 --to a4 --amount "$typed"
done
expect_refusal "--amount 2^64" "amount_out_of_range" "$ACFTS" pay --config "$CFG" --wallet w0 --to a4 --amount 18446744073709551616
expect_refusal "--amount 0" "zero_payment" "$ACFTS" pay --config "$CFG" --wallet w0 --to a4 --amount 0
expect_refusal "receive --amount 010" "invalid_number" "$ACFTS" receive --config "$CFG" --wallet w1 --amount 010
expect_refusal "tx create --amount 0x10" "invalid_number" "$ACFTS" tx create --config "$CFG" --wallet w0 --from a0 --to a4 --amount 0x10 --out "$WORK/never.tx"
expect_refusal "--count 010" "invalid_number" "$ACFTS" pay --config "$CFG" --wallet w0 --to a4 --amount 1 --count 010
expect_refusal "--limit -1" "invalid_number" "$ACFTS" history --config "$CFG" --wallet w0 --limit -1
expect_refusal "--base-port 70000" "amount_out_of_range" "$ACFTS" keygen --out "$WORK/never" --base-port 70000
payee=$("$ACFTS" receive --config "$CFG" --wallet w1 --json | sed 's/.*"address":"\([0-9a-f]*\)".*/\1/')
expect_refusal "URI with two amounts" "amount appears twice" "$ACFTS" pay --config "$CFG" --wallet w0 --to "acfts:$payee?amount=3&amount=900"
expect_refusal "URI amount 010" "invalid_number" "$ACFTS" pay --config "$CFG" --wallet w0 --to "acfts:$payee?amount=010"
[ ! -e "$WORK/never.tx" ] || die "tx create wrote a file for a refused amount"
# A policy nested 100,000 deep is refused with its code, not a crash (issue 22).
# (An argument holds at most 128 KiB: 40,000 levels there, 100,000 in a file.)
deep="$(printf 'or(%.0s' $(seq 40000))ed25519:$(printf '%064d' 1)"
expect_refusal "deep policy" "policy_over_limit" "$ACFTS" address new --config "$CFG" --wallet w0 --policy "$deep"
deep="$(printf 'or(%.0s' $(seq 100000))ed25519:$(printf '%064d' 1)"
printf '{"policy": "%s"}' "$deep" >"$WORK/deep.json"
expect_refusal "deep policy file" "policy_over_limit" "$ACFTS" address new --config "$CFG" --wallet w0 --policy-file "$WORK/deep.json"
{ sed '/^\[\[addresses\]\]/,$d' "$W"; printf "[[addresses]]\nname = 'deep'\npolicy = '%s'\n" "$deep"; } >"$WORK/deepw.toml"
expect_refusal "wallet file with a deep policy" "policy_over_limit" "$ACFTS" wallet --config "$WORK/deepw.toml"

# --json is the command's own: its errors come as JSON on stdout, and without it stdout stays empty.
out="$("$ACFTS" network --config "$WORK/missing.toml" --json 2>/dev/null)" && die "network on a missing file succeeded"
echo "$out" | grep -q '^{"error":{"code":"invalid_config"' || die "network --json error not in JSON: $out"
out="$("$ACFTS" network --config "$WORK/missing.toml" 2>/dev/null)" && die "network on a missing file succeeded"
[ -z "$out" ] || die "an error without --json printed on stdout: $out"
out="$("$ACFTS" balance --config "$WORK/missing.toml" --json 2>/dev/null)" && die "balance on a missing file succeeded"
echo "$out" | grep -q '^{"error":{"code":"invalid_config"' || die "balance --json error not in JSON: $out"
