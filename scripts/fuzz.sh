#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into ./build-fuzz and runs each for SECONDS (default 20),
# starting from seed corpora made from the golden bytes. Corpora and crashes go to build-fuzz/.
#   bash scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-20}
bash scripts/install-deps.sh
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACFTS_FUZZ=ON >/dev/null
cmake --build build-fuzz -j "${JOBS:-2}" --target make_seeds fuzz_decoders fuzz_validator \
  fuzz_policy fuzz_policy_text
cd build-fuzz
mkdir -p corpus/decoders corpus/validator corpus/policy corpus/policy_text crashes
./fuzz/make_seeds ../tests/golden/wire.txt corpus/decoders corpus/validator corpus/policy
# The readable form: each construct once, and a nesting past the depth limit.
k=ed25519:$(printf '%064d' 7)
printf '%s' "thresh(2, $k, 2*$k, or($k, and($k, max_out(5))))" >corpus/policy_text/thresh
printf '%s' "and($k, only_to($(printf '%064d' 1)), after(2024-01-01T00:00:00Z), before(9))" \
  >corpus/policy_text/conditions
printf '%s' "$(printf 'or(%.0s' $(seq 40))$k" >corpus/policy_text/deep
status=0
for target in decoders validator policy policy_text; do
  echo "== fuzz_$target for ${SECONDS_PER_TARGET}s"
  ./fuzz/fuzz_$target -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix=crashes/$target- corpus/$target 2>&1 | tail -8 || status=1
done
exit $status
