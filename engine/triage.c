/*
 * triage.c - the pipelines, and nothing else.  pt_triage(): collect ->
 * rank -> scan -> describe -> attribute -> judge.  pt_find_owners() is
 * its middle (scan -> describe -> attribute), which `pooltriage scan`
 * runs on its own through pt_scan().  Reading them shows the program.
 */
#include "pooltriage/pooltriage.h"

#include <stdint.h>
#include <string.h>

/* ---- scan -> describe -> attribute ---- */

/* Cached facts that this run can use as they are: hashed when the run
 * hashes, and not an unsigned driver that a catalog could sign. */
static bool cached_usable(const pt_driver *c, const pt_scan_opts *opts,
                          const pt_catalog_index *cats)
{
    if (!opts->no_hash && c->sha256[0] == '\0' && c->error == NULL)
        return false;
    return cats == NULL || c->signer == NULL || c->signer->status != PT_SIG_UNSIGNED;
}

/* facts[i] from a description of scan->files[i]. */
static pt_code keep_facts(pt_arena *arena, const pt_scan_file *f, const pt_description *desc,
                          const pt_driver **fact)
{
    pt_driver *d = pt_arena_alloc(arena, sizeof *d);
    if (d == NULL)
        return PT_ENOMEM;
    d->path = f->path;
    d->name = f->name;
    d->size = f->size;
    pt_driver_set_description(d, desc);
    *fact = d;
    return PT_OK;
}

/* The entries of one case archive that need describing, read from its
 * stream in one pass. */
static pt_code describe_archive(pt_arena *arena, const pt_scan_result *scan,
                                const size_t *which, size_t m, const char *archive,
                                unsigned what, const pt_catalog_index *cats,
                                const pt_driver **facts, pt_error *err)
{
    const char **names = pt_malloc((m + 1) * sizeof *names);
    size_t *idx = pt_malloc((m + 1) * sizeof *idx);
    pt_description *desc = pt_arena_alloc(arena, (m + 1) * sizeof *desc);
    size_t k = 0;
    pt_code rc = names && idx && desc ? PT_OK : PT_ENOMEM;
    for (size_t i = 0; rc == PT_OK && i < m; i++) {
        const pt_scan_file *f = &scan->files[which[i]];
        if (f->archive != archive)
            continue;
        names[k] = f->path + strlen(archive) + 1;   /* "ARCHIVE:ENTRY" */
        idx[k++] = which[i];
    }
    if (rc == PT_OK)
        rc = pt_describe_archive(arena, archive, names, k, what, cats, desc, err);
    for (size_t i = 0; rc == PT_OK && i < k; i++)
        rc = keep_facts(arena, &scan->files[idx[i]], &desc[i], &facts[idx[i]]);
    pt_free(names);
    pt_free(idx);
    return rc;
}

/* The describe stage over the files attribution needs (every file with
 * describe_all): facts[i] gets scan->files[i]'s facts, from the cache or
 * described now on the scan's worker count (the entries of a case archive
 * from its stream). */
static pt_code describe_needed(pt_arena *arena, const pt_scan_result *scan,
                               const uint8_t *marks, const pt_scan_opts *opts,
                               const pt_catalog_index *cats, const pt_driver **facts,
                               size_t *described, pt_error *err)
{
    size_t n = scan->file_count, m = 0, a = 0;
    const char **paths = pt_malloc((n + 1) * sizeof *paths);
    size_t *which = pt_malloc((n + 1) * sizeof *which);
    size_t *in_archive = pt_malloc((n + 1) * sizeof *in_archive);
    pt_description *desc = NULL;
    unsigned what = opts->no_hash ? 0 : PT_DESCRIBE_SHA256;
    pt_code rc = paths && which && in_archive ? PT_OK : PT_ENOMEM;
    for (size_t i = 0; rc == PT_OK && i < n; i++) {
        const pt_scan_file *f = &scan->files[i];
        facts[i] = NULL;
        if (f->error || (!marks[i] && !opts->describe_all))
            continue;
        if (f->cached && cached_usable(f->cached, opts, cats)) {
            facts[i] = f->cached;
            continue;
        }
        if (f->archive) {
            in_archive[a++] = i;
            continue;
        }
        paths[m] = f->path;
        which[m++] = i;
    }
    if (rc == PT_OK && (desc = pt_arena_alloc(arena, (m + 1) * sizeof *desc)) == NULL)
        rc = PT_ENOMEM;
    if (rc == PT_OK)
        rc = pt_describe_files(arena, paths, m, what, cats, opts->threads, desc, err);
    for (size_t k = 0; rc == PT_OK && k < m; k++)
        rc = keep_facts(arena, &scan->files[which[k]], &desc[k], &facts[which[k]]);
    for (size_t k = 0; rc == PT_OK && k < a; k++) {   /* each archive once, in order */
        const char *archive = scan->files[in_archive[k]].archive;
        bool first = true;
        for (size_t e = 0; e < k && first; e++)
            first = scan->files[in_archive[e]].archive != archive;
        if (first)
            rc = describe_archive(arena, scan, in_archive, a, archive, what, cats, facts, err);
    }
    *described = m + a;
    pt_free(paths);
    pt_free(which);
    pt_free(in_archive);
    return rc == PT_ENOMEM ? pt_error_set(err, rc, "", "out of memory") : rc;
}

