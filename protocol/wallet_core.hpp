// The wallet's state machine (doc/protocol.md, payment flow) without actors, network or disk: it
// takes events and returns effects, as validator_core does for the validator.
//
// A payment: pick outputs and reserve them → ask the payer's address for a witness → make the
// request durable → send it to every member at once → final at 2f+1 verified shares (without
// waiting for the rest), or failed once more than f refuse → make the outcome durable → hand the
// certified transaction to the payee's wallet until it acknowledges. Nothing that depends on a
// write (a request, an answer, a spendable output, a hand-off) is an effect before the write is
// reported durable. Unanswered requests and hand-offs are resent on each timer tick (validators
// answer a retry with the same signature; a payee acknowledges a repeat without change).
//
// The caller (actors/wallet_actor) performs the effects and reports back: witnesses, replies,
// timeouts, writes made durable, acknowledgements.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "messages/codec.hpp"
#include "messages/control.hpp"
#include "protocol/equivocation.hpp"
#include "protocol/network.hpp"
#include "protocol/payment.hpp"
#include "protocol/wallet_ledger.hpp"
#include "protocol/wallet_records.hpp"

namespace acfts {

/// Where a payment stands, as a wallet knows it.
/// `held`: planned and signed by this wallet's keys, waiting for co-signers (a transaction file).
enum class payment_state { pending, failed, final, unknown, held };

/// "pending", "failed", "final", "unknown" or "held".
const char* to_string(payment_state state);

/// Names one caller waiting for an answer (the actor maps it to its response promise).
using caller_id = uint64_t;

/// What the wallet's actor is to do, in this order: answer callers, make changes durable, ask
/// for witnesses, send requests, hand off certified transactions.
struct wallet_effects {
  /// `caller` learns the outcome: an error, or success (the transaction's hash; for a delivery,
  /// an acknowledgement).
  struct answer {
    caller_id caller;
    caf::error error;
    hash32 tx;
    /// For an adoption of addresses: how many were new.
    uint64_t count = 0;
  };
  /// Make `change` durable (in one batch with whatever else is due), then report `written(id)`.
  struct write {
    uint64_t id;
    wallet_change change;
  };
  /// Ask the address `owner` to sign `tx` (a key's signature, or a policy's signatures by the keys
  /// this wallet holds), then report `witnessed`.
  struct witness_needed {
    address owner;
    hash32 tx;
  };
  /// Send the encoded sign request of `tx` to member `validator`, then report `replied` or
  /// `unanswered`.
  struct sign_out {
    uint16_t validator;
    hash32 tx;
    std::shared_ptr<const bytes> request;
  };
  /// Hand the encoded certified transaction `tx` to the wallet of `payee` — at `endpoint` when
  /// the payment names one, else wherever the wallet knows the payee's wallet to be — then report
  /// `acknowledged` or `handoff_failed` (with `offer`).
  struct handoff_out {
    hash32 tx;
    address payee;
    std::shared_ptr<const bytes> certified;
    std::string endpoint;
    /// Which offer of this hand-off this is (its try count): the failure of an earlier one,
    /// answered after a resend, is stale.
    uint64_t offer = 0;
  };

  std::vector<answer> answers;
  std::vector<write> writes;
  std::vector<witness_needed> witnesses;
  std::vector<sign_out> requests;
  std::vector<handoff_out> handoffs;
  /// Validators caught signing two transactions that spend a common input: each proof once (it
  /// is also in `writes`, to be kept in the store), for the log and the metrics.
  std::vector<equivocation_proof> proofs;

  bool empty() const {
    return answers.empty() && writes.empty() && witnesses.empty() && requests.empty()
           && handoffs.empty() && proofs.empty();
  }
};

/// What registers the addresses of `mine` that `known` (the store's) lacks, together with the
/// genesis outputs they own (imported once, on first sight); nullopt when all are known.
std::optional<wallet_change> adopt_addresses(const network& net,
                                             const std::vector<address_record>& known,
                                             const std::vector<address_record>& mine);

/// A hand-off not yet acknowledged: where it goes and how its tries went.
struct delivery {
  address payee;
  /// The payment's route ("host:port"); empty: the payee's wallet as the wallet's file names it.
  std::string endpoint;
  /// Offers made since the wallet started (or since `resend`).
  uint64_t tries = 0;
  /// Why the last offer failed; empty before the first failure.
  std::string last_error;
  /// The node at the route refused it (not the payee's wallet, or the payee does not hold the
  /// address): not offered again until `resend` (or a restart).
  bool refused = false;
};

class wallet_core {
public:
  /// When a payer hears of its payment: once it is final (or failed), or as soon as it is
  /// recorded and sent (with its hash; the outcome then comes from `await` or `status`).
  enum class answer_when { final, recorded };

