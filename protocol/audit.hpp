// The offline audit: reads every validator's and wallet's store (nodes stopped) and checks the
// invariants a payment system must never break.
//
//  1. validators: every signature on disk verifies under the validator's key;
//  2. certificates: every certified transaction any wallet keeps has a valid certificate;
//  3. no double spend: no two certified transactions share an input;
//  4. conservation: every certified transaction's inputs sum to its outputs (parents known);
//  5. supply: the outputs left unspent by all certified transactions sum to the genesis supply;
//  6. wallets: each wallet holds exactly the unspent outputs owned by its addresses — except those
//     still on their way (in a payer's outbox) and those of its pending payments.
#pragma once

#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "protocol/network.hpp"

namespace acfts {

struct audited_validator {
  std::string name;
  std::string data_dir;
  uint16_t index = 0;
};

struct audited_wallet {
  std::string name;
  std::string data_dir;
  std::vector<address> addresses;
};

struct audit_report {
  size_t validators = 0;
  size_t wallets = 0;
  size_t locks = 0;
  size_t signatures = 0;
  size_t certified = 0;
  size_t pending = 0;
  size_t undelivered = 0;
  amount genesis_supply = 0;
  amount unspent_supply = 0;
  /// The total of every wallet's unspent outputs.
  amount wallet_total = 0;
  /// One line per broken invariant; empty when the audit passes.
  std::vector<std::string> breaches;

  bool ok() const { return breaches.empty(); }
};

/// Opens each store read-write (LevelDB has no read-only mode) but writes nothing. Errors:
/// ec::storage_error when a store cannot be opened (e.g. locked by a running node).
caf::expected<audit_report> audit_stores(const network& net,
                                         const std::vector<audited_validator>& validators,
                                         const std::vector<audited_wallet>& wallets);

} // namespace acfts
