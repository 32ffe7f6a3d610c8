/*
 * findings.c - the judge stage's findings: each one a rule returned is
 * checked here, in the parent, and only here (pt_finding_check).  Then one
 * problem is one finding.
 * Findings of several rules about the same tag and driver fold into one
 * that keeps each rule as a reason; the fingerprint names the problem kind,
 * never the rule.  Then each finding gets the bytes of the suspects table,
 * its growth and the time until its pool's limit.
 */
#include "judge_int.h"
#include "pt_json.h"

#include <cJSON.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pt_limit_source_name(pt_limit_source src)
{
    switch (src) {
    case PT_LIMIT_VM_NONPAGED_MAX: return "!vm NonPagedPool Max";
    case PT_LIMIT_AVAILABLE: return "available memory";
    case PT_LIMIT_COMMIT: return "commit limit";
    default: return NULL;
    }
}

const char *pt_finding_kind_of_rule(const char *rule)
{
    return rule && strcmp(rule, "unsigned-driver") == 0 ? "signature" : "leak";
}

/* ---- fingerprint ---- */

void pt_fingerprint(const char *kind, const char *kb_id, const char *tag,
                    const char *driver_name, const char *range_or_version, char out[65])
{
    pt_buf b = {0};
    pt_buf_printf(&b, "%s|%s|", kind ? kind : "", kb_id ? kb_id : (tag ? tag : ""));
    for (const char *p = driver_name ? driver_name : ""; *p; p++) {
        char c = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
        pt_buf_append(&b, &c, 1);
    }
    pt_buf_printf(&b, "|%s", range_or_version ? range_or_version : "");
    pt_sha256_hex(b.data ? b.data : "", b.len, out);
    pt_buf_free(&b);
}

void pt_finding_fingerprint(pt_arena *arena, pt_finding *f)
{
    const char *range = f->range_id;
    if (range == NULL && f->driver)
        range = pt_driver_numeric_version(arena, f->driver);
    pt_fingerprint(f->kind ? f->kind : pt_finding_kind_of_rule(f->rule),
                   f->kb ? f->kb->id : NULL, f->tag, f->driver ? f->driver->name : NULL,
                   range, f->fingerprint);
}

/* ---- folding ---- */

/* Does finding f name tag t, as its tag or among its tags? */
static bool names_tag(const pt_finding *f, const char *t)
{
    if (t[0] == '\0')
        return false;
    if (strcmp(f->tag, t) == 0)
        return true;
    for (size_t i = 0; i < f->tag_count; i++)
        if (strcmp(f->tags[i], t) == 0)
            return true;
    return false;
}

/* Two findings are one problem when they share a tag and the driver (or
 * one of them names none). */
static bool same_problem(const pt_finding *f, const pt_finding *g)
{
    if (f->driver && g->driver && f->driver != g->driver)
        return false;
    if (names_tag(g, f->tag) || names_tag(f, g->tag))
        return true;
    for (size_t i = 0; i < f->tag_count; i++)
        if (names_tag(g, f->tags[i]))
            return true;
    return false;
}

/* keep gets the tags of other that it lacks. */
static void merge_tags(pt_arena *a, pt_finding *keep, const pt_finding *other)
{
    size_t room = keep->tag_count + other->tag_count + 1;
    const char **tags = pt_arena_alloc(a, (room + 1) * sizeof *tags);
    if (tags == NULL)
        return; /* the finding keeps its own tags */
    size_t n = 0;
    for (size_t i = 0; i < keep->tag_count; i++)
        tags[n++] = keep->tags[i];
    if (n == 0 && keep->tag[0])
        tags[n++] = keep->tag;
    const char *more[PT_MAX_FINDING_TAGS + 1];
    size_t m = 0;
    if (other->tag[0])
        more[m++] = other->tag;
    for (size_t i = 0; i < other->tag_count && m < PT_MAX_FINDING_TAGS; i++)
        more[m++] = other->tags[i];
    for (size_t i = 0; i < m; i++) {
        bool have = false;
        for (size_t k = 0; k < n && !have; k++)
            have = strcmp(tags[k], more[i]) == 0;
        if (!have && n < room)
            tags[n++] = more[i];
    }
    keep->tags = tags;
    keep->tag_count = n;
}