  /// Its figures since it started (and `pending`, `undelivered` now), as `control::stats`
  /// answers them.
  using counters = control::wallet_counters;

  struct tx_status {
    static constexpr auto pending = payment_state::pending;
    static constexpr auto failed = payment_state::failed;
    static constexpr auto final = payment_state::final;
    static constexpr auto unknown = payment_state::unknown;
    static constexpr auto held = payment_state::held;
    payment_state state = unknown;
    /// Members whose shares count (pending: so far; final: the certificate's signers), by
    /// index and by name.
    std::vector<uint16_t> signers;
    std::vector<std::string> signer_names;
    /// Why it failed.
    caf::error failure;
    /// Final: the hand-offs to payees not yet acknowledged (none: delivered).
    std::vector<delivery> undelivered;
  };

  /// A wallet of `owners` (in key order) in network `net`, reading certificates from `records`.
  wallet_core(network net, std::vector<address> owners,
              std::shared_ptr<const wallet_records> records);
  wallet_core(const wallet_core&) = delete;
  wallet_core& operator=(const wallet_core&) = delete;

  /// Starts from what the store holds: spendable outputs, payments to resume (sent again at
  /// once), hand-offs to offer again.
  wallet_effects restore(wallet_snapshot snap);

  /// Pays `value` from `from` (one of this wallet's addresses) to `to`. Errors (answered):
  /// unknown_address, zero_payment, insufficient_funds, payment_conflict, payment_rejected,
  /// storage_error.
  /// `endpoint` ("host:port", may be empty) is where this payment's certificate goes: the route
  /// of this payment alone, kept with it across restarts.
  wallet_effects pay(caller_id caller, const address& from, const address& to, amount value,
                     answer_when when = answer_when::final, std::string endpoint = {});

  /// Plans a payment as `pay` does but holds it instead of sending it (the first step of a
  /// transaction file): its inputs stay reserved, across restarts, until it is submitted,
  /// certified (delivered from elsewhere) or abandoned; the caller gets its hash once the held
  /// request — with the signatures of the keys this wallet holds — is durable (`held(tx)`).
  wallet_effects hold(caller_id caller, const address& from, const address& to, amount value);

  /// The held request `tx`, if there is one.
  const sign_request* held(const hash32& tx) const;

  /// Lets go of the held request `tx`: its inputs become spendable again once that is durable.
  /// Safe only if no completed copy of it was ever submitted (it could still be certified and
  /// would then conflict with a later payment from the same inputs). Errors:
  /// unknown_transaction, storage_error.
  wallet_effects abandon(caller_id caller, const hash32& tx);

  /// Spreads the spendable outputs of `owner` over `parts` outputs to itself (see plan_split).
  wallet_effects split(caller_id caller, const address& owner, uint64_t parts);

  /// Records and follows a complete sign request that this wallet did not plan — a spend that
  /// co-signers signed elsewhere (any wallet may submit it), or one it holds, now signed: sent to
  /// the committee, answered once final, its outputs to this wallet kept, the rest handed on as
  /// for a payment. Outputs of this wallet it spends are reserved meanwhile. With `creator` (the
  /// endpoint of the wallet that made the transaction file), the certificate also goes there for
  /// every owner of an input that is not this wallet's: the creator's held request ends, its
  /// inputs leave its balance and its change arrives. Errors: wrong_committee, payment_conflict
  /// (an input reserved by another payment under way or held for another request), and those of
  /// a payment.
  wallet_effects submit_request(caller_id caller, sign_request req, std::string creator = {});

  /// The payer's address approved `tx` with a key's or a policy's witness (or could not).
  wallet_effects witnessed(const hash32& tx, const caf::expected<owner_proof>& proof);

  /// The write `id` is durable (no error) or failed.
  wallet_effects written(uint64_t id, const caf::error& err);

