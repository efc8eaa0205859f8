#!/usr/bin/env bash
# Fresh machine → build → run every test under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest --output-on-failure -j 2 --timeout 300
