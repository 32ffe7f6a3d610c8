#!/usr/bin/env bash
# completion_tests.sh - loads completions/pooltriage.bash into bash and asks
# it for completions as bash would (COMP_WORDS, COMP_CWORD), and drives the
# zsh function with stand-ins for compadd, _describe and _files: commands,
# options from --help, --format values, OS names and KB ids from the KB.
# usage: completion_tests.sh BINARY SOURCE_DIR
set -u
bin=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache"
fails=0 passes=0
ok() { passes=$((passes + 1)); echo "ok: $1"; }
bad() { fails=$((fails + 1)); echo "FAIL: $1"; }

# complete WORD... : prints the bash completions of the last word, one a line
complete_bash() {
  bash -c 'source "$1"; shift
           COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _pooltriage
           printf "%s\n" "${COMPREPLY[@]}"' _ "$src/completions/pooltriage.bash" "$bin" "$@"
}
expect_bash() { # description "want1 want2" words...
  local what=$1 want=$2; shift 2
  local got; got=$(complete_bash "$@")
  for w in $want; do
    grep -qxF -- "$w" <<< "$got" || { bad "bash: $what: no '$w' in: $(echo $got)"; return; }
  done
  ok "bash: $what"
}
absent_bash() { # description "unwanted" words...
  local what=$1 nope=$2; shift 2
  local got; got=$(complete_bash "$@")
  for w in $nope; do
    grep -qxF -- "$w" <<< "$got" && { bad "bash: $what: '$w' offered"; return; }
  done
  ok "bash: $what"
}

bash -n "$src/completions/pooltriage.bash" && ok "bash: the script parses" || bad "bash -n"
bash -c 'source "$1" && complete -p pooltriage' _ "$src/completions/pooltriage.bash" \
  | grep -q '_pooltriage pooltriage$' && ok "bash: complete -F is registered" || bad "complete -p"
expect_bash "commands" "triage pool scan info kb rules update fleet ticket --version -V" ""
expect_bash "commands by prefix" "triage" "tr"
absent_bash "commands by prefix, only matching" "pool scan" "tr"
expect_bash "triage options from --help" "--pool --drivers --root --os --format --json --strict --output -o" triage -
expect_bash "scan options" "--tag --tags-file --threads --hash --stats" scan --
expect_bash "ticket options (pooltriage-net)" "--to --url --dry-run --min-level" ticket --
expect_bash "kb links options" "--wayback --write --concurrency" kb links --
expect_bash "triage --format values" "text json markdown csv" triage --format ""
expect_bash "pool --format values" "text json csv" pool --format ""
absent_bash "pool --format has no markdown" "markdown" pool --format ""
expect_bash "OS names" "2012R2 8.1 2019 10-1809 11-24H2" triage --os ""
expect_bash "OS names by prefix" "2012 2012R2" triage --os 201
expect_bash "--color values" "auto always never" fleet --color ""
expect_bash "--to values" "webhook jira servicenow" ticket --to ""
expect_bash "kb subcommands" "list show search check build bundle sign links" kb ""
expect_bash "rules subcommands" "list check test" rules ""
ids=$("$bin" kb list --json | grep -oE '"id":"[^"]*"' | cut -d'"' -f4)
[ -n "$ids" ] || bad "no KB ids to compare with"
expect_bash "KB ids from the KB" "$ids" kb show ""
expect_bash "KB ids by prefix" "PT-0001" kb show PT-000
mkdir -p "$tmp/case/drivers"
expect_bash "files after a command" "$tmp/case" triage "$tmp/ca"
expect_bash "folders for --drivers" "$tmp/case/drivers" triage --drivers "$tmp/case/dr"

# zsh: the function, with compadd, _describe and _files standing in
if command -v zsh > /dev/null; then
  zsh -n "$src/completions/_pooltriage" && ok "zsh: the function parses" || bad "zsh -n"
  complete_zsh() {
    zsh -f -c 'compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done
                           [[ $1 == -- ]] && shift; print -l -- "$@"; }
               _describe() { local -a c; c=(${(P)${@[-1]}}); print -l -- ${c%%:*}; }
               _files() { print -- "(files)"; }
               source "$1"; shift
               words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}
               _pooltriage' _ "$src/completions/_pooltriage" "$bin" "$@" 2>&1
  }
  expect_zsh() {
    local what=$1 want=$2; shift 2
    local got; got=$(complete_zsh "$@")
    for w in $want; do
      grep -qxF -- "$w" <<< "$got" || { bad "zsh: $what: no '$w' in: $(echo $got)"; return; }
    done
    ok "zsh: $what"
  }
  expect_zsh "commands" "triage pool scan info kb rules update fleet ticket -V" ""
  expect_zsh "triage options" "--pool --drivers --format --output" triage -
  expect_zsh "triage --format values" "text json markdown csv" triage --format ""
  expect_zsh "OS names" "2012R2 2019 11-25H2" triage --os ""
  expect_zsh "KB ids" "$ids" kb show ""
  expect_zsh "files" "(files)" triage ""
else
  bad "zsh is not installed (scripts/deps.sh installs it)"
fi

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
