// A test tool: sends one hand-made sign request (a0 spends the genesis) straight to one validator
// node over TCP and prints its answer: "signed <tx>" or "rejected <code> <detail>". With
// --tls-cert, --tls-key and --tls-ca it connects over mutual TLS with those files, whatever the
// cluster file says (a stranger with another CA's certificate, say).
//
//   probe --config cluster.toml --validator v0 --to a1 --amount 10 [--bad-witness]
#include <iostream>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/remote_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/embedded_cluster.hpp"
#include "config/cluster_file.hpp"
#include "crypto/hashing.hpp"
#include "crypto/key_file.hpp"
#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "protocol/rules.hpp"

using namespace acfts;

int main(int argc, char** argv) {
  CLI::App app{"send a genesis spend of a0 to one validator"};
  std::string config, validator, to;
  amount value = 1;
  size_t flood = 0;
  app.add_option("--flood", flood, "First send this many garbage requests without waiting");
  bool bad_witness = false;
  app.add_flag("--bad-witness", bad_witness, "Sign another transaction's hash as the witness");
  app.add_option("--config", config)->required();
  app.add_option("--validator", validator)->required();
  app.add_option("--to", to)->required();
  app.add_option("--amount", value)->required();
  std::string tls_cert, tls_key, tls_ca;
  app.add_option("--tls-cert", tls_cert, "Connect over TLS with this certificate (PEM)");
  app.add_option("--tls-key", tls_key, "... its key");
  app.add_option("--tls-ca", tls_ca, "... trusting this CA");
  CLI11_PARSE(app, argc, argv);
  auto cluster = load_cluster_file(config);
  if (!cluster) {
    std::cerr << describe(cluster.error()) << "\n";
    return 1;
  }
  auto v = cluster->validator(validator);
  auto owner = cluster->find_address(cluster->genesis_owner);
  auto payee = cluster->find_address(to);
  if (!v || !owner || !payee) {
    std::cerr << "unknown validator or address\n";
    return 1;
  }
  auto key = read_key_file(owner->second->key_file);
  if (!key) {
    std::cerr << describe(key.error()) << "\n";
    return 1;
  }
  sign_request req;
  req.committee_id = cluster->net.id;
  req.tx.inputs.push_back(output_ref{cluster->net.genesis_hash, 0});
  req.tx.outputs.push_back(output{address_of(payee->second->key), value});
  if (value < cluster->genesis_amount)
    req.tx.outputs.push_back(
      output{address_of(owner->second->key), *checked_sub(cluster->genesis_amount, value)});
  auto tx = tx_hash(req.tx);
  auto signed_hash = tx;
  if (bad_witness)
    signed_hash.bytes[0] ^= 0x01;
  req.witnesses.push_back(make_witness(*key, signed_hash));

  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  bool tls = !tls_cert.empty();
  if (tls) {
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = tls_cert;
    cfg.openssl_key = tls_key;
    cfg.openssl_cafile = tls_ca;
  }
  configure(cfg);
  caf::actor_system sys{cfg};
  auto h = tls ? caf::openssl::remote_actor(sys, v->host, v->port)
               : sys.middleman().remote_actor(v->host, v->port);
  if (!h) {
    std::cerr << "cannot reach " << validator << ": " << sys.render(h.error()) << "\n";
    return 1;
  }
  caf::scoped_actor self{sys};
  if (flood > 0) {
    // Malformed requests, fire and forget, as fast as one connection takes them.
    bytes garbage{'\x93', '\x01', '\x02'};
    for (size_t i = 0; i < flood; ++i)
      self->send(*h, sign_atom::value, garbage);
    std::cerr << "flooded " << flood << "\n";
  }
  int rc = 1;
  self->request(*h, std::chrono::seconds(10), sign_atom::value, encode(req))
    .receive(
      [&](reply_atom, const bytes& raw) {
        auto reply = decode<sign_reply>(raw);
        if (!reply) {
          std::cout << "garbage " << describe(reply.error()) << "\n";
          return;
        }
        if (auto s = std::get_if<signed_reply>(&*reply)) {
          bool ok = verify_certificate_share(cluster->net, s->validator_index, tx, s->sig, s->path);
          std::cout << (ok ? "signed " : "badsig ") << tx.hex() << "\n";
        } else {
          auto& r = std::get<rejected_reply>(*reply);
          std::cout << "rejected " << to_string(static_cast<ec>(r.code)) << " " << r.detail << "\n";
        }
        rc = 0;
      },
      [&](caf::error& err) { std::cerr << "no answer: " << sys.render(err) << "\n"; });
  return rc;
}
