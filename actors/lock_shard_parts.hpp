// A validator's lock shards as processes of their own (issue 25): the shard's port, and the
// validator's link to it. Calls and results are tagged with the validator's part key
// (protocol/part_link.hpp), so only the validator can call a shard and only the shard can
// answer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "actors/validator_actor.hpp"
#include "persistence/validator_store.hpp"
#include "protocol/part_link.hpp"

namespace acfts {

/// Lock shard `link.shard` over its open store, as its port sees it: takes (shard, bytes call),
/// refuses a call unless its tag is the validator's and its counter rises, and answers (reply,
/// bytes result). `last_counter`: the counter stored with the shard's last release. Publish it
/// behind a gate with shard_port_rules(); the shard lives and dies with it.
caf::actor spawn_shard_port(caf::actor_system& sys, std::shared_ptr<validator_store> store,
                            part_key key, part_link_id link, uint64_t last_counter);

/// The validator's side of a lock shard in another process, for validator_options::
/// remote_shards: calls the shard's port that `connect` reaches, through a gate with
/// courier_to_shard_rules(). A reservation that gets no valid result is a fault (never
/// "held"); a lost connection is made again at the next call, and tried every second meanwhile.
/// `status` (may be null): whether the shard is reachable, for the validator's metrics.
caf::actor spawn_shard_link(caf::actor_system& sys,
                            std::function<caf::expected<caf::actor>()> connect, part_key key,
                            part_link_id link, part_status_ptr status = nullptr);

} // namespace acfts
