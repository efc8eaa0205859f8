// Shared by the tests: temporary directories, a seeded network, and builders for requests and
// certificates made with the committee's own keys.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "config/cluster.hpp"
#include "crypto/hashing.hpp"
#include "messages/codec.hpp"
#include "config/temp_dir.hpp"
#include "protocol/rules.hpp"

namespace acfts::test {

/// A fresh directory for one test, removed with everything in it at its end.
class temp_dir {
public:
  temp_dir() {
    auto made = acfts::temp_dir::make("test");
    if (!made)
      std::abort();
    dir_.emplace(std::move(*made));
  }
  const std::string& path() const { return dir_->path(); }
  std::string operator/(const std::string& name) const { return *dir_ / name; }

private:
  std::optional<acfts::temp_dir> dir_;
};

/// A hash (or any fixed-size value) whose every byte is `b`.
template <class T = hash32>
T filled(uint8_t b) {
  T x;
  x.bytes.fill(b);
  return x;
}

/// The thesis network (4 validators, wallets c0 = a0..a3 and c1 = a4..a7, 1,000,000 to a0)
/// with keys from a fixed seed.
inline cluster_keys thesis_keys(uint64_t seed = 7) {
  cluster_shape shape;
  shape.seed = seed;
  auto keys = make_cluster(shape);
  if (!keys)
    std::abort();
  return std::move(*keys);
}

inline const key_pair& address_key(const cluster_keys& k, size_t i) {
  return *k.wallets[i / 4][i % 4];
}

inline address addr(const cluster_keys& k, size_t i) {
  return address_of(address_key(k, i).public_key());
}

/// The genesis output (owned by a0).
inline output_ref genesis_output(const cluster_keys& k) {
  return output_ref{k.net.genesis_hash, 0};
}

/// A certificate for `tx` signed by the given validators (default: the first 2f+1).
inline certificate certify(const cluster_keys& k, const transaction& tx,
                           std::vector<uint16_t> signers = {}) {
  if (signers.empty())
    for (uint16_t i = 0; i < k.net.quorum(); ++i)
      signers.push_back(i);
  certificate cert;
  cert.tx_hash = tx_hash(tx);
  for (auto i : signers)
    cert.sigs.push_back(
      validator_signature{i, sign_certificate_share(*k.validators[i], k.net, cert.tx_hash)});
  return cert;
}

/// A request spending `inputs` (owned by `owner`) into `outputs`, witnessed by `owner`.
inline sign_request make_request(const cluster_keys& k, size_t owner,
                                 std::vector<output_ref> inputs, std::vector<output> outputs,
                                 std::vector<certified_transaction> parents = {}) {
  sign_request req;
  req.committee_id = k.net.id;
  req.tx.inputs = std::move(inputs);
  req.tx.outputs = std::move(outputs);
  req.parents = std::move(parents);
  req.witnesses.push_back(make_witness(address_key(k, owner), tx_hash(req.tx)));
  return req;
}

/// a0 pays `value` of the genesis to address `to`, change back to a0.
inline sign_request pay_from_genesis(const cluster_keys& k, size_t to, amount value) {
  std::vector<output> outs{{addr(k, to), value}};
  if (value < 1'000'000)
    outs.push_back({addr(k, 0), *checked_sub(1'000'000, value)});
  return make_request(k, 0, {genesis_output(k)}, outs);
}

} // namespace acfts::test
