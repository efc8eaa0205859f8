// The offline audit: reads every validator's and wallet's store (nodes stopped) and checks the
// invariants a payment system must never break.
//
//  1. validators: every signature on disk verifies under the validator's key;
//  2. certificates: every copy of every certified transaction, in every wallet, has a valid
//     certificate (a payee's copy with a flipped or missing share is a breach), and every share
//     in it is backed by the signing validator's store: the validator holds that signature, and
//     every input of the transaction locked to it ("validator vX lost a lock it signed");
//  3. no double spend: no two certified transactions share an input;
//  4. conservation: every certified transaction's inputs sum to its outputs (parents known);
//  5. supply: the outputs left unspent by all certified transactions sum to the genesis supply;
//  6. wallets: each wallet holds exactly the unspent outputs owned by its addresses — except those
//     still on their way (in a payer's outbox) and those of its pending payments;
//  7. equivocation: a validator's share on two certified transactions that spend a common input,
//     and every proof a wallet kept, becomes a proof anyone can check with the committee file.
// Every stored record it reads decodes only if it is its object's exact canonical encoding.
#pragma once

#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "messages/equivocation.hpp"
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
  /// How many times each check ran.
  struct counts {
    /// Validator signatures on disk verified under their keys.
    size_t stored_signatures_verified = 0;
    /// Copies of certified transactions verified (each wallet's own).
    size_t certificate_copies_verified = 0;
    /// Certificate shares held against the signing validator's stored signature.
    size_t shares_held_against_validators = 0;
    /// Inputs of certified transactions held against the signers' locks.
    size_t locks_held_against_shares = 0;
    /// Stored records decoded, each its exact canonical bytes.
    size_t records_decoded = 0;
  } checks;
  /// One line per broken invariant; empty when the audit passes.
  std::vector<std::string> breaches;
  /// A proof per validator share found on two certified transactions that spend a common input,
  /// and every proof a wallet kept (each double-sign once).
  std::vector<equivocation_proof> proofs;

  bool ok() const { return breaches.empty(); }
};

/// Opens each store read-write (LevelDB has no read-only mode) but writes nothing. Errors:
/// ec::storage_error when a store cannot be opened (e.g. locked by a running node).
caf::expected<audit_report> audit_stores(const network& net,
                                         const std::vector<audited_validator>& validators,
                                         const std::vector<audited_wallet>& wallets);

} // namespace acfts
