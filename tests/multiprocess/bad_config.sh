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
