// A validator's verifiers as processes of their own (issue 25): the verifier's port, and the
// validator's link to it. A verifier checks rules 1–3 with neither the validator's store nor its
// key; calls and results are tagged with the validator's part key (protocol/part_link.hpp), so
// only the validator can call a verifier and only the verifier can answer (a forged "rules hold"
// would let the validator sign a spend without its owner's signature).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "actors/validator_actor.hpp"
#include "protocol/network.hpp"
#include "protocol/part_link.hpp"
#include "protocol/validator_core.hpp"

namespace acfts {

/// Verifier `link.part` of validator `link.validator` of `net`, as its port sees it: takes
/// (verify, bytes call), refuses a call unless its tag is the validator's, checks the request on
/// one of `workers` actors (one per core it may use) and answers (reply, bytes result). Publish
/// it behind a gate with verifier_port_rules().
caf::actor spawn_verifier_port(caf::actor_system& sys, network net, part_key key, part_link_id link,
                               size_t workers);

/// The validator's side of a verifier in another process, as one of its verifiers: takes
/// (check, bytes sign_request) and answers a checked_request (actors/detail/verifiers.hpp), the
/// verifier's verdict finished by `finisher` (the validator's own checker: the hand-over's
/// locks, and the single share). A request that gets no valid verdict is refused with
/// ec::storage_fault (the wallet asks again); a lost connection is made again at the next call,
/// and tried every second meanwhile. `status` (may be null): whether the verifier is reachable.
caf::actor spawn_verifier_link(caf::actor_system& sys,
                               std::function<caf::expected<caf::actor>()> connect, part_key key,
                               part_link_id link, std::shared_ptr<request_checker> finisher,
                               part_status_ptr status = nullptr);

} // namespace acfts
