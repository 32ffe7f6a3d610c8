/*
 * net_main.c - pooltriage-net: the network commands (update, ticket, and
 * kb bundle|sign|links).  Only this binary links libcurl (through fetch/);
 * `pooltriage` runs it for those commands, so the others start fast.
 */
#include "cli.h"
#include "pooltriage/platform.h"
#include "pt_fetch.h"

#include <string.h>

int main(int argc, char **argv)
{
    pt_platform_console_init();
    argv = pt_platform_utf8_argv(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "update") == 0)
        return cmd_update(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "ticket") == 0)
        return cmd_ticket(argc - 1, argv + 1);
    if (argc >= 3 && strcmp(argv[1], "kb") == 0)
        return cmd_kb_feed(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("pooltriage-net %s (%s)\n", PT_VERSION, pt_fetch_backend());
        return 0;
    }
    fprintf(stderr, "pooltriage-net: run it through pooltriage (update, ticket, "
                    "kb bundle|sign|links); see 'pooltriage --help'\n");
    return PT_EXIT_USAGE;
}
