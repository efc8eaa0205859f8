# Locates the Debian 12 packages acfts builds against (scripts/install-deps.sh installs them).

find_package(Threads REQUIRED)

# CAF 0.17 ships no CMake config: find headers and libraries by hand.
find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
add_library(caf::core INTERFACE IMPORTED)
set_target_properties(caf::core PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${CAF_CORE_LIBRARY};Threads::Threads")
add_library(caf::io INTERFACE IMPORTED)
set_target_properties(caf::io PROPERTIES
  INTERFACE_LINK_LIBRARIES "${CAF_IO_LIBRARY};caf::core")

# A Debian library without a CMake config as an imported target: its header, its library.
function(acfts_system_library target prefix header library)
  find_path(${prefix}_INCLUDE_DIR ${header} REQUIRED)
  find_library(${prefix}_LIBRARY ${library} REQUIRED)
  add_library(${target} INTERFACE IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${${prefix}_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${${prefix}_LIBRARY}")
endfunction()

acfts_system_library(sodium::sodium SODIUM sodium.h sodium)
# BIP-340 Schnorr for secp256k1 policy keys.
acfts_system_library(secp256k1::secp256k1 SECP256K1 secp256k1_schnorrsig.h secp256k1)
# cpp-httplib (the nodes' metrics port): Debian ships it compiled.
acfts_system_library(httplib::httplib HTTPLIB httplib.h cpp-httplib)
# libqrencode (`acfts receive --qr`).
acfts_system_library(qrencode::qrencode QRENCODE qrencode.h qrencode)

# OpenSSL 3 (P-256 ECDSA for policy keys).
find_package(OpenSSL 3 REQUIRED)

# CAF's OpenSSL module (part of libcaf-dev): TLS between nodes.
find_library(CAF_OPENSSL_LIBRARY caf_openssl REQUIRED)
add_library(caf::openssl INTERFACE IMPORTED)
set_target_properties(caf::openssl PROPERTIES
  INTERFACE_LINK_LIBRARIES "${CAF_OPENSSL_LIBRARY};caf::io;OpenSSL::SSL;OpenSSL::Crypto")

# msgpack-c (header-only; its target links Boost).
find_package(Boost REQUIRED)
find_package(msgpack REQUIRED)
if(TARGET msgpackc-cxx)
  set(ACFTS_MSGPACK_TARGET msgpackc-cxx)
else()
  set(ACFTS_MSGPACK_TARGET msgpack-cxx)
endif()

# LevelDB links a bare `snappy`; libsnappy-dev must be installed.
find_package(leveldb REQUIRED)

find_package(CLI11 QUIET)
if(NOT CLI11_FOUND)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  set_target_properties(CLI11::CLI11 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${CLI11_INCLUDE_DIR}")
endif()

find_package(tomlplusplus REQUIRED)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
