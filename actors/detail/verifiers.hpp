// A validator's verifiers (rules 1–3, which need no lock state): in its own process, or in
// processes of their own reached through links (actors/verifier_parts.hpp). Either answers
// (check, bytes sign_request) with a checked_request.
#pragma once

#include <memory>
#include <optional>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/event_based_actor.hpp>

#include "messages/codec.hpp"
#include "messages/error.hpp"
#include "protocol/validator_core.hpp"

namespace acfts {

/// A verifier's verdict on one request, handed back inside the process as typed values: the
/// request decoded and hashed once, and if rules 1–3 hold the validator's single share (none when
/// pooled), or else the rejection (already in the validator's name). Like the validator's
/// commit_report, never on the wire: no peer can forge a verdict.
struct checked_request {
  std::shared_ptr<const sign_request> req;
  /// The request as it came (kept with its locks).
  std::shared_ptr<const bytes> raw;
  hash32 tx;
  std::optional<signature> single;
  /// Empty when rules 1–3 hold.
  bytes rejection;
  ec code = ec::none;
};

/// A verifier in the validator's process: decodes a request, hashes it and runs `checker`.
caf::behavior verifier_behavior(caf::event_based_actor* self,
                                std::shared_ptr<request_checker> checker);

} // namespace acfts

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::checked_request)
