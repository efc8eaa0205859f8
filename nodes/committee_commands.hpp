// `acfts committee propose`, `acfts committee sign` and `acfts validator seal`: the first steps of
// a change of committee (doc/protocol.md, Committee changes; issue 24).
#pragma once

#include <string>

namespace acfts {

/// Writes a change from the committee of `config` to the validators of `next_file` (a committee
/// or cluster file) as `out` (new), for the governance keys to sign.
int run_committee_propose(const std::string& config, const std::string& next_file,
                          const std::string& out);

/// Adds the signature of the key in `key_file` to the change in `file` (in place), and says what
/// the governance policy still needs.
int run_committee_sign(const std::string& file, const std::string& key_file);

/// Seals validator `name` of `config` (stopped: its store is opened here) for the change in
/// `change_file`: checks the governance's approval, signs its lock set's root, records the seal
/// durably (the validator locks nothing new from its next start) and writes the statement to
/// `out` (default: NAME.seal). A second seal for the same change repeats the statement.
int run_validator_seal(const std::string& config, const std::string& name,
                       const std::string& change_file, const std::string& out);

} // namespace acfts
