/*
 * triage.c - the whole pipeline, and nothing else: collect, rank, scan,
 * attribute, judge.  Reading pt_triage() shows the program.
 */
#include "pt_internal.h"

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

pt_code pt_triage(pt_arena *arena, const pt_triage_opts *opts, pt_verdict *out,
                  pt_error *err)
{
    memset(out, 0, sizeof *out);
    out->tool_version = PT_VERSION;
    out->host.os_build = PT_UNKNOWN;
    pt_code rc = pt_collect(arena, opts, out, err);
    if (rc != PT_OK)
        return rc;
    rc = pt_rank(arena, out->snapshots, out->snapshot_count, NULL, &out->suspects,
                 &out->suspect_count, err);
    if (rc != PT_OK)
        return rc;
    pt_tagset *set = suspect_tags(out);
    if (set == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    pt_scan_result scan;
    rc = pt_scan_drivers(arena, out->searched, out->searched_count, set, &scan, err);
    if (rc == PT_OK)
        rc = pt_attribute(arena, out->suspects, out->suspect_count, set, &scan,
                          &out->attributions, &out->attribution_count, err);
    pt_tagset_free(set);
    if (rc != PT_OK)
        return rc;
    out->drivers = scan.drivers;
    out->driver_count = scan.driver_count;
    rc = pt_input_errors_append(arena, out, scan.errors, scan.error_count, err);
    if (rc != PT_OK)
        return rc;
    return judge(arena, opts, out, err);
}
