/*
 * main.c - the pooltriage command line: a thin command table.  Each
 * cmd_<name>() parses its own options and returns the exit status.
 */
#include "cli.h"
#include "pooltriage/platform.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"triage", cmd_triage, "give a verdict on a case: captures + drivers -> known issue"},
    {"collect", cmd_collect, "write a case archive (.zip) for escalation: captures, drivers, manifest"},
    {"pool", cmd_pool, "parse and show pool captures or a series, with growth"},
    {"scan", cmd_scan, "find which files hold pool tags (findstr replacement)"},
    {"info", cmd_info, "describe drivers: version, signer, hashes (sigcheck replacement)"},
    {"kb", cmd_kb, "the knowledge base: list, show, search, check, build, bundle, sign, links"},
    {"rules", cmd_rules, "the rules: list, check, test"},
    {"update", pt_cli_exec_net, "fetch a signed KB and rules update from a feed"},
    {"fleet", cmd_fleet, "group many hosts' verdicts: one entry per problem"},
    {"ticket", pt_cli_exec_net, "file one ticket per problem (webhook, Jira, ServiceNow, Slack, Teams)"},
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
            "Run 'pooltriage COMMAND --help' for a command's options, and\n"
            "'pooltriage --version' (-V) for the tool's and the KB's versions.\n"
            "Exit codes: 0 nothing likely, 1 a likely or known leak, 2 usage,\n"
            "3 bad input, 4 KB or rules broken, 5 network or update error.\n");
}

/* --version, -V: the tool, the KB a triage would use (as clamscan shows
 * its database) and where that KB is.  `--kb FILE` names another KB.  A KB
 * that does not open is reported, and the exit code stays 0: the version
 * of the tool is still known. */
static int version(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--kb") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strncmp(argv[i], "--kb=", 5) == 0)
            path = argv[i] + 5;
        else
            return pt_cli_usage("--version", "unknown option '%s' (only --kb FILE)", argv[i]);
    }
    if (path == NULL)
        path = pt_cli_default_kb();
    char *real = pt_platform_realpath(path);
    if (real != NULL)
        path = real;
    printf("pooltriage %s\n", PT_VERSION);
    pt_kb *kb = NULL;
    pt_error err = {0};
    if (pt_kb_open(path, &kb, &err) == PT_OK)
        printf("KB version: %s\nKB path: %s\n", pt_kb_version(kb), path);
    else
        printf("KB version: none (%s)\nKB path: %s\n", err.message, path);
    pt_kb_close(kb);
    pt_free(real);
    return fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
}

int main(int argc, char **argv)
{
    pt_platform_console_init();
    argv = pt_platform_utf8_argv(argc, argv);
    if (argc < 2) {
        usage(stderr);
        return PT_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
        return version(argc, argv);
    for (const command *c = commands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0)
            return c->fn(argc - 1, argv + 1);
    pt_cli_error("unknown command '%s'; run 'pooltriage --help'", argv[1]);
    return PT_EXIT_USAGE;
}
