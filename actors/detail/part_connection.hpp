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
#include "actors/validator_actor.hpp"
#include "messages/part_link.hpp"

namespace acfts {

/// How long a call may wait for its part's result (a reservation's write included).
constexpr auto part_call_timeout = std::chrono::seconds(10);

/// How often a link tries to reach a part it lost, so that its status (part_status) says when
/// the part is back even while no request needs it.
constexpr auto part_retry_interval = std::chrono::seconds(1);

class part_connection {
public:
  using connect_fn = std::function<caf::expected<caf::actor>()>;

  part_connection(connect_fn connect, gate_rules rules, part_status_ptr status)
    : connect_(std::move(connect)), rules_(std::move(rules)), status_(std::move(status)) {}

  /// The gate to call the part through, connecting first when there is none (`self` monitors
  /// the part, and calls `lost` when it goes down: see watch_part).
  caf::expected<caf::actor> port(caf::scheduled_actor* self) {
    if (!port_) {
      auto remote = connect_();
      if (!remote) {
        set_up(false);
        return remote.error();
      }
      remote_ = *remote;
      self->monitor(remote_);
      port_ = make_gate(self->system(), remote_, rules_);
      set_up(true);
    }
    return port_;
  }

  /// Forgets the connection: the next call connects again.
  void lost() {
    if (port_)
      close_gate(port_);
    port_ = nullptr;
    remote_ = nullptr;
    set_up(false);
  }

  bool connected() const { return static_cast<bool>(port_); }

  /// Whether `source` (of a down message) is the part.
  bool is(const caf::actor_addr& source) const { return remote_ && source == remote_.address(); }

  /// Whether a retry is scheduled (one at a time).
  bool retrying = false;

private:
  void set_up(bool up) {
    if (status_)
      status_->up = up;
  }

  connect_fn connect_;
  gate_rules rules_;
  part_status_ptr status_;
  caf::actor remote_; // the part's port; null until connected
  caf::actor port_;   // the gate the link calls it through
};

/// Schedules a retry of a lost part (retry_atom, handled by retry_part), unless one is.
template <class Self>
void schedule_retry(Self* self) {
  auto& conn = self->state.conn;
  if (conn.connected() || conn.retrying)
    return;
  conn.retrying = true;
  self->delayed_send(self, part_retry_interval, retry_atom::value);
}

/// A scheduled retry: connects again if still lost (and schedules the next if that fails).
template <class Self>
void retry_part(Self* self) {
  self->state.conn.retrying = false;
  if (!self->state.conn.connected() && !self->state.conn.port(self))
    schedule_retry(self);
}

/// Lets `self` (whose state has a part_connection `conn`) forget a part that went down and try
/// to reach it again, and close its gate when it exits. Its behavior handles retry_atom with
/// retry_part.
template <class Self>
void watch_part(Self* self) {
  self->set_down_handler([=](const caf::down_msg& m) {
    if (self->state.conn.is(m.source)) {
      self->state.conn.lost();
      schedule_retry(self);
    }
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
    schedule_retry(self);
    done(caf::expected<bytes>{p.error()});
    return;
  }
  self->request(*p, part_call_timeout, atom, std::move(wire))
    .then([=](reply_atom, const bytes& result) mutable { done(caf::expected<bytes>{result}); },
          [=](caf::error& err) mutable {
            if (err != caf::sec::request_timeout) {
              self->state.conn.lost();
              schedule_retry(self);
            }
            done(caf::expected<bytes>{std::move(err)});
          });
}

} // namespace acfts
