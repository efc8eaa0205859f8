# Mutual TLS between all nodes (issue 16, item 3): with `keygen --tls` every link is TLS with
# certificates of the network's CA. Payments work; a plaintext client, raw junk and a node whose
# certificate another CA signed are refused at the handshake while the validator keeps serving
# the others (no healthy link drops); a wallet made by `wallet init` starts only once the
# operator signed its request with `acfts cert sign`, and is then paid by URI.
source "$(dirname "$0")/lib.sh"
keygen --tls
[ -f "$WORK/tls/ca.crt" ] && [ -f "$WORK/tls/v0.crt" ] && [ -f "$WORK/tls/w1.key" ] \
  || die "keygen --tls wrote no CA or certificates"
[ "$(stat -c %a "$WORK/tls/ca.key")" = 600 ] || die "the CA key is not private"
[ "$(stat -c %a "$WORK/tls/v0.key")" = 600 ] || die "v0's TLS key is not private"
start_all
grep -q "serving on .* (TLS)" "$WORK/v0.log" || die "v0 does not say it serves TLS"
pay --wallet w0 --from a0 --to a4 --amount 40 >/dev/null || die "a payment over TLS failed"
eventually 20 total_is w1 40

# Lines logged from here on are the strangers' doing. (Before, two wallets that dialled each other
# at once may have lost one of the two redundant connections: CAF's BASP closes one, logged as
# "lost"; that is not a stranger's doing.)
n0=$(wc -l <"$WORK/w0.log") n1=$(wc -l <"$WORK/w1.log")
port=$(awk '/^\[\[/ {name = ""} $1 == "name" {name = $3} $1 == "port" && name == "'"'v0'"'" {print $3; exit}' "$CFG")
[ -n "$port" ] || die "no port for v0"
# A plaintext CAF client: refused.
out=$("$PROBE" --config "$CFG" --validator v0 --to a1 --amount 3 2>&1) && die "plaintext reached v0: $out"
echo "$out" | grep -q "cannot reach" || die "unclear refusal: $out"
# Raw junk and a half-open connection.
exec 3<>"/dev/tcp/127.0.0.1/$port"
head -c 4096 /dev/urandom >"/dev/tcp/127.0.0.1/$port" 2>/dev/null || true
# Another network's CA: its node certificate is refused, whichever CA the stranger trusts.
"$ACFTS" keygen --out "$WORK/other" --base-port 0 --tls >/dev/null
O="$WORK/other/tls"
out=$("$PROBE" --config "$CFG" --validator v0 --to a1 --amount 3 \
        --tls-cert "$O/w0.crt" --tls-key "$O/w0.key" --tls-ca "$O/ca.crt" 2>&1) \
  && die "a node of another CA reached v0: $out"
echo "$out" | grep -q "cannot reach" || die "unclear refusal: $out"
out=$("$PROBE" --config "$CFG" --validator v0 --to a1 --amount 3 \
        --tls-cert "$O/w0.crt" --tls-key "$O/w0.key" --tls-ca "$WORK/tls/ca.crt" 2>&1) \
  && die "a node of another CA that trusts ours reached v0: $out"
# The network's own certificate is answered (the genesis is spent: a conflict).
out=$("$PROBE" --config "$CFG" --validator v0 --to a1 --amount 3 \
        --tls-cert "$WORK/tls/w0.crt" --tls-key "$WORK/tls/w0.key" --tls-ca "$WORK/tls/ca.crt") \
  || die "v0 refused the network's own certificate"
echo "$out" | grep -q "^rejected conflict" || die "v0 answered: $out"
exec 3>&-
# v0 kept serving, and no wallet lost a link to the strangers' failures.
pay --wallet w0 --from a0 --to a4 --amount 2 >/dev/null || die "a payment after the attacks failed"
eventually 20 total_is w1 42
kill -0 "${PIDS[v0]}" || die "v0 died"
lost=$( (tail -n +$((n0 + 1)) "$WORK/w0.log"; tail -n +$((n1 + 1)) "$WORK/w1.log") | grep "lost" || true)
[ -z "$lost" ] || die "a refused stranger dropped a healthy link: $lost"

# A wallet that joins: a key and a request; it starts once the operator has signed.
"$ACFTS" wallet init --committee "$WORK/committee.toml" --out "$WORK/carol" >/dev/null 2>"$WORK/init.err" \
  || die "wallet init failed: $(cat "$WORK/init.err")"
grep -q "acfts cert sign" "$WORK/init.err" || die "wallet init does not say how to get a certificate"
[ -f "$WORK/carol/tls/carol.csr" ] && [ -f "$WORK/carol/tls/ca.crt" ] || die "no request or CA copy"
grep -q "tls_certificate\|tls_key" "$WORK/carol/committee.toml" && die "the committee copy names operators' TLS files"
out=$("$ACFTS" wallet --config "$WORK/carol/wallet.toml" 2>&1) && die "carol ran without a certificate"
echo "$out" | grep -q "cert sign" || die "unclear refusal: $out"
out=$("$ACFTS" cert sign "$WORK/carol/tls/carol.csr" --ca-cert "$O/ca.crt" --ca-key "$WORK/tls/ca.key" 2>&1) \
  && die "a CA key signed for another CA's certificate"
echo "$out" | grep -q "not the key of" || die "unclear refusal: $out"
"$ACFTS" cert sign "$WORK/carol/tls/carol.csr" --ca-cert "$WORK/tls/ca.crt" --ca-key "$WORK/tls/ca.key" \
  >/dev/null 2>&1 || die "cert sign failed"
[ -f "$WORK/carol/tls/carol.crt" ] || die "cert sign wrote no certificate"
start_wallet carol "$WORK/carol/wallet.toml"
ctotal_is() { "$ACFTS" balance --config "$WORK/carol/wallet.toml" --json | grep -q "\"total\":$1"; }
uri=$("$ACFTS" receive --config "$WORK/carol/wallet.toml" --amount 7)
pay --wallet w0 --to "$uri" >/dev/null || die "paying carol's URI over TLS failed"
eventually 30 ctotal_is 7
note "TLS: paid w1 42 and carol 7; plaintext, junk and another CA refused"