  /// Member `from` answered the request of `tx` with `raw` (an encoded sign_reply).
  wallet_effects replied(const hash32& tx, uint16_t from, const bytes& raw);

  /// Member `from` did not answer the request of `tx` (timeout, not connected, an error): it is
  /// asked again on the next tick.
  void unanswered(const hash32& tx, uint16_t from);

  /// Another wallet hands over a certified transaction (`raw`, encoded): its outputs to this
  /// wallet become spendable, and this wallet's outputs it spends are gone (a spend co-signed and
  /// submitted elsewhere). Answered with an acknowledgement once that is durable; a repeat changes
  /// nothing. With `for_payee` (the payer names whom it means), a wallet that does not hold that
  /// address refuses it, even a repeat: the payer's route led to the wrong wallet. Errors:
  /// malformed, invalid_certificate, unknown_address (nothing for this wallet, or not the
  /// payee's), storage_error.
  wallet_effects delivered(caller_id caller, const bytes& raw,
                           std::optional<address> for_payee = std::nullopt);
  /// The same for a certified transaction decoded already (`acfts tx import`).
  wallet_effects delivered(caller_id caller, certified_transaction ct,
                           std::optional<address> for_payee = std::nullopt);

  /// The wallet of `payee` acknowledged the hand-off of `tx`.
  wallet_effects acknowledged(const hash32& tx, const address& payee);

  /// Offer number `offer` of the hand-off of `tx` to `payee` failed: offered again on the next
  /// tick, unless the payee refused it (it will refuse it again). The failure of an offer that a
  /// later one (`resend`) overtook changes nothing.
  wallet_effects handoff_failed(const hash32& tx, const address& payee, uint64_t offer,
                                const caf::error& err);

  /// Resends every unanswered request and unacknowledged hand-off not in flight, and those in
  /// flight for `ticks_to_answer` ticks: the wallet's requests carry no timeout of their own.
  wallet_effects tick();

  /// Ticks a request or hand-off waits for its answer before it is sent again. The actors ask
  /// without a timeout (each costs CAF's clock two wake-ups); a gate answers every request it
  /// gives up (actors/gate.hpp), so nothing waits for good.
  static constexpr uint8_t ticks_to_answer = 2;

  /// Sends every unanswered request not in flight (a member (re)connected).
  wallet_effects resend_requests();

  /// Offers again the hand-offs to `payee` that have no route of their own (its wallet, as the
  /// wallet's file names it, became known).
  wallet_effects resend_handoffs(const address& payee);

  /// Offers again the hand-offs routed to `endpoint` (a connection to it was made).
  wallet_effects resend_handoffs_to(const std::string& endpoint);

  /// Offers the unacknowledged hand-offs of `tx` again at once, refused ones included; with
  /// `redirect`, the hand-off to `redirect->payee` goes to `redirect->endpoint` from now on
  /// (durably; answered at once, the route is written in the next batch). Errors:
  /// unknown_transaction (nothing of `tx` waits for a payee), unknown_address (the redirect's payee
  /// is not one of its payees).
  wallet_effects resend(caller_id caller, const hash32& tx,
                        std::optional<handoff_route> redirect = std::nullopt);

  /// The certified transactions that created the outputs this wallet holds (the genesis, which
  /// every wallet knows from its committee, left out): what `tx export --all` writes, enough for
  /// another wallet with the keys to take the coins over. Errors: the store's.
  caf::expected<std::vector<certified_transaction>> certified_sources() const;

  /// Every hand-off not yet acknowledged, by transaction.
  std::vector<std::pair<hash32, delivery>> undelivered() const;

  /// The routes that hand-offs and pending payments name (for the wallet's connector).
  std::vector<std::string> endpoints() const;

  /// Answers `caller` once payment `tx` is final or failed (at once if it is already).
  wallet_effects await(caller_id caller, const hash32& tx);

  caf::expected<tx_status> status(const hash32& tx) const;
  /// The same, as the wallet's API answers it (messages/control.hpp).
  caf::expected<control::tx_status> status_reply(const hash32& tx) const;
  /// Every hand-off not yet acknowledged, as the wallet's API answers it.
  std::vector<control::handoff> handoffs() const;
  /// The certified transaction `tx` this wallet keeps. Errors: unknown_transaction, the store's.
  caf::expected<certified_transaction> certified(const hash32& tx) const;
  /// The latest `limit` (0: all) of the store's history lines `oldest_first`, newest first, each
  /// with where its payment stands now. Errors: the store's.
  caf::expected<std::vector<control::history_line>>
  history(const std::vector<history_entry>& oldest_first, uint64_t limit) const;

