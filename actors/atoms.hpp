// The message vocabulary between acfts actors. Payloads that cross the wire are msgpack bytes
// (std::vector<char>, a CAF built-in), so no custom type has to be registered on any node.
#pragma once

#include <caf/atom.hpp>

namespace acfts {

/// wallet → validator: (sign, bytes sign_request) → (reply, bytes sign_reply)
using sign_atom = caf::atom_constant<caf::atom("sign")>;
using reply_atom = caf::atom_constant<caf::atom("reply")>;
/// validator → verifier: (check, bytes sign_request) → checked_request (an in-process type of
/// actors/validator_actor.cpp: the decoded request, its hash, the share or the rejection)
using check_atom = caf::atom_constant<caf::atom("check")>;
/// wallet → itself: write the queued store changes in one synced batch (group commit)
using flush_atom = caf::atom_constant<caf::atom("flush")>;
/// wallet → address: (witness, hash32 tx_hash) → witness (in-process values)
using witness_atom = caf::atom_constant<caf::atom("witness")>;
/// client → wallet: (pay, hex from, hex to, amount) → hex tx_hash
using pay_atom = caf::atom_constant<caf::atom("pay")>;
/// client → wallet: (submit, hex from, hex to, amount[, endpoint]) → hex tx_hash as soon as the
/// payment is recorded durably and sent (its outcome: `await` or `status`); `endpoint`
/// ("host:port", a payment URI's node or the payee's wallet as a file names it) is where this
/// payment's certificate goes, kept with the payment alone
using submit_atom = caf::atom_constant<caf::atom("submit")>;
/// client → wallet: (await, hex tx_hash) → hex tx_hash once final, or the reason it failed
using await_atom = caf::atom_constant<caf::atom("await")>;
/// client → wallet: (status, hex tx_hash) → (string state, std::vector<std::string> validators,
/// string detail, deliveries): "final" (validators: the certificate's signers; deliveries: the
/// hand-offs not yet acknowledged, none when delivered), "pending" (those that signed so far),
/// "failed" (detail: the reason) or "unknown". The control port answers the deliveries as a
/// JSON array in a string.
using status_atom = caf::atom_constant<caf::atom("status")>;
/// client → wallet: (hold, hex from, hex to, amount) → bytes sign_request: a payment planned,
/// its inputs reserved and signed by the keys the wallet holds, held for co-signers (a
/// transaction file); (submit, bytes sign_request[, creator endpoint]) → hex tx_hash once final
/// (the creator's wallet is handed the certificate at its endpoint); (abandon, hex
/// tx_hash) → hex tx_hash once the held request's inputs are free again
using hold_atom = caf::atom_constant<caf::atom("hold")>;
using abandon_atom = caf::atom_constant<caf::atom("abandon")>;
/// client → wallet: (export, hex tx_hash) → bytes certified_transaction the wallet holds;
/// (export) → every certified transaction that created an output it holds, each encoded in a
/// std::string;
/// (import, bytes certified_transaction) → hex tx_hash once verified and stored (as a delivery)
using export_atom = caf::atom_constant<caf::atom("export")>;
using import_atom = caf::atom_constant<caf::atom("import")>;
/// connector → wallet (in-process only): (route, string endpoint, actor wallet): the wallet at
/// that endpoint is connected; hand-offs routed there go to it
using route_atom = caf::atom_constant<caf::atom("route")>;
/// connector → wallet (in-process only): (endpoints) → std::vector<std::string>: the routes
/// that hand-offs and pending payments name, for the connector to reach
using endpoints_atom = caf::atom_constant<caf::atom("endpoints")>;
/// client → wallet: (handoffs) → every hand-off not yet acknowledged (the control port: a JSON
/// array in a string); (resend, hex tx_hash, hex payee, endpoint) → hex tx_hash: offer the
/// hand-offs of tx again now, and with a payee and endpoint, send that payee's there from now on
using handoffs_atom = caf::atom_constant<caf::atom("handoffs")>;
/// client → wallet: (backup) → every record of the wallet's store as of one moment between group
/// commits (the control port: msgpack bytes, config/wallet_backup.hpp)
using backup_atom = caf::atom_constant<caf::atom("backup")>;
/// client → wallet: (proofs) → std::vector<std::string>: the encoded equivocation proofs the
/// wallet made or keeps (a vector of strings: a type every CAF node knows)
using proofs_atom = caf::atom_constant<caf::atom("proofs")>;
using resend_atom = caf::atom_constant<caf::atom("resend")>;
/// client → wallet: (history, uint64 limit) → the latest `limit` payments sent and received
/// (0: all), newest first; the control port answers a JSON array as a string
using history_atom = caf::atom_constant<caf::atom("history")>;
/// client → wallet: (split, hex address, uint64 parts) → hex tx_hash: the address's spendable
/// outputs become `parts` outputs of about equal value (so that many payments can be in flight)
using split_atom = caf::atom_constant<caf::atom("split")>;
/// client → wallet: (balance) → total, (balance, hex address) → amount
using balance_atom = caf::atom_constant<caf::atom("balance")>;
/// client → wallet: (spendable, hex address) → amount no pending payment or held request reserves
using spendable_atom = caf::atom_constant<caf::atom("spendable")>;
/// payer wallet → payee wallet: (deliver, bytes certified_transaction[, bytes payee address]) →
/// ack; with the payee named, a wallet that does not hold that address refuses it
using deliver_atom = caf::atom_constant<caf::atom("deliver")>;
using ack_atom = caf::atom_constant<caf::atom("ack")>;
/// client → wallet: (peer, hex address, actor wallet): where to hand payments to that address
using peer_atom = caf::atom_constant<caf::atom("peer")>;
/// client → wallet: (validator, index, actor): (re)connects one committee member
using validator_atom = caf::atom_constant<caf::atom("validator")>;
/// wallet → itself: resend what is unanswered
using retry_atom = caf::atom_constant<caf::atom("retry")>;
/// client → wallet: (pending) → number of payments not yet final
using pending_atom = caf::atom_constant<caf::atom("pending")>;
/// client → wallet: (unsettled) → uint64 payments not yet final + hand-offs not yet acknowledged
using unsettled_atom = caf::atom_constant<caf::atom("unsettled")>;
/// client → wallet: (addresses) → std::vector<std::string> hex addresses
using addresses_atom = caf::atom_constant<caf::atom("addresses")>;
/// in-process client → wallet or validator: (stats) → wallet_core::counters / validator_stats
/// (actors/local_types.hpp)
using stats_atom = caf::atom_constant<caf::atom("stats")>;
/// node → its own validator or wallet (never through a gate): (metrics) → std::string, the
/// actor's figures in the Prometheus text format
using metrics_atom = caf::atom_constant<caf::atom("metrics")>;

} // namespace acfts
