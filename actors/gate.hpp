// A gate stands between an actor and everyone outside its process. CAF delivers any message a
// peer sends to whatever handle it holds — exit_msg, errors, every atom the actor's behaviour
// knows — and a scheduled actor dies of `exit_msg{kill}` whatever its handlers say. So nothing
// the network can address is a scheduled actor: it is a gate.
//
// A gate is an actor that is never scheduled (a caf::monitorable_actor whose `enqueue` runs
// in the sender's thread), so it has no system-message handling to abuse. It passes on only the
// message shapes its rules allow, to its one inner actor, as a request of its own with a fresh
// random id; relays the inner actor's answer to whoever asked, in its own name; and drops and
// counts everything else. Neither side learns the other's handle: the inner actor sees only the
// gate, and so does the peer. An answer counts only when it carries the id of a request still
// open; the ids are 60 random bits that only the inner actor (and whoever it delegates the
// request to) ever sees, so no one else can forge an answer. (The answer's sender is not
// checked: CAF lets an actor delegate a request, and then another actor answers it.)
//
// Gates face both ways: a node publishes one in front of each actor a peer may talk to
// (validator port, a wallet's public and control ports), and a wallet reaches every other node
// through one per peer, so that a Byzantine validator or payee holds only that gate.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/type_erased_tuple.hpp>

namespace acfts {

/// Which message shapes a gate passes on. A rule is a test of a message's content.
struct gate_rules {
  using rule = std::function<bool(const caf::type_erased_tuple&)>;
  /// For logs: "validator port", "courier to v2", ...
  std::string name;
  /// Messages passed on to the inner actor (requests or one-way messages).
  rule request;
  /// Answers relayed back; an answer of any other shape reaches the asker as an error
  /// (ec::malformed_message). Null: every answer of the inner actor is relayed.
  rule answer;
};

/// What a gate did with the messages it saw. Every message is counted exactly once.
struct gate_counters {
  /// Requests and one-way messages passed on to the inner actor.
  uint64_t passed = 0;
  /// Answers relayed back to the asker.
  uint64_t answered = 0;
  /// exit_msg, down_msg, errors and other system messages: dropped.
  uint64_t dropped_system = 0;
  /// Any other message shape the rules do not allow: dropped.
  uint64_t dropped_other = 0;
  /// Answers that match no open request of the gate: dropped.
  uint64_t dropped_answers = 0;
  /// Answers of a shape the rules do not allow: replaced by an error.
  uint64_t bad_answers = 0;
  /// Open requests given up because too many were open: their askers get a timeout error.
  uint64_t evicted = 0;
  /// Messages after the gate was closed: dropped.
  uint64_t after_close = 0;

  uint64_t dropped() const { return dropped_system + dropped_other + dropped_answers; }
};

/// A gate in front of `inner`. At most `max_open` requests wait for an answer at once; beyond
/// that the oldest is answered with a timeout error, as is every open request when the gate is
/// closed, so each request through a gate gets exactly one answer. The gate holds `inner` until
/// it is closed.
caf::actor make_gate(caf::actor_system& sys, caf::actor inner, gate_rules rules,
                     size_t max_open = 16384);

/// The counters of a gate made by make_gate (all zero for any other actor).
gate_counters gate_stats(const caf::actor& gate);

/// Closes a gate: it lets go of its inner actor and drops everything from now on. Peers holding
/// it see it terminate (down_msg). Closing twice changes nothing.
void close_gate(const caf::actor& gate);

// -- the rules of acfts' ports -------------------------------------------------------------

/// A validator's port: (sign, bytes) → (reply, bytes).
gate_rules validator_port_rules();

/// A lock shard's port (a part of a validator in its own process): (shard, bytes) → (reply,
/// bytes); the part link's tags decide whose calls count.
gate_rules shard_port_rules();

/// A validator's way to its lock shard `name`: (shard, bytes) out, (reply, bytes) or an error
/// back.
gate_rules courier_to_shard_rules(const std::string& name);

/// A verifier's port (a part of a validator in its own process): (verify, bytes) → (reply,
/// bytes); the part link's tags decide whose calls count.
gate_rules verifier_port_rules();

/// A validator's way to its verifier `name`: (verify, bytes) out, (reply, bytes) or an error
/// back.
gate_rules courier_to_verifier_rules(const std::string& name);

/// A wallet's public port: (deliver, bytes) → (ack).
gate_rules wallet_port_rules();

/// A wallet's control port: (control, token, bytes request) → (bytes reply) or an error
/// (messages/control.hpp).
gate_rules control_port_rules();

/// A wallet's way to validator `name`: (sign, bytes) out, (reply, bytes) or an error back.
gate_rules courier_to_validator_rules(const std::string& name);

/// A wallet's way to a payee's wallet: (deliver, bytes) out, (ack) or an error back.
gate_rules courier_to_wallet_rules(const std::string& name);

} // namespace acfts
