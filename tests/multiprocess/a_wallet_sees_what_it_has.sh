# Seeing what you have (issue 23, items 3 and 4): `address list` (balances while the node runs,
# spendable apart from what a pending payment or held request reserves), `key show` (never the
# secret), `network` (one validator down shows it), `--version`, and an unknown command named
# with the nearest one.
source "$(dirname "$0")/lib.sh"
keygen
start_all
W0="$WORK/w0.toml"
"$ACFTS" --version | grep -Eq '^acfts [0-9]+\.[0-9]+\.[0-9]+ \(.+\)$' || die "--version: $("$ACFTS" --version)"
out=$("$ACFTS" tx stauts 2>&1) && die "an unknown command ran"
echo "$out" | grep -q "did you mean 'tx status'" || die "no nearest match: $out"
out=$("$ACFTS" paay --config "$CFG" 2>&1) && die "an unknown command ran"
echo "$out" | grep -q "did you mean 'pay'" || die "no nearest match: $out"

list=$("$ACFTS" address list --config "$CFG" --wallet w0 --json)
echo "$list" | grep -q '"running":true' || die "address list: $list"
a0=$(echo "$list" | grep -o '"name":"a0","address":"[0-9a-f]*"' | cut -d'"' -f8)
echo "$list" | grep -q "\"name\":\"a0\",\"address\":\"$a0\",\"scheme\":\"ed25519\",\"key\":\"ed25519:[0-9a-f]*\",\"balance\":1000000,\"spendable\":1000000" \
  || die "address list: $list"
"$ACFTS" tx create --config "$CFG" --wallet w0 --from a0 --to a4 --amount 5 --out "$WORK/held.tx" >/dev/null
list=$("$ACFTS" address list --config "$CFG" --wallet w0 --json)
echo "$list" | grep -q '"name":"a0",[^}]*"balance":1000000,"spendable":0' \
  || die "a held request's input still counted as spendable: $list"
"$ACFTS" address list --config "$CFG" --wallet w0 | grep -q "^a0  $a0  ed25519:.*balance 1000000, spendable 0" \
  || die "address list (text): $("$ACFTS" address list --config "$CFG" --wallet w0)"

# A move between the wallet's own addresses is in its history (issue 23, item 3).
"$ACFTS" pay --config "$CFG" --wallet w0 --from a1 --to a2 --amount 1 >/dev/null 2>&1 \
  && die "a1 holds nothing, yet paid"
"$ACFTS" pay --config "$CFG" --wallet w0 --from a0 --to a4 --amount 3 >/dev/null 2>&1 && die "a0's coin is held"
"$ACFTS" tx abandon "$WORK/held.tx" --config "$CFG" --wallet w0 >/dev/null || die "abandon failed"
"$ACFTS" pay --config "$CFG" --wallet w0 --from a0 --to a2 --amount 7 >/dev/null 2>&1 || die "moving to a2 failed"
h=$("$ACFTS" history --config "$CFG" --wallet w0 --json)
echo "$h" | grep -q "\"direction\":\"moved\",\"counterparty\":\"[0-9a-f]*\",\"amount\":7" || die "history: $h"
"$ACFTS" history --config "$CFG" --wallet w0 | grep -q "moved .* 7  a2 (w0)" || die "history (text) lacks the move"
shown=$("$ACFTS" key show "$WORK/keys/a0.key" --json)
echo "$shown" | grep -q "\"address\":\"$a0\"" || die "key show: $shown"
secret=$(tail -c 65 "$WORK/keys/a0.key" | tr -d '\n')
echo "$shown" | grep -q "$secret" && die "key show printed the secret"
out=$("$ACFTS" key show "$WORK/nothing.key" 2>&1) && die "a missing key file was shown"

net=$("$ACFTS" network --config "$WORK/committee.toml" --json) || die "network: $net"
echo "$net" | grep -q '"f":1,"quorum":3' || die "network: $net"
[ "$(echo "$net" | grep -o '"reachable":true' | wc -l)" = 4 ] || die "network: $net"
kill9 v2
"$ACFTS" network --config "$W0" | grep -q "v2  127.0.0.1:[0-9]*  NOT REACHABLE" || die "v2 down not shown"
"$ACFTS" network --config "$W0" >/dev/null || die "3 of 4 reachable is a quorum: exit 0"
kill9 v3
set +e
"$ACFTS" network --config "$W0" >/dev/null; rc=$?
set -e
[ $rc = 3 ] || die "two validators down: network exits $rc, not 3"
note "address list, key show, network and --version say what there is"