/* A finding straight from a rule has itself as its one reason. */
static void own_reason(pt_arena *a, pt_finding *f)
{
    if (f->kind == NULL)
        f->kind = pt_finding_kind_of_rule(f->rule);
    if (f->reason_count)
        return;
    f->reasons = pt_arena_alloc(a, sizeof *f->reasons);
    if (f->reasons == NULL)
        return;
    pt_reason r = {f->rule, f->level, f->title, f->explanation};
    f->reasons[0] = r;
    f->reason_count = 1;
}

static int by_reason_level(const void *x, const void *y)
{
    const pt_reason *a = x, *b = y;
    if (a->level != b->level)
        return (int)b->level - (int)a->level;
    return strcmp(a->rule ? a->rule : "", b->rule ? b->rule : "");
}

/* keep gets other's reasons, strongest first, one per rule and sentence. */
static void merge_reasons(pt_arena *a, pt_finding *keep, const pt_finding *other)
{
    size_t n = keep->reason_count + other->reason_count;
    pt_reason *rs = pt_arena_alloc(a, (n + 1) * sizeof *rs);
    if (rs == NULL)
        return;
    size_t k = 0;
    for (size_t i = 0; i < keep->reason_count; i++)
        rs[k++] = keep->reasons[i];
    for (size_t i = 0; i < other->reason_count; i++) {
        bool dup = false;
        for (size_t j = 0; j < k && !dup; j++)
            dup = strcmp(rs[j].rule ? rs[j].rule : "", other->reasons[i].rule ? other->reasons[i].rule : "") == 0 &&
                  strcmp(rs[j].title ? rs[j].title : "", other->reasons[i].title ? other->reasons[i].title : "") == 0;
        if (!dup)
            rs[k++] = other->reasons[i];
    }
    qsort(rs, k, sizeof *rs, by_reason_level);
    for (size_t i = 1; i < k; i++) /* the leading rule's own reason comes first */
        if (rs[i].level == rs[0].level && keep->rule && rs[i].rule &&
            strcmp(rs[i].rule, keep->rule) == 0) {
            pt_reason lead = rs[i];
            memmove(&rs[1], &rs[0], i * sizeof *rs);
            rs[0] = lead;
            break;
        }
    keep->reasons = rs;
    keep->reason_count = k;
}

/* Is f the stronger of two findings about one problem?  The higher level;
 * at the same level a leak before a signature, then one citing the KB,
 * then one naming a driver. */
static bool stronger(const pt_finding *f, const pt_finding *g)
{
    if (f->level != g->level)
        return f->level > g->level;
    bool fl = strcmp(f->kind, "leak") == 0, gl = strcmp(g->kind, "leak") == 0;
    if (fl != gl)
        return fl;
    if ((f->kb != NULL) != (g->kb != NULL))
        return f->kb != NULL;
    return f->driver && !g->driver;
}

/* g absorbs f: the stronger one's fields lead, the other fills what it
 * lacks (driver, KB, range, advice), and both keep their tags and reasons. */
static void absorb(pt_arena *a, pt_finding *g, const pt_finding *f)
{
    pt_finding weak = *f;
    if (stronger(f, g)) {
        weak = *g;
        *g = *f;
    }
    merge_tags(a, g, &weak);
    merge_reasons(a, g, &weak);
    if (g->driver == NULL && weak.driver) {
        g->driver = weak.driver;
        g->candidate = weak.candidate;
    }
    if (g->kb == NULL && weak.kb) {
        g->kb = weak.kb;
        g->range_id = weak.range_id;
        g->kb_outside_range = weak.kb_outside_range;
    }
    if (g->action == NULL)
        g->action = weak.action;
    if (!g->has_pool && weak.has_pool) {
        g->has_pool = true;
        g->pool = weak.pool;
    }
}

