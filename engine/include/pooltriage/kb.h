/*
 * pooltriage/kb.h - judge: the knowledge base.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_KB_H
#define POOLTRIAGE_KB_H

#include "attribute.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* judge: knowledge base                                               */
/* ------------------------------------------------------------------ */

typedef struct pt_kb pt_kb;

typedef struct pt_kb_ref {
    const char *kind;      /* vendor-kb, forum, advisory, changelog, issue, blog */
    const char *title;
    const char *url;
    const char *archived_url;
} pt_kb_ref;

typedef struct pt_kb_range {
    const char *id;
    const char *min_version;   /* NULL: open below */
    const char *max_version;   /* NULL: open above */
    const char *note;
} pt_kb_range;

typedef struct pt_kb_os {
    const char *nt;            /* "6.3", or NULL */
    int64_t build_min;         /* PT_UNKNOWN: open */
    int64_t build_max;
    const char *name;
} pt_kb_os;

typedef struct pt_kb_entry {
    const char *id;
    const char *version_field;   /* file_version, product_version or numeric */
    const char *version_scheme;  /* a vendor release scheme's name, or NULL */
    const char *version_numeric; /* its numeric pattern ("5.{1}.{2}.*"), or NULL */
    const char *title;
    const char *vendor;
    const char *product;
    const char *severity;
    const char *fixed_in;
    const char *workaround;
    const char *symptoms;
    const char *notes;
    const char **tags;     /* 4 characters each */
    size_t tag_count;
    const char **drivers;  /* file names */
    size_t driver_count;
    pt_kb_ref *refs;
    size_t ref_count;
    const char *pool;      /* "nonpaged", "paged" or NULL */
    const char *confidence;
    const char *author;
    const char *date;
    pt_kb_range *ranges;
    size_t range_count;
    pt_kb_os *os;
    size_t os_count;
} pt_kb_entry;

/* Opens a KB read-only.  PT_EKB when it is missing or has the wrong schema. */
pt_code pt_kb_open(const char *path, pt_kb **out, pt_error *err);
void pt_kb_close(pt_kb *kb);
/* The KB's version string ("1+3f2a..."), owned by kb. */
const char *pt_kb_version(const pt_kb *kb);
/* The path the KB was opened from, owned by kb. */
const char *pt_kb_path(const pt_kb *kb);
/* The file name of the rule the KB ships with this id (arena), or NULL in
 * *out when it ships none.  PT_EKB on a damaged KB. */
pt_code pt_kb_rule_file(pt_arena *arena, pt_kb *kb, const char *id, const char **out,
                        pt_error *err);

/* Where the KB sources are.  tags_dir and rules_dir may be NULL. */
typedef struct pt_kb_sources {
    const char *issues_dir;   /* kb/issues: one file per known issue */
    const char *tags_dir;     /* kb/tags: tag facts */
    const char *rules_dir;    /* rules: rule files, and tests/<rule-id>/ cases */
    /* When not NULL, called once per problem found ("file:line" and the
     * message), so a checker can show them all; may be NULL. */
    void (*problem)(void *arg, const char *where, const char *message);
    void *problem_arg;
    /* With rules_dir: every issue needs a rule case that expects it or is
     * named after it (pt-0042-*.lua), else a problem (kb check sets it). */
    bool require_cases;
} pt_kb_sources;

/* Compiles the sources into a new SQLite KB at out_path (written to a
 * temporary file, then renamed).  Every file is checked, and every problem
 * goes to src->problem; then PT_EKB with the first problem (file:line) in
 * err, and no KB is written.  The same inputs give a byte-identical file. */
pt_code pt_kb_build_from(const pt_kb_sources *src, const char *out_path, pt_error *err);
/* The same, with tags_dir = issues_dir/../tags when that folder exists. */
pt_code pt_kb_build(const char *issues_dir, const char *rules_dir,
                    const char *out_path, pt_error *err);

/* Reads one KB entry (with references, ranges and OS builds) by id;
 * PT_EFORMAT "no known issue" if absent; PT_EKB (where = the KB file) when
 * a query fails, as on a damaged KB.  Every query function here returns
 * PT_EKB naming the KB file then, never a partial answer. */
pt_code pt_kb_get(pt_arena *arena, pt_kb *kb, const char *id,
                  pt_kb_entry *out, pt_error *err);

/* The ids of the entries whose id, title, vendor, product, driver, tag,
 * symptoms or notes contain `term` (case-insensitive), in id order; every
 * entry when term is NULL. */
pt_code pt_kb_search(pt_arena *arena, pt_kb *kb, const char *term,
                     const char ***out, size_t *out_count, pt_error *err);

/* One tag fact of kb/tags, as kb search shows it. */
typedef struct pt_kb_tag_hit {
    const char *set_id;   /* "TAGS-NPCAP" */
    const char *kind;     /* "vendor" or "generic" */
    const char *tag;      /* 4 characters */
    const char *vendor;   /* or NULL */
    const char *note;     /* or NULL */
    const char *drivers;  /* the driver globs, comma-separated, or NULL */
} pt_kb_tag_hit;

