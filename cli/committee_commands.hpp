// `acfts committee propose`, `acfts committee sign` and `acfts validator seal`: the first steps of
// a change of committee (doc/protocol.md, Committee changes; issue 24).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace acfts {

/// Adds `committee propose|sign|follow` and `validator seal|export-locks|import-locks` to `app`;
/// the function returned runs the one given on the command line (nullopt: none of them).
std::function<std::optional<int>()> add_committee_commands(CLI::App& app, CLI::App& validator);

/// Writes a change from the committee of `config` to the validators of `next_file` (a committee
/// or cluster file) as `out` (new), for the governance keys to sign.
int run_committee_propose(const std::string& config, const std::string& next_file,
                          const std::string& out);

/// Rewrites the committee file `config` (or a wallet file's committee file) for the committee
/// the approved change in `change_file` leads to: its members, the epoch, and the committee of
/// `old_config` (default: `config` itself) added to the chain of past ones. Keys the file knows
/// keep their key files and stores. In place (the file as it was kept as FILE.epochN) or to `out`.
/// A file that follows the change already is left alone.
int run_committee_follow(const std::string& config, const std::string& change_file,
                         const std::string& old_config, const std::string& out);

/// Adds the signature of the key in `key_file` to the change in `file` (in place), and says what
/// the governance policy still needs.
int run_committee_sign(const std::string& file, const std::string& key_file);

/// Seals validator `name` of `config` (stopped: its store is opened here) for the change in
/// `change_file`: checks the governance's approval, signs its lock set's root, records the seal
/// durably (the validator locks nothing new from its next start) and writes the statement to
/// `out` (default: NAME.seal). A second seal for the same change repeats the statement.
int run_validator_seal(const std::string& config, const std::string& name,
                       const std::string& change_file, const std::string& out);

/// Writes the sealed lock set of stopped validator `name` of `config` to `out` (new): its seal and
/// the request of every transaction it locked inputs to. Refuses a validator that has not sealed,
/// or holds a lock without its request (a store from before requests were kept).
int run_validator_export_locks(const std::string& config, const std::string& name,
                               const std::string& out);

/// Starts the store of validator `name` of the next committee (its key and data_dir from
/// `config`) from the lock sets `from` of the old committee `old_config`, sealed for the change
/// in `change_file`: at least 2f+1 of them, merged (protocol/lock_handover.hpp).
int run_validator_import_locks(const std::string& config, const std::string& name,
                               const std::string& old_config, const std::string& change_file,
                               const std::vector<std::string>& from);

/// `acfts validator --epoch-from FILE...`: before the first start of validator `name` of a
/// committee that took over from another (its file names the past ones), its store starts from
/// the sealed lock sets in `from` (as import-locks). A store that holds locks already is left.
int start_epoch(const std::string& config, const std::string& name,
                const std::vector<std::string>& from);

} // namespace acfts
