/*
 * pooltriage/report.h - report: the verdict as text, JSON, Markdown and CSV.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_REPORT_H
#define POOLTRIAGE_REPORT_H

#include "triage.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* report                                                              */
/* ------------------------------------------------------------------ */

typedef struct pt_report_opts {
    bool color;                  /* ANSI colour (text only) */
    bool pretty;                 /* indented JSON */
} pt_report_opts;

/* The verdict as text for a person: the verdict line first, then the chain
 * of evidence, then what to do. */
void pt_report_text(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);
/* The verdict as one line of JSON (schema pooltriage.verdict/1), with a
 * trailing newline. */
void pt_report_json(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);

/* The verdict as a Markdown ticket body (issue 7): a summary, then per
 * finding the evidence table, the KB, forum and archived links, the
 * workaround and fixed version; then the raw top-10 pool table. */
void pt_report_markdown(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);
/* The verdict as CSV (RFC 4180, CRLF): a header row, then one row per
 * finding (a clean verdict gives the header only).  The columns are listed
 * in docs/fleet.md.  Text cells starting with = + - @ are prefixed with '
 * so that a spreadsheet does not run them as formulas. */
void pt_report_csv(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);

/* Whether to colour text: `when` is "always", "never" or "auto"/NULL; auto
 * colours only when stdout is a terminal, TERM (its value passed as term,
 * NULL when unset) is not "dumb", and NO_COLOR (its value passed as
 * no_color, NULL when unset) is unset or empty (https://no-color.org). */
bool pt_report_want_color(const char *when, bool is_tty, const char *no_color,
                          const char *term);


#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_REPORT_H */
