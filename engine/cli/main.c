/*
 * main.c - the pooltriage command line: a thin command table.  Each
 * cmd_<name>() parses its own options and returns the exit status.
 */
#include "cli.h"

#include <string.h>

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"triage", cmd_triage, "give a verdict on a case: captures + drivers -> known issue"},
    {"pool", cmd_pool, "parse and show pool captures or a series, with growth"},
    {"scan", cmd_scan, "find which files hold pool tags (findstr replacement)"},
    {"info", cmd_info, "describe drivers: version, signer, hashes (sigcheck replacement)"},
    {"kb", cmd_kb, "the knowledge base: list, show, search, check, build, bundle, sign, links"},
    {"rules", cmd_rules, "the rules: list, check, test"},
    {"update", pt_cli_exec_net, "fetch a signed KB and rules update from a feed"},
    {"fleet", cmd_fleet, "group many hosts' verdicts: one entry per problem"},
    {"ticket", pt_cli_exec_net, "file one ticket per problem (webhook, Jira, ServiceNow)"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: pooltriage COMMAND [OPTIONS]\n"
            "\n"
            "Triage a Windows kernel pool leak offline: poolmon captures and a\n"
            "drivers folder in, a verdict naming the known issue out.\n"
            "\n"
            "commands:\n");
    for (const command *c = commands; c->name; c++)
        fprintf(out, "  %-8s %s\n", c->name, c->summary);
    fprintf(out,
            "\n"
            "Run 'pooltriage COMMAND --help' for a command's options.\n"
            "Exit codes: 0 nothing likely, 1 a likely or known leak, 2 usage,\n"
            "3 bad input, 4 KB or rules broken, 5 network or update error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PT_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("pooltriage %s\n", PT_VERSION);
        return fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
    }
    for (const command *c = commands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0)
            return c->fn(argc - 1, argv + 1);
    fprintf(stderr, "pooltriage: unknown command '%s'; run 'pooltriage --help'\n", argv[1]);
    return PT_EXIT_USAGE;
}