  /// What `owner` holds, reserved outputs included. Errors: unknown_address, amount_overflow.
  caf::expected<amount> balance(const address& owner) const;
  /// What the wallet holds in all.
  caf::expected<amount> total() const { return ledger_.total(); }
  /// What `owner` may spend now: its outputs that no pending payment or held request reserves.
  /// Errors: unknown_address, amount_overflow.
  caf::expected<amount> spendable(const address& owner) const;

  bool owns(const address& a) const { return owned_.count(a) != 0; }
  const std::vector<address>& addresses() const { return owners_; }

  /// Holds `change.new_addresses` from now on, with the outputs `change.added` (their genesis
  /// outputs), once the caller made `change` durable.
  void adopt(const wallet_change& change);

  /// Holds the addresses of `records` it does not hold yet, once they are durable: those the
  /// store lacks are registered with the genesis outputs they own in the next group commit
  /// (synced); those it has already (an earlier run) are held at once with the outputs it keeps
  /// for them. Answers `caller` with how many were new. Errors: the store's.
  wallet_effects adopt_new(caller_id caller, const std::vector<address_record>& records);
  const wallet_ledger& ledger() const { return ledger_; }
  /// Payments not yet final or failed.
  size_t pending() const { return payments_.size(); }
  /// Requests held for co-signers.
  size_t held_count() const { return held_.size(); }
  /// Pending payments plus hand-offs not yet acknowledged and still offered (not refused).
  size_t unsettled() const;
  /// Hand-offs not yet acknowledged, refused ones included.
  size_t undelivered_count() const { return outbox_.size(); }
  /// True while something waits for a resend (the caller keeps a timer running).
  bool wants_tick() const { return unsettled() != 0; }
  counters stats() const {
    auto now = stats_;
    now.pending = pending();
    now.undelivered = undelivered_count();
    return now;
  }
  /// Every equivocation proof this wallet made or keeps, oldest first.
  const std::vector<equivocation_proof>& proofs() const { return proofs_; }
  const network& net() const { return net_; }

private:
  static caf::error not_held(const address& a);
  /// A payment whose outputs are reserved, waiting for its witness and its record.
  struct draft {
    payment_plan plan;
    address owner;
    caller_id caller;
    answer_when when;
    /// Held for co-signers instead of sent.
    bool hold = false;
    /// Routes of its hand-offs, by payee (none: wherever the wallet's file says).
    std::map<address, std::string> routes{};
  };

  /// A request held for co-signers, and the outputs of this wallet it reserves.
  struct held_request {
    std::shared_ptr<const sign_request> req;
    std::vector<utxo> inputs;
  };

  /// A payment whose request is recorded and out to the committee.
  struct payment {
    std::shared_ptr<const sign_request> req;
    std::shared_ptr<const bytes> encoded;
    std::unique_ptr<quorum_collector> collector;
    /// Per member: 0 when not asked (or its answer came), else 1 + the ticks since it was asked.
    std::vector<uint8_t> in_flight;
    std::vector<utxo> inputs;
    std::vector<caller_id> waiters;
    /// Routes of its hand-offs, by payee.
    std::map<address, std::string> routes;
    /// Its outcome is decided and being written: later replies change nothing.
    bool finishing = false;
  };

  struct handoff {
    std::shared_ptr<const bytes> encoded;
    /// 0 when no offer waits for its answer, else 1 + the ticks since it was made.
    uint8_t in_flight = 0;
    delivery state;
    /// Ticks to let pass before the next offer (backs off after each failure).
    uint32_t wait = 0;
  };

  /// A delivery whose outputs are being written, and who waits for its acknowledgement.
  struct receipt {
    std::vector<utxo> added;
    /// Outputs of this wallet that the delivered transaction spends.
    std::vector<utxo> spent;
    /// Held requests that it ends (itself, or others spending the same outputs).
    std::vector<hash32> held_done;
    std::vector<caller_id> callers;
  };