/* The drivers attribution points at: the files that hold a tag in walk
 * order, then the ones only a hint names.  driver_of[i] is the index of
 * scan->files[i], or SIZE_MAX. */
static pt_code list_drivers(pt_arena *arena, const pt_scan_result *scan, const uint8_t *marks,
                            const pt_driver **facts, size_t *driver_of, pt_owners *out)
{
    size_t n = scan->file_count;
    out->drivers = pt_arena_alloc(arena, (n + 1) * sizeof *out->drivers);
    if (out->drivers == NULL)
        return PT_ENOMEM;
    for (size_t i = 0; i < n; i++)
        driver_of[i] = SIZE_MAX;
    for (int pass = PT_ATTR_HOLDS; pass <= PT_ATTR_HINTED; pass++)
        for (size_t i = 0; i < n; i++) {
            if (marks[i] != pass || facts[i] == NULL)
                continue;
            const pt_scan_file *f = &scan->files[i];
            pt_driver *d = &out->drivers[out->driver_count];
            *d = *facts[i];
            d->path = f->path;
            d->name = f->name;
            d->size = f->size;
            driver_of[i] = out->driver_count++;
        }
    return PT_OK;
}

pt_code pt_find_owners(pt_arena *arena, const char *const *dirs, size_t dir_count,
                       const pt_suspect *suspects, size_t suspect_count, const pt_tagset *set,
                       const pt_scan_opts *opts, const pt_catalog_index *cats,
                       pt_owners *out, pt_error *err)
{
    static const pt_scan_opts defaults = {0};
    opts = opts ? opts : &defaults;
    memset(out, 0, sizeof *out);
    pt_scan_result scan;
    pt_code rc = pt_scan_files(arena, dirs, dir_count, set, opts, &scan, err);
    if (rc != PT_OK)
        return rc;
    size_t n = scan.file_count;
    uint8_t *marks = pt_malloc(n + 1);
    const pt_driver **facts = pt_malloc((n + 1) * sizeof *facts);
    size_t *driver_of = pt_malloc((n + 1) * sizeof *driver_of);
    rc = marks && facts && driver_of ? PT_OK : PT_ENOMEM;
    if (rc == PT_OK)
        pt_attribute_select(suspects, suspect_count, set, &scan, opts->pooltag, marks);
    if (rc == PT_OK)
        rc = describe_needed(arena, &scan, marks, opts, cats, facts, &scan.stats.described, err);
    if (rc == PT_OK)
        pt_scan_cache_store(opts->cache, &scan, facts);
    if (rc == PT_OK)
        rc = list_drivers(arena, &scan, marks, facts, driver_of, out);
    pt_attribute_input in = {suspects, suspect_count, set, &scan, out->drivers,
                             out->driver_count, driver_of, opts->pooltag};
    if (rc == PT_OK)
        rc = pt_attribute(arena, &in, &out->attributions, &out->attribution_count, err);
    pt_free(marks);
    pt_free(facts);
    pt_free(driver_of);
    out->scan = scan;
    return rc == PT_ENOMEM ? pt_error_set(err, rc, "", "out of memory") : rc;
}

