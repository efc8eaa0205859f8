#include "persistence/detail/leveldb_util.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <leveldb/cache.h>
#include <leveldb/env.h>
#include <leveldb/filter_policy.h>

namespace acfts::detail {

namespace {

/// A file whose Sync fails while the switch is set.
class faulty_file : public leveldb::WritableFile {
public:
  faulty_file(leveldb::WritableFile* target, storage_faults_ptr faults)
    : target_(target), faults_(std::move(faults)) {}
  leveldb::Status Append(const leveldb::Slice& data) override { return target_->Append(data); }
  leveldb::Status Close() override { return target_->Close(); }
  leveldb::Status Flush() override { return target_->Flush(); }
  leveldb::Status Sync() override {
    if (faults_->fail_syncs
        || (!faults_->fail_while_exists.empty()
            && std::filesystem::exists(faults_->fail_while_exists))) {
      ++faults_->injected;
      return leveldb::Status::IOError("injected fault", "fsync failed");
    }
    return target_->Sync();
  }

private:
  std::unique_ptr<leveldb::WritableFile> target_;
  storage_faults_ptr faults_;
};

class faulty_env : public leveldb::EnvWrapper {
public:
  explicit faulty_env(storage_faults_ptr faults)
    : leveldb::EnvWrapper(leveldb::Env::Default()), faults_(std::move(faults)) {}

  leveldb::Status NewWritableFile(const std::string& name, leveldb::WritableFile** out) override {
    return wrap(target()->NewWritableFile(name, out), out);
  }

  leveldb::Status NewAppendableFile(const std::string& name, leveldb::WritableFile** out) override {
    return wrap(target()->NewAppendableFile(name, out), out);
  }

private:
  leveldb::Status wrap(leveldb::Status st, leveldb::WritableFile** out) {
    if (st.ok())
      *out = new faulty_file(*out, faults_);
    return st;
  }

  storage_faults_ptr faults_;
};

/// One block cache for every store of the process, never freed (stores may close late).
leveldb::Cache* shared_block_cache() {
  static leveldb::Cache* cache = leveldb::NewLRUCache(4 << 20);
  return cache;
}

const leveldb::FilterPolicy* shared_bloom_filter() {
  static const leveldb::FilterPolicy* policy = leveldb::NewBloomFilterPolicy(10);
  return policy;
}

/// The file LevelDB's own log (`dir`/LOG) names in its last report of damage, if any.
std::string damaged_file(const std::string& dir) {
  std::ifstream log{dir + "/LOG"};
  std::string line, file;
  while (std::getline(log, line)) {
    // "...  /path/000005.log: dropping 32 bytes; Corruption: checksum mismatch"
    auto at = line.find(": dropping ");
    if (at == std::string::npos)
      continue;
    auto start = line.rfind(' ', at);
    file = line.substr(start == std::string::npos ? 0 : start + 1,
                       at - (start == std::string::npos ? 0 : start + 1));
  }
  return file;
}

} // namespace

leveldb::ReadOptions checked_reads() {
  leveldb::ReadOptions ro;
  ro.verify_checksums = true;
  return ro;
}

caf::expected<db_handle> open_db(const std::string& dir, storage_faults_ptr faults,
                                 const std::string& on_damage, size_t memtable_bytes) {
  std::error_code fs_err;
  std::filesystem::create_directories(dir, fs_err);
  if (fs_err)
    return make_error(ec::storage_error, dir + ": cannot create directory: " + fs_err.message());
  db_handle handle;
  leveldb::Options opts;
  opts.create_if_missing = true;
  // A process may open several stores (the embedded committee: six). With LevelDB's default
  // 8 MiB block cache each, its memory grew with the data; one cache serves them all. Reads
  // mostly hit recent keys.
  opts.write_buffer_size = memtable_bytes;
  opts.block_cache = shared_block_cache();
  // Most lookups are of absent keys (an input not yet locked, an output not yet spent): a bloom
  // filter answers them without reading a table block.
  opts.filter_policy = shared_bloom_filter();
  // Keys and values are hashes, signatures and public keys: random bytes that snappy cannot
  // shrink, so compressing them in every compaction only costs CPU (perf at 100,000 payments).
  opts.compression = leveldb::kNoCompression;
  // With LevelDB's default (off), recovery drops a log record whose checksum fails and opens
  // without it: a validator could lose a lock it signed. With paranoid checks it refuses.
  opts.paranoid_checks = true;
  if (faults) {
    handle.env = std::make_unique<faulty_env>(std::move(faults));
    opts.env = handle.env.get();
  }
  leveldb::DB* raw = nullptr;
  auto st = leveldb::DB::Open(opts, dir, &raw);
  if (!st.ok()) {
    auto text = st.ToString();
    if (text.find("lock") != std::string::npos)
      return make_error(ec::storage_error,
                        dir + ": store is locked (is a node using it still running?): " + text);
    if (st.IsCorruption()) {
      auto file = damaged_file(dir);
      return make_error(ec::storage_error, "store " + (file.empty() ? dir : file) + " is damaged ("
                                             + text + "); " + on_damage);
    }
    return make_error(ec::storage_error, dir + ": cannot open store: " + text);
  }
  handle.db.reset(raw);
  return handle;
}

caf::error bind_meta(leveldb::DB& db, const std::string& expected_meta, const std::string& dir,
                     const std::string& on_damage, const std::vector<std::string>& earlier_metas) {
  static const std::string key = "M";
  std::string found;
  auto st = db.Get(checked_reads(), key, &found);
  bool earlier =
    st.ok() && std::find(earlier_metas.begin(), earlier_metas.end(), found) != earlier_metas.end();
  if (st.IsNotFound() || earlier) {
    leveldb::WriteOptions wo;
    wo.sync = true;
    return to_error(db.Put(wo, key, expected_meta), dir + ": cannot write store metadata");
  }
  if (st.IsCorruption())
    return make_error(ec::storage_error,
                      "store " + dir + " is damaged (" + st.ToString() + "); " + on_damage);
  if (!st.ok())
    return to_error(st, dir + ": cannot read store metadata");
  if (found != expected_meta)
    return make_error(ec::storage_error,
                      dir
                        + ": store belongs to another committee or validator; refusing to use it");
  return caf::none;
}

} // namespace acfts::detail
