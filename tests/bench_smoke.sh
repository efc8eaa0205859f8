# `acfts bench` in a few trials (the CI form of the benchmark): every scenario in both modes
# makes exactly the payments it should, the JSON report has the promised fields, the validator
# alone signs every request, and bad options are refused with one clear line.
set -euo pipefail
ACFTS=${1:?usage: bench_smoke.sh ACFTS_BINARY}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/acfts-bench-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
die() { echo "FAIL: $*" >&2; exit 1; }

out=$("$ACFTS" bench --scenario all --trials 3 --mode both --inflight 8 --json "$WORK/out.json" --data "$WORK")
echo "$out"
# Payments per row: S1 3, S2 6, S3 12, S4 3, S5 3, in each mode.
for row in "S1 +sequential +3 +3 " "S2 +sequential +3 +6 " "S3 +sequential +3 +12 " \
           "S4 +sequential +3 +3 " "S5 +sequential +3 +3 " "S1 +concurrent +3 +3 " \
           "S2 +concurrent +3 +6 " "S3 +concurrent +3 +12 " "S4 +concurrent +3 +3 " \
           "S5 +concurrent +3 +3 "; do
  echo "$out" | grep -Eq "^$row" || die "no row matching '$row'"
done
echo "$out" | grep -q "signature-bound limit, N=4: 5 signs + 15 verifies" || die "no limit line"
json=$(cat "$WORK/out.json")
for key in '"machine"' '"cores"' '"crypto_limit_tx_per_s"' '"results"' '"scenario"' '"mode"' \
           '"trials"' '"transactions"' '"seconds"' '"tx_per_s"' '"p50_ms"' '"p99_ms"'; do
  echo "$json" | grep -q "$key" || die "JSON lacks $key"
done
[ "$(echo "$json" | grep -c '"scenario"')" = 10 ] || die "JSON should hold 10 rows"

# S4's random senders are funded with exactly what they send; a wallet that spends its smallest
# output runs a split part down to nothing, and the driver must wait for change, not fail.
for seed in 1 2; do
  out=$("$ACFTS" bench --scenario S4 --trials 100 --mode concurrent --seed "$seed" --data "$WORK")
  echo "$out" | grep -Eq "^S4 +concurrent +100 +100 " || die "S4 (seed $seed) should make 100 payments"
done
# Policy payers beside single-key payers: the same payments, and the validators (N = 4) check
# two owner signatures per payment instead of one.
out=$("$ACFTS" bench --scenario S3 --trials 3 --mode both --payer-policy 2of3 --data "$WORK")
echo "$out"
for mode in sequential concurrent; do
  echo "$out" | grep -Eq "^S3 +$mode +3 +12 .* key +4\.00 " || die "no single-key $mode row"
  echo "$out" | grep -Eq "^S3 +$mode +3 +12 .* 2of3 +8\.00 " || die "no 2of3 $mode row"
done
# Both share modes side by side: the same payments; pooled rows report their batches and the
# root cache, and every share they made was checked (hits or misses).
out=$("$ACFTS" bench --scenario S1 --trials 20 --mode concurrent --shares both --inflight 8 \
  --json "$WORK/shares.json" --data "$WORK")
echo "$out"
echo "$out" | grep -Eq "^S1 +concurrent +20 +20 .* single +[0-9.]+ +- *$" || die "no single row"
echo "$out" | grep -Eq "^S1 +concurrent +20 +20 .* pooled +[0-9.]+ +[0-9]+ *$" || die "no pooled row"
echo "$out" | grep -q "per-payment limit (what pooling cannot share): 1 sign + 4 verifies" \
  || die "no per-payment limit"
for key in '"shares"' '"mean_batch"' '"root_cache_hit_rate"' '"per_payment_limit_tx_per_s"'; do
  grep -q "$key" "$WORK/shares.json" || die "JSON lacks $key"
