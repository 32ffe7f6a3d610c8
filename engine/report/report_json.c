/*
 * report_json.c - the report stage for machines: the verdict as one line of
 * JSON in the pooltriage.verdict/2 schema (docs/verdict-schema.md).  Fields
 * that do not apply are null, never omitted.
 */
#include "pooltriage/pooltriage.h"
#include "pt_json.h"
#include "pt_report.h"

#include <cJSON.h>
#include <string.h>

void pt_json_add_windows_trust(struct cJSON *o, const pt_signer *s)
{
    if (s->windows_verdict == NULL) {
        cJSON_AddNullToObject(o, "windows");
        return;
    }
    cJSON *w = cJSON_AddObjectToObject(o, "windows");
    cJSON_AddItemToObject(w, "verdict", pt_json_str(s->windows_verdict));
    cJSON_AddItemToObject(w, "detail", pt_json_str(s->windows_detail));
    cJSON_AddItemToObject(w, "catalog", pt_json_str(s->windows_catalog));
}

static void add_str(cJSON *o, const char *key, const char *s)
{
    cJSON_AddItemToObject(o, key, pt_json_str(s));
}

static void add_int(cJSON *o, const char *key, int64_t v, bool known)
{
    cJSON_AddItemToObject(o, key, known ? pt_json_int(v) : cJSON_CreateNull());
}

static cJSON *host_json(const pt_host *h)
{
    cJSON *host = cJSON_CreateObject();
    add_str(host, "name", h->name);
    cJSON *os = cJSON_AddObjectToObject(host, "os");
    add_str(os, "version", h->os_version);
    add_int(os, "build", h->os_build, h->os_build != PT_UNKNOWN);
    cJSON *names = cJSON_AddArrayToObject(os, "names");
    for (size_t i = 0; i < h->os_name_count; i++)
        cJSON_AddItemToArray(names, pt_json_str(h->os_names[i]));
    add_str(os, "source", h->os_source);
    return host;
}

static cJSON *captures_json(const pt_verdict *v)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < v->snapshot_count; i++) {
        const pt_snapshot *s = &v->snapshots[i];
        cJSON *c = cJSON_CreateObject();
        pt_json_add_path(c, "source", s->source);
        add_str(c, "format", pt_capture_format_name(s->format));
        char t[40];
        if (s->time != PT_UNKNOWN)
            pt_time_format(s->time, t, sizeof t);
        add_str(c, "time", s->time != PT_UNKNOWN ? t : NULL);
        add_str(c, "time_source", pt_time_source_name(s->time_source));
        uint64_t np = 0, pg = 0;
        bool has_np = pt_snapshot_pool_total(s, PT_POOL_NONPAGED, &np);
        bool has_pg = pt_snapshot_pool_total(s, PT_POOL_PAGED, &pg);
        add_int(c, "nonpaged_bytes", (int64_t)np, has_np && np <= INT64_MAX);
        add_int(c, "paged_bytes", (int64_t)pg, has_pg && pg <= INT64_MAX);
        cJSON_AddItemToArray(arr, c);
    }
    return arr;
}

