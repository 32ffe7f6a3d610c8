# bash completion for pooltriage.  Options come from the command's own
# --help text at completion time, so they follow the binary that is
# completed; KB ids come from `pooltriage kb list` (the KB a triage uses).
# Installed as share/bash-completion/completions/pooltriage.

_pooltriage_os_names="2008R2 7 2012 8 2012R2 8.1 2016 10-1607 2019 10-1809 2022 10-22H2 2025 11-24H2 11-25H2"

# The words of "pooltriage CMD --help" that look like long options.
_pooltriage_options()
{
    "$1" "${@:2}" --help 2>/dev/null | grep -oE -- '(^|[[ ,])--?[a-zA-Z][a-zA-Z-]*' |
        sed 's/^[[ ,]//' | sort -u
}

# The values of OPTION as the usage line spells them: "--format text|json".
_pooltriage_values()
{
    "$1" "$2" --help 2>/dev/null | grep -oE -- "$3 [a-z0-9]+(\|[a-z0-9]+)+" | head -n 1 |
        cut -d' ' -f2 | tr '|' ' '
}

_pooltriage_kb_ids()
{
    "$1" kb list --json 2>/dev/null | grep -oE '"id":"[^"]*"' | cut -d'"' -f4
}

_pooltriage()
{
    local bin=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD-1]} cmd=${COMP_WORDS[1]}
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "triage collect pool scan info kb rules update fleet ticket
                                 --help --version -V" -- "$cur"))
        return
    fi
    case $prev in
    --format)
        COMPREPLY=($(compgen -W "$(_pooltriage_values "$bin" "$cmd" --format)" -- "$cur"))
        return ;;
    --os) COMPREPLY=($(compgen -W "$_pooltriage_os_names" -- "$cur")); return ;;
    --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --pool-format)
        COMPREPLY=($(compgen -W "auto poolmon-console poolmon-snapshot poolused" -- "$cur"))
        return ;;
    --sort|--to|--min-level|--jira-api)
        COMPREPLY=($(compgen -W "$(_pooltriage_values "$bin" "$cmd" "$prev")" -- "$cur"))
        return ;;
    --pool)
        if [ "$cmd" = pool ]; then
            COMPREPLY=($(compgen -W "paged nonpaged" -- "$cur"))
        else
            COMPREPLY=($(compgen -f -- "$cur"))
        fi
        return ;;
    --drivers|--root|--rules|--issues|--tags)
        COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --kb|--pooltag|--map|--config|--ca-file|--tags-file|--cache|--out|-o|--output|--key)
        COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --tag|--exclude|--at|--host|--url|--feed|--project|--issue-type|--threads|--timeout|\
    --retries|--retry-delay|--max-retry-after|--version|--expires|--wayback|--delay-ms|\
    --concurrency|--max-age)
        return ;;
    esac
    if [ "$cmd" = kb ] || [ "$cmd" = rules ]; then
        if [ "$COMP_CWORD" -eq 2 ]; then
            local subs="list check test"
            [ "$cmd" = kb ] && subs="list show search check build bundle sign links"
            COMPREPLY=($(compgen -W "$subs" -- "$cur"))
            return
        fi
        if [ "$cmd" = kb ] && [ "${COMP_WORDS[2]}" = show ] && [[ $cur != -* ]]; then
            COMPREPLY=($(compgen -W "$(_pooltriage_kb_ids "$bin")" -- "$cur"))
            return
        fi
    fi
    if [[ $cur == -* ]]; then
        local sub=()
        case $cmd in
        kb) case ${COMP_WORDS[2]} in bundle|sign|links) sub=("${COMP_WORDS[2]}") ;; esac ;;
        esac
        COMPREPLY=($(compgen -W "$(_pooltriage_options "$bin" "$cmd" "${sub[@]}")" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}

complete -o filenames -F _pooltriage pooltriage