  /// What to do once a write is reported.
  struct write_follow_up {
    enum kind_t { record, finish, fail, receive, hold, abandon, adopt, forget } kind = forget;
    hash32 tx;
    /// finish: the payees to hand the certified transaction to (owners of outputs that are not
    /// this wallet's).
    std::vector<address> payees;
    std::shared_ptr<const certified_transaction> certified;
    std::vector<utxo> added;
    /// record: the payment recorded; fail: why it failed.
    std::shared_ptr<const sign_request> req;
    std::optional<draft> recorded;
    caf::error reason;
    /// abandon: the held request let go, and who asked.
    std::optional<held_request> released;
    /// adopt: the addresses registered (with their outputs in `added`), and how many were new
    /// in all (with those the store had already).
    std::vector<address_record> addresses;
    uint64_t new_count = 0;
    caller_id caller = 0;
  };

  wallet_effects submit(caller_id caller, const address& owner, caf::expected<payment_plan> plan,
                        answer_when when, bool hold = false,
                        std::map<address, std::string> routes = {});
  void write(wallet_effects& fx, wallet_change change, write_follow_up then);
  void launch(wallet_effects& fx, std::shared_ptr<const sign_request> req, std::vector<utxo> inputs,
              std::optional<caller_id> waiter, std::map<address, std::string> routes = {});
  /// `on_tick`: a request that has waited `ticks_to_answer` ticks is sent again.
  void send_requests(wallet_effects& fx, const hash32& tx, bool on_tick = false);
  /// `again`: offered even while an earlier offer waits for its answer (a resend, perhaps to
  /// another route: the earlier offer's failure is then stale).
  void send_handoff(wallet_effects& fx, const outbox_entry& e, bool again = false);
  /// Adds the hand-off `e` of `certified` (to `endpoint`; empty: the payee as the file names it)
  /// to the outbox and offers it.
  void offer_handoff(wallet_effects& fx, const outbox_entry& e,
                     std::shared_ptr<const bytes> certified, std::string endpoint);
  using outbox_iterator = std::map<outbox_entry, handoff>::iterator;
  /// The hand-offs of `tx`, one per payee.
  std::pair<outbox_iterator, outbox_iterator> handoffs_of(const hash32& tx);
  void finish(wallet_effects& fx, const hash32& tx);
  void fail(wallet_effects& fx, const hash32& tx, const caf::error& reason);
  void settle(wallet_effects& fx, const write_follow_up& then);
  void remember_failure(const hash32& tx, const caf::error& reason);
  /// `err` with, for insufficient funds, what the payments under way and held requests reserve
  /// of `from`'s outputs, and which they are.
  caf::error explain_reserved(caf::error err, const address& from) const;
  caf::expected<tx_status> status_of(const hash32& tx) const;
  std::vector<utxo> own_outputs(const hash32& tx, const transaction& t) const;
  /// The history line of `t`: what it sends to others (sent), or what it brings this wallet.
  history_entry history_line(const hash32& tx, const transaction& t, bool sent) const;
  /// The history line of a transfer from `payer` to other addresses of this wallet.
  history_entry internal_line(const hash32& tx, const transaction& t, const address& payer) const;

  /// Adds the proofs the watch made to `fx` and to the store.
  void publish(wallet_effects& fx, std::vector<equivocation_proof> found);
  /// A delivery refused: counted, and `err` answered.
  void refuse_delivery(wallet_effects& fx, caller_id caller, caf::error err);

  network net_;
  equivocation_watch watch_{net_};
  std::vector<equivocation_proof> proofs_;
  std::vector<address> owners_;
  std::unordered_set<address> owned_;
  std::shared_ptr<const wallet_records> records_;
  wallet_ledger ledger_;
  std::unordered_map<hash32, draft> drafts_;
  std::unordered_map<hash32, payment> payments_;
  std::unordered_map<hash32, held_request> held_;
  std::map<outbox_entry, handoff> outbox_;
  std::unordered_map<hash32, receipt> receiving_;
  std::unordered_map<uint64_t, write_follow_up> writes_;
  uint64_t next_write_ = 1;
  /// Addresses being registered (their write not yet reported): a second adoption skips them.
  std::unordered_set<address> adopting_;
  /// Why recent payments failed, for `status` and `await` (bounded; not kept across a restart).
  std::map<hash32, caf::error> failures_;
  std::deque<hash32> failure_order_;
  counters stats_;
  /// When the store was restored from a backup (0: never).
  uint64_t restored_at_ms_ = 0;
};

} // namespace acfts
