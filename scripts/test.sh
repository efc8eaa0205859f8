#!/usr/bin/env bash
# Fresh machine → build → run every test under ctest (Release build), fuzz every decoder and the
# validator's request handler briefly (clang + libFuzzer, scripts/fuzz.sh), then run every test
# again in a build with AddressSanitizer + UndefinedBehaviorSanitizer (./build-asan).
# About 11 minutes on 2 cores from a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
(cd build && ctest --output-on-failure -j 2 --timeout 300)
bash scripts/fuzz.sh 15
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACFTS_SANITIZE=ON >/dev/null
cmake --build build-asan -j "${JOBS:-2}"
(cd build-asan && UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j 2 --timeout 300)