pt_code pt_scan(pt_arena *arena, const char *const *dirs, size_t dir_count,
                const char (*tags)[5], size_t tag_count, const pt_scan_opts *opts,
                pt_scan_report *out, pt_error *err)
{
    memset(out, 0, sizeof *out);
    if (tag_count > PT_MAX_TAGS)
        return pt_error_set(err, PT_ELIMIT, "", "more than %u tags; split the list",
                            PT_MAX_TAGS);
    pt_tagset *set = pt_tagset_new(tags, tag_count);
    size_t n = set ? pt_tagset_count(set) : 0;
    pt_suspect *sus = set ? pt_calloc(n + 1, sizeof *sus) : NULL;
    pt_code rc = sus ? PT_OK : pt_error_set(err, PT_ENOMEM, "", "out of memory");
    for (size_t i = 0; rc == PT_OK && i < n; i++)
        memcpy(sus[i].tag, pt_tagset_tag(set, i), 5);
    pt_owners own;
    if (rc == PT_OK)
        rc = pt_find_owners(arena, dirs, dir_count, sus, n, set, opts, NULL, &own, err);
    pt_free(sus);
    pt_tagset_free(set);
    if (rc != PT_OK)
        return rc;
    out->drivers = own.drivers;
    out->driver_count = own.driver_count;
    out->attributions = own.attributions;
    out->attribution_count = own.attribution_count;
    out->errors = own.scan.errors;
    out->error_count = own.scan.error_count;
    out->stats = own.scan.stats;
    return PT_OK;
}

/* ---- the triage ---- */

/* The distinct tags of the suspects, for one scan pass. */
static pt_tagset *suspect_tags(const pt_verdict *v)
{
    char (*tags)[5] = pt_calloc(v->suspect_count + 1, sizeof *tags);
    if (tags == NULL)
        return NULL;
    for (size_t i = 0; i < v->suspect_count; i++)
        memcpy(tags[i], v->suspects[i].tag, 5);
    pt_tagset *set = pt_tagset_new((const char (*)[5])tags, v->suspect_count);
    pt_free(tags);
    return set;
}

static pt_code judge(pt_arena *arena, const pt_triage_opts *opts, pt_verdict *v,
                     pt_error *err)
{
    pt_kb *kb = NULL;
    pt_code rc = pt_kb_open(opts->kb_path, &kb, err);
    if (rc != PT_OK)
        return rc;
    v->kb_version = pt_arena_strdup(arena, pt_kb_version(kb));
    pt_rule_source *rules;
    size_t rule_count;
    rc = opts->rules_dir ? pt_rules_from_dir(arena, opts->rules_dir, &rules, &rule_count, err)
                         : pt_rules_from_kb(arena, kb, &rules, &rule_count, err);
    if (rc == PT_OK && opts->rules_dir && rule_count == 0)
        rc = pt_error_set(err, PT_ERULE, opts->rules_dir, "no rule file (*.lua) in the --rules "
                          "folder");
    if (rc == PT_OK)
        rc = pt_rules_run(arena, kb, rules, rule_count, v, err);
    pt_kb_close(kb);
    return rc;
}

/* Every *.sys the walk saw, by name: the KMDF default-tag rule needs the
 * drivers that hold no tag as bytes. */
static pt_code list_sys_files(pt_arena *arena, const pt_owners *own, pt_verdict *v)
{
    const pt_scan_result *scan = &own->scan;
    v->driver_files = pt_arena_alloc(arena, (scan->file_count + 1) * sizeof *v->driver_files);
    if (v->driver_files == NULL)
        return PT_ENOMEM;
    for (size_t i = 0; i < scan->file_count; i++)
        if (pt_ends_with_ci(scan->files[i].name, ".sys")) {
            pt_file_ref r = {scan->files[i].name, scan->files[i].path};
            v->driver_files[v->driver_file_count++] = r;
        }
    return PT_OK;
}

/* The catalogs of the first Windows tree that has any, else of the first
 * case archive that carries any: drivers with no embedded signature may be
 * signed by one. */
