# `acfts help COMMAND`, `acfts completion bash` and the docs (the README and doc/*.md) agree with
# the command line itself (issue 23, item 4): help prints what --help prints for every command;
# every command is named in the docs and every command they name exists; bash completes commands,
# options and files.
set -euo pipefail
ACFTS=$1
README=$2
die() { echo "FAIL: $*" >&2; exit 1; }
cd "$(mktemp -d)"
trap 'rm -rf "$PWD"' EXIT

"$ACFTS" completion bash >completion.bash
paths=$(grep -o '^    "[a-z/-]*")' completion.bash | tr -d '") ' | tr / ' ' | sed '/^$/d')
[ "$(echo "$paths" | wc -l)" -ge 30 ] || die "the completion knows only: $paths"

# help = --help, for every command.
while read -r words; do
  # shellcheck disable=SC2086
  [ "$("$ACFTS" help $words)" = "$("$ACFTS" $words --help)" ] || die "acfts help $words differs from --help"
done <<<"$paths"
"$ACFTS" help | grep -q "^  completion " || die "acfts help does not list the commands"
out=$("$ACFTS" help tx stauts 2>&1) && die "help of an unknown command exited 0"
echo "$out" | grep -q "did you mean 'tx status'" || die "unclear: $out"

# The docs name every command (as `acfts WORDS`, `$A WORDS` or `` `WORDS ``), and every
# `acfts WORDS` / `$A WORDS` they show is one.
flat=$(cat "$README" "$(dirname "$README")"/doc/*.md | tr '\n' ' ' | tr -s ' ')
while read -r words; do
  echo "$flat" | grep -qE "(acfts |\\\$A |\`)$words([^a-z-]|$)" || die "the docs never name '$words'"
done <<<"$paths"
named=$(echo "$flat" | grep -oE '(acfts|\$A) [a-z][a-z-]*( [a-z][a-z-]*)?' | sed -E 's/^(acfts|\$A) //' | sort -u)
while read -r words; do
  first=${words%% *}
  "$ACFTS" help "$first" >/dev/null 2>&1 || continue # prose: "acfts is ...", not a command
  if [ "$first" != "$words" ] && "$ACFTS" help "$first" | grep -q "^Subcommands:"; then
    "$ACFTS" help $words >/dev/null 2>&1 || die "the docs name '$words', which is no command"
  fi
done <<<"$named"

# Completion, as bash asks for it.
# shellcheck disable=SC1091
source ./completion.bash
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _acfts_complete; echo "${COMPREPLY[*]}"; }
[ "$(complete_words acfts pa)" = "pay" ] || die "acfts pa<TAB>: $(complete_words acfts pa)"
[ "$(complete_words acfts tx ex)" = "export" ] || die "acfts tx ex<TAB>: $(complete_words acfts tx ex)"
[ "$(complete_words acfts tx export --a)" = "--all" ] || die "tx export --a<TAB>: $(complete_words acfts tx export --a)"
[ "$(complete_words acfts wallet backup --pass)" = "--passphrase-file" ] || die "wallet backup --pass<TAB>"
touch wallet-alice.toml
[ "$(complete_words acfts pay --config wallet-a)" = "wallet-alice.toml" ] || die "--config <TAB> does not complete files"
[ "$(complete_words acfts balance --json wallet-a)" = "" ] || die "a flag took a file name"
echo "help, completion and the docs agree on $(echo "$paths" | wc -l) commands"
