/*
 * report_color.c - the report stage's one rule for colour: ANSI colour only
 * on a terminal that is not TERM=dumb and only when NO_COLOR is unset or
 * empty (https://no-color.org), unless the user asked for always or never.
 */

#include "pooltriage/pooltriage.h"
#include <string.h>

bool pt_report_want_color(const char *when, bool is_tty, const char *no_color,
                          const char *term)
{
    if (when && strcmp(when, "always") == 0)
        return true;
    if (when && strcmp(when, "never") == 0)
        return false;
    /* a dumb terminal (Emacs shell buffers, some CI logs) shows escapes raw */
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return is_tty && !(no_color && no_color[0]);
}