void pt_findings_fold(pt_arena *a, pt_finding *findings, size_t *count)
{
    size_t kept = 0;
    for (size_t i = 0; i < *count; i++) {
        pt_finding *f = &findings[i];
        own_reason(a, f);
        size_t k = 0;
        while (k < kept && !same_problem(&findings[k], f))
            k++;
        if (k == kept)
            findings[kept++] = *f;
        else
            absorb(a, &findings[k], f);
    }
    *count = kept;
    for (size_t i = 0; i < kept; i++)
        pt_finding_fingerprint(a, &findings[i]);
}

/* ---- bytes, growth and time ---- */

static const pt_suspect *suspect_of(const pt_verdict *v, const pt_finding *f)
{
    const pt_suspect *best = NULL;
    for (size_t i = 0; i < v->suspect_count; i++) {
        const pt_suspect *s = &v->suspects[i];
        if (memcmp(s->tag, f->tag, 4) != 0 || (f->has_pool && s->pool != f->pool))
            continue;
        if (best == NULL || s->bytes > best->bytes)
            best = s;
    }
    return best;
}

/* The row of the finding's tag in the latest capture (the tag may not be
 * among the ranked suspects). */
static const pt_pool_row *row_of(const pt_verdict *v, const pt_finding *f)
{
    if (v->snapshot_count == 0)
        return NULL;
    const pt_snapshot *last = &v->snapshots[v->snapshot_count - 1];
    const pt_pool_row *best = NULL;
    for (size_t i = 0; i < last->row_count; i++) {
        const pt_pool_row *r = &last->rows[i];
        if (memcmp(r->tag, f->tag, 4) != 0 || (f->has_pool && r->pool != f->pool))
            continue;
        if (best == NULL || r->bytes > best->bytes)
            best = r;
    }
    return best;
}

static uint64_t kib(int64_t kb)
{
    return kb > 0 && (uint64_t)kb <= UINT64_MAX / 1024u ? (uint64_t)kb * 1024u : 0;
}

pt_limit_source pt_capture_limit(const pt_snapshot *last, pt_pool_type pool, uint64_t *bytes,
                                 uint64_t *used)
{
    if (pool == PT_POOL_NONPAGED && kib(last->nonpaged_max_kb)) {
        *bytes = kib(last->nonpaged_max_kb);
        *used = pt_snapshot_pool_bytes(last, PT_POOL_NONPAGED);
        return PT_LIMIT_VM_NONPAGED_MAX;
    }
    if (pool == PT_POOL_NONPAGED && last->avail_kb >= 0 && kib(last->avail_kb)) {
        *bytes = kib(last->avail_kb);
        *used = 0;
        return PT_LIMIT_AVAILABLE;
    }
    if (kib(last->limit_kb) && last->commit_kb >= 0) {
        *bytes = kib(last->limit_kb);
        *used = kib(last->commit_kb);
        return PT_LIMIT_COMMIT;
    }
    return PT_LIMIT_NONE;
}

static void set_limit(const pt_snapshot *last, pt_pool_type pool, pt_finding *f)
{
    f->limit_source = pt_capture_limit(last, pool, &f->limit_bytes, &f->limit_used_bytes);
}

static double series_hours(const pt_verdict *v)
{
    if (v->snapshot_count < 2)
        return 0;
    int64_t a = v->snapshots[0].time, b = v->snapshots[v->snapshot_count - 1].time;
    return a != PT_UNKNOWN && b != PT_UNKNOWN && b > a ? (double)(b - a) / 3600.0 : 0;
}

/* "; growing 136.0 MiB/h steadily, non-paged pool limit (commit limit) in
 * about 31 h" appended to a title that does not say it yet. */
