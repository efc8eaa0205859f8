#include "persistence/wallet_store.hpp"

#include <chrono>

#include <algorithm>

#include <leveldb/env.h>
#include <leveldb/write_batch.h>

#include "crypto/hashing.hpp"
#include "messages/codec.hpp"
#include "messages/limits.hpp"
#include "persistence/detail/leveldb_util.hpp"

namespace acfts {

namespace {
/// What an operator reads when the store is damaged.
const std::string on_damage =
  "it may have lost certificates or pending payments, so the wallet refuses to "
  "start: keep the directory for recovery (doc/operations.md: A damaged store)";
} // namespace

using namespace detail;
using namespace wallet_keys;

namespace {

std::string utxo_prefix(const address& owner) {
  std::string key;
  key.reserve(utxo_key_size);
  key.push_back(utxo_tag);
  append(key, owner);
  return key;
}

std::string utxo_key(const utxo& u) {
  auto key = utxo_prefix(u.owner);
  append(key, u.ref);
  return key;
}

std::string hash_key(char tag, const hash32& h) {
  std::string key;
  key.reserve(tagged_hash_size);
  key.push_back(tag);
  append(key, h);
  return key;
}

std::string outbox_key(const outbox_entry& e, char tag = outbox_tag) {
  auto key = hash_key(tag, e.tx);
  append(key, e.payee);
  return key;
}

leveldb::WriteOptions synced() {
  leveldb::WriteOptions wo;
  wo.sync = true;
  return wo;
}

leveldb::Slice slice(const bytes& buf) {
  return leveldb::Slice(buf.data(), buf.size());
}

} // namespace

wallet_store::wallet_store(std::string dir, std::unique_ptr<leveldb::Env> env,
                           std::unique_ptr<leveldb::DB> db)
  : dir_(std::move(dir)), env_(std::move(env)), db_(std::move(db)) {}

wallet_store::~wallet_store() = default;

caf::expected<std::unique_ptr<wallet_store>>
wallet_store::open(const std::string& dir, const hash32& committee_id, storage_faults_ptr faults,
                   const std::vector<hash32>& earlier_committees) {
  auto db = open_db(dir, std::move(faults), on_damage, wallet_memtable_bytes);
  if (!db)
    return db.error();
  std::string meta;
  append(meta, committee_id);
  std::vector<std::string> earlier;
  for (const auto& id : earlier_committees)
    append(earlier.emplace_back(), id);
  if (auto err = bind_meta(*db->db, meta, dir, on_damage, earlier))
    return err;
  return std::unique_ptr<wallet_store>(
    new wallet_store(dir, std::move(db->env), std::move(db->db)));
}

namespace {

void put_address_into(leveldb::WriteBatch& batch, const address_record& rec) {
  std::string key(1, address_record_tag);
  append(key, rec.addr);
  std::string value;
  append(value, rec.key);
  value += rec.key_ref;
  batch.Put(key, value);
}

} // namespace

caf::error wallet_store::put_address(const address_record& rec) {
  leveldb::WriteBatch batch;
  put_address_into(batch, rec);
  return to_error(db_->Write(synced(), &batch), dir_ + ": write address");
}

caf::expected<std::vector<address_record>> wallet_store::addresses() const {
  std::vector<address_record> out;
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, address_record_tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto key = it->key();
    auto value = it->value();
    if (key.size() != tagged_hash_size || value.size() < 32)
      return make_error(ec::storage_error, dir_ + ": corrupt address record");
    address_record rec;
    std::memcpy(rec.addr.data(), key.data() + 1, 32);
    std::memcpy(rec.key.data(), value.data(), 32);
    rec.key_ref.assign(value.data() + 32, value.size() - 32);
    out.push_back(std::move(rec));
  }
  if (auto err = to_error(it->status(), dir_ + ": address scan"))
    return err;
  return out;
}

caf::expected<std::vector<utxo>> wallet_store::unspent(const address& owner) const {
  std::vector<utxo> out;
  auto prefix = utxo_prefix(owner);
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto key = it->key();
    auto value = it->value();
    if (key.size() != prefix.size() + 36 || value.size() != 8)
      return make_error(ec::storage_error, dir_ + ": corrupt output record");
    utxo u;
    u.owner = owner;
    std::memcpy(u.ref.tx.data(), key.data() + prefix.size(), 32);
    u.ref.index = read_u32(key.data() + prefix.size() + 32);
    u.value = read_u64(value.data());
    out.push_back(u);
  }
  if (auto err = to_error(it->status(), dir_ + ": output scan"))
    return err;
  return out;
}