static pt_code open_catalogs(const pt_verdict *v, pt_catalog_index **out, pt_error *err)
{
    pt_code rc = PT_OK;
    *out = NULL;
    size_t n = v->root_count + v->searched_count;
    for (size_t i = 0; i < n && *out == NULL && rc == PT_OK; i++) {
        if (i < v->root_count) {
            rc = pt_catalog_open(v->roots[i], out, err);
        } else {
            const char *s = v->searched[i - v->root_count];
            if (!pt_archive_name(s) || !pt_platform_is_file(s))
                continue;
            rc = pt_catalog_open_archive(s, out, err);
        }
        if (rc == PT_OK && pt_catalog_file_count(*out) == 0) {
            pt_catalog_close(*out);
            *out = NULL;
        }
    }
    return rc;
}

/* A driver (.sys) that holds a suspect tag but is not a well-formed PE:
 * the facts behind the bad parts (version, signer) are missing from the
 * verdict, so it is a warning and an `errors` entry (exit 3 with --strict). */
static pt_code malformed_drivers(pt_arena *arena, pt_verdict *v, pt_error *err)
{
    static const char *const parts[] = {"not a PE image", "truncated", "bad section table",
                                        "bad import directory", "bad resource tree",
                                        "bad version resource", "bad security directory",
                                        "a parse limit was hit"};
    pt_code rc = PT_OK;
    for (size_t i = 0; rc == PT_OK && i < v->driver_count; i++) {
        const pt_driver *d = &v->drivers[i];
        unsigned flags = d->pe_read ? d->pe.flags : PT_PE_NOT_PE;
        if (d->name == NULL || !pt_ends_with_ci(d->name, ".sys") || flags == 0 ||
            (!d->pe_read && d->error == NULL)) /* not described */
            continue;
        char what[200] = "";
        for (size_t b = 0; b < sizeof parts / sizeof parts[0]; b++)
            if (flags & (1u << b))
                snprintf(what + strlen(what), sizeof what - strlen(what), "%s%s",
                         what[0] ? ", " : "", parts[b]);
        const char *msg = !d->pe_read && d->error && strcmp(d->error, "not a PE file") != 0
                              ? pt_arena_printf(arena, "cannot read the driver: %s", d->error)
                              : pt_arena_printf(arena, "malformed driver (%s): its version "
                                                "or signer may be missing from the verdict",
                                                what);
        pt_input_error e = {d->path, "", msg};
        rc = msg ? pt_input_errors_append(arena, v, &e, 1, err)
                 : pt_error_set(err, PT_ENOMEM, "", "out of memory");
    }
    return rc;
}

/* scan -> describe -> attribute: one pass over the driver folders for
 * every suspect tag (through the scan cache), the files that matter
 * described, then ranked evidence per tag, with pooltag.txt hints. */
static pt_code find_owners(pt_arena *arena, const pt_triage_opts *opts, pt_verdict *v,
                           pt_error *err)
{
    pt_pooltag_map *map = NULL;
    pt_scan_cache *cache = NULL;
    pt_catalog_index *cats = NULL;
    pt_tagset *set = suspect_tags(v);
    pt_code rc = set ? PT_OK : pt_error_set(err, PT_ENOMEM, "", "out of memory");
    if (rc == PT_OK && opts->pooltag) {
        map = pt_pooltag_new();
        rc = map ? pt_pooltag_load(map, opts->pooltag, PT_TAGMAP_AUTO, err)
                 : pt_error_set(err, PT_ENOMEM, "", "out of memory");
    }
    if (rc == PT_OK)
        rc = open_catalogs(v, &cats, err);
    for (size_t i = 0; rc == PT_OK && i < pt_catalog_problem_count(cats); i++) {
        pt_input_error e = {"catalogs", NULL, NULL};
        pt_catalog_problem(cats, i, &e.where, &e.message);
        e.where = pt_arena_strdup(arena, e.where);
        e.message = pt_arena_strdup(arena, e.message);
        rc = e.where && e.message ? pt_input_errors_append(arena, v, &e, 1, err)
                                  : pt_error_set(err, PT_ENOMEM, "", "out of memory");
    }
    if (rc == PT_OK && !opts->no_cache) {
        pt_error cerr = {0};
        pt_scan_cache_open(opts->cache_path, &cache, &cerr); /* no cache: read everything */
    }
    pt_scan_opts so = {0};
    so.cache = cache;
    so.progress = opts->progress;
    so.progress_ctx = opts->progress_ctx;
    so.pooltag = map;
    pt_owners own;
    if (rc == PT_OK)
        rc = pt_find_owners(arena, v->searched, v->searched_count, v->suspects,
                            v->suspect_count, set, &so, cats, &own, err);
    if (rc == PT_OK) {
        v->drivers = own.drivers;
        v->driver_count = own.driver_count;
        v->attributions = own.attributions;
        v->attribution_count = own.attribution_count;
        rc = list_sys_files(arena, &own, v) == PT_OK
                 ? pt_input_errors_append(arena, v, own.scan.errors, own.scan.error_count, err)
                 : pt_error_set(err, PT_ENOMEM, "", "out of memory");
        if (rc == PT_OK)
            rc = malformed_drivers(arena, v, err);
    }
    pt_catalog_close(cats);
    pt_scan_cache_close(cache);
    pt_pooltag_free(map);
    pt_tagset_free(set);
    return rc;
}

