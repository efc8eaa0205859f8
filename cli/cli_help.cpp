#include "cli/cli_help.hpp"

#include <iostream>

#include "cli/command_suggest.hpp"

namespace acfts {

namespace {

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

/// A command's words for completion: its subcommands, then its options' names.
std::string words_of(const CLI::App& app) {
  std::string out;
  auto add = [&](const std::string& w) { out += (out.empty() ? "" : " ") + w; };
  for (const auto* sub : subcommands_of(app))
    add(sub->get_name());
  for (const auto* opt : app.get_options([](const CLI::Option* o) { return o->nonpositional(); })) {
    for (const auto& l : opt->get_lnames())
      add("--" + l);
    for (const auto& s : opt->get_snames())
      add("-" + s);
  }
  return out;
}

/// A command's options that take a value (completed with file names), as " --a --b ".
std::string valued_options(const CLI::App& app) {
  std::string out = " ";
  for (const auto* opt : app.get_options(
         [](const CLI::Option* o) { return o->nonpositional() && o->get_expected_max() > 0; }))
    for (const auto& l : opt->get_lnames())
      out += "--" + l + " ";
  return out;
}

/// One `case` arm per command: "tx/export") words="...";;  and the transitions into it.
void arms(const CLI::App& app, const std::string& path, std::string& levels, std::string& steps) {
  levels += "    \"" + path + "\") words=\"" + words_of(app) + "\" valued=\"" + valued_options(app)
            + "\" ;;\n";
  for (const auto* sub : subcommands_of(app)) {
    auto next = path.empty() ? sub->get_name() : path + "/" + sub->get_name();
    steps += "      \"" + path + ":" + sub->get_name() + "\") path=\"" + next + "\" ;;\n";
    arms(*sub, next, levels, steps);
  }
}

} // namespace

int run_help(const CLI::App& app, const std::vector<std::string>& words) {
  const CLI::App* at = &app;
  std::string path = app.get_name();
  for (const auto& word : words) {
    const CLI::App* next = nullptr;
    for (const auto* sub : subcommands_of(*at))
      if (sub->check_name(word))
        next = sub;
    if (next == nullptr) {
      std::string best, all;
      size_t best_distance = SIZE_MAX;
      for (const auto* sub : subcommands_of(*at)) {
        auto d = edit_distance(word, sub->get_name());
        if (d < best_distance) {
          best_distance = d;
          best = sub->get_name();
        }
        all += (all.empty() ? "" : ", ") + sub->get_name();
      }
      auto before = path.substr(app.get_name().size());
      if (!before.empty())
        before = before.substr(1) + " ";
      std::cerr << "acfts: help: unknown command '" << before << word << "'";
      if (all.empty())
        std::cerr << "; '" << path << "' has no subcommands";
      else if (best_distance <= std::max<size_t>(2, word.size() / 3))
        std::cerr << "; did you mean '" << before << best << "'?";
      else
        std::cerr << "; the commands here are: " << all;
      std::cerr << std::endl;
      return 2;
    }
    at = next;
    path += " " + next->get_name();
  }
  // CLI11 prints a subcommand's usage line from the path before it, as `--help` does.
  // The top level asks the formatter: App::help() would show the selected subcommand (`help`).
  if (at == &app)
    std::cout << app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal);
  else
    std::cout << at->help(path.substr(0, path.rfind(' ')));
  return 0;
}

std::string bash_completion(const CLI::App& app, const std::string& program) {
  std::string levels, steps;
  arms(app, "", levels, steps);
  auto fn = "_" + program + "_complete";
  return "# bash completion for " + program
         + ", generated from its command line definition:\n"
           "#   source <("
         + program + " completion bash)\n" + fn
         + "() {\n"
           "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
           "  local path=\"\" words=\"\" valued=\"\" i\n"
           "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
           "    case \"$path:${COMP_WORDS[i]}\" in\n"
         + steps
         + "    esac\n"
           "  done\n"
           "  case \"$path\" in\n"
         + levels
         + "  esac\n"
           "  if [[ \"$valued\" == *\" $prev \"* ]]; then\n"
           "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
           "    return\n"
           "  fi\n"
           "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
           "}\n"
           "complete -o default -F "
         + fn + " " + program + "\n";
}

command_runner add_help_commands(CLI::App& app) {
  struct options {
    std::vector<std::string> words;
    std::string shell;
  };
  auto o = std::make_shared<options>();
  auto help_cmd = app.add_subcommand(
    "help", "The help of a command, as `acfts COMMAND --help` prints it: acfts help tx export");
  help_cmd->add_option("command", o->words, "The command's words (none: every command)");
  auto completion_cmd = app.add_subcommand(
    "completion", "Print a shell completion script: source <(acfts completion bash)");
  completion_cmd->add_option("shell", o->shell, "The shell")
    ->required()
    ->check(CLI::IsMember({"bash"}));
  auto* root = &app;
  return [=]() -> std::optional<int> {
    if (*help_cmd)
      return run_help(*root, o->words);
    if (*completion_cmd) {
      std::cout << bash_completion(*root, "acfts");
      return 0;
    }
    return std::nullopt;
  };
}

} // namespace acfts