caf::expected<std::optional<certified_transaction>>
wallet_store::certified(const hash32& tx) const {
  std::string value;
  auto st = db_->Get(checked_reads(), hash_key(certified_tag, tx), &value);
  if (st.IsNotFound())
    return std::optional<certified_transaction>{};
  if (!st.ok())
    return to_error(st, dir_ + ": certificate lookup");
  auto ct = decode<certified_transaction>(value.data(), value.size());
  if (!ct)
    return make_error(ec::storage_error, dir_ + ": corrupt certificate record");
  return std::optional<certified_transaction>{std::move(*ct)};
}

caf::error wallet_store::record_pending(const hash32& tx, const sign_request& req) {
  wallet_change change; // the wallet records it this way too, in its group commit
  change.new_pending = std::make_shared<const sign_request>(req);
  change.new_pending_tx = tx;
  return apply(change);
}

caf::expected<std::vector<sign_request>> wallet_store::requests(char tag, const char* what) const {
  std::vector<sign_request> out;
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto req = decode<sign_request>(it->value().data(), it->value().size());
    if (!req)
      return make_error(ec::storage_error, dir_ + ": corrupt " + what);
    out.push_back(std::move(*req));
  }
  if (auto err = to_error(it->status(), dir_ + ": scan of every " + what))
    return err;
  return out;
}

caf::expected<std::vector<sign_request>> wallet_store::pending() const {
  return requests(pending_tag, "pending payment");
}

caf::expected<std::vector<sign_request>> wallet_store::held() const {
  return requests(held_tag, "held request");
}

caf::expected<std::vector<history_entry>> wallet_store::history() const {
  std::vector<history_entry> out;
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, history_tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto key = it->key();
    auto value = it->value();
    if (key.size() != tagged_hash_size || value.size() != 1 + 32 + 8 + 8)
      return make_error(ec::storage_error, dir_ + ": corrupt history line");
    history_entry e;
    std::memcpy(e.tx.data(), key.data() + 1, 32);
    e.sent = value.data()[0] != 0;
    e.internal = value.data()[0] == 2;
    std::memcpy(e.counterparty.data(), value.data() + 1, 32);
    e.value = read_u64(value.data() + 33);
    e.seen_ms = read_u64(value.data() + 41);
    out.push_back(e);
  }
  if (auto err = to_error(it->status(), dir_ + ": history scan"))
    return err;
  std::stable_sort(out.begin(), out.end(), [](const history_entry& x, const history_entry& y) {
    return x.seen_ms < y.seen_ms;
  });
  return out;
}

caf::error
wallet_store::for_each_certified(const std::function<void(const certified_transaction&)>& f) const {
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, certified_tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto ct = decode<certified_transaction>(it->value().data(), it->value().size());
    if (!ct)
      return make_error(ec::storage_error, dir_ + ": corrupt certificate record");
    f(*ct);
  }
  return to_error(it->status(), dir_ + ": certificate scan");
}

caf::expected<std::vector<utxo>> wallet_store::all_unspent() const {
  std::vector<utxo> out;
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, utxo_tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto key = it->key();
    auto value = it->value();
    if (key.size() != utxo_key_size || value.size() != 8)
      return make_error(ec::storage_error, dir_ + ": corrupt output record");
    utxo u;
    std::memcpy(u.owner.data(), key.data() + 1, 32);
    std::memcpy(u.ref.tx.data(), key.data() + 1 + 32, 32);
    u.ref.index = read_u32(key.data() + 1 + 32 + 32);
    u.value = read_u64(value.data());
    out.push_back(u);
  }
  if (auto err = to_error(it->status(), dir_ + ": output scan"))
    return err;
  return out;
}

