// libFuzzer target: every decoder of messages/. The first byte picks the type, the rest is the
// message. A decoder must never crash, and whatever it accepts must be the canonical encoding:
// it re-encodes to exactly the bytes it came from (one object, one byte string).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "messages/codec.hpp"
#include "messages/control.hpp"
#include "messages/part_link.hpp"
#include "messages/sign_batch.hpp"

using namespace acfts;

namespace {

template <class T>
void round_trip(const char* data, size_t size) {
  auto x = decode<T>(data, size);
  if (!x)
    return;
  if (encode(*x) != bytes(data, data + size))
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* raw, size_t size) {
  if (size == 0)
    return 0;
  auto data = reinterpret_cast<const char*>(raw) + 1;
  auto n = size - 1;
  switch (raw[0] % 24) {
    case 0:
      round_trip<output_ref>(data, n);
      break;
    case 1:
      round_trip<output>(data, n);
      break;
    case 2:
      round_trip<transaction>(data, n);
      break;
    case 3:
      round_trip<witness>(data, n);
      break;
    case 4:
      round_trip<certificate>(data, n);
      break;
    case 5:
      round_trip<certified_transaction>(data, n);
      break;
    case 6:
      round_trip<sign_request>(data, n);
      break;
    case 7:
      round_trip<sign_reply>(data, n);
      break;
    case 8:
      round_trip<committee>(data, n);
      break;
    case 9:
      round_trip<genesis>(data, n);
      break;
    case 10:
      round_trip<policy>(data, n);
      break;
    case 11:
      round_trip<policy_witness>(data, n);
      break;
    case 12:
      round_trip<equivocation_proof>(data, n);
      break;
    case 13:
      round_trip<committee_change>(data, n);
      break;
    case 14:
      round_trip<change_request>(data, n);
      break;
    case 15:
      round_trip<seal_statement>(data, n);
      break;
    case 16: {
      bytes in(data, data + n);
      if (auto x = decode_control(in); x && encode_control(*x) != in)
        std::abort();
      break;
    }
    case 17: {
      bytes in(data, data + n);
      if (auto x = decode_reply<control::tx_status>(in); x && encode_reply(*x) != in)
        std::abort();
      break;
    }
    case 18:
      if (auto x = decode_shard_call(data, n); x && encode_shard_call(*x) != bytes(data, data + n))
        std::abort();
      break;
    case 19:
      if (auto x = decode_shard_result(data, n);
          x && encode_shard_result(*x) != bytes(data, data + n))
        std::abort();
      break;
    case 20:
      if (auto x = decode_verify_call(data, n);
          x && encode_verify_call(*x) != bytes(data, data + n))
        std::abort();
      break;
    case 21:
      if (auto x = decode_verify_result(data, n);
          x && encode_verify_result(*x) != bytes(data, data + n))
        std::abort();
      break;
    case 22:
      if (auto x = decode_sign_batch(data, n); x && encode_sign_batch(*x) != bytes(data, data + n))
        std::abort();
      break;
    case 23:
      if (auto x = decode_reply_batch(data, n);
          x && encode_reply_batch(*x) != bytes(data, data + n))
        std::abort();
      break;
  }
  return 0;
}
