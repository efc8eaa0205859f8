// How the command groups of `acfts` plug into the one executable: each `add_<group>` adds its
// subcommands (with an options struct of its own) and returns a runner.
#pragma once

#include <functional>
#include <optional>

namespace acfts {

/// Runs the subcommand given on the command line if it is one of the group's, with its exit
/// code; nullopt: none of the group's was given.
using command_runner = std::function<std::optional<int>()>;

} // namespace acfts