caf::expected<std::vector<outbox_entry>> wallet_store::outbox() const {
  std::vector<outbox_entry> out;
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, outbox_tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto key = it->key();
    auto value = it->value();
    outbox_entry e;
    if (key.size() == outbox_key_size && value.empty()) {
      std::memcpy(e.tx.data(), key.data() + 1, 32);
      std::memcpy(e.payee.data(), key.data() + 1 + 32, 32);
    } else if (key.size() == tagged_hash_size && value.size() == 32) { // the older form
      std::memcpy(e.tx.data(), key.data() + 1, 32);
      std::memcpy(e.payee.data(), value.data(), 32);
    } else {
      return make_error(ec::storage_error, dir_ + ": corrupt outbox record");
    }
    out.push_back(e);
  }
  if (auto err = to_error(it->status(), dir_ + ": outbox scan"))
    return err;
  return out;
}

caf::expected<std::vector<handoff_route>> wallet_store::routes() const {
  std::vector<handoff_route> out;
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, route_tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto key = it->key();
    auto value = it->value();
    if (key.size() != outbox_key_size || value.empty() || value.size() > limits::max_endpoint_chars)
      return make_error(ec::storage_error, dir_ + ": corrupt route record");
    handoff_route r;
    std::memcpy(r.tx.data(), key.data() + 1, 32);
    std::memcpy(r.payee.data(), key.data() + 1 + 32, 32);
    r.endpoint = value.ToString();
    out.push_back(std::move(r));
  }
  if (auto err = to_error(it->status(), dir_ + ": route scan"))
    return err;
  return out;
}

caf::expected<std::vector<equivocation_proof>> wallet_store::proofs() const {
  std::vector<equivocation_proof> out;
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, proof_tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto p = decode<equivocation_proof>(it->value().data(), it->value().size());
    if (!p)
      return make_error(ec::storage_error, dir_ + ": corrupt equivocation proof");
    out.push_back(std::move(*p));
  }
  if (auto err = to_error(it->status(), dir_ + ": proof scan"))
    return err;
  return out;
}

caf::expected<wallet_snapshot> wallet_store::snapshot(const std::vector<address>& owners) const {
  wallet_snapshot snap;
  for (const auto& a : owners) {
    auto outs = unspent(a);
    if (!outs)
      return outs.error();
    snap.unspent.insert(snap.unspent.end(), outs->begin(), outs->end());
  }
  auto pend = pending();
  if (!pend)
    return pend.error();
  snap.pending = std::move(*pend);
  auto held_requests = held();
  if (!held_requests)
    return held_requests.error();
  snap.held = std::move(*held_requests);
  auto entries = outbox();
  if (!entries)
    return entries.error();
  for (const auto& e : *entries) {
    auto ct = certified(e.tx);
    if (!ct)
      return ct.error();
    if (!*ct)
      return make_error(ec::storage_error,
                        dir_ + ": hand-off " + e.tx.hex() + " has no certificate");
    snap.outbox.push_back(unacknowledged_handoff{e.payee, std::move(**ct)});
  }
  auto rs = routes();
  if (!rs)
    return rs.error();
  snap.routes = std::move(*rs);
  auto kept = proofs();
  if (!kept)
    return kept.error();
  snap.proofs = std::move(*kept);
  std::string when;
  auto st = db_->Get(checked_reads(), std::string(1, restored_tag), &when);
  if (st.ok() && when.size() == 8)
    snap.restored_at_ms = read_u64(when.data());
  else if (!st.ok() && !st.IsNotFound())
    return to_error(st, dir_ + ": reading the restore mark");
  return snap;
}

namespace {

uint64_t unix_now_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
}