done
out=$("$ACFTS" bench --shares triple 2>&1) && die "an unknown share mode was accepted"
out=$("$ACFTS" bench --distributed --shares both 2>&1) && die "--distributed took --shares both"
echo "$out" | grep -q "in-process only" || die "unclear refusal: $out"
# Nodes as processes over plaintext and TLS links, side by side in one run.
out=$("$ACFTS" bench --distributed --tls both --scenario S1 --trials 5 --mode concurrent \
  --inflight 4 --json "$WORK/tls.json" --data "$WORK")
echo "$out"
[ "$(echo "$out" | grep -cE "^S1 +concurrent +5 +5 ")" = 2 ] || die "no plaintext and TLS rows"
echo "$out" | grep -Eq "^S1 +concurrent +5 +5 .* plain$" || die "no plaintext row"
echo "$out" | grep -Eq "^S1 +concurrent +5 +5 .* tls$" || die "no TLS row"
echo "$out" | grep -Eq "^S1 concurrent 5 +plaintext .* TLS/plaintext [0-9.]+ +\(1\+1 rows\)$" \
  || die "no TLS ratio"
grep -q '"tls": true' "$WORK/tls.json" || die "JSON lacks the TLS rows"
# Nodes as processes against a fresh in-process committee, row by row in one run.
out=$("$ACFTS" bench --distributed --against-in-process --scenario S1 --trials 5 --mode concurrent \
  --inflight 4 --json "$WORK/inproc.json" --data "$WORK")
echo "$out"
echo "$out" | grep -Eq "^S1 +concurrent +5 +5 .* inproc$" || die "no in-process row"
echo "$out" | grep -Eq "^S1 +concurrent +5 +5 .* plain$" || die "no row of processes"
echo "$out" | grep -Eq "^S1 concurrent 5 +in-process .* plaintext/in-process [0-9.]+ +\(1\+1 rows\)$" \
  || die "no ratio of processes to in-process"
grep -q '"links": "in-process"' "$WORK/inproc.json" || die "JSON lacks the in-process row"
out=$("$ACFTS" bench --against-in-process 2>&1) && die "--against-in-process ran without --distributed"
echo "$out" | grep -q "needs --distributed" || die "unclear refusal: $out"
# Each validator with a verifier and two lock shards as processes of their own, over mutual TLS.
out=$("$ACFTS" bench --distributed --validator-parts 1,2 --tls on --scenario S1 --trials 5 \
  --mode concurrent --inflight 4 --json "$WORK/parts.json" --data "$WORK")
echo "$out"
echo "$out" | grep -q "^validator parts (--distributed): 1 verifier and 2 lock shard processes" \
  || die "no validator parts line"
echo "$out" | grep -Eq "^S1 +concurrent +5 +5 .* tls$" || die "no row with parts as processes"
grep -q '"validator_parts": \[' "$WORK/parts.json" || die "JSON lacks the validator parts"
# The CPU of each group of processes (a row of 5 payments is a few clock ticks: each group is
# counted, and together they worked).
echo "$out" | grep -Eq "^ +cpu over .* shards [0-9.]+ .* verifiers [0-9.]+ " || die "no CPU line"
python3 - "$WORK/parts.json" <<'PY' || die "no CPU of the parts in the JSON"
import json, sys
row = json.load(open(sys.argv[1]))["results"][0]
cpu = row["cpu_seconds"]
groups = ("validators", "verifiers", "shards", "wallets", "bench")
assert row["wall_seconds"] > 0 and all(cpu[g] >= 0 for g in groups), cpu
assert sum(cpu[g] for g in groups) > 0, cpu
PY
out=$("$ACFTS" bench --validator-parts 1,2 2>&1) && die "--validator-parts without --distributed"
echo "$out" | grep -q "with --distributed" || die "unclear refusal: $out"
out=$("$ACFTS" bench --distributed --validator-parts 2,1 2>&1) && die "--validator-parts took S=1"
echo "$out" | grep -q "S is 0, or two or more" || die "unclear refusal: $out"
out=$("$ACFTS" bench --tls on 2>&1) && die "--tls ran without --distributed"
echo "$out" | grep -q "needs --distributed" || die "unclear refusal: $out"
out=$("$ACFTS" bench --payer-policy 3of5 2>&1) && die "an unknown payer policy was accepted"
out=$("$ACFTS" bench --distributed --payer-policy 2of3 2>&1) && die "--distributed took --payer-policy"
echo "$out" | grep -q "in-process only" || die "unclear refusal: $out"
# Every row holds the peak resident size, and --data is made if missing.
out=$("$ACFTS" bench --scenario S1 --trials 3 --mode sequential --json "$WORK/mem.json" --data "$WORK/new/dir")
grep -q '"peak_rss_mib"' "$WORK/mem.json" || die "JSON lacks peak_rss_mib"

