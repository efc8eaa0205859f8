// Integer options of the command line read by the one number parser (messages/decimal.hpp):
// CLI11 on its own reads "010" as octal, "0x10" as hex and "-5" as 2^64-5.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <CLI/CLI.hpp>

#include "messages/decimal.hpp"
#include "messages/error.hpp"

namespace acfts {

/// What `text` means for option `name` as a T in [min, max]; a CLI11 validation error naming the
/// stable code otherwise.
template <class T>
T option_number(const std::string& name, const std::string& text, uint64_t min, uint64_t max) {
  static_assert(std::is_unsigned_v<T>);
  auto x = parse_decimal(text, name, min, max);
  if (!x)
    throw CLI::ValidationError(describe(x.error()));
  return static_cast<T>(*x);
}

/// Adds `--name` for an unsigned integer `target`, in [min, max] (default: the type's range).
template <class T>
CLI::Option* add_number(CLI::App* app, const std::string& flag, T& target,
                        const std::string& description, uint64_t min = 0,
                        uint64_t max = std::numeric_limits<T>::max()) {
  auto name = flag.substr(0, flag.find(','));
  return app
    ->add_option_function<std::string>(
      flag,
      [&target, name, min, max](const std::string& text) {
        target = option_number<T>(name, text, min, max);
      },
      description)
    ->type_name("UINT");
}

/// Adds `--name` for a list of unsigned integers, split at commas.
template <class T>
CLI::Option* add_numbers(CLI::App* app, const std::string& flag, std::vector<T>& target,
                         const std::string& description, uint64_t min = 0,
                         uint64_t max = std::numeric_limits<T>::max()) {
  auto name = flag.substr(0, flag.find(','));
  return app
    ->add_option_function<std::vector<std::string>>(
      flag,
      [&target, name, min, max](const std::vector<std::string>& texts) {
        target.clear();
        for (const auto& text : texts)
          target.push_back(option_number<T>(name, text, min, max));
      },
      description)
    ->delimiter(',')
    ->type_name("UINT,...");
}

/// Adds `--name` for an amount: 1 .. 2^64-1 units, exactly as typed.
inline CLI::Option* add_amount(CLI::App* app, const std::string& flag, uint64_t& target,
                               const std::string& description) {
  auto name = flag.substr(0, flag.find(','));
  return app
    ->add_option_function<std::string>(
      flag,
      [&target, name](const std::string& text) {
        auto x = parse_amount(text, name);
        if (!x)
          throw CLI::ValidationError(describe(x.error()));
        target = x->units();
      },
      description)
    ->type_name("UNITS");
}

} // namespace acfts