void add_change(leveldb::DB& db, leveldb::WriteBatch& batch, const wallet_change& change) {
  for (const auto& e : change.history_add) {
    auto key = hash_key(history_tag, e.tx);
    std::string existing;
    if (db.Get(leveldb::ReadOptions{}, key, &existing).ok())
      continue; // the first line stays, with its time
    std::string value(1, e.internal ? 2 : e.sent ? 1 : 0);
    append(value, e.counterparty);
    append_u64(value, e.value.units());
    append_u64(value, e.seen_ms != 0 ? e.seen_ms : unix_now_ms());
    batch.Put(key, value);
  }
  for (const auto& p : change.proofs) {
    auto raw = encode(p);
    batch.Put(hash_key(proof_tag, blake2b_256(raw.data(), raw.size())), slice(raw));
  }
  if (change.new_pending)
    batch.Put(hash_key(pending_tag, change.new_pending_tx), slice(encode(*change.new_pending)));
  if (change.new_held)
    batch.Put(hash_key(held_tag, change.new_held_tx), slice(encode(*change.new_held)));
  for (const auto& tx : change.held_done)
    batch.Delete(hash_key(held_tag, tx));
  if (change.certified)
    batch.Put(hash_key(certified_tag, change.certified->cert.tx_hash),
              slice(encode(*change.certified)));
  for (const auto& u : change.spent)
    batch.Delete(utxo_key(u));
  for (const auto& u : change.added) {
    std::string value;
    append_u64(value, u.value.units());
    batch.Put(utxo_key(u), value);
  }
  if (change.finished_payment)
    batch.Delete(hash_key(pending_tag, *change.finished_payment));
  for (const auto& e : change.outbox_add)
    batch.Put(outbox_key(e), leveldb::Slice{});
  for (const auto& rec : change.new_addresses)
    put_address_into(batch, rec);
  for (const auto& r : change.routes) {
    auto key = outbox_key(outbox_entry{r.tx, r.payee}, route_tag);
    if (r.endpoint.empty())
      batch.Delete(key);
    else
      batch.Put(key, r.endpoint);
  }
  for (const auto& e : change.outbox_done) {
    batch.Delete(outbox_key(e));
    batch.Delete(outbox_key(e, route_tag));
    batch.Delete(hash_key(outbox_tag, e.tx)); // the older form, if the entry has it
  }
}

} // namespace

caf::expected<std::vector<std::pair<std::string, std::string>>> wallet_store::records() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto opts = checked_reads();
  opts.snapshot = db_->GetSnapshot();
  {
    std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(opts)};
    for (it->SeekToFirst(); it->Valid(); it->Next())
      out.emplace_back(it->key().ToString(), it->value().ToString());
    auto err = to_error(it->status(), dir_ + ": reading every record");
    if (err) {
      db_->ReleaseSnapshot(opts.snapshot);
      return err;
    }
  }
  db_->ReleaseSnapshot(opts.snapshot);
  return out;
}

caf::error wallet_store::restore(const std::string& dir, const hash32& committee_id,
                                 const std::vector<std::pair<std::string, std::string>>& records) {
  if (leveldb::Env::Default()->FileExists(dir))
    return make_error(ec::storage_error, dir + ": exists already (a restore never overwrites)");
  auto store = open(dir, committee_id);
  if (!store)
    return store.error();
  std::string meta;
  append(meta, committee_id);
  leveldb::WriteBatch batch;
  for (const auto& [key, value] : records) {
    if (key.size() == 1 && key[0] == 'M') { // the store's binding: it must be this committee's
      if (value != meta)
        return make_error(ec::storage_error, dir
                                               + ": the backup's store belongs to another "
                                                 "committee than its committee file");
      continue;
    }
    if (key.size() == 1 && key[0] == restored_tag)
      continue; // this restore's time replaces an earlier one
    batch.Put(key, value);
  }
  std::string when;
  append_u64(when, unix_now_ms());
  batch.Put(std::string(1, restored_tag), when);
  return to_error((*store)->db_->Write(synced(), &batch), dir + ": writing the restored records");
}

caf::error wallet_store::apply(const wallet_change& change) {
  return apply_all({&change});
}

caf::error wallet_store::apply_all(const std::vector<const wallet_change*>& changes) {
  leveldb::WriteBatch batch;
  for (const auto* change : changes)
    add_change(*db_, batch, *change);
  return to_error(db_->Write(synced(), &batch), dir_ + ": synced wallet update");
}

caf::error wallet_store::apply_grouped(const std::vector<const wallet_change*>& changes) {
  leveldb::WriteBatch batch;
  bool sync = false;
  for (const auto* change : changes) {
    add_change(*db_, batch, *change);
    sync = sync || needs_sync(*change);
  }
  if (sync)
    return to_error(db_->Write(synced(), &batch), dir_ + ": synced wallet update");
  return to_error(db_->Write(leveldb::WriteOptions{}, &batch), dir_ + ": wallet update");
}

} // namespace acfts
