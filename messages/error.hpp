// The one error enum of the acfts domain. Values are stable: they travel in `rejected_reply::code`
// and in caf::error across processes, so a value is never renumbered or reused.
#pragma once

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>

namespace acfts {

enum class ec : uint8_t {
  /// Not an error (never sent).
  none = 0,
  /// The bytes are not a valid encoding: wrong type, wrong length, truncated or trailing bytes.
  malformed_message = 1,
  /// A transaction carries a version this build does not know.
  unsupported_version = 2,
  /// The encoded message exceeds `limits::max_message_bytes`.
  message_too_large = 3,
  /// A transaction (other than the genesis) has no inputs.
  no_inputs = 4,
  /// A transaction has no outputs.
  no_outputs = 5,
  /// More inputs than `limits::max_inputs`.
  too_many_inputs = 6,
  /// More outputs than `limits::max_outputs`.
  too_many_outputs = 7,
  /// An output of amount 0.
  zero_amount = 8,
  /// A sum of amounts does not fit into 64 bits.
  amount_overflow = 9,
  /// The same output is spent twice within one transaction.
  duplicate_input = 10,
  /// The inputs' sum differs from the outputs' sum.
  sum_mismatch = 11,
  /// An input names a transaction for which the request carries no certified parent.
  unknown_parent = 12,
  /// A parent is given that no input needs, or the same parent twice.
  unexpected_parent = 13,
  /// An input's index is past the end of its parent's outputs.
  input_index_out_of_range = 14,
  /// A certificate lacks a quorum of valid, distinct committee signatures, or names another hash.
  invalid_certificate = 15,
  /// The message belongs to another committee (committee_id differs).
  wrong_committee = 16,
  /// An input's owner has no witness.
  missing_witness = 17,
  /// A witness signature does not verify.
  invalid_witness = 18,
  /// A witness key does not hash to the owner address it is meant for.
  witness_key_mismatch = 19,
  /// A witness matches no input owner, or an owner has two witnesses.
  unexpected_witness = 20,
  /// An input is already locked to another transaction.
  conflict = 21,
  /// The validator's durable store failed; it signs nothing until restarted.
  storage_fault = 22,
  /// The paying address does not hold enough spendable (unreserved) funds.
  insufficient_funds = 23,
  /// The address is not held by this wallet (or not known at all).
  unknown_address = 24,
  /// More than f validators reported a conflict: the inputs are lost to an equivocation.
  payment_conflict = 25,
  /// More than f validators rejected the payment for a reason other than a conflict.
  payment_rejected = 26,
  /// A key file is missing, unreadable or malformed.
  invalid_key_file = 27,
  /// A key file is readable by users other than its owner.
  insecure_key_file = 28,
  /// A configuration value is missing or invalid.
  invalid_config = 29,
  /// A store could not be opened or read (I/O error, corruption, or locked by a running node).
  storage_error = 30,
  /// A payment amount of zero.
  zero_payment = 31,
  /// The operation did not complete in time (the payment may still be pending).
  timeout = 32,
  /// A control request without the wallet's control token.
  unauthorized = 33,
  /// The bytes decode, but are not the object's one canonical encoding: an integer, a length or
  /// a width not in msgpack's smallest form (so one object would have several byte strings).
  non_canonical = 34,
  /// A transaction this wallet has no record of (never paid from or to it, or a failure from
  /// before its last restart).
  unknown_transaction = 35,
  /// A key of a scheme acfts does not know (a policy names schemes by number).
  unknown_scheme = 36,
  /// A revealed policy does not hash to the address that owns the input.
  policy_mismatch = 37,
  /// The signatures and conditions present do not reach a policy's threshold (the detail says
  /// which weight is missing).
  policy_not_satisfied = 38,
  /// A policy, or the policies of one request, exceed a static limit (keys, nodes, depth, bytes,
  /// signature checks): refused before any signature is checked.
  policy_over_limit = 39,
  /// A public or secret key that is not one of its scheme (wrong size, not on the curve).
  invalid_key = 40,
  /// A transaction file that cannot be read or written, or does not hold one sign request.
  invalid_tx_file = 41,
  /// A key that no policy of the transaction names (it cannot sign it).
  unknown_key = 42,
  /// A number a user typed (an option, a URI or file parameter) that is not plain decimal digits:
  /// a sign, a base prefix, a leading zero, spaces, or nothing at all.
  invalid_number = 43,
  /// An amount (or another number a user typed) larger than its type holds; never clamped.
  amount_out_of_range = 44,
  /// An equivocation proof that does not prove one validator signed two transactions spending a
  /// common input (another network, one transaction twice, no common input, a bad share).
  invalid_proof = 45,
  /// The validator sealed its lock set for a committee change: it locks no new input (a retry of
  /// a transaction it locked still gets its share).
  sealed = 46,
  /// A committee change that this network's governance does not allow (no governance policy,
  /// another committee, an epoch out of order, a next committee that changes nothing).
  invalid_change = 47,
};

/// A short, stable name for `x`, e.g. "conflict".
const char* to_string(ec x);

/// The CAF error category of acfts errors.
constexpr caf::atom_value error_category = caf::atom("acfts");

caf::error make_error(ec x);

/// An error carrying a human-readable detail (what exactly was wrong).
caf::error make_error(ec x, std::string detail);

/// The acfts code of `err`, or `ec::none` when `err` is not an acfts error.
ec code_of(const caf::error& err);

/// "code: detail" for acfts errors, CAF's rendering for others.
std::string describe(const caf::error& err);

} // namespace acfts
