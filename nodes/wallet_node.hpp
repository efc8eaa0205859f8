// `acfts wallet --config FILE --name w0`: one wallet as a CAF node.
//
// It publishes two actors: an intake on host:port that accepts only certified payments from other
// wallets (never `pay`), and the wallet itself on 127.0.0.1:control_port for `acfts pay` and
// `acfts balance`. A connector thread (re)connects to every validator and to the other wallets'
// intakes in the background, so the node starts and serves with any of them down.
#pragma once

#include <string>

namespace acfts {

int run_wallet_node(const std::string& config, const std::string& name, bool verbose);

} // namespace acfts
