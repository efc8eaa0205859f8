#!/usr/bin/env bash
# Fresh machine → format check → build (warnings as errors) → run every test under ctest (Release
# build), fuzz every decoder and the validator's request handler briefly (clang + libFuzzer,
# scripts/fuzz.sh), then run every test again in a build with AddressSanitizer +
# UndefinedBehaviorSanitizer (./build-asan), and the tests that do not run CAF's threaded scheduler
# with ThreadSanitizer (./build-tsan; CMakeLists.txt says why not the others).
# About 20 minutes on 2 cores from a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The tree is formatted (.clang-format); a change that is not fails here, before any build.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format --dry-run -Werror
fi
# Warnings are errors in the test command's builds (not in the demo's).
CMAKE_ARGS=-DACFTS_WERROR=ON bash scripts/build.sh
(cd build && ctest --output-on-failure -j 2 --timeout 300)
bash scripts/fuzz.sh 15
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACFTS_SANITIZE=ON -DACFTS_WERROR=ON \
  >/dev/null
cmake --build build-asan -j "${JOBS:-2}"
(cd build-asan && UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j 2 --timeout 300)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACFTS_TSAN=ON -DACFTS_WERROR=ON \
  >/dev/null
# verifier_link_test runs CAF's threaded scheduler (a link is a detached actor): left out, as the
# multiprocess tests are (CMakeLists.txt says why).
tsan_tests=$(sed -n 's/^acfts_caf_test(\([a-z_]*\) .*/\1/p' tests/CMakeLists.txt)
# shellcheck disable=SC2086
cmake --build build-tsan -j "${JOBS:-2}" --target $tsan_tests
(cd build-tsan && TSAN_OPTIONS=halt_on_error=1 \
  ctest --output-on-failure -j 2 --timeout 300 -E '^(multiprocess|bench|readme|example|verifier_link_test|load_driver_test)\.')
