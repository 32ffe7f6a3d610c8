/*
 * triage.c - the whole pipeline, and nothing else: collect, rank, scan,
 * attribute, judge.  Reading pt_triage() shows the program.
 */
#include "pooltriage/pooltriage.h"
#include "scan_int.h"
#include "pooltriage/limits.h"

#include <string.h>

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
    if (rc == PT_OK)
        rc = pt_rules_run(arena, kb, rules, rule_count, v, err);
    pt_kb_close(kb);
    return rc;
}

/* Every *.sys the walk saw, by name: the KMDF default-tag rule needs the
 * drivers that hold no tag as bytes. */
static pt_code list_sys_files(pt_arena *arena, const pt_scan_result *scan, pt_verdict *v)
{
    v->driver_files = pt_arena_alloc(arena, (scan->name_count + 1) * sizeof *v->driver_files);
    if (v->driver_files == NULL)
        return PT_ENOMEM;
    for (size_t i = 0; i < scan->name_count; i++)
        if (pt_ends_with_ci(scan->names[i], ".sys")) {
            pt_file_ref r = {scan->names[i], scan->paths[i]};
            v->driver_files[v->driver_file_count++] = r;
        }
    return PT_OK;
}

/* Drivers with no embedded signature may be catalog-signed: look their
 * Authenticode hashes up in the .cat files of the Windows trees. */
static pt_code resolve_catalogs(pt_arena *arena, pt_verdict *v, pt_error *err)
{
    pt_catalog_index *idx = NULL;
    pt_code rc = PT_OK;
    for (size_t r = 0; r < v->root_count && idx == NULL && rc == PT_OK; r++) {
        rc = pt_catalog_open(v->roots[r], &idx, err);
        if (rc == PT_OK && pt_catalog_file_count(idx) == 0) {
            pt_catalog_close(idx);
            idx = NULL;
        }
    }
    for (size_t i = 0; rc == PT_OK && idx && i < v->driver_count; i++) {
        pt_driver *d = &v->drivers[i];
        if (d->signer == NULL || strcmp(d->signer->status, "unsigned") != 0)
            continue;
        pt_arena *tmp = pt_arena_new();
        uint8_t *data;
        size_t len;
        pt_error ferr = {0};
        if (tmp && pt_file_read(tmp, d->path, PT_MAX_PE_BYTES, &data, &len, &ferr) == PT_OK)
            rc = pt_catalog_resolve(arena, idx, data, len, &d->pe, (pt_signer *)d->signer);
        pt_arena_free(tmp);
    }
    pt_catalog_close(idx);
    return rc == PT_ENOMEM ? pt_error_set(err, rc, "", "out of memory") : rc;
}

/* scan and attribute: one pass over the driver folders for every suspect
 * tag (through the scan cache), then ranked evidence per tag, with
 * pooltag.txt hints when given. */
static pt_code scan_and_attribute(pt_arena *arena, const pt_triage_opts *opts,
                                  pt_verdict *v, pt_error *err)
{
    pt_pooltag_map *map = NULL;
    pt_scan_cache *cache = NULL;
    pt_tagset *set = suspect_tags(v);
    pt_code rc = set ? PT_OK : pt_error_set(err, PT_ENOMEM, "", "out of memory");
    if (rc == PT_OK && opts->pooltag) {
        map = pt_pooltag_new();
        rc = map ? pt_pooltag_load(map, opts->pooltag, PT_TAGMAP_AUTO, err)
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
    pt_scan_result scan;
    if (rc == PT_OK)
        rc = pt_scan_drivers_opts(arena, v->searched, v->searched_count, set, &so, &scan, err);
    if (rc == PT_OK) {
        scan.pooltag = map;
        rc = pt_attribute(arena, v->suspects, v->suspect_count, set, &scan, &v->attributions,
                          &v->attribution_count, err);
    }
    if (rc == PT_OK) {
        v->drivers = scan.drivers;
        v->driver_count = scan.driver_count;
        rc = list_sys_files(arena, &scan, v) == PT_OK
                 ? pt_input_errors_append(arena, v, scan.errors, scan.error_count, err)
                 : pt_error_set(err, PT_ENOMEM, "", "out of memory");
    }
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
        for (int p = PT_POOL_NONPAGED; p <= PT_POOL_PAGED; p++) {
            uint64_t total = 0, sum = pt_snapshot_rows_bytes(s, (pt_pool_type)p);
            if (!pt_snapshot_pool_total(s, (pt_pool_type)p, &total) || sum <= total)
                continue;
            pt_input_error e = {s->source, "",
                                pt_arena_printf(arena, "the %s tag rows add up to %llu bytes, "
                                                "more than the header's total of %llu bytes; "
                                                "shares are taken against the rows' sum",
                                                p == PT_POOL_PAGED ? "paged" : "non-paged",
                                                (unsigned long long)sum,
                                                (unsigned long long)total)};
            if (e.message == NULL)
                return pt_error_set(err, PT_ENOMEM, "", "out of memory");
            pt_code rc = pt_input_errors_append(arena, v, &e, 1, err);
            if (rc != PT_OK)
                return rc;
        }
    }
    return PT_OK;
}

/* describe, the host: --os, else the OS version of the first Windows
 * tree's kernel. */
static pt_code describe_host(pt_arena *arena, const pt_triage_opts *opts, pt_verdict *v,
                             pt_error *err)
{
    pt_code rc = PT_OK;
    if (opts->os)
        rc = pt_host_set_os(arena, &v->host, opts->os, "--os", err);
    for (size_t i = 0; rc == PT_OK && i < v->root_count && v->host.os_source == NULL; i++)
        rc = pt_host_from_root(arena, &v->host, v->roots[i], err);
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
        rc = scan_and_attribute(arena, opts, out, err);
    if (rc == PT_OK)
        rc = resolve_catalogs(arena, out, err);
    if (rc == PT_OK)
        rc = judge(arena, opts, out, err);
    if (rc == PT_OK)
        pt_findings_finish(arena, out);
    return rc;
}
