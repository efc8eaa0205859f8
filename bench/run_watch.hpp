// What the bench's drivers share to end a run: the waiting caller is told once, and a watchdog
// fails the run when no order ended for a while. The drivers' requests carry no timeout each:
// in CAF 0.17 every timeout costs the clock thread two wake-ups, which the figures would count.
#pragma once

#include <chrono>
#include <cstddef>
#include <future>
#include <string>

#include <caf/event_based_actor.hpp>

#include "actors/atoms.hpp"
#include "messages/error.hpp"

namespace acfts {

struct run_watch {
  /// How long a run may go without an order ending while some are in flight.
  caf::timespan limit = std::chrono::seconds(30);
  /// Orders ended, and how many the watchdog saw at its last look.
  size_t ended = 0;
  size_t ended_at_last_look = 0;
  bool finished = false;
  std::promise<void> done;

  /// Tells the waiting caller (once) and stops the driver.
  void finish(caf::event_based_actor* self) {
    if (finished)
      return;
    finished = true;
    done.set_value();
    self->quit();
  }

  /// Schedules the next look: the driver answers `retry_atom` with look().
  void start(caf::event_based_actor* self) {
    if (!finished)
      self->delayed_send(self, limit, retry_atom::value);
  }

  /// A timeout error ("`what` for N s") when no order ended since the last look while
  /// `in_flight` wait; else none, and the next look is scheduled.
  caf::error look(caf::event_based_actor* self, size_t in_flight, const std::string& what) {
    if (ended == ended_at_last_look && in_flight > 0)
      return make_error(
        ec::timeout,
        what + " for "
          + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(limit).count()) + " s");
    ended_at_last_look = ended;
    start(self);
    return caf::none;
  }
};

} // namespace acfts
