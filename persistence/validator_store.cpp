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

std::string tx_key(char tag, const hash32& tx) {
  std::string key;
  key.reserve(sig_key_size);
  key.push_back(tag);
  append(key, tx);
  return key;
}

/// The records under one tag, in key order; `tx()` is the hash that follows the tag.
class tag_cursor {
public:
  tag_cursor(leveldb::DB& db, char tag) : it_(db.NewIterator(checked_reads())), prefix_(1, tag) {
    it_->Seek(prefix_);
  }
  bool valid() const { return it_->Valid() && it_->key().starts_with(prefix_); }
  void next() { it_->Next(); }
  /// Empty when the key is not tag || 32 bytes (a damaged record).
  std::string_view tx() const {
    auto key = it_->key();
    return key.size() == sig_key_size ? std::string_view{key.data() + 1, 32} : std::string_view{};
  }
  std::string_view key() const { return {it_->key().data(), it_->key().size()}; }
  std::string_view value() const { return {it_->value().data(), it_->value().size()}; }
  leveldb::Status status() const { return it_->status(); }

private:
  std::unique_ptr<leveldb::Iterator> it_;
  std::string prefix_;
};

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
  std::unique_ptr<validator_store> store(
    new validator_store(dir, std::move(db->env), std::move(db->db)));
  tag_cursor older(*store->db_, sig_tag);
  store->legacy_shares_ = older.valid();
  if (auto err = to_error(older.status(), dir + ": signature scan"))
    return err;
  return store;
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

/// A "T" record: share_size(2) || share || request, built in one string.
std::string signed_value(const share& s, const bytes* request) {
  size_t share_size = s.sig.size + (s.path ? 4 + s.path->siblings.size() * hash32::size : 0);
  std::string out;
  out.reserve(2 + share_size + (request ? request->size() : 0));
  out.push_back(static_cast<char>(share_size >> 8));
  out.push_back(static_cast<char>(share_size));
  out.append(reinterpret_cast<const char*>(s.sig.data()), s.sig.size);
  if (s.path) {
    append_u32(out, s.path->position);
    for (const auto& h : s.path->siblings)
      out.append(reinterpret_cast<const char*>(h.data()), h.size);
  }
  if (request)
    out.append(request->data(), request->size());
  return out;
}

/// A "T" record split into its share's bytes and its request's; nullopt when damaged.
std::optional<std::pair<std::string_view, std::string_view>> split_signed(std::string_view value) {
  if (value.size() < 2)
    return std::nullopt;
  size_t n = (static_cast<uint8_t>(value[0]) << 8) | static_cast<uint8_t>(value[1]);
  if (value.size() < 2 + n)
    return std::nullopt;
  return std::pair{value.substr(2, n), value.substr(2 + n)};
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
  auto st = db_->Get(checked_reads(), tx_key(signed_tag, tx), &value);
  std::optional<std::string_view> given;
  if (st.ok()) {
    if (auto parts = split_signed(value))
      given = parts->first;
    else
      return make_error(ec::storage_error, dir_ + ": share: corrupt record");
  } else if (st.IsNotFound() && legacy_shares_) {
    st = db_->Get(checked_reads(), tx_key(sig_tag, tx), &value);
    if (st.ok())
      given = value;
  }
  if (st.IsNotFound())
    return std::optional<share>{};
  if (!st.ok())
    return to_error(st, dir_ + ": share lookup");
  auto s = parse_share(*given);
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
    batch.Put(tx_key(signed_tag, rec->tx), signed_value(rec->given, rec->request.get()));
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
  tag_cursor locks(*db_, lock_tag);
  bool any = locks.valid();
  if (auto err = to_error(locks.status(), dir_ + ": lock scan"))
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
    auto raw = encode(req);
    batch.Put(tx_key(request_tag, tx), leveldb::Slice(raw.data(), raw.size()));
  }
  leveldb::WriteOptions wo;
  wo.sync = true;
  return to_error(db_->Write(wo, &batch), dir_ + ": synced import of locks");
}

caf::error
validator_store::for_each_request(const std::function<void(const hash32&, sign_request)>& f) const {
  // Merged in the order of tx: an imported request ("Q") and the one a transaction was signed
  // with here ("T") may both exist for one tx; the latter is the newer.
  tag_cursor imported(*db_, request_tag);
  tag_cursor signed_here(*db_, signed_tag);
  auto give = [&](std::string_view tx, std::string_view raw) {
    auto req = decode<sign_request>(raw.data(), raw.size());
    if (tx.empty() || !req)
      return make_error(ec::storage_error, dir_ + ": corrupt request record");
    f(*hash32::from_raw(tx.data(), tx.size()), std::move(*req));
    return caf::error{};
  };
  while (imported.valid() || signed_here.valid()) {
    int order = !imported.valid()      ? 1
                : !signed_here.valid() ? -1
                                       : imported.tx().compare(signed_here.tx());
    caf::error err;
    if (order < 0) {
      err = give(imported.tx(), imported.value());
    } else {
      auto parts = split_signed(signed_here.value());
      if (!parts || signed_here.tx().empty())
        return make_error(ec::storage_error, dir_ + ": corrupt signature record");
      if (!parts->second.empty())
        err = give(signed_here.tx(), parts->second);
      else if (order == 0)
        err = give(imported.tx(), imported.value());
      signed_here.next();
    }
    if (err)
      return err;
    if (order <= 0)
      imported.next();
  }
  if (auto err = to_error(imported.status(), dir_ + ": request scan"))
    return err;
  return to_error(signed_here.status(), dir_ + ": request scan");
}

caf::error validator_store::for_each_lock(
  const std::function<void(const output_ref&, const hash32&)>& f) const {
  tag_cursor c(*db_, lock_tag);
  for (; c.valid(); c.next()) {
    auto key = c.key();
    auto value = c.value();
    if (key.size() != lock_key_size || value.size() != 32)
      return make_error(ec::storage_error, dir_ + ": corrupt lock record");
    output_ref ref;
    std::memcpy(ref.tx.data(), key.data() + 1, 32);
    ref.index = read_u32(key.data() + 1 + 32);
    f(ref, *hash32::from_raw(value.data(), value.size()));
  }
  return to_error(c.status(), dir_ + ": lock scan");
}

caf::error
validator_store::for_each_share(const std::function<void(const hash32&, const share&)>& f) const {
  for (char tag : {sig_tag, signed_tag}) {
    tag_cursor c(*db_, tag);
    for (; c.valid(); c.next()) {
      auto given = c.value();
      if (tag == signed_tag) {
        auto parts = split_signed(given);
        given = parts ? parts->first : std::string_view{};
      }
      auto s = parse_share(given);
      if (c.tx().empty() || !s)
        return make_error(ec::storage_error, dir_ + ": corrupt signature record");
      f(*hash32::from_raw(c.tx().data(), 32), *s);
    }
    if (auto err = to_error(c.status(), dir_ + ": signature scan"))
      return err;
  }
  return caf::none;
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
