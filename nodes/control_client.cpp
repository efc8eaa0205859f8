#include "nodes/control_client.hpp"

#include <caf/io/middleman.hpp>

#include "crypto/key_file.hpp"
#include "messages/error.hpp"

namespace acfts {

namespace {

caf::expected<caf::actor> connect_control(caf::actor_system& sys, const wallet_entry& w) {
  auto h = sys.middleman().remote_actor("127.0.0.1", w.control_port);
  if (!h)
    return make_error(ec::invalid_config, "wallet " + w.name
                                            + " is not running (no control interface on "
                                              "127.0.0.1:"
                                            + std::to_string(w.control_port) + ")");
  return *h;
}

/// The control token the wallet node keeps in its data directory.
caf::expected<std::string> control_token(const wallet_entry& w) {
  auto token = read_token(w.data_dir + "/control.token");
  if (!token)
    return make_error(ec::unauthorized, "cannot read the control token of wallet " + w.name + " ("
                                          + describe(token.error()) + ")");
  return token;
}

} // namespace

caf::expected<wallet_endpoint> open_control(caf::actor_system& sys, const wallet_entry& w) {
  auto control = connect_control(sys, w);
  if (!control)
    return control.error();
  auto token = control_token(w);
  if (!token)
    return token.error();
  return wallet_endpoint::control_port(std::move(*control), std::move(*token));
}

} // namespace acfts
