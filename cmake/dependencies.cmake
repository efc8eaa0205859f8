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

# libsodium: no CMake config either.
find_path(SODIUM_INCLUDE_DIR sodium.h REQUIRED)
find_library(SODIUM_LIBRARY sodium REQUIRED)
add_library(sodium::sodium INTERFACE IMPORTED)
set_target_properties(sodium::sodium PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${SODIUM_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${SODIUM_LIBRARY}")

# libsecp256k1 (BIP-340 Schnorr for secp256k1 policy keys): no CMake config.
find_path(SECP256K1_INCLUDE_DIR secp256k1_schnorrsig.h REQUIRED)
find_library(SECP256K1_LIBRARY secp256k1 REQUIRED)
add_library(secp256k1::secp256k1 INTERFACE IMPORTED)
set_target_properties(secp256k1::secp256k1 PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${SECP256K1_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${SECP256K1_LIBRARY}")

# cpp-httplib (the nodes' metrics port): Debian ships it compiled, without a CMake config.
find_path(HTTPLIB_INCLUDE_DIR httplib.h REQUIRED)
find_library(HTTPLIB_LIBRARY cpp-httplib REQUIRED)
add_library(httplib::httplib INTERFACE IMPORTED)
set_target_properties(httplib::httplib PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${HTTPLIB_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${HTTPLIB_LIBRARY}")

# libqrencode (`acfts receive --qr`): no CMake config.
find_path(QRENCODE_INCLUDE_DIR qrencode.h REQUIRED)
find_library(QRENCODE_LIBRARY qrencode REQUIRED)
add_library(qrencode::qrencode INTERFACE IMPORTED)
set_target_properties(qrencode::qrencode PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${QRENCODE_INCLUDE_DIR}"
  INTERFACE_LINK_LIBRARIES "${QRENCODE_LIBRARY}")

# OpenSSL 3 (P-256 ECDSA for policy keys).
find_package(OpenSSL 3 REQUIRED)

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
