// Configuration objects: who the validators are, and the genesis that creates all money.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "messages/transaction.hpp"

namespace acfts {

struct committee_member {
  std::string name;
  public_key key;
  /// "host:port" where the validator listens; empty for an in-process validator.
  std::string endpoint;

  friend bool operator==(const committee_member& x, const committee_member& y) {
    return x.name == y.name && x.key == y.key && x.endpoint == y.endpoint;
  }
};

/// N = 3f+1 validators; a certificate needs 2f+1 of their signatures.
struct committee {
  uint32_t f = 0;
  std::vector<committee_member> members;

  friend bool operator==(const committee& x, const committee& y) {
    return x.f == y.f && x.members == y.members;
  }
};

/// The one transaction without inputs. Its outputs need no certificate.
struct genesis {
  transaction tx;

  friend bool operator==(const genesis& x, const genesis& y) { return x.tx == y.tx; }
};

} // namespace acfts
