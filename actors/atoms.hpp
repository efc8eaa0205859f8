// The message vocabulary between acfts actors. Payloads that cross the wire are msgpack bytes
// (std::vector<char>, a CAF built-in), so no custom type has to be registered on any node.
#pragma once

#include <caf/atom.hpp>

namespace acfts {

/// wallet → validator: (sign, bytes sign_request) → (reply, bytes sign_reply)
using sign_atom = caf::atom_constant<caf::atom("sign")>;
using reply_atom = caf::atom_constant<caf::atom("reply")>;
/// wallet → validator: (signs, bytes sign_batch) → (replies, bytes reply_batch), several
/// requests in one message (messages/sign_batch.hpp).
using signs_atom = caf::atom_constant<caf::atom("signs")>;
using replies_atom = caf::atom_constant<caf::atom("replies")>;
/// validator → its lock shard in another process: (shard, bytes call) → (reply, bytes result),
/// both tagged with the validator's part key (protocol/part_link.hpp).
using shard_atom = caf::atom_constant<caf::atom("shard")>;
/// validator → its verifier in another process: (verify, bytes call) → (reply, bytes result),
/// both tagged with the validator's part key (protocol/part_link.hpp).
using verify_atom = caf::atom_constant<caf::atom("verify")>;
/// validator → verifier: (check, bytes sign_request) → checked_request (an in-process type of
/// actors/validator_actor.cpp: the decoded request, its hash, the share or the rejection)
using check_atom = caf::atom_constant<caf::atom("check")>;
/// wallet → itself: write the queued store changes in one synced batch (group commit)
using flush_atom = caf::atom_constant<caf::atom("flush")>;
/// wallet → address: (witness, hash32 tx_hash) → witness (in-process values)
using witness_atom = caf::atom_constant<caf::atom("witness")>;
/// client → wallet node's control port: (control, string token, bytes control_request) →
/// (bytes reply): messages/control.hpp; in-process clients send the requests themselves
using control_atom = caf::atom_constant<caf::atom("control")>;
/// connector → wallet (in-process only): (route, string endpoint, actor wallet): the wallet at
/// that endpoint is connected; hand-offs routed there go to it
using route_atom = caf::atom_constant<caf::atom("route")>;
/// connector → wallet (in-process only): (endpoints) → std::vector<std::string>: the routes
/// that hand-offs and pending payments name, for the connector to reach
using endpoints_atom = caf::atom_constant<caf::atom("endpoints")>;
/// payer wallet → payee wallet: (deliver, bytes certified_transaction[, bytes payee address]) →
/// ack; with the payee named, a wallet that does not hold that address refuses it
using deliver_atom = caf::atom_constant<caf::atom("deliver")>;
using ack_atom = caf::atom_constant<caf::atom("ack")>;
/// node → wallet (in-process only): (peer, address, actor wallet): where to hand payments to
/// that address
using peer_atom = caf::atom_constant<caf::atom("peer")>;
/// node → wallet (in-process only): (validator, index, actor): (re)connects one committee member
using validator_atom = caf::atom_constant<caf::atom("validator")>;
/// wallet → itself: resend what is unanswered
using retry_atom = caf::atom_constant<caf::atom("retry")>;
/// in-process client → wallet: (pending) → number of payments not yet final
using pending_atom = caf::atom_constant<caf::atom("pending")>;
/// node → wallet (in-process only): (addresses) → std::vector<address>; (addresses,
/// wallet_addresses) → uint64 how many are new (the control port's reload_addresses)
using addresses_atom = caf::atom_constant<caf::atom("addresses")>;
/// in-process client → wallet or validator: (stats) → wallet_core::counters / validator_stats
/// (actors/local_types.hpp)
using stats_atom = caf::atom_constant<caf::atom("stats")>;
/// node → its own validator or wallet (never through a gate): (metrics) → std::string, the
/// actor's figures in the Prometheus text format
using metrics_atom = caf::atom_constant<caf::atom("metrics")>;

} // namespace acfts
