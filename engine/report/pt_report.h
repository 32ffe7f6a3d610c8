/*
 * pt_report.h - small helpers shared by the report stage's writers
 * (report_csv.c, report_markdown.c, fleet_report.c): CSV cells, Markdown
 * escaping and thousands separators.  Not part of the public contract.
 */
#ifndef PT_REPORT_H
#define PT_REPORT_H

#include "pooltriage/pooltriage.h"

/* The one CSV writer: every CSV output (verdict, pool, info, fleet) writes
 * its cells with these.  Appends one RFC 4180 cell (s may be NULL: empty)
 * followed by "," or, when last, by CRLF.  The text is cleaned as for a
 * terminal (pt_term_append: control characters other than CR, LF and TAB
 * become \xHH, and so do bytes that are not UTF-8), a cell holding , " CR
 * or LF is quoted with quotes doubled, and a cell starting with = + - @
 * TAB or CR gets a leading ' so that a spreadsheet does not run it as a
 * formula. */
void pt_csv_cell(pt_buf *out, const char *s, bool last);
/* A number the writer formatted itself (digits, sign, point), written as
 * it is so that a negative delta stays a number; NULL: empty cell. */
void pt_csv_number(pt_buf *out, const char *number, bool last);
/* The same for an integer; a negative value (PT_UNKNOWN) gives an empty cell. */
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
struct cJSON;
/* Adds "windows": {verdict, detail, catalog} (what WinVerifyTrust
 * concluded), or null off Windows, to a signer's JSON object. */
void pt_json_add_windows_trust(struct cJSON *o, const pt_signer *s);
/* The rate and steadiness, or why there is none (one capture: how to take
 * a series). */
const char *pt_report_growth_phrase(pt_arena *a, const pt_finding *f);
/* The limit, its source, and the hours until it at the growth rate. */
const char *pt_report_limit_phrase(pt_arena *a, const pt_finding *f);
const pt_evidence *pt_report_best_evidence(const pt_candidate *c);

/* ---- HTML (report_html_chart.c) ---- */

/* Escaped text: & < > " ' as entities, controls and broken UTF-8 as U+FFFD. */
void pt_html_text(pt_buf *out, const char *s);
/* printf whose whole result is escaped. */
void pt_html_printf(pt_buf *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A link when url is http(s), else the escaped title (or url). */
void pt_html_link(pt_buf *out, const char *title, const char *url);
/* 5053046496 -> "4.71 GiB" */
void pt_html_bytes(char *buf, size_t len, double v);
/* The head of a self-contained page (inline CSS; a Content-Security-Policy
 * that loads and runs nothing), and its end with a footer line. */
void pt_html_page_start(pt_buf *out, const char *title);
void pt_html_page_end(pt_buf *out, const char *footer);

typedef struct pt_html_series {
    const char *tag, *pool;
    const double *bytes;         /* one per point */
    bool leak;                   /* drawn highlighted */
} pt_html_series;

typedef struct pt_html_limit {
    double level;                /* the tag's bytes at which its pool runs out */
    double hours;                /* from the last point, or < 0 when not growing */
    const char *label;
} pt_html_limit;

/* A line chart of bytes over time (svg#series-chart): x is xs[] (hours),
 * labelled xlabels[]; each series a g.series[data-tag]; limit NULL or a
 * dashed line with the leaking tag's projection to it. */
void pt_html_series_chart(pt_buf *out, const pt_html_series *s, size_t count,
                          const double *xs, const char *const *xlabels, size_t points,
                          const pt_html_limit *limit);

typedef struct pt_html_bar {
    const char *label;
    double share;                /* 0..1 */
    uint64_t bytes;
    bool leak;
    const char *note;            /* or NULL */
    const char *value;           /* shown instead of the bytes, or NULL */
} pt_html_bar;

/* A horizontal bar chart of shares (svg#id, one g.bar[data-tag] each). */
void pt_html_share_chart(pt_buf *out, const char *id, const char *title,
                         const pt_html_bar *bars, size_t count);

#endif
