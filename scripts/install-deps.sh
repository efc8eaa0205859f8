#!/usr/bin/env bash
# Installs the Debian 12 packages acfts builds against; a no-op when all are present.
set -euo pipefail
packages=(cmake g++ make pkg-config libcaf-dev libsodium-dev libmsgpack-cxx-dev libboost-dev
          libleveldb-dev libsnappy-dev libcli11-dev libtomlplusplus-dev libspdlog-dev
          nlohmann-json3-dev clang libclang-rt-14-dev clang-format libsecp256k1-dev libssl-dev
          libcpp-httplib-dev prometheus libqrencode-dev libjemalloc-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
echo "installing: ${missing[*]}" >&2
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
