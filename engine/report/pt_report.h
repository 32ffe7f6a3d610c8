/*
 * pt_report.h - small helpers shared by the report stage's writers
 * (report_csv.c, report_markdown.c, fleet_report.c): CSV cells, Markdown
 * escaping and thousands separators.  Not part of the public contract.
 */
#ifndef PT_REPORT_H
#define PT_REPORT_H

#include "pooltriage/pooltriage.h"

/* Appends one RFC 4180 cell (s may be NULL: empty) followed by "," or, when
 * last, by CRLF.  A cell holding , " CR or LF is quoted, quotes doubled; a
 * cell starting with = + - @ TAB or CR gets a leading ' (no formulas). */
void pt_csv_cell(pt_buf *out, const char *s, bool last);
/* The same for a number; a negative value (PT_UNKNOWN) gives an empty cell. */
void pt_csv_int(pt_buf *out, int64_t v, bool last);

/* Appends Markdown text with \ ` * _ [ ] < > | # escaped and line breaks
 * turned into spaces, so input text can't make links, HTML or tables. */
void pt_md_text(pt_buf *out, const char *s);
/* Appends `s` as a code span (escaped text when it holds a backtick). */
void pt_md_code(pt_buf *out, const char *s);
/* Appends a link [title](<url>) when url is http(s), else the title and
 * the url as code; title NULL uses the url. */
void pt_md_link(pt_buf *out, const char *title, const char *url);

/* 5053046496 -> "5,053,046,496" */
void pt_report_commas(uint64_t v, char *buf, size_t len);
/* A reference as a Markdown link, then " (archived)" linking the Wayback
 * copy when there is one, then a newline. */
void pt_md_reference(pt_buf *out, const char *title, const char *url,
                     const char *archived_url);

/* Shared sentences about a finding (report_phrases.c), raw: the writer
 * escapes them.  Strings live in the arena; NULL when there is nothing to
 * say. */
/* "signed by McAfee, Inc. (issuer DigiCert ...), 2018-04-10", "catalog-signed
 * by ... , catalog nt5.cat", "signature INVALID: digest mismatch",
 * "unsigned: no embedded signature ...", "signature not checked". */
const char *pt_report_signer_phrase(pt_arena *a, const pt_driver *d);
/* The rate and steadiness, or why there is none (one capture: how to take
 * a series). */
const char *pt_report_growth_phrase(pt_arena *a, const pt_finding *f);
/* The limit, its source, and the hours until it at the growth rate. */
const char *pt_report_limit_phrase(pt_arena *a, const pt_finding *f);
const pt_evidence *pt_report_best_evidence(const pt_candidate *c);

#endif
