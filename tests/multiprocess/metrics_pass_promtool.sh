# Every node serves Prometheus metrics on 127.0.0.1:metrics_port (issue 16, item 4): the output
# passes `promtool check metrics`, its counters move with payments, and `acfts status` shows the
# same to a person and, with --json, to a script; a validator whose store write fails is
# faulted there.
source "$(dirname "$0")/lib.sh"
command -v promtool >/dev/null || die "promtool is missing (Debian package prometheus)"
keygen --metrics
start_all
port_of() { # the metrics_port of node $1 in cluster.toml (its table's keys in any order)
  awk -v want="'$1'" '/^\[\[/ {port = ""; name = ""}
    $1 == "metrics_port" {port = $3} $1 == "name" {name = $3}
    port != "" && name == want {print port; exit}' "$CFG"
}
scrape() { # scrape NAME FILE: the body of GET /metrics
  exec 3<>"/dev/tcp/127.0.0.1/$(port_of "$1")"
  printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  sed '1,/^\r$/d' <&3 >"$2"
  exec 3<&-
}
metric() { awk -v p="$1" 'index($0, p) == 1 {s += $NF} END {print s + 0}' "$2"; }
pay --wallet w0 --from a0 --to a4 --amount 5 >/dev/null || die "payment failed"
scrape v0 "$WORK/v0.before"
scrape w0 "$WORK/w0.before"
for n in 1 2 3; do pay --wallet w0 --from a0 --to a4 --amount 5 >/dev/null || die "payment failed"; done
eventually 10 total_is w1 20
scrape v0 "$WORK/v0.after"
scrape w0 "$WORK/w0.after"
scrape w1 "$WORK/w1.after"
for f in v0.after w0.after w1.after; do
  out=$(promtool check metrics <"$WORK/$f" 2>&1) || die "promtool refuses $f: $out"
done
grep -q '^acfts_group_commit_write_seconds_bucket' "$WORK/v0.after" || die "no write latency histogram"
grep -q '^acfts_validator_rejected_total{.*code="conflict"' "$WORK/v0.after" || die "no rejections by code"
before=$(metric acfts_validator_requests_total "$WORK/v0.before")
after=$(metric acfts_validator_requests_total "$WORK/v0.after")
[ "$after" -ge $((before + 3)) ] || die "v0's requests went from $before to $after over 3 payments"
final_before=$(metric 'acfts_wallet_payments_total{wallet="w0",state="final"}' "$WORK/w0.before")
final_after=$(metric 'acfts_wallet_payments_total{wallet="w0",state="final"}' "$WORK/w0.after")
[ "$final_after" = $((final_before + 3)) ] || die "w0's final payments: $final_before -> $final_after"
[ "$(metric acfts_wallet_received_total "$WORK/w1.after")" -ge 4 ] || die "w1 received too few"
note "v0: $(grep -c '^acfts' "$WORK/v0.after") samples; requests $before -> $after"
out=$("$ACFTS" status --config "$CFG" --node v0 --json) || die "status v0 failed: $out"
echo "$out" | grep -q '"state":"serving"' || die "status: $out"
echo "$out" | grep -q '"kind":"validator"' || die "status: $out"
"$ACFTS" status --config "$CFG" --node w0 | grep -q "payments_final" || die "status w0 says nothing"
out=$("$ACFTS" status --config "$CFG" --node v9 2>&1) && die "status of no node succeeded"
echo "$out" | grep -q "no node named" || die "unclear refusal: $out"
kill9 v3
out=$("$ACFTS" status --config "$CFG" --node v3 2>&1) && die "status of a dead node succeeded"
echo "$out" | grep -q "down" || die "unclear refusal: $out"
# A validator whose store write fails (a fault drill: every fsync fails while the file exists,
# as on a full disk) says so to status: faulted, exit 1, and its storage faults counted.
: >"$WORK/v3.log"
"$ACFTS" validator --config "$CFG" --name v3 --fault-drill "$WORK/disk-full" >>"$WORK/v3.log" 2>&1 &
PIDS[v3]=$!
wait_for "$WORK/v3.log" "serving on"
out=$("$ACFTS" status --config "$CFG" --node v3 --json) || die "status of a healthy v3 failed: $out"
echo "$out" | grep -q '"state":"serving"' || die "status: $out"
# w0 must reach the new v3 before it pays: a request that finds v3 unconnected is not sent again
# once v0-v2 made the payment final.
reconnected() { [ "$(grep -c "connected to validator v3" "$WORK/w0.log")" -ge 2 ]; }
eventually 20 reconnected
touch "$WORK/disk-full"
pay --wallet w0 --from a0 --to a4 --amount 1 >/dev/null || die "the payment needs only v0-v2"
faulted() { ! out=$("$ACFTS" status --config "$CFG" --node v3 --json) && echo "$out" | grep -q '"state":"faulted"'; }
eventually 10 faulted
note "v3 with a failing disk: $(echo "$out" | grep -o '"state":"[a-z]*"\|"storage_faults":[0-9.]*' | tr '\n' ' ')"
grep -q "storage fault" "$WORK/v3.log" || die "v3 did not log its fault"
