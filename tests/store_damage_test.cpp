// Damaged store files, as a failing disk or bit rot leaves them: a store never opens or answers
// as if data that was synced had never been written. What LevelDB (1.23, paranoid checks on)
// does with each kind of damage to a log's tail is pinned here; doc/operations.md "A damaged store"
// says what it means for an operator.
#define CAF_SUITE store_damage
#include <caf/test/unit_test.hpp>
#include <caf/test/unit_test_impl.hpp>

#include <filesystem>
#include <fstream>

#include "messages/error.hpp"
#include "persistence/validator_store.hpp"
#include "tests/support.hpp"

using namespace acfts;
namespace fs = std::filesystem;

namespace {

hash32 h(uint8_t b) {
  return test::filled<hash32>(b);
}

signature sig(uint8_t b) {
  return test::filled<signature>(b);
}

/// The files of `dir` whose names end in `ext`, newest (highest number) last.
std::vector<std::string> files(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ext)
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

void overwrite(const std::string& file, uint64_t offset, const std::string& with) {
  std::fstream f{file, std::ios::in | std::ios::out | std::ios::binary};
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(with.data(), static_cast<std::streamsize>(with.size()));
}

/// A validator store with two synced batches, A (locks (2, 0)) and then B (locks (5, 0)), each
/// one record at the end of the newest log; remembers where B's record starts.
struct two_batches {
  test::temp_dir dir;
  std::string log;
  uint64_t b_starts = 0;
  uint64_t size = 0;

  two_batches() {
    auto store = validator_store::open(dir.path(), h(9), 0);
    CAF_REQUIRE(store);
    lock_record a{h(1), {{h(2), 0}}, sig(3)};
    lock_record b{h(4), {{h(5), 0}}, sig(6)};
    CAF_REQUIRE_EQUAL((*store)->commit({&a}), caf::error{});
    log = files(dir.path(), ".log").back();
    b_starts = fs::file_size(log);
    CAF_REQUIRE_EQUAL((*store)->commit({&b}), caf::error{});
    size = fs::file_size(log);
  }

  caf::expected<std::unique_ptr<validator_store>> reopen() {
    return validator_store::open(dir.path(), h(9), 0);
  }
};

} // namespace

CAF_TEST(store_with_a_damaged_synced_log_record_refuses_to_open_and_names_the_file) {
  two_batches s;
  overwrite(s.log, s.size - 8, std::string(8, '\x5a')); // the last 8 bytes, as in bit rot
  auto store = s.reopen();
  CAF_REQUIRE(!store);
  auto text = describe(store.error());
  CAF_MESSAGE(text);
  CAF_CHECK_EQUAL(code_of(store.error()), ec::storage_error);
  CAF_CHECK(text.find(fs::path(s.log).filename().string()) != std::string::npos);
  CAF_CHECK(text.find("is damaged") != std::string::npos);
  CAF_CHECK(text.find("f faulty") != std::string::npos);
}

CAF_TEST(store_with_damage_inside_an_earlier_log_record_refuses_to_open) {
  two_batches s;
  overwrite(s.log, s.b_starts - 10, "\x01"); // inside A's record, B intact behind it
  CAF_CHECK(!s.reopen());
}

CAF_TEST(store_with_zeroed_bytes_in_a_synced_record_refuses_to_open) {
  two_batches s;
  overwrite(s.log, s.size - 8, std::string(8, '\0'));
  CAF_CHECK(!s.reopen());
}

CAF_TEST(log_record_cut_short_by_the_end_of_the_file_is_dropped_as_a_torn_write) {
  // LevelDB reads a record that the file ends inside of as a write that never completed, and
  // drops it without a word, paranoid checks or not: it cannot tell a torn write (no reply left
  // for it) from a file truncated after its sync. The audit's check of certificate shares against
  // the validator's store is the backstop for the second case (doc/operations.md).
  two_batches s;
  fs::resize_file(s.log, s.size - 3);
  auto store = s.reopen();
  CAF_REQUIRE(store);
  CAF_CHECK(*(*store)->lock_of({h(2), 0}) == h(1));
  CAF_CHECK(!*(*store)->lock_of({h(5), 0}));
}

CAF_TEST(record_whose_every_byte_is_zero_is_skipped_as_preallocated_space) {
  // LevelDB also skips a record header of zeros (mmap writers preallocate zeroed space). A synced
  // record zeroed whole by the disk is lost without a word: the second limit doc/operations.md
  // names.
  two_batches s;
  overwrite(s.log, s.b_starts, std::string(s.size - s.b_starts, '\0'));
  auto store = s.reopen();
  CAF_REQUIRE(store);
  CAF_CHECK(*(*store)->lock_of({h(2), 0}) == h(1));
  CAF_CHECK(!*(*store)->lock_of({h(5), 0}));
}

CAF_TEST(damaged_table_block_is_an_error_never_an_absent_lock) {
  two_batches s;
  // Reopening moves the log into a table file (.ldb); damage that file's data block, which holds
  // the store's binding as well as the locks: reading it fails its checksum.
  { CAF_REQUIRE(s.reopen()); }
  auto tables = files(s.dir.path(), ".ldb");
  CAF_REQUIRE(!tables.empty());
  overwrite(tables.back(), 20, std::string(8, '\x5a'));
  auto store = s.reopen();
  CAF_REQUIRE(!store);
  auto text = describe(store.error());
  CAF_MESSAGE(text);
  CAF_CHECK(text.find("Corruption") != std::string::npos);
  CAF_CHECK(text.find("store " + s.dir.path() + " is damaged") != std::string::npos);
}
