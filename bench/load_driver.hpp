// Drives payments against wallet actors with up to K in flight, and times each one from the
// request to the wallet's "final" answer (the payer holds the certificate).
//
// A wallet is reached either directly (an in-process wallet actor) or through a wallet node's
// control interface (a remote actor and the token its requests carry); both answer `pay` and
// `split` with the transaction hash once final.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "actors/wallet_client.hpp"
#include "messages/amount.hpp"

namespace acfts {

/// One payment (or, with `split_parts` > 0, one split of the sender into that many outputs).
/// Addresses are indexes into the address table given to drive(): 100,000 orders stay small.
struct payment_order {
  size_t wallet = 0;
  /// The paying address: at most `load_options::sender_slots[sender]` of its orders are in
  /// flight at once (it has that many outputs to spend in parallel).
  size_t sender = 0;
  size_t receiver = 0;
  amount value = 0;
  uint64_t split_parts = 0;
};

/// Orders made on demand, `at(0)` .. `at(count - 1)` in that order: a long run never holds them
/// all. `at` is called on the driver's thread and must stay valid until drive() returns.
struct order_source {
  size_t count = 0;
  std::function<payment_order(size_t)> at;

  static order_source of(std::vector<payment_order> orders);
};

struct load_options {
  /// Orders in flight at once (1: each waits until the previous one is final).
  size_t inflight = 1;
  /// Per sender index; senders not listed get 1.
  std::vector<size_t> sender_slots;
  /// The run fails when no order ends for this long. The orders carry no timeout each: in CAF
  /// 0.17 every timeout costs the clock thread two wake-ups, which the figures would count.
  caf::timespan timeout = std::chrono::seconds(30);
  /// Incremented once per final order (progress display); may be null.
  std::atomic<size_t>* progress = nullptr;
};

struct load_result {
  size_t final_orders = 0;
  /// Per final order, in completion order.
  std::vector<double> latency_ms;
};

/// Issues `orders` (their addresses index `addresses`) in order (an order waits while its sender
/// has no free slot) and returns once all are final. The first failure stops issuing; the orders in
/// flight are awaited and the failure is returned. When no order ends for `opts.timeout` while
/// some are in flight, the run fails at once with ec::timeout.
caf::expected<load_result> drive(caf::actor_system& sys,
                                 const std::vector<wallet_endpoint>& wallets,
                                 const std::vector<address>& addresses, order_source orders,
                                 const load_options& opts);

} // namespace acfts
