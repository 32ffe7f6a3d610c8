/*
 * pooltriage/fleet.h - fleet: many verdicts, one entry per problem.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_FLEET_H
#define POOLTRIAGE_FLEET_H

#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- fleet (fleet.c, fleet_report.c): many verdicts, one entry per problem ---- */

/* What one problem (one fingerprint) looks like across the fleet.  Strings
 * belong to the pt_fleet; NULL when no report gave them. */
typedef struct pt_fleet_ref {
    const char *kind, *title, *url, *archived_url;
} pt_fleet_ref;

typedef struct pt_fleet_problem {
    char fingerprint[65];
    const char *rule;
    pt_level level;              /* the highest level any report gave it */
    const char *title;
    const char *kb_id, *kb_title, *fixed_in;
    const char *tag;             /* the largest tag, from the first report */
    const char *pool;            /* "nonpaged", "paged" or NULL */
    const char *driver;          /* driver file name, or NULL */
    const char **versions;       /* distinct driver file versions seen (capped) */
    size_t version_count;
    pt_fleet_ref *refs;          /* from the first report that had any */
    size_t ref_count;
    const char *action;
    size_t host_count;           /* distinct host names */
    bool host_count_approx;      /* past PT_FLEET_MAX_TRACKED_HOSTS: reports counted */
    const char **hosts;          /* the first PT_FLEET_MAX_HOST_NAMES names, in order seen */
    size_t host_name_count;
    size_t report_count;         /* reports that had this problem */
    int64_t first_seen, last_seen; /* capture times, Unix seconds, or PT_UNKNOWN */
    int64_t bytes_min, bytes_max;  /* the finding's bytes, or PT_UNKNOWN */
    /* Added with verdict/2. */
    const char *kind;            /* "leak", "signature", ... */
    const char **rules;          /* every rule that found it on some host (capped) */
    size_t rule_count;
    const char **os_versions;    /* distinct OS versions of its hosts (capped) */
    size_t os_count;
    double growth_max;           /* the fastest growth any host showed, bytes/h, or -1 */
    double hours_min;            /* the soonest time to the limit, or -1 */
    const char *hours_min_host;  /* the host that reaches it first, or NULL */
    /* An earlier fingerprint of this problem, or "": the verdict/1 one
     * (rule-based) of its first version-1 report, else that of a
     * driverless problem folded into it (a capture triaged alone).  The
     * ticket map is looked up with it too, so no ticket is filed twice. */
    char legacy_fingerprint[65];
} pt_fleet_problem;

typedef struct pt_fleet pt_fleet;

/* Called for a report that is skipped (not JSON, not a verdict): `where`
 * is "file:line", `message` says what is wrong.  The library never prints.
 * Only the first PT_FLEET_MAX_WARNINGS (100) skips are passed on; the rest
 * are counted in pt_fleet_stats.warnings_suppressed. */
typedef void (*pt_fleet_warn_fn)(void *ctx, const char *where, const char *message);

/* A new, empty aggregate; NULL on out of memory.  pt_fleet_close(NULL) is
 * a no-op.  warn may be NULL (bad reports are then only counted). */
pt_fleet *pt_fleet_open(pt_fleet_warn_fn warn, void *ctx);
void pt_fleet_close(pt_fleet *fleet);

/* Adds one verdict document held in memory; `name` and `line` say where it
 * came from.  Both pooltriage.verdict/2 and /1 are read: a version-1
 * finding is grouped by the version-2 key recomputed from its fields
 * (pt_fleet_v1_key).  A document that is not a verdict is reported to
 * the warn function, counted as skipped, and PT_EFORMAT returned; the
 * aggregate is unchanged then.  PT_ENOMEM. */
pt_code pt_fleet_add_json(pt_fleet *fleet, const char *text, size_t len,
                          const char *name, uint32_t line, pt_error *err);
/* Adds every document read from a file descriptor: one JSON object, several, or JSON Lines,
 * read in chunks (never whole).  Bad documents are skipped (warn); only
 * I/O errors, PT_ENOMEM and PT_ELIMIT (too many problems) return.  A
 * broken document costs only its own lines: reading starts again at the
 * next line that begins with '{' (and after a line break inside a string),
 * so a cut-off line of JSON Lines loses that one line. */
pt_code pt_fleet_add_fd(pt_fleet *fleet, int fd, const char *name, pt_error *err);
/* Adds a REPORT argument: a file, a folder (its *.json and *.jsonl files,
 * recursively, in name order) or "-" (stdin).  PT_EIO when it is missing. */
pt_code pt_fleet_add_path(pt_fleet *fleet, const char *path, pt_error *err);

/* Counts: documents read as verdicts, documents skipped, distinct hosts
 * (approximate past PT_FLEET_MAX_TRACKED_HOSTS), verdicts with no finding,
 * skips not passed to the warn function (past PT_FLEET_MAX_WARNINGS). */
typedef struct pt_fleet_stats {
    size_t reports, skipped, hosts, clean;
    bool hosts_approx;
    size_t warnings_suppressed;
} pt_fleet_stats;
void pt_fleet_stats_get(const pt_fleet *fleet, pt_fleet_stats *out);

/* The problems, most severe first, then most hosts, then by fingerprint
 * (sorted on first call after an add).  The pointers stay valid until the
 * next add or close. */
size_t pt_fleet_count(pt_fleet *fleet);
const pt_fleet_problem *pt_fleet_problem_at(pt_fleet *fleet, size_t index);
/* The highest level of any problem (PT_LEVEL_CLEAN when none). */
pt_level pt_fleet_level(pt_fleet *fleet);

/* The fleet's writers (text, Markdown, JSON, CSV; one problem as a ticket
 * body) are in report.h, with the other documents' writers. */

/* Lets the fleet read the affected range of a version-1 finding that
 * cites a KB entry from this KB (the range the driver's version is in),
 * when the finding's explanation does not name it.  kb may be NULL; it is
 * borrowed and must outlive the adds. */
void pt_fleet_use_kb(pt_fleet *fleet, pt_kb *kb);

/* The version-2 fingerprint of a version-1 finding, from its fields: the
 * kind from the rule id (pt_finding_kind_of_rule), the KB id or else the
 * tag, the driver name, and the KB's affected range (which version 1 wrote
 * only in the known-issue explanation, "in the affected range ID of") or
 * else the driver's numeric file version. */
void pt_fleet_v1_key(const char *rule, const char *kb_id, const char *tag,
                     const char *driver, const char *numeric_version,
                     const char *explanation, char out[65]);

/* ---- end of fleet ---- */

#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_FLEET_H */
