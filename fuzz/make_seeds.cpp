// Writes the seed corpora: the golden encodings (tests/golden/wire.txt) for the decoder target,
// and valid sign requests of the test network for the validator target.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "config/cluster.hpp"
#include "crypto/hashing.hpp"
#include "crypto/schemes.hpp"
#include "messages/codec.hpp"
#include "protocol/rules.hpp"

using namespace acfts;

namespace {

void write(const std::string& path, const std::string& bytes) {
  std::ofstream out{path, std::ios::binary};
  out << bytes;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: make_seeds GOLDEN_FILE DECODER_DIR VALIDATOR_DIR POLICY_DIR\n";
    return 2;
  }
  static const std::map<std::string, char> tag{{"output_ref", 0},
                                               {"output", 1},
                                               {"transaction", 2},
                                               {"witness", 3},
                                               {"certificate", 4},
                                               {"certificate_pooled", 4},
                                               {"certified_transaction", 5},
                                               {"sign_request", 6},
                                               {"sign_request_with_policies", 6},
                                               {"signed_reply", 7},
                                               {"signed_reply_pooled", 7},
                                               {"rejected_reply", 7},
                                               {"committee", 8},
                                               {"genesis", 9},
                                               {"policy", 10},
                                               {"policy_key_ed25519", 10},
                                               {"policy_key_secp256k1", 10},
                                               {"policy_key_p256", 10},
                                               {"policy_witness", 11},
                                               {"equivocation_proof", 12},
                                               {"committee_change", 13},
                                               {"change_request", 14},
                                               {"seal_statement", 15},
                                               {"control_pay", 16},
                                               {"control_submit", 16},
                                               {"control_status_reply", 17},
                                               {"shard_call", 18},
                                               {"shard_result", 19},
                                               {"verify_call", 20},
                                               {"verify_result", 21},
                                               {"sign_batch", 22},
                                               {"reply_batch", 23}};
  std::ifstream in{argv[1]};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    std::istringstream ls{line};
    std::string name, hex;
    ls >> name >> hex;
    std::string bytes(1, tag.at(name));
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
      bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    write(std::string(argv[2]) + "/" + name, bytes);
    if (name == "policy_witness") // the policy target: a clock byte, then a witness
      write(std::string(argv[4]) + "/" + name, std::string(1, '\1') + bytes.substr(1));
  }
  cluster_shape shape;
  shape.seed = 7;
  auto keys = make_cluster(shape);
  auto& k = *keys;
  for (amount value : {1, 10, 999'999}) {
    sign_request req;
    req.committee_id = k.net.id;
    req.tx.inputs = {{k.net.genesis_hash, 0}};
    req.tx.outputs = {{address_of(k.wallets[0][1]->public_key()), value},
                      {address_of(k.wallets[0][0]->public_key()), *checked_sub(1'000'000, value)}};
    req.witnesses = {make_witness(*k.wallets[0][0], tx_hash(req.tx))};
    auto enc = encode(req);
    write(std::string(argv[3]) + "/genesis_spend_" + to_string(value),
          std::string(enc.begin(), enc.end()));
  }
  // A 2-of-3 policy of three schemes, funded by a0 (certified by the committee) and spent.
  std::vector<owner_key> owners;
  policy two_of_three;
  two_of_three.type = policy::kind::threshold;
  two_of_three.k = 2;
  for (auto s : {key_scheme::ed25519, key_scheme::secp256k1, key_scheme::p256}) {
    owners.push_back(owner_key::generate(s));
    policy leaf;
    leaf.scheme = static_cast<uint8_t>(s);
    leaf.key = owners.back().public_key().key;
    two_of_three.weights.push_back(1);
    two_of_three.children.push_back(leaf);
  }
  transaction funding;
  funding.inputs = {{k.net.genesis_hash, 0}};
  funding.outputs = {{policy_address(two_of_three), 1000},
                     {address_of(k.wallets[0][0]->public_key()), 999'000}};
  certificate cert{tx_hash(funding), {}};
  for (uint16_t i = 0; i < k.net.quorum(); ++i)
    cert.sigs.push_back({i, sign_certificate_share(*k.validators[i], k.net, cert.tx_hash)});
  sign_request spend;
  spend.committee_id = k.net.id;
  spend.tx.inputs = {{cert.tx_hash, 0}};
  spend.tx.outputs = {{address_of(k.wallets[1][0]->public_key()), 1000}};
  spend.parents = {{funding, cert}};
  auto h = tx_hash(spend.tx);
  spend.policy_witnesses = {{two_of_three, {{0, owners[0].sign_tx(h)}, {2, owners[2].sign_tx(h)}}}};
  auto enc = encode(spend);
  write(std::string(argv[3]) + "/policy_spend", std::string(enc.begin(), enc.end()));
  return 0;
}
