#include "persistence/validator_store.hpp"

#include <filesystem>

#include <leveldb/env.h>
#include <leveldb/write_batch.h>

#include "messages/codec.hpp"
#include "messages/limits.hpp"
#include "persistence/detail/leveldb_util.hpp"

namespace acfts {

namespace {
/// What an operator reads when the store is damaged.
const std::string on_damage =
  "it may have lost locks this validator signed, so it refuses to serve: count it "
  "as one of the f faulty validators, keep the directory, and do not restore a "
  "backup, which lacks the newest locks (doc/operations.md: A damaged store)";
} // namespace

using namespace detail;
using namespace validator_keys;

namespace {

std::string lock_key(const output_ref& ref) {
  std::string key;
  key.reserve(lock_key_size);
  key.push_back(lock_tag);
  append(key, ref);
  return key;
}

std::string sig_key(const hash32& tx) {
  std::string key;
  key.reserve(sig_key_size);
  key.push_back(sig_tag);
  append(key, tx);
  return key;
}

} // namespace

validator_store::validator_store(std::string dir, std::unique_ptr<leveldb::Env> env,
                                 std::unique_ptr<leveldb::DB> db)
  : dir_(std::move(dir)), env_(std::move(env)), db_(std::move(db)) {}

validator_store::~validator_store() = default;

caf::expected<std::unique_ptr<validator_store>> validator_store::open(const std::string& dir,
                                                                      const hash32& committee_id,
                                                                      uint16_t validator_index,
                                                                      storage_faults_ptr faults) {
  auto db = open_db(dir, std::move(faults), on_damage, validator_memtable_bytes);
  if (!db)
    return db.error();
  std::string meta;
  append(meta, committee_id);
  meta.push_back(static_cast<char>(validator_index >> 8));
  meta.push_back(static_cast<char>(validator_index));
  if (auto err = bind_meta(*db->db, meta, dir, on_damage))
    return err;
  return std::unique_ptr<validator_store>(
    new validator_store(dir, std::move(db->env), std::move(db->db)));
}

namespace {

/// Reads a fixed-size value; nullopt when the key is absent.
template <class T>
caf::expected<std::optional<T>> get_fixed(leveldb::DB& db, const std::string& key,
                                          const std::string& what) {
  std::string value;
  auto st = db.Get(checked_reads(), key, &value);
  if (st.IsNotFound())
    return std::optional<T>{};
  if (!st.ok())
    return to_error(st, what + " lookup");
  auto x = T::from_raw(value.data(), value.size());
  if (!x)
    return make_error(ec::storage_error, what + ": corrupt record");
  return std::optional<T>{*x};
}

} // namespace

caf::expected<std::optional<hash32>> validator_store::lock_of(const output_ref& input) const {
  return get_fixed<hash32>(*db_, lock_key(input), dir_ + ": lock");
}

namespace {

std::string share_value(const share& s) {
  std::string out(reinterpret_cast<const char*>(s.sig.data()), s.sig.size);
  if (s.path) {
    append_u32(out, s.path->position);
    for (const auto& h : s.path->siblings)
      out.append(reinterpret_cast<const char*>(h.data()), h.size);
  }
  return out;
}

std::optional<share> parse_share(std::string_view value) {
  share s;
  if (value.size() < 64)
    return std::nullopt;
  std::memcpy(s.sig.data(), value.data(), 64);
  value.remove_prefix(64);
  if (value.empty())
    return s;
  if (value.size() < 4 || (value.size() - 4) % 32 != 0
      || (value.size() - 4) / 32 > limits::max_merkle_depth)
    return std::nullopt;
  merkle_path p;
  p.position = read_u32(value.data());
  value.remove_prefix(4);
  for (; !value.empty(); value.remove_prefix(32))
    p.siblings.push_back(*hash32::from_raw(value.data(), 32));
  s.path = std::move(p);
  return s;
}

} // namespace

caf::expected<std::optional<share>> validator_store::share_of(const hash32& tx) const {
  std::string value;
  auto st = db_->Get(checked_reads(), sig_key(tx), &value);
  if (st.IsNotFound())
    return std::optional<share>{};
  if (!st.ok())
    return to_error(st, dir_ + ": share lookup");
  auto s = parse_share(value);
  if (!s)
    return make_error(ec::storage_error, dir_ + ": share: corrupt record");
  return s;
}

caf::error validator_store::commit(const std::vector<const lock_record*>& records) {
  leveldb::WriteBatch batch;
  for (auto rec : records) {
    leveldb::Slice tx(reinterpret_cast<const char*>(rec->tx.data()), rec->tx.size);
    for (const auto& in : rec->inputs)
      batch.Put(lock_key(in), tx);
    if (rec->locks_only)
      continue;
    batch.Put(sig_key(rec->tx), share_value(rec->given));
    if (rec->request) {
      auto key = sig_key(rec->tx);
      key[0] = request_tag;
      batch.Put(key, leveldb::Slice(rec->request->data(), rec->request->size()));
    }
  }
  leveldb::WriteOptions wo;
  wo.sync = true;
  return to_error(db_->Write(wo, &batch), dir_ + ": synced write of locks");
}

caf::error validator_store::release(const hash32& tx, const std::vector<output_ref>& inputs) {
  return release(tx, inputs, 0);
}

caf::error validator_store::release(const hash32& tx, const std::vector<output_ref>& inputs,
                                    uint64_t counter) {
  leveldb::WriteBatch batch;
  if (counter != 0) {
    std::string raw;
    append_u64(raw, counter);
    batch.Put(std::string(1, call_counter_tag), raw);
  }
  for (const auto& in : inputs) {
    auto locked = lock_of(in);
    if (!locked)
      return locked.error();
    if (*locked && **locked == tx) // another transaction's lock is never touched
      batch.Delete(lock_key(in));
  }
  leveldb::WriteOptions wo;
  wo.sync = true;
  return to_error(db_->Write(wo, &batch), dir_ + ": synced release of locks");
}

caf::error validator_store::bind_shard(uint32_t k, uint32_t shards) {
  std::string want;
  append_u32(want, k);
  append_u32(want, shards);
  std::string value;
  auto st = db_->Get(checked_reads(), std::string(1, shard_tag), &value);
  if (st.IsNotFound()) {
    leveldb::WriteOptions wo;
    wo.sync = true;
    return to_error(db_->Put(wo, std::string(1, shard_tag), want), dir_ + ": synced shard binding");
  }
  if (auto err = to_error(st, dir_ + ": shard binding read"))
    return err;
  if (value == want)
    return {};
  if (value.size() != 8)
    return make_error(ec::storage_error, dir_ + ": corrupt shard binding");
  return make_error(ec::invalid_config, dir_ + " holds the locks of lock shard "
                                          + std::to_string(read_u32(value.data())) + " of "
                                          + std::to_string(read_u32(value.data() + 4))
                                          + ", not shard " + std::to_string(k) + " of "
                                          + std::to_string(shards));
}

caf::expected<uint64_t> validator_store::last_call_counter() const {
  std::string value;
  auto st = db_->Get(checked_reads(), std::string(1, call_counter_tag), &value);
  if (st.IsNotFound())
    return uint64_t{0};
  if (auto err = to_error(st, dir_ + ": call counter read"))
    return err;
  if (value.size() != 8)
    return make_error(ec::storage_error, dir_ + ": corrupt call counter");
  return read_u64(value.data());
}

caf::expected<std::optional<seal_statement>> validator_store::seal() const {
  std::string value;
  auto st = db_->Get(checked_reads(), std::string(1, seal_tag), &value);
  if (st.IsNotFound())
    return std::optional<seal_statement>{};
  if (auto err = to_error(st, dir_ + ": seal read"))
    return err;
  auto s = decode<seal_statement>(value.data(), value.size());
  if (!s)
    return make_error(ec::storage_error, dir_ + ": corrupt seal record");
  return std::optional<seal_statement>{std::move(*s)};
}

caf::expected<std::optional<hash32>> validator_store::sealed_for() const {
  auto s = seal();
  if (!s)
    return s.error();
  if (!*s)
    return std::optional<hash32>{};
  return std::optional<hash32>{(*s)->next_id};
}

caf::error validator_store::put_seal(const seal_statement& s) {
  leveldb::WriteOptions wo;
  wo.sync = true;
  auto raw = encode(s);
  return to_error(db_->Put(wo, std::string(1, seal_tag), leveldb::Slice(raw.data(), raw.size())),
                  dir_ + ": synced seal");
}

caf::expected<bool> validator_store::holds_locks() const {
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  it->Seek(std::string(1, lock_tag));
  bool any = it->Valid() && it->key().starts_with(std::string(1, lock_tag));
  if (auto err = to_error(it->status(), dir_ + ": lock scan"))
    return err;
  return any;
}

caf::error validator_store::import_locks(const merged_locks& merged) {
  auto any = holds_locks();
  if (!any)
    return any.error();
  if (*any)
    return make_error(ec::storage_error, dir_
                                           + ": holds locks already; a validator starts from "
                                             "imported locks only with an empty store");
  leveldb::WriteBatch batch;
  auto none = unspendable_tx();
  for (const auto& [in, tx] : merged.locks)
    batch.Put(lock_key(in), leveldb::Slice(reinterpret_cast<const char*>(tx.data()), tx.size));
  for (const auto& in : merged.unspendable)
    batch.Put(lock_key(in), leveldb::Slice(reinterpret_cast<const char*>(none.data()), none.size));
  for (const auto& [tx, req] : merged.requests) {
    auto key = sig_key(tx);
    key[0] = request_tag;
    auto raw = encode(req);
    batch.Put(key, leveldb::Slice(raw.data(), raw.size()));
  }
  leveldb::WriteOptions wo;
  wo.sync = true;
  return to_error(db_->Write(wo, &batch), dir_ + ": synced import of locks");
}

caf::error
validator_store::for_each_request(const std::function<void(const hash32&, sign_request)>& f) const {
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, request_tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto key = it->key();
    auto req = decode<sign_request>(it->value().data(), it->value().size());
    if (key.size() != sig_key_size || !req)
      return make_error(ec::storage_error, dir_ + ": corrupt request record");
    f(*hash32::from_raw(key.data() + 1, 32), std::move(*req));
  }
  return to_error(it->status(), dir_ + ": request scan");
}

