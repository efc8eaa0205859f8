// `acfts help COMMAND` and `acfts completion bash`, both read from the one CLI11 definition, so
// neither can drift from what the commands accept.
#pragma once

#include "cli/command.hpp"

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace acfts {

/// Prints the help of the command `words` names (`{"tx", "export"}`), as `acfts tx export --help`
/// does; with no words, the list of commands. An unknown command is named with the nearest one
/// (exit 2).
int run_help(const CLI::App& app, const std::vector<std::string>& words);

/// A bash completion script for `app` (`source <(acfts completion bash)`): at each level its
/// subcommands and options, and file names after an option that takes a value.
std::string bash_completion(const CLI::App& app, const std::string& program);

/// Adds `help` and `completion` (about every command of `app`: add them last).
command_runner add_help_commands(CLI::App& app);

} // namespace acfts