static const char *growth_title(pt_arena *a, const pt_finding *f)
{
    if (!f->has_growth || f->growth_bytes_per_hour <= 0 || f->title == NULL)
        return f->title;
    char limit[160] = "", rate[80] = "";
    if (f->time_to_limit_hours >= 0)
        snprintf(limit, sizeof limit, "; %s pool limit (%s) in about %.*f h",
                 f->pool == PT_POOL_PAGED ? "paged" : "non-paged",
                 pt_limit_source_name(f->limit_source), f->time_to_limit_hours < 10 ? 1 : 0, f->time_to_limit_hours);
    if (!strstr(f->title, "MiB per hour") && !strstr(f->title, "MiB/h"))
        snprintf(rate, sizeof rate, "; growing %.1f MiB/h%s",
                 f->growth_bytes_per_hour / 1048576.0, f->steady ? " steadily" : "");
    const char *t = pt_arena_printf(a, "%s%s%s", f->title, rate, limit);
    return t ? t : f->title;
}

static void finish_one(pt_arena *a, const pt_verdict *v, pt_finding *f)
{
    f->capture_count = v->snapshot_count;
    f->series_hours = series_hours(v);
    f->time_to_limit_hours = -1;
    if (f->tag[0] == '\0')
        return;
    const pt_suspect *s = suspect_of(v, f);
    const pt_pool_row *row = s ? NULL : row_of(v, f);
    if (s) {
        f->bytes = s->bytes;
        f->share = s->share;
        f->has_pool = true;
        f->pool = s->pool;
        f->has_growth = s->has_growth;
        f->growth_bytes_per_hour = s->growth_bytes_per_hour;
        f->steady = s->steady;
        f->delta_bytes = s->delta_bytes;
    } else if (row) {
        f->bytes = row->bytes;
        f->has_pool = true;
        f->pool = row->pool;
        uint64_t total = pt_snapshot_pool_bytes(&v->snapshots[v->snapshot_count - 1], row->pool);
        f->share = total ? (double)row->bytes / (double)total : 0;
    }
    if (v->snapshot_count == 0 || !f->has_pool)
        return;
    set_limit(&v->snapshots[v->snapshot_count - 1], f->pool, f);
    if (f->limit_source != PT_LIMIT_NONE && f->has_growth && f->growth_bytes_per_hour > 0) {
        double room = f->limit_bytes > f->limit_used_bytes
                          ? (double)(f->limit_bytes - f->limit_used_bytes) : 0.0;
        f->time_to_limit_hours = room / f->growth_bytes_per_hour;
    }
    f->title = growth_title(a, f);
}

void pt_findings_finish(pt_arena *arena, pt_verdict *v)
{
    for (size_t i = 0; i < v->finding_count; i++)
        finish_one(arena, v, &v->findings[i]);
}

/* ---- checking a finding ---- */

/* The candidate entry behind a finding's driver, for its evidence. */
static const pt_candidate *candidate_of(const pt_verdict *v, const pt_finding *f)
{
    const pt_candidate *any = NULL;
    for (size_t a = 0; f->driver && a < v->attribution_count; a++) {
        bool same_tag = f->tag[0] && memcmp(v->attributions[a].tag, f->tag, 4) == 0;
        for (size_t c = 0; c < v->attributions[a].candidate_count; c++) {
            if (v->attributions[a].candidates[c].driver != f->driver)
                continue;
            if (same_tag)
                return &v->attributions[a].candidates[c];
            if (any == NULL)
                any = &v->attributions[a].candidates[c];
        }
    }
    return any;
}

/* A problem kind names a class of problem in fingerprints and reports. */
static bool valid_kind(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
            return false;
    return true;
}

static const cJSON *member(const cJSON *o, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(o, key);
}

static bool too_long(const cJSON *v)
{
    return cJSON_IsObject(v) && cJSON_GetObjectItemCaseSensitive(v, "too_long") != NULL;
}

/* A text field: cleaned of control characters and broken UTF-8; NULL when
 * absent or not a string. */
static const char *text_of(pt_arena *a, const cJSON *o, const char *key)
{
    const cJSON *v = member(o, key);
    return cJSON_IsString(v) ? pt_arena_clean_text(a, v->valuestring, strlen(v->valuestring))
                             : NULL;
}

static bool tag_of(const cJSON *v, char out[5])
{
    return cJSON_IsString(v) && pt_tag_normalize(v->valuestring, strlen(v->valuestring), out);
}

