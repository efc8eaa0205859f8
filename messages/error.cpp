#include "messages/error.hpp"

#include <caf/deep_to_string.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace acfts {

const char* to_string(ec x) {
  switch (x) {
    case ec::none:
      return "none";
    case ec::malformed_message:
      return "malformed_message";
    case ec::unsupported_version:
      return "unsupported_version";
    case ec::message_too_large:
      return "message_too_large";
    case ec::no_inputs:
      return "no_inputs";
    case ec::no_outputs:
      return "no_outputs";
    case ec::too_many_inputs:
      return "too_many_inputs";
    case ec::too_many_outputs:
      return "too_many_outputs";
    case ec::zero_amount:
      return "zero_amount";
    case ec::amount_overflow:
      return "amount_overflow";
    case ec::duplicate_input:
      return "duplicate_input";
    case ec::sum_mismatch:
      return "sum_mismatch";
    case ec::unknown_parent:
      return "unknown_parent";
    case ec::unexpected_parent:
      return "unexpected_parent";
    case ec::input_index_out_of_range:
      return "input_index_out_of_range";
    case ec::invalid_certificate:
      return "invalid_certificate";
    case ec::wrong_committee:
      return "wrong_committee";
    case ec::missing_witness:
      return "missing_witness";
    case ec::invalid_witness:
      return "invalid_witness";
    case ec::witness_key_mismatch:
      return "witness_key_mismatch";
    case ec::unexpected_witness:
      return "unexpected_witness";
    case ec::conflict:
      return "conflict";
    case ec::storage_fault:
      return "storage_fault";
    case ec::insufficient_funds:
      return "insufficient_funds";
    case ec::unknown_address:
      return "unknown_address";
    case ec::payment_conflict:
      return "payment_conflict";
    case ec::payment_rejected:
      return "payment_rejected";
    case ec::invalid_key_file:
      return "invalid_key_file";
    case ec::insecure_key_file:
      return "insecure_key_file";
    case ec::invalid_config:
      return "invalid_config";
    case ec::storage_error:
      return "storage_error";
    case ec::zero_payment:
      return "zero_payment";
    case ec::timeout:
      return "timeout";
    case ec::unauthorized:
      return "unauthorized";
    case ec::non_canonical:
      return "non_canonical";
    case ec::unknown_transaction:
      return "unknown_transaction";
    case ec::unknown_scheme:
      return "unknown_scheme";
    case ec::policy_mismatch:
      return "policy_mismatch";
    case ec::policy_not_satisfied:
      return "policy_not_satisfied";
    case ec::policy_over_limit:
      return "policy_over_limit";
    case ec::invalid_key:
      return "invalid_key";
    case ec::invalid_tx_file:
      return "invalid_tx_file";
    case ec::unknown_key:
      return "unknown_key";
    case ec::invalid_number:
      return "invalid_number";
    case ec::amount_out_of_range:
      return "amount_out_of_range";
    case ec::invalid_proof:
      return "invalid_proof";
    case ec::sealed:
      return "sealed";
    case ec::invalid_change:
      return "invalid_change";
  }
  return "unknown_error_code";
}

caf::error make_error(ec x) {
  return caf::error{static_cast<uint8_t>(x), error_category};
}

caf::error make_error(ec x, std::string detail) {
  return caf::error{static_cast<uint8_t>(x), error_category, caf::make_message(std::move(detail))};
}

ec code_of(const caf::error& err) {
  if (!err || err.category() != error_category)
    return ec::none;
  return static_cast<ec>(err.code());
}

std::string describe(const caf::error& err) {
  if (!err)
    return "ok";
  if (err.category() != error_category)
    return caf::to_string(err);
  std::string result = to_string(static_cast<ec>(err.code()));
  const auto& ctx = err.context();
  if (ctx.match_elements<std::string>()) {
    result += ": ";
    result += ctx.get_as<std::string>(0);
  }
  return result;
}

} // namespace acfts
