// Writes the seed corpora: the golden encodings (tests/golden/wire.txt) for the decoder target,
// and valid sign requests of the test network for the validator target.
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "config/cluster.hpp"
#include "crypto/hashing.hpp"
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
  if (argc != 4) {
    std::cerr << "usage: make_seeds GOLDEN_FILE DECODER_DIR VALIDATOR_DIR\n";
    return 2;
  }
  static const std::map<std::string, char> tag{
    {"output_ref", 0},   {"output", 1},       {"transaction", 2},
    {"witness", 3},      {"certificate", 4},  {"certified_transaction", 5},
    {"sign_request", 6}, {"signed_reply", 7}, {"rejected_reply", 7},
    {"committee", 8},    {"genesis", 9}};
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
                      {address_of(k.wallets[0][0]->public_key()), 1'000'000 - value}};
    req.witnesses = {make_witness(*k.wallets[0][0], tx_hash(req.tx))};
    auto enc = encode(req);
    write(std::string(argv[3]) + "/genesis_spend_" + std::to_string(value),
          std::string(enc.begin(), enc.end()));
  }
  return 0;
}
