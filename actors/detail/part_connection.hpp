// A validator's connection to one of its parts in another process (a lock shard or a verifier):
// made at the first call, through a gate that lets only the part's answers back, and made again
// at the next call once it is lost. For links that run in one actor (spawn_shard_link,
// spawn_verifier_link).
#pragma once

#include <chrono>
#include <functional>
#include <utility>

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/sec.hpp>

#include "actors/atoms.hpp"
#include "actors/gate.hpp"
#include "messages/part_link.hpp"

namespace acfts {

/// How long a call may wait for its part's result (a reservation's write included).
constexpr auto part_call_timeout = std::chrono::seconds(10);

class part_connection {
public:
  using connect_fn = std::function<caf::expected<caf::actor>()>;

  part_connection(connect_fn connect, gate_rules rules)
    : connect_(std::move(connect)), rules_(std::move(rules)) {}

  /// The gate to call the part through, connecting first when there is none (`self` monitors
  /// the part, and calls `lost` when it goes down: see watch).
  caf::expected<caf::actor> port(caf::scheduled_actor* self) {
    if (!port_) {
      auto remote = connect_();
      if (!remote)
        return remote.error();
      remote_ = *remote;
      self->monitor(remote_);
      port_ = make_gate(self->system(), remote_, rules_);
    }
    return port_;
  }

  /// Forgets the connection: the next call connects again.
  void lost() {
    if (port_)
      close_gate(port_);
    port_ = nullptr;
    remote_ = nullptr;
  }

  /// Whether `source` (of a down message) is the part.
  bool is(const caf::actor_addr& source) const { return remote_ && source == remote_.address(); }

private:
  connect_fn connect_;
  gate_rules rules_;
  caf::actor remote_; // the part's port; null until connected
  caf::actor port_;   // the gate the link calls it through
};

/// Lets `self` (whose state has a part_connection `conn`) forget a part that went down, and close
/// its gate when it exits.
template <class Self>
void watch_part(Self* self) {
  self->set_down_handler([=](const caf::down_msg& m) {
    if (self->state.conn.is(m.source))
      self->state.conn.lost();
  });
  self->set_exit_handler([=](const caf::exit_msg& m) {
    self->state.conn.lost();
    self->quit(m.reason);
  });
}

/// Sends (atom, wire) to the part and hands `done` its result's bytes, or an error (a part that
/// is gone is connected again at the next call; a timeout keeps the connection).
template <class Self, class Atom, class Done>
void call_part(Self* self, Atom atom, bytes wire, Done done) {
  auto p = self->state.conn.port(self);
  if (!p) {
    done(caf::expected<bytes>{p.error()});
    return;
  }
  self->request(*p, part_call_timeout, atom, std::move(wire))
    .then([=](reply_atom, const bytes& result) mutable { done(caf::expected<bytes>{result}); },
          [=](caf::error& err) mutable {
            if (err != caf::sec::request_timeout)
              self->state.conn.lost();
            done(caf::expected<bytes>{std::move(err)});
          });
}

} // namespace acfts