const char *pt_finding_check(pt_judge *j, const cJSON *o, const char *rule_id, pt_finding *f)
{
    pt_arena *a = j->arena;
    memset(f, 0, sizeof *f);
    f->rule = rule_id;
    if (!cJSON_IsObject(o))
        return "a finding must be a table";
    const char *level = pt_json_get_str(o, "level");
    if (level == NULL || !pt_level_parse(level, &f->level) || f->level == PT_LEVEL_CLEAN)
        return "field 'level' must be \"info\", \"suspect\", \"likely\" or \"known\"";
    static const char *const texts[] = {"title", "explanation", "action", "range_id"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (too_long(member(o, texts[i])))
            return "a text field is longer than " PT_STR(PT_MAX_FINDING_TEXT) " bytes";
    f->title = text_of(a, o, "title");
    f->explanation = text_of(a, o, "explanation");
    f->action = text_of(a, o, "action");
    f->range_id = text_of(a, o, "range_id");
    const char *kind = pt_json_get_str(o, "kind");
    if (kind && !valid_kind(kind))
        return "field 'kind' must be 1 to 32 lower-case letters or '-' (\"leak\", \"signature\")";
    f->kind = kind ? pt_arena_strdup(a, kind) : pt_finding_kind_of_rule(rule_id);
    f->kb_outside_range = cJSON_IsTrue(member(o, "kb_outside_range"));
    if (f->title == NULL)
        return "field 'title' must be a string";
    const cJSON *tag = member(o, "tag");
    if (tag && !tag_of(tag, f->tag))
        return "field 'tag' must be " PT_TAG_RULE;
    const char *pool = pt_json_get_str(o, "pool");
    if (pool) {
        if (strcmp(pool, "nonpaged") && strcmp(pool, "paged"))
            return "field 'pool' must be \"nonpaged\" or \"paged\"";
        f->has_pool = true;
        f->pool = strcmp(pool, "paged") == 0 ? PT_POOL_PAGED : PT_POOL_NONPAGED;
    }
    const cJSON *bytes = member(o, "bytes");
    if (cJSON_IsNumber(bytes) && bytes->valuedouble >= 0 && bytes->valuedouble < 0x1p64 &&
        floor(bytes->valuedouble) == bytes->valuedouble)
        f->bytes = (uint64_t)bytes->valuedouble;
    const cJSON *share = member(o, "share");
    if (cJSON_IsNumber(share) && share->valuedouble >= 0 && share->valuedouble <= 1)
        f->share = share->valuedouble;
    const cJSON *tags = member(o, "tags");
    if (cJSON_IsArray(tags)) {
        f->tags = pt_arena_alloc(a, (PT_MAX_FINDING_TAGS + 1) * sizeof *f->tags);
        const cJSON *t;
        cJSON_ArrayForEach(t, tags) {
            char norm[5];
            if (f->tags == NULL || f->tag_count >= PT_MAX_FINDING_TAGS)
                break;
            if (!tag_of(t, norm))
                return "field 'tags' must list tags of " PT_TAG_RULE;
            f->tags[f->tag_count++] = pt_arena_strdup(a, norm);
        }
    }
    const cJSON *driver = member(o, "driver");
    if (driver) {
        double id = cJSON_IsNumber(driver) ? driver->valuedouble : 0;
        if (id < 1 || id > (double)j->verdict->driver_count || floor(id) != id)
            return "field 'driver' must be a driver from ctx.drivers";
        f->driver = &j->verdict->drivers[(size_t)id - 1];
        f->candidate = candidate_of(j->verdict, f);
    }
    const char *kb_id = pt_json_get_str(o, "kb");
    if (kb_id) {
        pt_kb_entry *e = pt_arena_alloc(a, sizeof *e);
        pt_error err = {0};
        if (e == NULL || pt_kb_get(a, j->kb, kb_id, e, &err) != PT_OK) {
            pt_judge_kb_failed(j, &err);
            return "field 'kb' names no entry of the knowledge base";
        }
        f->kb = e;
    }
    pt_finding_fingerprint(a, f);
    return NULL;
}
