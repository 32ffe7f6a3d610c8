/*
 * cmd_fleet.c - `pooltriage fleet REPORT...`: read many hosts' verdicts and
 * print one entry per problem (fingerprint): hosts affected, first and
 * last seen, the range of pool bytes and the links.
 */
#include "cli.h"
#include "pooltriage/platform.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
    printf(
        "usage: pooltriage fleet REPORT... [--format text|markdown|json|csv|html] [--json]\n"
        "                        [--pretty] [--strict] [--color auto|always|never]\n"
        "                        [-o FILE]\n"
        "\n"
        "Groups the verdicts of many hosts (the output of 'pooltriage triage\n"
        "--json') by finding fingerprint and prints one entry per problem: its\n"
        "level, known issue, driver and versions, the hosts affected (count and\n"
        "names), first and last seen (capture times), the range of pool bytes and\n"
        "the links.  Reports are read one at a time, so memory stays bounded.\n"
        "\n"
        "  REPORT          a verdict file (one JSON object, several, or JSON Lines),\n"
        "                  a folder (its *.json and *.jsonl files, recursively),\n"
        "                  or - for JSON Lines on standard input\n"
        "  --format F      text (default), markdown, json (one line), csv (one row\n"
        "                  per problem) or html (one page with a chart); --json is\n"
        "                  --format json\n"
        "  --pretty        indent the JSON\n"
        "  -o, --output FILE  write the report to FILE (a temporary file, then a\n"
        "                  rename: never half a report)\n"
        "  --strict        exit 3 when any report is skipped (not a verdict)\n"
        "  --color WHEN    auto (default: on a terminal other than TERM=dumb,\n"
        "                  without NO_COLOR), always, never\n"
        "\n"
        "A report that is not a verdict is a warning (file:line) and is skipped;\n"
        "in JSON Lines a broken line costs that line only.  After 100 such\n"
        "warnings the rest are counted in one line.\n"
        "At most 1,000 host names are kept per problem; the rest are counted.\n"
        "\n"
        "Exit: 0 no problem at likely or known, 1 a likely or known problem,\n"
        "2 usage, 3 a report can't be read (or, with --strict, isn't a verdict).\n");
}

enum { OPT_FORMAT = 256, OPT_JSON, OPT_PRETTY, OPT_STRICT, OPT_COLOR, OPT_HELP };

static const struct option long_opts[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"json", no_argument, NULL, OPT_JSON},
    {"pretty", no_argument, NULL, OPT_PRETTY},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"color", required_argument, NULL, OPT_COLOR},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

typedef void (*fleet_report_fn)(pt_fleet *, const pt_report_opts *, pt_buf *);

typedef struct args {
    fleet_report_fn report;
    bool pretty, strict;
    const char *color;
    int first;                   /* argv index of the first REPORT */
} args;

static bool want_color(const char *when)
{
    return pt_report_want_color(when, pt_platform_isatty(stdout), getenv("NO_COLOR"),
                                getenv("TERM"));
}

static int pick_format(args *a, const char *name)
{
    static const struct { const char *name; fleet_report_fn fn; } formats[] = {
        {"text", pt_fleet_report_text}, {"markdown", pt_fleet_report_markdown},
        {"json", pt_fleet_report_json}, {"csv", pt_fleet_report_csv},
        {"html", pt_fleet_report_html},
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(name, formats[i].name) == 0) {
            a->report = formats[i].fn;
            return 0;
        }
    return pt_cli_usage("fleet", "unknown --format '%s' (text, markdown, json, csv or html)", name);
}

static int parse(int argc, char **argv, args *a)
{
    int c;
    a->report = pt_fleet_report_text;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_FORMAT:
            if (pick_format(a, optarg) != 0)
                return PT_EXIT_USAGE;
            break;
        case OPT_JSON: a->report = pt_fleet_report_json; break;
        case OPT_PRETTY: a->pretty = true; break;
        case OPT_STRICT: a->strict = true; break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
                return pt_cli_usage("fleet", "unknown --color '%s' (auto, always or never)",
                                    optarg);
            a->color = optarg;
            break;
        case 'o': pt_cli_set_output(optarg); break;
        case 'h':
        case OPT_HELP: help(); return -1;
        case ':': return pt_cli_usage("fleet", "option '%s' needs a value", argv[optind - 1]);
        default: return pt_cli_usage("fleet", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return pt_cli_usage("fleet", "give at least one REPORT (a file, a folder or -)");
    a->first = optind;
    return 0;
}

static void warn(void *ctx, const char *where, const char *message)
{
    (void)ctx;
    pt_cli_warn("%s: %s", where, message);
}

int cmd_fleet(int argc, char **argv)
{
    args a = {0};
    int status = parse(argc, argv, &a);
    pt_fleet *fleet = NULL;
    pt_kb *kb = NULL;
    pt_buf out = {0};
    if (status != 0)
        goto done;
    fleet = pt_fleet_open(warn, NULL);
    pt_error err = {0};
    /* version-1 reports: the KB names the affected range of a known issue */
    if (fleet && pt_kb_open(pt_cli_default_kb(), &kb, &err) == PT_OK)
        pt_fleet_use_kb(fleet, kb);
    memset(&err, 0, sizeof err);
    if (fleet == NULL) {
        pt_error_set(&err, PT_ENOMEM, "", "out of memory");
        status = pt_cli_fail(&err);
        goto done;
    }
    for (int i = a.first; i < argc; i++) {
        if (pt_fleet_add_path(fleet, argv[i], &err) != PT_OK) {
            status = pt_cli_fail(&err);
            goto done;
        }
    }
    pt_report_opts ro = {want_color(a.color), a.pretty};
    a.report(fleet, &ro, &out);
    status = pt_cli_write(&out);
    if (status != PT_EXIT_OK)
        goto done;
    pt_fleet_stats st;
    pt_fleet_stats_get(fleet, &st);
    if (st.warnings_suppressed)
        fprintf(stderr, "pooltriage: warning: %zu more skipped report%s not shown "
                "(%zu skipped in all)\n", st.warnings_suppressed,
                st.warnings_suppressed == 1 ? "" : "s", st.skipped);
    if (a.strict && st.skipped)
        status = PT_EXIT_INPUT;
    else
        status = pt_fleet_level(fleet) >= PT_LEVEL_LIKELY ? PT_EXIT_FOUND : PT_EXIT_OK;
done:
    pt_buf_free(&out);
    pt_fleet_close(fleet);
    pt_kb_close(kb);
    return status < 0 ? PT_EXIT_OK : status;
}
