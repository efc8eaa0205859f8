// Equivocation proofs (issue 24, item 1): checking one with only the committee, and the watch a
// wallet keeps over the shares it sees, which builds one when a validator is seen to sign two
// transactions spending a common input.
#pragma once

#include <deque>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <caf/expected.hpp>

#include "messages/equivocation.hpp"
#include "protocol/network.hpp"

namespace acfts {

/// What a valid proof shows: `validator` signed both transactions, which spend `inputs` both.
struct equivocation {
  uint16_t validator = 0;
  hash32 first_tx;
  hash32 second_tx;
  std::vector<output_ref> inputs;
};

/// Checks `proof` against the committee of `net` alone. Errors: ec::invalid_proof (another
/// network, shares of two validators or of a non-member, one transaction twice, no common input,
/// a share that does not verify).
caf::expected<equivocation> verify_equivocation(const network& net,
                                                const equivocation_proof& proof);

/// One line for people: "validator v3 signed two transactions spending <input>: <tx> and <tx>".
std::string describe(const network& net, const equivocation& e);

/// The proof of shares `sa` over `a` and `sb` over `b`, in one order (the smaller hash first), so
/// that one double-sign has one proof.
equivocation_proof make_equivocation_proof(const network& net, const transaction& a,
                                           const validator_signature& sa, const transaction& b,
                                           const validator_signature& sb);

/// Remembers, for each input and validator, the first transaction that validator was seen to sign
/// spending it (bounded: the oldest are forgotten), and proves each double-sign once.
class equivocation_watch {
public:
  static constexpr size_t default_capacity = 1 << 15;

  explicit equivocation_watch(const network& net, size_t capacity = default_capacity);

  /// A transaction this wallet sent: shares that arrive after its payment ended are still
  /// matched to it (the last few thousand are kept).
  void know(const hash32& h, std::shared_ptr<const transaction> tx);
  /// The transaction `h`, if this watch knows it.
  std::shared_ptr<const transaction> known(const hash32& h) const;

  /// Share `s` of transaction `tx` (hash `h`), `verified` or taken from a member's own connection
  /// unchecked (checked when it would make a proof): a proof for every earlier share of the same
  /// validator over another transaction spending one of its inputs, not proven before.
  std::vector<equivocation_proof> saw(const hash32& h, const std::shared_ptr<const transaction>& tx,
                                      const validator_signature& s, bool verified);

  /// Every share of a verified certificate.
  std::vector<equivocation_proof> saw_certified(const certified_transaction& ct);

  /// A proof made before (kept in the store): not made again.
  void proven(const equivocation_proof& p);

private:
  using slot = std::pair<output_ref, uint16_t>;
  // Keyed hashes: a payer chooses the inputs of what it pays with, and could grind their
  // hashes' prefixes into one bucket of a plain hash table (crypto/hashing.hpp).
  struct slot_hash {
    size_t operator()(const slot& s) const noexcept;
  };
  struct tx_hash_key {
    size_t operator()(const hash32& h) const noexcept;
  };
  struct sighting {
    hash32 tx;
    std::shared_ptr<const transaction> body;
    validator_signature share;
    bool verified = false;
  };

  const network* net_;
  size_t capacity_;
  // Hashed, not ordered: a wallet looks up one slot per input of every share it receives, and a
  // tree of 32,768 slots cost 15 comparisons of 32-byte keys each time (bench/RESULTS.md).
  std::unordered_map<slot, sighting, slot_hash> seen_;
  std::deque<slot> order_;
  std::unordered_map<hash32, std::shared_ptr<const transaction>, tx_hash_key> sent_;
  std::deque<hash32> sent_order_;
  /// (validator, smaller hash, larger hash) of every double-sign proven.
  std::set<std::tuple<uint16_t, hash32, hash32>> proven_;
};

} // namespace acfts
