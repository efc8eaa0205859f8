# A network anyone can join (issue 16, item 1): `acfts wallet init` makes a wallet from the
# committee file alone — in no cluster file, known to no validator — that receives by payment
# URI, pays back with a key of another scheme, takes new addresses while running and while
# stopped, and keeps balance and history across a restart. Validators run from committee.toml,
# the genesis wallet from the wallet file keygen wrote.
source "$(dirname "$0")/lib.sh"
keygen
COMMITTEE="$WORK/committee.toml"
[ -f "$COMMITTEE" ] && [ -f "$WORK/w0.toml" ] || die "keygen wrote no committee or wallet file"
CFG="$COMMITTEE" # validators start from the committee file
for v in v0 v1 v2 v3; do start validator $v; done
W0="$WORK/w0.toml"
CAROL="$WORK/carol/wallet.toml"
start_wallet w0 "$W0"

made=$("$ACFTS" wallet init --committee "$COMMITTEE" --out "$WORK/carol" --scheme p256 --json) \
  || die "wallet init failed: $made"
note "wallet init: $made"
echo "$made" | grep -q '"name":"carol"' || die "the wallet is not named after its directory"
[ -f "$CAROL" ] || die "no wallet.toml"
[ "$(stat -c %a "$WORK/carol/keys/a0.key")" = 600 ] || die "the key file is not private"
grep -q "key_file\|data_dir" "$WORK/carol/committee.toml" && die "the wallet's committee copy holds operators' paths"
grep -q carol "$WORK/cluster.toml" "$COMMITTEE" && die "wallet init changed the network's files"
grep -q "p256:" "$CAROL" || die "no P-256 key in $CAROL"
out=$("$ACFTS" wallet init --committee "$COMMITTEE" --out "$WORK/carol" 2>&1) && die "a wallet was overwritten"
echo "$out" | grep -q "exists" || die "unclear refusal: $out"
out=$("$ACFTS" wallet init --committee "$WORK/cluster.toml" --out "$WORK/dave" 2>&1) && die "a cluster file was taken as a committee"
echo "$out" | grep -q "not a committee file" || die "unclear refusal: $out"
out=$("$ACFTS" validator --config "$WORK/carol/committee.toml" --name v0 2>&1) && die "a validator ran without its key"
echo "$out" | grep -q "no key_file" || die "unclear refusal: $out"
start_wallet carol "$CAROL"

ctotal() { "$ACFTS" balance --config "$CAROL" --json | grep -o '"total":[0-9]*' | cut -d: -f2; }
ctotal_is() { [ "$(ctotal)" = "$1" ]; }
uri=$("$ACFTS" receive --config "$CAROL" --amount 100) || die "receive failed"
tx=$("$ACFTS" pay --config "$W0" --to "$uri") || die "w0 could not pay carol's URI: $tx"
eventually 30 ctotal_is 100
note "w0 paid carol 100 by $uri"

# A new address while the wallet runs: usable at once.
added=$("$ACFTS" address new --config "$CAROL" --json) || die "address new failed: $added"
echo "$added" | grep -q '"name":"a1".*"active":true' || die "the running wallet did not take it: $added"
uri=$("$ACFTS" receive --config "$CAROL" --address a1 --amount 20)
"$ACFTS" pay --config "$W0" --to "$uri" >/dev/null || die "paying carol's new address failed"
eventually 30 ctotal_is 120
# Pays back from its P-256 address to a URI of w0.
back=$("$ACFTS" receive --config "$W0" --address a2 --amount 30)
"$ACFTS" pay --config "$CAROL" --from a0 --to "$back" >/dev/null || die "carol could not pay back"
eventually 30 ctotal_is 90
h=$("$ACFTS" history --config "$CAROL" --json)
[ "$(echo "$h" | grep -o '"direction"' | wc -l)" = 3 ] || die "carol's history: $h"
echo "$h" | grep -q '"direction":"sent","counterparty":"[0-9a-f]*","amount":30,"state":"final"' \
  || die "the payment back is missing: $h"

# Stopped: an address added now is used from the next start; balance and history are kept.
stop_wallet carol
added=$("$ACFTS" address new --config "$CAROL" --name savings --json) || die "address new failed"
echo "$added" | grep -q '"active":false' || die "a stopped wallet reported active: $added"
start_wallet carol "$CAROL"
eventually 10 ctotal_is 90
[ "$("$ACFTS" history --config "$CAROL" --json)" = "$h" ] || die "history changed on restart"
uri=$("$ACFTS" receive --config "$CAROL" --address savings --amount 5)
"$ACFTS" pay --config "$W0" --to "$uri" >/dev/null || die "paying the address added while stopped failed"
eventually 30 ctotal_is 95
"$ACFTS" balance --config "$CAROL" | grep -q "savings *5" || die "savings does not hold 5"

# One file, several wallets: a command must say which.
out=$("$ACFTS" balance --config "$WORK/cluster.toml" 2>&1) && die "a wallet was guessed"
echo "$out" | grep -q "name one with --wallet" || die "unclear refusal: $out"
# A wallet file whose committee file is gone does not start.
cp "$CAROL" "$WORK/lost.toml"
sed -i "s|^committee = .*|committee = 'nowhere.toml'|" "$WORK/lost.toml"
out=$("$ACFTS" wallet --config "$WORK/lost.toml" 2>&1) && die "a wallet ran without its committee"
echo "$out" | grep -q "committee: .*nowhere.toml" || die "unclear refusal: $out"
note "carol holds $(ctotal) after a restart, with 4 lines of history"
