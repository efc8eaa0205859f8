#include "persistence/detail/leveldb_util.hpp"

#include <filesystem>

namespace acfts::detail {

caf::expected<std::unique_ptr<leveldb::DB>> open_db(const std::string& dir) {
  std::error_code fs_err;
  std::filesystem::create_directories(dir, fs_err);
  if (fs_err)
    return make_error(ec::storage_error, dir + ": cannot create directory: " + fs_err.message());
  leveldb::Options opts;
  opts.create_if_missing = true;
  leveldb::DB* raw = nullptr;
  auto st = leveldb::DB::Open(opts, dir, &raw);
  if (!st.ok()) {
    auto text = st.ToString();
    if (text.find("lock") != std::string::npos)
      return make_error(ec::storage_error,
                        dir + ": store is locked (is a node using it still running?): " + text);
    return make_error(ec::storage_error, dir + ": cannot open store: " + text);
  }
  return std::unique_ptr<leveldb::DB>(raw);
}

caf::error bind_meta(leveldb::DB& db, const std::string& expected_meta, const std::string& dir) {
  static const std::string key = "M";
  std::string found;
  auto st = db.Get(leveldb::ReadOptions{}, key, &found);
  if (st.IsNotFound()) {
    leveldb::WriteOptions wo;
    wo.sync = true;
    return to_error(db.Put(wo, key, expected_meta), dir + ": cannot write store metadata");
  }
  if (!st.ok())
    return to_error(st, dir + ": cannot read store metadata");
  if (found != expected_meta)
    return make_error(ec::storage_error,
                      dir
                        + ": store belongs to another committee or validator; refusing to use it");
  return caf::none;
}

} // namespace acfts::detail