/* The tag facts whose tag is `term` (case-insensitive, trailing spaces
 * ignored), whose driver globs contain it, or, for a term longer than a
 * tag or a 4-character term that is no tag ("KMDF"), whose set, title,
 * vendor or note contain it; in set and file order. */
pt_code pt_kb_search_tags(pt_arena *arena, pt_kb *kb, const char *term,
                          pt_kb_tag_hit **out, size_t *out_count, pt_error *err);

/* Checks the rows of a compiled KB (one that came from a feed) against the
 * rules `kb check` applies to sources: enum values, tag lengths, reference
 * kinds and URLs, dangling ids.  PT_EKB naming the first bad entry. */
pt_code pt_kb_check_db(pt_kb *kb, pt_error *err);

/* Counts of what a KB holds. */
typedef struct pt_kb_stats {
    size_t issues, tag_sets, tag_facts, rules, rule_cases;
} pt_kb_stats;
pt_code pt_kb_stats_read(pt_kb *kb, pt_kb_stats *out, pt_error *err);


/* Checks one KB issue file (kb/issues/x.lua) against the schema.  `shown`
 * names the file in messages.  PT_EKB with file:line on a bad entry. */
pt_code pt_kb_check_file(pt_arena *arena, const char *path, const char *shown,
                         pt_error *err);

/* One reference of a KB source file, as `kb links` edits them. */
typedef struct pt_kb_source_ref {
    const char *file;          /* the issue file */
    const char *issue;         /* its id */
    const char *date;          /* its date, or NULL */
    int seq;                   /* 1-based position in its references */
    const char *url;
    const char *archived_url;  /* or NULL */
} pt_kb_source_ref;

/* Checks every issue file (*.lua) directly in `dir` and lists their
 * references, by file then position.  PT_EKB on a bad file, PT_ENOMEM. */
pt_code pt_kb_source_refs(pt_arena *arena, const char *dir, pt_kb_source_ref **out,
                          size_t *out_count, pt_error *err);

/* The counts and feed metadata of a KB file. */
typedef struct pt_kb_counts {
    int64_t issues;
    int64_t rules;
    int64_t feed_version;   /* meta feed_version, 0 when none */
    int64_t feed_expires;   /* meta feed_expires, 0 when none */
    char kb_version[64];
} pt_kb_counts;

/* Opens a candidate KB untrusted (read-only, SQLITE_DBCONFIG_DEFENSIVE,
 * trusted_schema off), runs PRAGMA quick_check, compares its schema with
 * the one kb build writes (no extra tables, views or triggers), opens it
 * with pt_kb_open, reads every issue and checks every rule.  PT_EKB with
 * the reason; `out` (may be NULL) gets the counts. */
pt_code pt_kb_verify_file(const char *path, pt_kb_counts *out, pt_error *err);
/* Counts of an installed KB without the deep checks (for --status). */
pt_code pt_kb_counts_read(const char *path, pt_kb_counts *out, pt_error *err);


/* Lookups for the rules (kb.c). */

typedef struct pt_kb_query {
    const char *tag;      /* 4-character tag, or NULL */
    const char *driver;   /* file name, matched case-insensitively, or NULL */
    const char *version;  /* a version of unknown kind (older callers): used as
                             the numeric version and the FileVersion string */
    int64_t build;        /* OS build, or PT_UNKNOWN */
    /* The driver's version facts; each may be NULL.  An entry compares in
     * the space its `versions` names (docs/kb.md). */
    const char *file_version;     /* FileVersion string ("0.9995") */
    const char *product_version;  /* ProductVersion string */
    const char *numeric;          /* VS_FIXEDFILEINFO ("5.0.9995.709") */
} pt_kb_query;

/* One KB entry that lists the tag or the driver, and how well it matches.
 * The *_match fields are 1 (yes), 0 (no) or -1 (unknown: the entry gives
 * no range, or the query gives no value). */
typedef struct pt_kb_match {
    const char *id;
    bool tag_match;
    bool driver_match;
    int version_match;
    int os_match;
    const char *range_id;  /* the affected range holding the version, or NULL */
    int fixed;             /* 1: at or past fixed_in, 0: before it, -1: unknown */
    const char *version_field;  /* what was compared, for explanations:
                                   "FileVersion string 0.9995", or NULL */
} pt_kb_match;

pt_code pt_kb_lookup(pt_arena *arena, pt_kb *kb, const pt_kb_query *q,
                     pt_kb_match **out, size_t *out_count, pt_error *err);

/* What the KB's tag-fact files (kb/tags) say about one tag. */
typedef struct pt_tag_fact {
    const char *set_id;        /* "TAGS-INTEL-NIC" */
    const char *kind;          /* "vendor" or "generic" */
    const char *tag;
    const char *vendor;
    const char *note;
    const char **drivers;      /* file-name globs ("e1e*.sys") */
    size_t driver_count;
    const char **leaks_through;/* KB ids whose leak shows through this tag */
    size_t leak_count;
} pt_tag_fact;

pt_code pt_kb_tag_facts(pt_arena *arena, pt_kb *kb, const char *tag,
                        pt_tag_fact **out, size_t *out_count, pt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_KB_H */
