/*
 * pooltriage/report.h - report: one writer per format per document: the
 * verdict (text, JSON, Markdown, CSV), pool captures, scan results, file
 * info and the fleet.  Writers take plain structs and append to a pt_buf;
 * they never print.  Every CSV goes through one cell writer.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_REPORT_H
#define POOLTRIAGE_REPORT_H

#include "collect.h"
#include "rank.h"
#include "scan.h"
#include "text.h"
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

/* The verdict as a Markdown ticket body: a summary, then per
 * finding the evidence table, the KB, forum and archived links, the
 * workaround and fixed version; then the raw top-10 pool table. */
void pt_report_markdown(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);
/* The verdict as CSV (RFC 4180, CRLF): a header row, then one row per
 * finding (a clean verdict gives the header only).  The columns are listed
 * in docs/fleet.md.  Text cells starting with = + - @ are prefixed with '
 * so that a spreadsheet does not run them as formulas. */
void pt_report_csv(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);

/* The verdict as one self-contained HTML page (inline CSS and SVG, no
 * scripts, nothing loaded): the verdict line, each finding's chain of
 * evidence with its references and archived links, a line chart of bytes
 * over time of the top tags (a series; the leaking tag highlighted and the
 * pool's limit drawn) or a bar chart of the top tags' share of each pool
 * (one capture).  All text from inputs, the KB and the rules is escaped. */
void pt_report_html(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out);
/* Captures (in time order) as an HTML page: the same charts and a table of
 * the latest capture's largest tags, with growth for a series. */
void pt_report_pool_html(const pt_snapshot *snaps, size_t count, pt_buf *out);

/* Whether to colour text: `when` is "always", "never" or "auto"/NULL; auto
 * colours only when stdout is a terminal, TERM (its value passed as term,
 * NULL when unset) is not "dumb", and NO_COLOR (its value passed as
 * no_color, NULL when unset) is unset or empty (https://no-color.org). */
bool pt_report_want_color(const char *when, bool is_tty, const char *no_color,
                          const char *term);


/* ------------------------------------------------------------------ */
/* pool: captures and series (`pooltriage pool`)                       */
/* ------------------------------------------------------------------ */

typedef enum pt_pool_sort {
    PT_POOL_SORT_BYTES,    /* largest first, as poolmon -b */
    PT_POOL_SORT_ALLOCS,
    PT_POOL_SORT_DIFF,
    PT_POOL_SORT_TAG,
    PT_POOL_SORT_GROWTH    /* bytes per hour, else the delta */
} pt_pool_sort;

/* What `pool` shows: captures in series order and, with more than one,
 * their series.  The writers show the tags of the last capture. */
typedef struct pt_pool_doc {
    const pt_snapshot *snapshots;
    size_t snapshot_count;                  /* at least 1 */
    const pt_series *series;                /* NULL for a single capture */
    const pt_pooltag_map *pooltags;         /* names unmapped tags' owners, or NULL */
    pt_pool_sort sort;
} pt_pool_doc;

/* The captures, then a table of tags (with growth columns for a series).
 * Untrusted text (file names, capture cells) is cleaned for the terminal. */
void pt_report_pool_text(const pt_pool_doc *doc, const pt_report_opts *opts, pt_buf *out);
/* One line of JSON, schema pooltriage.pool/1 (docs/pool.md). */
void pt_report_pool_json(const pt_pool_doc *doc, const pt_report_opts *opts, pt_buf *out);
/* CSV (RFC 4180, CRLF): one row per tag and capture, columns in docs/pool.md. */
void pt_report_pool_csv(const pt_pool_doc *doc, const pt_report_opts *opts, pt_buf *out);

/* ------------------------------------------------------------------ */
/* scan: the files that hold a tag (`pooltriage scan`)                 */
/* ------------------------------------------------------------------ */

typedef struct pt_scan_doc {
    const pt_scan_report *report;
    bool cache;                   /* the run used the scan cache */
    bool all_files;               /* list files that are not PE images too
                                     (README.md, poolmon.txt); else only PE files */
} pt_scan_doc;

/* How many files hold a tag (byte evidence, not a file-name hint): the
 * files the writers list. */
size_t pt_report_scan_file_count(const pt_scan_report *report);
/* The files the writers list: those that hold a tag, PE images only unless
 * doc->all_files, strongest evidence first (best kind, then confidence,
 * then PE before other files, then path).  The count of holders left out
 * for not being PE images goes to *hidden (may be NULL). */
size_t pt_report_scan_listed(const pt_scan_doc *doc, size_t *hidden);
/* CSV (RFC 4180, CRLF): one row per file and tag, in the listed order;
 * columns in docs/scan.md. */
void pt_report_scan_csv(const pt_scan_doc *doc, const pt_report_opts *opts, pt_buf *out);
/* Each file that holds a tag, then its tags and evidence, best first. */
void pt_report_scan_text(const pt_scan_doc *doc, const pt_report_opts *opts, pt_buf *out);
/* One line of JSON, schema pooltriage.scan/1 (docs/scan.md). */
void pt_report_scan_json(const pt_scan_doc *doc, const pt_report_opts *opts, pt_buf *out);