out=$("$ACFTS" bench --validator-only --requests 300 --workers 2 --data "$WORK")
echo "$out"
echo "$out" | grep -Eq "^ +2 +pooled +300 " || die "the validator alone should sign all 300 requests"
# Its parents' certificates in both forms: single shares, and pooled ones (roots per 64 parents).
out=$("$ACFTS" bench --validator-only --requests 200 --workers 1 --shares both --data "$WORK")
echo "$out"
echo "$out" | grep -Eq "^ +1 +single +200 " || die "single: the validator alone should sign all 200"
echo "$out" | grep -Eq "^ +1 +pooled +200 " || die "pooled: the validator alone should sign all 200"

# With its locks in lock shards: every request signed, a row per count.
out=$("$ACFTS" bench --validator-only --requests 200 --workers 2 --lock-shards 1,3 --data "$WORK")
echo "$out"
echo "$out" | grep -Eq "^ +2 +pooled +200 .* 1 +0 +[0-9.]+ +- +-$" \
  || die "1 shard: the validator should sign all 200"
echo "$out" | grep -Eq "^ +2 +pooled +200 .* 3 +0 +[0-9.]+ +- +-$" \
  || die "3 shards: the validator should sign all 200"
# With its parts as processes of their own (a verifier, two lock shards): every request signed,
# and each kind of part worked for it (CPU per request counted from /proc, in clock ticks:
# enough requests that each kind spends some).
out=$("$ACFTS" bench --validator-only --validator-parts 1,2 --requests 2000 --workers 2 \
  --json "$WORK/vo_parts.json" --data "$WORK")
echo "$out"
echo "$out" | grep -q "^validator parts: 1 verifier and 2 lock shard processes" \
  || die "no validator parts line"
echo "$out" | grep -Eq "^ +2 +pooled +2000 .* 2 +1 +[0-9.]+ +[0-9.]+ +[0-9.]+$" \
  || die "with parts: the validator should sign all 2000, with the CPU of each kind of part"
python3 - "$WORK/vo_parts.json" <<'PY' || die "the parts' CPU is missing or nothing in the JSON"
import json, sys
row = json.load(open(sys.argv[1]))["validator_only"][0]
assert row["verifier_processes"] == 1 and row["lock_shard_processes"] == 2, row
cpu = row["cpu_ms_per_request"]
assert cpu["validator"] > 0 and cpu["verifiers"] > 0 and cpu["shards"] > 0, cpu
PY
out=$("$ACFTS" bench --validator-only --validator-parts 1,2 --lock-shards 3 2>&1) \
  && die "--validator-parts took --lock-shards too"
echo "$out" | grep -q "leave out --lock-shards" || die "unclear refusal: $out"
out=$("$ACFTS" bench --scenario S1 --lock-shards 2 2>&1) && die "--lock-shards without --validator-only"
echo "$out" | grep -q "with --validator-only" || die "unclear refusal: $out"

out=$("$ACFTS" bench --validators 5 2>&1) && die "N=5 is not 3f+1"
echo "$out" | grep -q "3f+1" || die "unclear error: $out"
out=$("$ACFTS" bench --scenario S9 2>&1) && die "S9 does not exist"
echo "$out" | grep -q "S1..S5" || die "unclear error: $out"
echo "bench smoke ok"