static cJSON *suspects_json(const pt_verdict *v)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < v->suspect_count; i++) {
        const pt_suspect *s = &v->suspects[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "tag", s->tag);
        add_str(o, "pool", pt_pool_type_name(s->pool));
        add_int(o, "bytes", (int64_t)s->bytes, true);
        cJSON_AddNumberToObject(o, "share", (double)(int64_t)(s->share * 10000 + 0.5) / 10000);
        cJSON_AddItemToObject(o, "growth_bytes_per_hour",
                              s->has_growth ? cJSON_CreateNumber(s->growth_bytes_per_hour)
                                            : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "steady", s->has_growth ? cJSON_CreateBool(s->steady)
                                                         : cJSON_CreateNull());
        add_int(o, "delta_bytes", s->delta_bytes, s->has_growth);
        add_int(o, "outstanding_delta", s->outstanding_delta, s->has_growth);
        cJSON_AddBoolToObject(o, "generic", s->generic);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *evidence_json(const pt_candidate *c)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; c && i < c->evidence_count; i++) {
        const pt_evidence *e = &c->evidence[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "kind", pt_evidence_kind_name(e->kind));
        add_int(o, "offset", (int64_t)e->offset, e->kind != PT_EV_HINT);
        add_str(o, "section", e->section);
        add_str(o, "detail", e->detail);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *driver_json(pt_arena *arena, const pt_driver *d, const pt_candidate *c)
{
    if (d == NULL)
        return cJSON_CreateNull();
    const pt_pe_info *pe = d->pe_read ? &d->pe : NULL;
    cJSON *o = cJSON_CreateObject();
    add_str(o, "name", d->name);
    pt_json_add_path(o, "path", d->path);
    add_str(o, "file_version", pe ? pt_pe_file_version(pe) : NULL);
    add_str(o, "file_version_numeric", pt_driver_numeric_version(arena, d));
    add_str(o, "product_version", pe ? pt_pe_product_version(pe) : NULL);
    add_str(o, "company", pe ? pt_pe_company(pe) : NULL);
    add_str(o, "product", pe ? pt_pe_product_name(pe) : NULL);
    add_str(o, "description", pe ? pt_pe_description(pe) : NULL);
    add_str(o, "sha256", d->sha256[0] ? d->sha256 : NULL);
    if (d->signer) {
        cJSON *s = cJSON_AddObjectToObject(o, "signer");
        add_str(s, "status", pt_sig_status_name(d->signer->status));
        add_str(s, "subject", d->signer->subject);
        add_str(s, "issuer", d->signer->issuer);
        add_str(s, "signing_time", d->signer->signing_time);
        add_str(s, "digest_algorithm", d->signer->digest_algorithm);
        add_str(s, "thumbprint", d->signer->thumbprint);
        add_str(s, "reason", d->signer->reason);
        add_str(s, "catalog", d->signer->catalog);
        add_str(s, "trust", d->signer->trust);
        add_str(s, "root", d->signer->trust_root);
        pt_json_add_windows_trust(s, d->signer);
    } else {
        cJSON_AddNullToObject(o, "signer");
    }
    cJSON_AddItemToObject(o, "confidence", c ? cJSON_CreateNumber(c->confidence)
                                             : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "evidence", evidence_json(c));
    return o;
}

static cJSON *kb_json(const pt_kb_entry *e)
{
    if (e == NULL)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", e->id);
    add_str(o, "title", e->title);
    add_str(o, "fixed_in", e->fixed_in);
    cJSON *refs = cJSON_AddArrayToObject(o, "references");
    for (size_t i = 0; i < e->ref_count; i++) {
        cJSON *r = cJSON_CreateObject();
        add_str(r, "kind", e->refs[i].kind);
        add_str(r, "title", e->refs[i].title);
        add_str(r, "url", e->refs[i].url);
        add_str(r, "archived_url", e->refs[i].archived_url);
        cJSON_AddItemToArray(refs, r);
    }
    return o;
}

/* What verdict/2 adds to a finding: the problem kind, every rule's reason,
 * growth, the limit and the time until it (docs/verdict-schema.md). */
static void add_verdict2(cJSON *o, pt_arena *arena, const pt_finding *f)
{
    add_str(o, "kind", f->kind ? f->kind : "leak");
    cJSON_AddItemToObject(o, "share", f->share > 0 ? cJSON_CreateNumber(
                              (double)(int64_t)(f->share * 10000 + 0.5) / 10000)
                                                   : cJSON_CreateNull());
    add_str(o, "range_id", f->range_id);
    cJSON_AddBoolToObject(o, "kb_outside_range", f->kb_outside_range);
    cJSON *rs = cJSON_AddArrayToObject(o, "reasons");
    for (size_t i = 0; i < f->reason_count; i++) {
        cJSON *r = cJSON_CreateObject();
        add_str(r, "rule", f->reasons[i].rule);
        add_str(r, "level", pt_level_name(f->reasons[i].level));
        add_str(r, "title", f->reasons[i].title);
        add_str(r, "explanation", f->reasons[i].explanation);
        cJSON_AddItemToArray(rs, r);
    }
    if (f->has_growth) {
        cJSON *g = cJSON_AddObjectToObject(o, "growth");
        cJSON_AddNumberToObject(g, "bytes_per_hour", (double)(int64_t)f->growth_bytes_per_hour);
        cJSON_AddBoolToObject(g, "steady", f->steady);
        add_int(g, "delta_bytes", f->delta_bytes, true);
        add_int(g, "captures", (int64_t)f->capture_count, true);
        cJSON_AddNumberToObject(g, "hours", (double)(int64_t)(f->series_hours * 100 + 0.5) / 100);
    } else {
        cJSON_AddNullToObject(o, "growth");
    }
    /* why there is no growth, in the text report's words: one capture
     * (and how to take a series), or captures whose order is not known */
    add_str(o, "growth_note", f->has_growth ? NULL : pt_report_growth_phrase(arena, f));
    cJSON_AddItemToObject(o, "time_to_limit_hours",
                          f->time_to_limit_hours >= 0
                              ? cJSON_CreateNumber((double)(int64_t)(f->time_to_limit_hours * 10 + 0.5) / 10)
                              : cJSON_CreateNull());
    if (f->limit_source != PT_LIMIT_NONE) {
        cJSON *l = cJSON_AddObjectToObject(o, "limit");
        add_int(l, "bytes", (int64_t)f->limit_bytes, true);
        add_str(l, "source", pt_limit_source_name(f->limit_source));
        add_int(l, "used_bytes", (int64_t)f->limit_used_bytes, true);
    } else {
        cJSON_AddNullToObject(o, "limit");
    }
}

static cJSON *findings_json(pt_arena *arena, const pt_verdict *v)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < v->finding_count; i++) {
        const pt_finding *f = &v->findings[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "rule", f->rule);
        add_str(o, "level", pt_level_name(f->level));
        add_str(o, "title", f->title);
        add_str(o, "explanation", f->explanation);
        add_str(o, "tag", f->tag[0] ? f->tag : NULL);
        cJSON *tags = cJSON_AddArrayToObject(o, "tags");
        for (size_t t = 0; t < f->tag_count; t++)
            cJSON_AddItemToArray(tags, pt_json_str(f->tags[t]));
        add_str(o, "pool", f->has_pool ? pt_pool_type_name(f->pool) : NULL);
        add_int(o, "bytes", (int64_t)f->bytes, f->bytes > 0);
        cJSON_AddItemToObject(o, "driver", driver_json(arena, f->driver, f->candidate));
        cJSON_AddItemToObject(o, "kb", kb_json(f->kb));
        add_str(o, "action", f->action);
        add_str(o, "fingerprint", f->fingerprint);
        add_verdict2(o, arena, f);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *errors_json(const pt_verdict *v)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < v->error_count; i++) {
        cJSON *o = cJSON_CreateObject();
        pt_json_add_path(o, "source", v->errors[i].source);
        add_str(o, "where", v->errors[i].where);
        add_str(o, "message", v->errors[i].message);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *rule_errors_json(const pt_verdict *v)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < v->rule_error_count; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str(o, "rule", v->rule_errors[i].rule);
        add_str(o, "where", v->rule_errors[i].where);
        add_str(o, "message", v->rule_errors[i].message);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

void pt_report_json(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out)
{
    static bool hooked;
    if (!hooked) {
        cJSON_Hooks hooks = {pt_malloc, pt_free};
        cJSON_InitHooks(&hooks);
        hooked = true;
    }
    pt_arena *arena = pt_arena_new();
    cJSON *root = cJSON_CreateObject();
    if (arena == NULL || root == NULL) {
        out->failed = true;
        goto done;
    }
    add_str(root, "schema", PT_VERDICT_SCHEMA);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    add_str(tool, "version", v->tool_version);
    add_str(tool, "kb_version", v->kb_version);
    cJSON_AddItemToObject(root, "host", host_json(&v->host));
    cJSON_AddItemToObject(root, "captures", captures_json(v));
    add_str(root, "verdict", pt_level_name(v->level));
    cJSON_AddItemToObject(root, "suspects", suspects_json(v));
    cJSON_AddItemToObject(root, "findings", findings_json(arena, v));
    cJSON_AddItemToObject(root, "rule_errors", rule_errors_json(v));
    cJSON_AddItemToObject(root, "errors", errors_json(v));
    pt_json_finish(out, root, opts && opts->pretty);
done:
    cJSON_Delete(root);
    pt_arena_free(arena);
}
