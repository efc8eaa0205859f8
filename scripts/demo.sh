#!/usr/bin/env bash
# Fresh machine → build → run the in-process thesis demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/nodes/acfts demo "$@"