/* A capture whose tag rows add up to more than its header's pool total
 * gets a warning: its shares are then taken against the rows' sum. */
static pt_code check_totals(pt_arena *arena, pt_verdict *v, pt_error *err)
{
    for (size_t i = 0; i < v->snapshot_count; i++) {
        const pt_snapshot *s = &v->snapshots[i];
        if (s->row_count == 0) { /* a screen cut after its header: no verdict rests on it */
            pt_input_error e = {s->source, "", "the capture lists no pool tag (cut off after "
                                "its header?): take it again"};
            pt_code rc = pt_input_errors_append(arena, v, &e, 1, err);
            if (rc != PT_OK)
                return rc;
        }
        for (int p = PT_POOL_NONPAGED; p <= PT_POOL_PAGED; p++) {
            bool oom = false;
            const char *m = pt_snapshot_over_total(arena, s, (pt_pool_type)p, &oom);
            if (oom)
                return pt_error_set(err, PT_ENOMEM, "", "out of memory");
            if (m == NULL)
                continue;
            pt_input_error e = {s->source, "", m};
            pt_code rc = pt_input_errors_append(arena, v, &e, 1, err);
            if (rc != PT_OK)
                return rc;
        }
    }
    return PT_OK;
}

/* describe, the host: --os, else the OS version of the first Windows
 * tree's kernel, else of the first case archive's. */
static pt_code describe_host(pt_arena *arena, const pt_triage_opts *opts, pt_verdict *v,
                             pt_error *err)
{
    pt_code rc = PT_OK;
    if (opts->os)
        rc = pt_host_set_os(arena, &v->host, opts->os,
                            opts->os_source ? opts->os_source : "--os", err);
    for (size_t i = 0; rc == PT_OK && i < v->root_count && v->host.os_source == NULL; i++)
        rc = pt_host_from_root(arena, &v->host, v->roots[i], err);
    for (size_t i = 0; rc == PT_OK && i < v->searched_count && v->host.os_source == NULL; i++)
        if (pt_archive_name(v->searched[i]) && pt_platform_is_file(v->searched[i]))
            rc = pt_host_from_archive(arena, &v->host, v->searched[i], err);
    return rc;
}

pt_code pt_triage(pt_arena *arena, const pt_triage_opts *opts, pt_verdict *out,
                  pt_error *err)
{
    memset(out, 0, sizeof *out);
    out->tool_version = PT_VERSION;
    out->host.os_build = PT_UNKNOWN;
    pt_code rc = pt_collect(arena, opts, out, err);
    if (rc == PT_OK)
        rc = check_totals(arena, out, err);
    if (rc == PT_OK)
        rc = describe_host(arena, opts, out, err);
    if (rc == PT_OK)
        rc = pt_rank(arena, out->snapshots, out->snapshot_count, NULL, &out->suspects,
                     &out->suspect_count, err);
    if (rc == PT_OK)
        rc = find_owners(arena, opts, out, err);
    if (rc == PT_OK)
        rc = judge(arena, opts, out, err);
    if (rc == PT_OK)
        pt_findings_finish(arena, out);
    return rc;
}
