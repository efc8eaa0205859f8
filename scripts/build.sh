#!/usr/bin/env bash
# Configures and builds acfts (Release) into ./build with two jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# shellcheck disable=SC2086 # CMAKE_ARGS holds several words on purpose
cmake -S . -B build -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" ${CMAKE_ARGS:-} >/dev/null
cmake --build build -j "${JOBS:-2}"
