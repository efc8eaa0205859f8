// Values that travel between actors of one process as themselves, not as bytes: hashes and
// witnesses between a wallet and its address actors. They have no CAF serializer on purpose, so
// they can never leave the process (CAF refuses to send them to another node); bytes are only
// for the network edge (actors/gate.hpp).
#pragma once

#include <caf/allowed_unsafe_message_type.hpp>

#include "messages/transaction.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::hash32)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(acfts::witness)
