/*
 * collect_int.h - collect stage: helpers shared by capture.c, poolmon.c and
 * poolused.c that are not part of the public API.
 */
#ifndef PT_COLLECT_INT_H
#define PT_COLLECT_INT_H

#include <stddef.h>

/* Length of the marks a paste puts before a line: runs of '#' (a Markdown
 * heading, "## Tag  Type ..."), '>' (a mail quote), a "PS C:\...>" or
 * "[N: ]kd>" / "lkd>" prompt, each after optional blanks; blanks after the
 * last mark are not counted.  0 when the line starts with none. */
size_t pt_text_prompt_len(const char *s, size_t len);

#endif /* PT_COLLECT_INT_H */