caf::error validator_store::for_each_lock(
  const std::function<void(const output_ref&, const hash32&)>& f) const {
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, lock_tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto key = it->key();
    auto value = it->value();
    if (key.size() != lock_key_size || value.size() != 32)
      return make_error(ec::storage_error, dir_ + ": corrupt lock record");
    output_ref ref;
    std::memcpy(ref.tx.data(), key.data() + 1, 32);
    ref.index = read_u32(key.data() + 1 + 32);
    f(ref, *hash32::from_raw(value.data(), value.size()));
  }
  return to_error(it->status(), dir_ + ": lock scan");
}

caf::error
validator_store::for_each_share(const std::function<void(const hash32&, const share&)>& f) const {
  std::unique_ptr<leveldb::Iterator> it{db_->NewIterator(checked_reads())};
  const std::string prefix(1, sig_tag);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    auto tx = hash32::from_raw(it->key().data() + 1, it->key().size() - 1);
    auto s = parse_share(std::string_view{it->value().data(), it->value().size()});
    if (!tx || !s)
      return make_error(ec::storage_error, dir_ + ": corrupt signature record");
    f(*tx, *s);
  }
  return to_error(it->status(), dir_ + ": signature scan");
}

std::string shard_store_dir(const std::string& data_dir, uint32_t k) {
  return data_dir + "/shard-" + std::to_string(k);
}

uint32_t shard_stores_in(const std::string& data_dir) {
  namespace fs = std::filesystem;
  uint32_t found = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(data_dir, ec))
    if (entry.is_directory(ec) && entry.path().filename().string().rfind("shard-", 0) == 0)
      ++found;
  return found;
}

caf::error for_each_validator_lock(const validator_store& home, const hash32& committee_id,
                                   uint16_t index,
                                   const std::function<void(const output_ref&, const hash32&)>& f) {
  if (auto err = home.for_each_lock(f))
    return err;
  auto shards = shard_stores_in(home.dir());
  for (uint32_t k = 0; k < shards; ++k) {
    auto shard = validator_store::open(shard_store_dir(home.dir(), k), committee_id, index);
    if (!shard)
      return shard.error();
    if (auto err = (*shard)->for_each_lock(f))
      return err;
  }
  return caf::none;
}

} // namespace acfts
