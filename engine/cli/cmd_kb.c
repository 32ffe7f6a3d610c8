/*
 * cmd_kb.c - `pooltriage kb`: the knowledge base.  `kb build` compiles
 * the Lua files of kb/issues and rules into a SQLite KB.
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static void help(void)
{
    printf("usage: pooltriage kb build [--issues DIR] [--rules DIR] [--out FILE]\n"
           "\n"
           "  build     compile the KB sources (one Lua table file per known issue)\n"
           "            and the rules into a SQLite knowledge base; every file is\n"
           "            checked against the schema first, and the output is\n"
           "            written to a temporary file and renamed\n"
           "  --issues DIR   KB issue files (default: kb/issues)\n"
           "  --rules DIR    rule files (default: rules)\n"
           "  --out FILE     output (default: kb.sqlite)\n"
           "\n"
           "Exit: 0 built, 2 usage, 4 a KB or rule file is invalid.\n");
}

static int kb_build(int argc, char **argv)
{
    static const struct option opts[] = {
        {"issues", required_argument, NULL, 'i'}, {"rules", required_argument, NULL, 'r'},
        {"out", required_argument, NULL, 'o'},    {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *issues = "kb/issues", *rules = "rules", *out = "kb.sqlite";
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': issues = optarg; break;
        case 'r': rules = optarg; break;
        case 'o': out = optarg; break;
        case 'h': help(); return PT_EXIT_OK;
        case ':': return pt_cli_usage("kb build", "option '%s' needs a value", argv[optind - 1]);
        default: return pt_cli_usage("kb build", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return pt_cli_usage("kb build", "unexpected argument '%s'", argv[optind]);
    pt_error err = {0};
    if (pt_kb_build(issues, rules, out, &err) != PT_OK)
        return pt_cli_fail(&err);
    return PT_EXIT_OK;
}

int cmd_kb(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        help();
        return argc < 2 ? PT_EXIT_USAGE : PT_EXIT_OK;
    }
    if (strcmp(argv[1], "build") == 0)
        return kb_build(argc - 1, argv + 1);
    if (strcmp(argv[1], "bundle") == 0 || strcmp(argv[1], "sign") == 0 ||
        strcmp(argv[1], "links") == 0)
        return cmd_kb_feed(argc, argv);
    return pt_cli_usage("kb", "unknown subcommand '%s'", argv[1]);
}
