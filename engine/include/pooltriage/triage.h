/*
 * pooltriage/triage.h - triage: the whole pipeline and the verdict.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_TRIAGE_H
#define POOLTRIAGE_TRIAGE_H

#include "rules.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* triage: the whole pipeline                                          */
/* ------------------------------------------------------------------ */

typedef struct pt_pool_input {
    const char *path;
    const char *at;              /* --at TIME, or NULL */
} pt_pool_input;

typedef struct pt_triage_opts {
    const char **case_dirs;   size_t case_dir_count;
    pt_pool_input *pools;     size_t pool_count;
    const char **driver_dirs; size_t driver_dir_count;
    const char **roots;       size_t root_count;
    const char *os;              /* --os, or NULL */
    const char *os_source;       /* where os came from: NULL is "--os" */
    const char *host;            /* --host, or NULL */
    const char *kb_path;         /* resolved KB path (the CLI picks the default) */
    const char *rules_dir;       /* --rules DIR, or NULL for the KB's rules */
    const char *pooltag;         /* --pooltag FILE, or NULL */
    pt_capture_format pool_format;
    bool no_cache;               /* --no-cache: read every driver again */
    const char *cache_path;      /* the scan cache, or NULL for the default */
    void (*progress)(void *ctx, size_t done, size_t total); /* scan progress, or NULL */
    void *progress_ctx;
} pt_triage_opts;

/* A non-fatal problem with one input. */
typedef struct pt_input_error {
    const char *source;
    const char *where;
    const char *message;
} pt_input_error;

/* A file found in the driver folders, by name. */
typedef struct pt_file_ref {
    const char *name;
    const char *path;
} pt_file_ref;

struct pt_verdict {
    const char *tool_version;
    const char *kb_version;
    pt_host host;
    pt_snapshot *snapshots;      size_t snapshot_count;   /* in time order */
    pt_suspect *suspects;        size_t suspect_count;
    pt_driver *drivers;          size_t driver_count;
    pt_attribution *attributions; size_t attribution_count;
    const char **searched;       size_t searched_count;   /* driver folders scanned */
    pt_file_ref *driver_files;   size_t driver_file_count; /* every *.sys found there */
    const char **roots;          size_t root_count;       /* Windows trees (--root, case folders) */
    pt_finding *findings;        size_t finding_count;    /* most severe first */
    pt_rule_error *rule_errors;  size_t rule_error_count;
    pt_input_error *errors;      size_t error_count;
    pt_level level;
};

/* The owners of some tags among the files of some folders. */
typedef struct pt_owners {
    pt_driver *drivers;           size_t driver_count;  /* holders, then files only a hint
                                                            names; described */
    pt_attribution *attributions; size_t attribution_count; /* one per distinct tag */
    pt_scan_result scan;          /* every walked file with its hits, errors, stats */
} pt_owners;

/* scan -> describe -> attribute: walks `dirs` once scanning for every tag
 * of `set`, describes the files attribution needs (those that hold a tag,
 * whose KMDF default tag is one, or that a hint names; every file with
 * opts->describe_all) on parallel workers, with `cats` (may be NULL) for
 * catalog signatures, stores the cache, and ranks the candidates of each
 * suspect's tag.  opts may be NULL.  PT_ENOMEM and PT_ELIMIT are errors;
 * unreadable inputs are in out->errors. */
pt_code pt_find_owners(pt_arena *arena, const char *const *dirs, size_t dir_count,
                       const pt_suspect *suspects, size_t suspect_count, const pt_tagset *set,
                       const pt_scan_opts *opts, const pt_catalog_index *cats,
                       pt_owners *out, pt_error *err);

/* `pooltriage scan`: pt_find_owners for a list of tags (each one a
 * suspect).  PT_ELIMIT past PT_MAX_TAGS. */
pt_code pt_scan(pt_arena *arena, const char *const *dirs, size_t dir_count,
                const char (*tags)[5], size_t tag_count, const pt_scan_opts *opts,
                pt_scan_report *out, pt_error *err);

/* Runs collect, rank, scan, describe, attribute, judge.  A run that cannot
 * complete returns an error (inputs: PT_EIO/PT_EFORMAT, KB: PT_EKB, rules:
 * PT_ERULE); problems that do not stop it are in out->errors and
 * out->rule_errors. */
pt_code pt_triage(pt_arena *arena, const pt_triage_opts *opts, pt_verdict *out,
                  pt_error *err);

/* The judge stage's last step (findings.c): gives each finding the bytes,
 * pool and share of its tag as the suspects table shows them, its growth,
 * the best limit its pool runs into and the hours until it at that rate,
 * and a title that says the growth.  Strings go to the arena. */
void pt_findings_finish(pt_arena *arena, pt_verdict *v);


/* The collect stage's entry point (collect/collect.c): it takes the
 * triage options and fills the verdict's inputs. */

/* Finds and loads the inputs: v->snapshots (in time order), v->searched
 * (driver folders), v->host (name, OS), v->errors (skipped rows). */
pt_code pt_collect(pt_arena *arena, const pt_triage_opts *opts, pt_verdict *v,
                   pt_error *err);
/* Appends problems with inputs to v->errors. */
pt_code pt_input_errors_append(pt_arena *arena, pt_verdict *v,
                               const pt_input_error *more, size_t count, pt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_TRIAGE_H */
