#include "nodes/detail/control_port.hpp"

#include <variant>

#include <spdlog/spdlog.h>

#include "actors/atoms.hpp"
#include "actors/local_types.hpp"
#include "crypto/key_file.hpp"
#include "messages/control.hpp"
#include "messages/error.hpp"

namespace acfts {

namespace {

const caf::duration local_timeout{std::chrono::seconds(30)};

/// Asks the wallet `q` and answers `rp` with the reply encoded, or the wallet's error.
template <class Request>
void forward(caf::event_based_actor* self, caf::response_promise rp, const wallet_api& wallet,
             Request q) {
  using reply = typename Request::reply;
  auto timeout = control::until_final(q) ? caf::infinite : local_timeout;
  self->request(wallet, timeout, std::move(q))
    .then([=](const reply& r) mutable { rp.deliver(encode_reply(r)); },
          [=](caf::error& err) mutable { rp.deliver(std::move(err)); });
}

} // namespace

caf::behavior control_port(caf::event_based_actor* self, wallet_api wallet, std::string token) {
  return {
    [=](control_atom, const std::string& tok, const bytes& raw) {
      auto rp = self->make_response_promise();
      if (!secrets_equal(tok, token)) {
        spdlog::warn("refused a control request without the right token");
        rp.deliver(make_error(ec::unauthorized, "wrong control token"));
        return;
      }
      auto req = decode_control(raw);
      if (!req) {
        rp.deliver(req.error());
        return;
      }
      std::visit([&](auto& q) { forward(self, rp, wallet, std::move(q)); }, *req);
    },
  };
}

} // namespace acfts