/* ------------------------------------------------------------------ */
/* info: what a file is and who signed it (`pooltriage info`)          */
/* ------------------------------------------------------------------ */

/* One file: the facts are the caller's (pt_describe_file, or the parsers
 * one by one); NULL facts count as unknown. */
typedef struct pt_info_file {
    const char *path;
    const char *error;              /* why it could not be read, or NULL */
    uint64_t size;
    const pt_pe_info *pe;
    const pt_signer *signer;
    const pt_file_hashes *hashes;
} pt_info_file;

typedef struct pt_info_doc {
    const pt_info_file *files;
    size_t file_count;
    const char *root;               /* --root, whose catalogs were read, or NULL */
    size_t catalog_files, catalog_skipped, catalog_members;
    bool hashes;                    /* text and CSV show the hashes (sigcheck -h);
                                       JSON always has them */
    bool sigcheck_compat;           /* CSV exactly as sigcheck -c writes it */
} pt_info_doc;

/* Per file: Verified, the version strings, PE facts, signers and hashes,
 * as sigcheck -a -h prints them. */
void pt_report_info_text(const pt_info_doc *doc, const pt_report_opts *opts, pt_buf *out);
/* One line of JSON (indented with opts->pretty), schema pooltriage.info/1. */
void pt_report_info_json(const pt_info_doc *doc, const pt_report_opts *opts, pt_buf *out);
/* CSV (RFC 4180, CRLF) with sigcheck -c's columns (and -h's hash columns
 * with doc->hashes): native cells (ISO-8601 dates, Verified as in the text),
 * or with doc->sigcheck_compat sigcheck's own cells: every field quoted,
 * dates as "h:mm AM/PM M/D/YYYY" (UTC), Verified "Signed", "Unsigned" or
 * sigcheck's error sentence, and the IMP column (n/a). */
void pt_report_info_csv(const pt_info_doc *doc, const pt_report_opts *opts, pt_buf *out);

/* ------------------------------------------------------------------ */
/* fleet: problems across many verdicts (`pooltriage fleet`, tickets)  */
/* ------------------------------------------------------------------ */

struct pt_fleet;
struct pt_fleet_problem;
/* Reports of the whole fleet (fleet.h aggregates it): text (colour when
 * opts->color), Markdown, one line of JSON (schema pooltriage.fleet/1) and
 * CSV (one row per problem).  Formats are described in docs/fleet.md. */
void pt_fleet_report_text(struct pt_fleet *fleet, const pt_report_opts *opts, pt_buf *out);
void pt_fleet_report_markdown(struct pt_fleet *fleet, const pt_report_opts *opts, pt_buf *out);
void pt_fleet_report_json(struct pt_fleet *fleet, const pt_report_opts *opts, pt_buf *out);
void pt_fleet_report_csv(struct pt_fleet *fleet, const pt_report_opts *opts, pt_buf *out);
/* The fleet as one self-contained HTML page: the problems with their hosts,
 * a bar chart of hosts per problem, and the driver versions and OS builds
 * seen; all text escaped. */
void pt_fleet_report_html(struct pt_fleet *fleet, const pt_report_opts *opts, pt_buf *out);
/* One problem: as a Markdown ticket body, and as one JSON object (the
 * element of "problems" in the fleet JSON), for the ticket payloads. */
void pt_fleet_problem_markdown(const struct pt_fleet_problem *p, pt_buf *out);
void pt_fleet_problem_json(const struct pt_fleet_problem *p, pt_buf *out);

#ifdef __cplusplus
}
#endif
/* ---- a case archive for escalation (pooltriage collect; case_write.c) ---- */

typedef struct pt_case_opts {
    const char *name;      /* the folder inside the archive: the host's name */
    bool all_drivers;      /* every *.sys the walk saw, not only those attribution named */
} pt_case_opts;

typedef struct pt_case_summary {
    size_t captures, drivers, kernels, catalogs;
    size_t skipped;        /* drivers that were entries of a case archive */
    uint64_t bytes;
} pt_case_summary;

/* Writes the case of verdict v as a .zip at `out`: NAME/<each capture
 * file>, NAME/Windows/System32/drivers/<driver>, the first tree's
 * NAME/Windows/System32/ntoskrnl.exe, the catalogs signing those drivers
 * under NAME/Windows/System32/CatRoot/, and NAME/manifest.json (host, OS,
 * time, and path, source and sha256 of every file).  Files are streamed,
 * never held whole.  The archive is written beside `out` and linked into
 * place when complete: PT_EIO "exists" when `out` does (it is never
 * overwritten), and nothing is left behind on any error. */
pt_code pt_case_write(pt_arena *arena, const pt_verdict *v, const pt_case_opts *o,
                      const char *out, pt_case_summary *sum, pt_error *err);

#endif /* POOLTRIAGE_REPORT_H */
