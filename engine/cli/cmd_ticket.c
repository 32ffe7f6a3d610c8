/*
 * cmd_ticket.c - placeholder while this command is being written in this
 * session; it refuses to run rather than pretend.
 */
#include "cli.h"

int cmd_ticket(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "pooltriage: this command is not available in this build\n");
    return PT_EXIT_USAGE;
}
