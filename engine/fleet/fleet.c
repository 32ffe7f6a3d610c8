/*
 * fleet.c - many hosts' verdicts: reads pooltriage.verdict/2 (and /1)
 * documents one at a time (files, folders, JSON Lines on a descriptor) and
 * keeps only per-fingerprint aggregates, so memory is bounded by the number
 * of problems and the host-name caps of pt_limits.h, never by the input.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"

#include <cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A set of 64-bit host-name hashes (0 never stored), open addressing. */
typedef struct hostset {
    uint64_t *slots;
    size_t count, cap;
    bool full;                   /* reached PT_FLEET_MAX_TRACKED_HOSTS */
} hostset;

typedef struct problem {
    pt_fleet_problem pub;
    size_t host_cap;
    hostset hosts;
    size_t into;                 /* folded into problem into - 1 (fold_driverless), or 0 */
} problem;

struct pt_fleet {
    pt_arena *arena;             /* problem strings (bounded by the caps) */
    pt_fleet_warn_fn warn;
    void *warn_ctx;
    problem *problems;
    size_t count, cap;
    uint32_t *index;             /* problem index + 1, 0 empty; by fingerprint */
    size_t index_cap;
    const pt_fleet_problem **order; /* problems sorted for output */
    size_t shown;                /* problems in order: those not folded into another */
    bool sorted;
    hostset all_hosts;
    size_t reports, skipped, clean;
    pt_kb *kb;                   /* affected ranges of version-1 findings, or NULL */
    size_t warned;               /* warnings passed on (PT_FLEET_MAX_WARNINGS) */
};

void pt_fleet_use_kb(pt_fleet *f, pt_kb *kb)
{
    f->kb = kb;
}

/* ---- host sets ---- */

static uint64_t host_hash(const char *name)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ (uint64_t)tolower(*p)) * 1099511628211ull;
    return h ? h : 1;
}

/* Adds h; *added tells whether it was new.  false on out of memory. */
static bool hostset_add(hostset *s, uint64_t h, bool *added)
{
    *added = false;
    if (s->full) {
        *added = true;           /* past the cap every report counts */
        return true;
    }
    if ((s->count + 1) * 4 > s->cap * 3) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        uint64_t *slots = pt_calloc(cap, sizeof *slots);
        if (slots == NULL)
            return false;
        for (size_t i = 0; i < s->cap; i++)
            for (size_t j = s->slots[i] & (cap - 1); s->slots[i]; j = (j + 1) & (cap - 1))
                if (slots[j] == 0) {
                    slots[j] = s->slots[i];
                    break;
                }
        pt_free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    size_t j = h & (s->cap - 1);
    while (s->slots[j] && s->slots[j] != h)
        j = (j + 1) & (s->cap - 1);
    if (s->slots[j] == 0) {
        s->slots[j] = h;
        s->count++;
        *added = true;
        s->full = s->count >= PT_FLEET_MAX_TRACKED_HOSTS;
    }
    return true;
}

/* ---- open, close ---- */

pt_fleet *pt_fleet_open(pt_fleet_warn_fn warn, void *ctx)
{
    cJSON_Hooks hooks = {pt_malloc, pt_free};
    cJSON_InitHooks(&hooks);
    pt_fleet *f = pt_calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    f->arena = pt_arena_new();
    if (f->arena == NULL) {
        pt_free(f);
        return NULL;
    }
    f->warn = warn;
    f->warn_ctx = ctx;
    return f;
}

void pt_fleet_close(pt_fleet *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->count; i++) {
        pt_free(f->problems[i].hosts.slots);
        pt_free((void *)f->problems[i].pub.hosts);
    }
    pt_free(f->problems);
    pt_free(f->index);
    pt_free((void *)f->order);
    pt_free(f->all_hosts.slots);
    pt_arena_free(f->arena);
    pt_free(f);
}

/* ---- problems by fingerprint ---- */

static size_t fp_slot(const char *fp, size_t cap)
{
    uint64_t h = 0;
    for (int i = 0; i < 16; i++)
        h = h * 16 + (uint64_t)(isdigit((unsigned char)fp[i]) ? fp[i] - '0' : fp[i] - 'a' + 10);
    return (size_t)(h & (cap - 1));
}

static bool index_grow(pt_fleet *f)
{
    size_t cap = f->index_cap ? f->index_cap * 2 : 64;
    uint32_t *idx = pt_calloc(cap, sizeof *idx);
    if (idx == NULL)
        return false;
    for (size_t i = 0; i < f->count; i++) {
        size_t j = fp_slot(f->problems[i].pub.fingerprint, cap);
        while (idx[j])
            j = (j + 1) & (cap - 1);
        idx[j] = (uint32_t)(i + 1);
    }
    pt_free(f->index);
    f->index = idx;
    f->index_cap = cap;
    return true;
}

static problem *find(pt_fleet *f, const char *fp)
{
    if (f->index_cap == 0)
        return NULL;
    for (size_t j = fp_slot(fp, f->index_cap); f->index[j]; j = (j + 1) & (f->index_cap - 1))
        if (strcmp(f->problems[f->index[j] - 1].pub.fingerprint, fp) == 0)
            return &f->problems[f->index[j] - 1];
    return NULL;
}

static pt_code add_problem(pt_fleet *f, const char *fp, problem **out, pt_error *err)
{
    if (f->count >= PT_FLEET_MAX_PROBLEMS)
        return pt_error_set(err, PT_ELIMIT, "", "more than %u distinct problems: these are not "
                            "pooltriage verdicts, or split the fleet", PT_FLEET_MAX_PROBLEMS);
    if ((f->count + 1) * 2 > f->index_cap && !index_grow(f))
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    problem p = {0};
    memcpy(p.pub.fingerprint, fp, 65);
    p.pub.first_seen = p.pub.last_seen = PT_UNKNOWN;
    p.pub.bytes_min = p.pub.bytes_max = PT_UNKNOWN;
    p.pub.versions = pt_arena_alloc(f->arena, PT_FLEET_MAX_VERSIONS * sizeof(char *));
    p.pub.rules = pt_arena_alloc(f->arena, PT_FLEET_MAX_VERSIONS * sizeof(char *));
    p.pub.os_versions = pt_arena_alloc(f->arena, PT_FLEET_MAX_VERSIONS * sizeof(char *));
    p.pub.growth_max = -1;
    p.pub.hours_min = -1;
    if (p.pub.versions == NULL || p.pub.rules == NULL || p.pub.os_versions == NULL || !PT_PUSH(f->problems, f->count, f->cap, p))
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    size_t j = fp_slot(fp, f->index_cap);
    while (f->index[j])
        j = (j + 1) & (f->index_cap - 1);
    f->index[j] = (uint32_t)f->count;
    *out = &f->problems[f->count - 1];
    return PT_OK;
}

/* ---- reading one verdict ---- */

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int64_t jint(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 9.2e18
               ? (int64_t)v->valuedouble : PT_UNKNOWN;
}

static bool is_fingerprint(const char *s)
{
    if (s == NULL || strlen(s) != 64)
        return false;
    for (int i = 0; i < 64; i++)
        if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
            return false;
    return true;
}

/* Why a parsed document is not a verdict, or NULL when it is one. */
static const char *not_a_verdict(const cJSON *root, char *why, size_t len)
{
    const char *schema = cJSON_IsObject(root) ? jstr(root, "schema") : NULL;
    if (!cJSON_IsObject(root))
        return "not a JSON object";
    if (schema == NULL)
        return "no \"schema\" field: not a pooltriage verdict";
    if (strcmp(schema, PT_VERDICT_SCHEMA) != 0 && strcmp(schema, PT_VERDICT_SCHEMA_V1) != 0) {
        snprintf(why, len, "schema is '%.64s', not '%s' or '%s'", schema, PT_VERDICT_SCHEMA,
                 PT_VERDICT_SCHEMA_V1);
        return why;
    }
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    if (!cJSON_IsArray(findings))
        return "\"findings\" is not an array";
    int i = 0;
    const cJSON *fi;
    cJSON_ArrayForEach(fi, findings) {
        pt_level level;
        i++;
        if (!is_fingerprint(jstr(fi, "fingerprint")) || jstr(fi, "rule") == NULL ||
            !jstr(fi, "level") || !pt_level_parse(jstr(fi, "level"), &level) ||
            level == PT_LEVEL_CLEAN) {
            snprintf(why, len, "finding %d lacks a rule, a level or a 64-digit fingerprint", i);
            return why;
        }
    }
    return NULL;
}

typedef struct doc_facts {
    bool v1;                     /* a pooltriage.verdict/1 document */
    const char *os;              /* host.os.version, or NULL */
    const char *host;
    uint64_t host_hash;
    int64_t first, last;         /* capture times, or PT_UNKNOWN */
} doc_facts;

static void capture_times(const cJSON *root, doc_facts *d)
{
    d->first = d->last = PT_UNKNOWN;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "captures")) {
        int64_t t;
        const char *s = jstr(c, "time");
        if (s == NULL || !pt_time_parse(s, true, &t))
            continue;
        if (d->first == PT_UNKNOWN || t < d->first)
            d->first = t;
        if (d->last == PT_UNKNOWN || t > d->last)
            d->last = t;
    }
}

/* Copies s into the arena when *dst is still NULL. */
static bool keep(pt_fleet *f, const char **dst, const char *s)
{
    if (*dst || s == NULL)
        return true;
    *dst = pt_arena_strdup(f->arena, s);
    return *dst != NULL;
}

static bool keep_refs(pt_fleet *f, pt_fleet_problem *p, const cJSON *kb)
{
    const cJSON *refs = cJSON_GetObjectItemCaseSensitive(kb, "references");
    int n = cJSON_GetArraySize(refs);
    if (p->ref_count || n <= 0)
        return true;
    if (n > (int)PT_FLEET_MAX_REFS)
        n = PT_FLEET_MAX_REFS;
    p->refs = pt_arena_alloc(f->arena, (size_t)n * sizeof *p->refs);
    if (p->refs == NULL)
        return false;
    for (int i = 0; i < n; i++) {
        const cJSON *r = cJSON_GetArrayItem(refs, i);
        pt_fleet_ref *o = &p->refs[i];
        if (!keep(f, &o->kind, jstr(r, "kind")) || !keep(f, &o->title, jstr(r, "title")) ||
            !keep(f, &o->url, jstr(r, "url")) ||
            !keep(f, &o->archived_url, jstr(r, "archived_url")))
            return false;
    }
    p->ref_count = (size_t)n;
    return true;
}

static bool keep_version(pt_fleet *f, pt_fleet_problem *p, const cJSON *driver)
{
    const char *v = jstr(driver, "file_version");
    if (v == NULL)
        v = jstr(driver, "file_version_numeric");
    if (v == NULL)
        return true;
    for (size_t i = 0; i < p->version_count; i++)
        if (strcmp(p->versions[i], v) == 0)
            return true;
    if (p->version_count >= PT_FLEET_MAX_VERSIONS)
        return true;
    p->versions[p->version_count] = pt_arena_strdup(f->arena, v);
    return p->versions[p->version_count++] != NULL;
}

/* Adds s to a capped list of distinct strings. */
static bool keep_distinct(pt_fleet *f, const char **list, size_t *count, const char *s)
{
    if (s == NULL || *count >= PT_FLEET_MAX_VERSIONS)
        return true;
    for (size_t i = 0; i < *count; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    list[*count] = pt_arena_strdup(f->arena, s);
    return list[(*count)++] != NULL;
}

static bool keep_texts(pt_fleet *f, pt_fleet_problem *p, const cJSON *fi)
{
    const cJSON *kb = cJSON_GetObjectItemCaseSensitive(fi, "kb");
    const cJSON *driver = cJSON_GetObjectItemCaseSensitive(fi, "driver");
    const cJSON *reasons = cJSON_GetObjectItemCaseSensitive(fi, "reasons");
    const cJSON *r;
    bool ok = keep_distinct(f, p->rules, &p->rule_count, jstr(fi, "rule"));
    cJSON_ArrayForEach(r, reasons)
        ok = ok && keep_distinct(f, p->rules, &p->rule_count, jstr(r, "rule"));
    const char *kind = jstr(fi, "kind");
    return ok && keep(f, &p->kind, kind ? kind : pt_finding_kind_of_rule(jstr(fi, "rule"))) &&
           keep(f, &p->rule, jstr(fi, "rule")) && keep(f, &p->title, jstr(fi, "title")) &&
           keep(f, &p->tag, jstr(fi, "tag")) && keep(f, &p->pool, jstr(fi, "pool")) &&
           keep(f, &p->action, jstr(fi, "action")) && keep(f, &p->kb_id, jstr(kb, "id")) &&
           keep(f, &p->kb_title, jstr(kb, "title")) &&
           keep(f, &p->fixed_in, jstr(kb, "fixed_in")) &&
           keep(f, &p->driver, jstr(driver, "name")) && keep_version(f, p, driver) &&
           keep_refs(f, p, kb);
}

static bool add_host(pt_fleet *f, problem *p, const doc_facts *d)
{
    bool added;
    if (!hostset_add(&p->hosts, d->host_hash, &added))
        return false;
    p->pub.host_count_approx = p->hosts.full;
    if (!added)
        return true;
    p->pub.host_count++;
    if (p->pub.host_name_count >= PT_FLEET_MAX_HOST_NAMES)
        return true;
    if (p->pub.host_name_count == p->host_cap) {
        size_t cap = p->host_cap ? p->host_cap * 2 : 8;
        const char **names = pt_realloc((void *)p->pub.hosts, cap * sizeof *names);
        if (names == NULL)
            return false;
        p->pub.hosts = names;
        p->host_cap = cap;
    }
    const char *copy = pt_arena_strdup(f->arena, d->host);
    p->pub.hosts[p->pub.host_name_count] = copy;
    p->pub.host_name_count += copy != NULL;
    return copy != NULL;
}

static void widen(int64_t *lo, int64_t *hi, int64_t a, int64_t b)
{
    if (a != PT_UNKNOWN && (*lo == PT_UNKNOWN || a < *lo))
        *lo = a;
    if (b != PT_UNKNOWN && (*hi == PT_UNKNOWN || b > *hi))
        *hi = b;
}

void pt_fleet_v1_key(const char *rule, const char *kb_id, const char *tag,
                     const char *driver, const char *numeric_version,
                     const char *explanation, char out[65])
{
    char range[128] = "";
    const char *at = kb_id && explanation ? strstr(explanation, "in the affected range ") : NULL;
    if (at) {
        at += strlen("in the affected range ");
        size_t n = strcspn(at, " ;,");
        if (n < sizeof range && strncmp(at + n, " of ", 4) == 0)
            snprintf(range, sizeof range, "%.*s", (int)n, at);
    }
    pt_fingerprint(pt_finding_kind_of_rule(rule), kb_id, tag, driver,
                   range[0] ? range : numeric_version, out);
}

/* The KB's affected range of entry kb_id that holds the driver's version,
 * or NULL (copied into buf). */
static const char *kb_range(pt_fleet *f, const char *kb_id, const char *tag,
                            const char *driver, const char *version, char *buf, size_t len)
{
    if (f->kb == NULL || kb_id == NULL || version == NULL)
        return NULL;
    pt_arena *a = pt_arena_new();
    pt_kb_query q = {.tag = tag, .driver = driver, .version = version, .build = PT_UNKNOWN};
    pt_kb_match *m = NULL;
    size_t n = 0;
    pt_error err = {0};
    const char *found = NULL;
    if (a && pt_kb_lookup(a, f->kb, &q, &m, &n, &err) == PT_OK)
        for (size_t i = 0; i < n && found == NULL; i++)
            if (strcmp(m[i].id, kb_id) == 0 && m[i].range_id &&
                strlen(m[i].range_id) < len) {
                snprintf(buf, len, "%s", m[i].range_id);
                found = buf;
            }
    pt_arena_free(a);
    return found;
}

/* The problem key of a finding: a version-2 fingerprint as written, or the
 * same key recomputed from a version-1 finding's fields. */
static void finding_key(pt_fleet *f, const cJSON *fi, const doc_facts *d, char out[65])
{
    if (!d->v1) {
        memcpy(out, jstr(fi, "fingerprint"), 65);
        return;
    }
    const cJSON *kb = cJSON_GetObjectItemCaseSensitive(fi, "kb");
    const cJSON *driver = cJSON_GetObjectItemCaseSensitive(fi, "driver");
    const char *version = jstr(driver, "file_version_numeric");
    char range[128];
    const char *explanation = jstr(fi, "explanation");
    if (explanation == NULL || strstr(explanation, "in the affected range ") == NULL) {
        const char *r = kb_range(f, jstr(kb, "id"), jstr(fi, "tag"), jstr(driver, "name"),
                                 version ? version : jstr(driver, "file_version"), range,
                                 sizeof range);
        if (r) {
            version = r;
            explanation = NULL;
        }
    }
    pt_fleet_v1_key(jstr(fi, "rule"), jstr(kb, "id"), jstr(fi, "tag"), jstr(driver, "name"),
                    version, explanation, out);
}

/* A stronger report of a problem gives it its rule, title and advice. */
static void lead_with(pt_fleet *f, pt_fleet_problem *p, const cJSON *fi)
{
    const char *rule = pt_arena_strdup(f->arena, jstr(fi, "rule"));
    const char *title = pt_arena_strdup(f->arena, jstr(fi, "title"));
    const char *action = pt_arena_strdup(f->arena, jstr(fi, "action"));
    if (rule)
        p->rule = rule;
    if (title)
        p->title = title;
    if (action)
        p->action = action;
}

static double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) && v->valuedouble >= 0 ? v->valuedouble : -1;
}

static bool keep_time(pt_fleet *f, pt_fleet_problem *p, const cJSON *fi, const doc_facts *d)
{
    double rate = jnum(cJSON_GetObjectItemCaseSensitive(fi, "growth"), "bytes_per_hour");
    if (rate > p->growth_max)
        p->growth_max = rate;
    double hours = jnum(fi, "time_to_limit_hours");
    if (hours >= 0 && (p->hours_min < 0 || hours < p->hours_min)) {
        p->hours_min = hours;
        p->hours_min_host = pt_arena_strdup(f->arena, d->host);
        return p->hours_min_host != NULL;
    }
    return true;
}

static pt_code add_finding(pt_fleet *f, const cJSON *fi, const doc_facts *d, pt_error *err)
{
    char fp[65];
    finding_key(f, fi, d, fp);
    problem *p = find(f, fp);
    while (p && p->into)         /* a driverless problem already folded */
        p = &f->problems[p->into - 1];
    if (p == NULL) {
        pt_code rc = add_problem(f, fp, &p, err);
        if (rc != PT_OK)
            return rc;
    }
    if (d->v1 && p->pub.legacy_fingerprint[0] == '\0')
        memcpy(p->pub.legacy_fingerprint, jstr(fi, "fingerprint"), 65);
    pt_level level = PT_LEVEL_INFO;
    pt_level_parse(jstr(fi, "level"), &level);
    /* the strongest report leads; at the same level, one that measured growth */
    bool grows = jnum(cJSON_GetObjectItemCaseSensitive(fi, "growth"), "bytes_per_hour") > 0;
    if (p->pub.report_count > 0 &&
        (level > p->pub.level || (level == p->pub.level && grows && p->pub.growth_max <= 0)))
        lead_with(f, &p->pub, fi);
    if (level > p->pub.level)
        p->pub.level = level;
    if (!keep_distinct(f, p->pub.os_versions, &p->pub.os_count, d->os) ||
        !keep_time(f, &p->pub, fi, d))
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    p->pub.report_count++;
    widen(&p->pub.first_seen, &p->pub.last_seen, d->first, d->last);
    int64_t bytes = jint(fi, "bytes");
    widen(&p->pub.bytes_min, &p->pub.bytes_max, bytes, bytes);
    if (!keep_texts(f, &p->pub, fi) || !add_host(f, p, d))
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    return PT_OK;
}

static pt_code add_verdict(pt_fleet *f, const cJSON *root, const char *where, pt_error *err)
{
    char unnamed[700];
    doc_facts d;
    d.host = jstr(cJSON_GetObjectItemCaseSensitive(root, "host"), "name");
    if (d.host == NULL || d.host[0] == '\0') {
        snprintf(unnamed, sizeof unnamed, "(unnamed host: %s)", where);
        d.host = unnamed;
    }
    d.host_hash = host_hash(d.host);
    d.v1 = strcmp(jstr(root, "schema"), PT_VERDICT_SCHEMA_V1) == 0;
    d.os = jstr(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "host"),
                                                 "os"), "version");
    capture_times(root, &d);
    bool added;
    if (!hostset_add(&f->all_hosts, d.host_hash, &added))
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(root, "findings");
    const cJSON *fi;
    cJSON_ArrayForEach(fi, findings) {
        pt_code rc = add_finding(f, fi, &d, err);
        if (rc != PT_OK)
            return rc;
    }
    f->reports++;
    f->clean += cJSON_GetArraySize(findings) == 0;
    f->sorted = false;
    return PT_OK;
}

static pt_code skip(pt_fleet *f, const char *where, const char *why, pt_error *err)
{
    char msg[400];
    snprintf(msg, sizeof msg, "%s; skipped (a report is the output of "
             "'pooltriage triage --json')", why);
    f->skipped++;
    if (f->warn && f->warned < PT_FLEET_MAX_WARNINGS) {
        f->warned++;
        f->warn(f->warn_ctx, where, msg);
    }
    return pt_error_set(err, PT_EFORMAT, where, "%s", msg);
}

static uint32_t lines_before(const char *text, const char *end)
{
    uint32_t n = 0;
    for (const char *p = text; p < end; p++)
        n += *p == '\n';
    return n;
}

pt_code pt_fleet_add_json(pt_fleet *f, const char *text, size_t len, const char *name,
                          uint32_t line, pt_error *err)
{
    char where[600], why[200];
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    pt_code rc;
    if (root == NULL) {
        const char *at = end ? end : cJSON_GetErrorPtr();
        if (at == NULL || at < text || at > text + len)
            at = text;
        snprintf(where, sizeof where, "%s:%u", name, line + lines_before(text, at));
        rc = skip(f, where, "not valid JSON", err);
        goto done;
    }
    snprintf(where, sizeof where, "%s:%u", name, line);
    const char *bad = not_a_verdict(root, why, sizeof why);
    rc = bad ? skip(f, where, bad, err) : add_verdict(f, root, where, err);
done:
    cJSON_Delete(root);
    return rc;
}

/* ---- splitting a stream into documents ---- */

/* Cuts a byte stream into top-level JSON objects by counting brackets
 * outside strings, so one pretty-printed verdict, JSON Lines and
 * concatenated objects all work, one document in memory at a time.
 * A broken document costs only its own lines: a line break inside a string
 * (never valid JSON) ends it, and so does a '{' at the start of a line,
 * which begins the next document (a pretty printer indents nested
 * objects), so a truncated line of JSON Lines loses that line only. */
typedef struct splitter {
    pt_fleet *f;
    const char *name;
    pt_buf doc;
    uint32_t line, doc_line;     /* current line; line where the document began */
    int depth;                   /* 0: between documents */
    bool in_string, escape, too_big, junk;
    bool line_start;             /* the last byte was a line break */
    bool any;                    /* a byte other than white space was seen */
} splitter;

static pt_code doc_end(splitter *s, pt_error *err)
{
    pt_code rc = PT_OK;
    char where[600];
    pt_error ignored;
    if (s->too_big) {
        snprintf(where, sizeof where, "%s:%u", s->name, s->doc_line);
        char why[100];
        snprintf(why, sizeof why, "larger than %u bytes", PT_FLEET_MAX_DOC_BYTES);
        skip(s->f, where, why, &ignored);
    } else if (s->doc.failed) {
        rc = pt_error_set(err, PT_ENOMEM, "", "out of memory");
    } else {
        rc = pt_fleet_add_json(s->f, s->doc.data, s->doc.len, s->name, s->doc_line, err);
        rc = rc == PT_EFORMAT ? PT_OK : rc;
    }
    s->doc.len = 0;
    s->too_big = false;
    return rc;
}

static void junk_end(splitter *s)
{
    char where[600];
    pt_error ignored;
    snprintf(where, sizeof where, "%s:%u", s->name, s->doc_line);
    skip(s->f, where, "not JSON: a verdict starts with '{'", &ignored);
    s->junk = false;
}

static void inside(splitter *s, char c)
{
    if (s->in_string) {
        if (s->escape)
            s->escape = false;
        else if (c == '\\')
            s->escape = true;
        else if (c == '"')
            s->in_string = false;
    } else if (c == '"') {
        s->in_string = true;
    } else if (c == '{' || c == '[') {
        s->depth++;
    } else if (c == '}' || c == ']') {
        s->depth--;
    }
}

/* The document being read does not end: skip it, from its first line. */
static void truncated(splitter *s, const char *why)
{
    char where[600];
    pt_error ignored;
    snprintf(where, sizeof where, "%s:%u", s->name, s->doc_line);
    skip(s->f, where, why, &ignored);
    s->doc.len = 0;
    s->depth = 0;
    s->too_big = false;
    s->in_string = s->escape = false;
}

static pt_code feed(splitter *s, const char *p, size_t len, pt_error *err)
{
    for (size_t i = 0; i < len; i++) {
        char c = p[i];
        s->any |= !(c == ' ' || c == '\t' || c == '\r' || c == '\n');
        bool line_start = s->line_start;
        s->line_start = c == '\n';
        if (s->depth > 0 && line_start && c == '{')
            truncated(s, "truncated: the JSON object that starts here does not end "
                         "before the next line that starts with '{'");
        if (s->depth == 0 && !s->junk) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                s->line += c == '\n';
                continue;
            }
            s->doc_line = s->line;
            s->junk = c != '{';
            s->in_string = s->escape = false;
            if (s->junk)
                continue;
        }
        if (c == '\n') {
            s->line++;
            if (s->in_string && !s->junk) {
                truncated(s, "not valid JSON: a line break inside a string (a cut-off line?)");
                continue;
            }
        }
        if (s->junk) {
            if (c == '\n')
                junk_end(s);
            continue;
        }
        if (s->doc.len < PT_FLEET_MAX_DOC_BYTES)
            pt_buf_append(&s->doc, &c, 1);
        else
            s->too_big = true;
        inside(s, c);
        if (s->depth == 0) {
            pt_code rc = doc_end(s, err);
            if (rc != PT_OK)
                return rc;
        }
    }
    return PT_OK;
}

static pt_code finish(splitter *s)
{
    char where[600];
    pt_error ignored;
    if (s->junk)
        junk_end(s);
    if (!s->any) { /* an empty report (a collection that failed) is counted, not lost */
        snprintf(where, sizeof where, "%s:1", s->name);
        skip(s->f, where, "empty: it holds no verdict", &ignored);
    }
    if (s->depth > 0) {
        snprintf(where, sizeof where, "%s:%u", s->name, s->doc_line);
        skip(s->f, where, "truncated: the JSON object that starts here does not end",
             &ignored);
    }
    return PT_OK;
}

/* A report saved by Windows PowerShell 5's > or Out-File is UTF-16 with a
 * BOM; it is turned into UTF-8 as it arrives (a code unit or a surrogate
 * pair cut by a chunk waits for the next one; a lone surrogate is U+FFFD). */
typedef struct utf16_in {
    int order;              /* 0: not UTF-16; 1: little endian; 2: big endian */
    unsigned char odd;      /* the first byte of a cut code unit */
    bool has_odd;
    unsigned high;          /* a high surrogate waiting for its low one, or 0 */
} utf16_in;

static void put_utf8(pt_buf *b, unsigned cp)
{
    char u[4];
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n == 1) {
        u[0] = (char)cp;
    } else {
        for (size_t i = n - 1; i > 0; i--, cp >>= 6)
            u[i] = (char)(0x80 | (cp & 0x3F));
        u[0] = (char)((n == 2 ? 0xC0 : n == 3 ? 0xE0 : 0xF0) | cp);
    }
    pt_buf_append(b, u, n);
}

static void utf16_to_utf8(utf16_in *u, const unsigned char *p, size_t n, pt_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (!u->has_odd) {
            u->odd = p[i];
            u->has_odd = true;
            continue;
        }
        u->has_odd = false;
        unsigned cu = u->order == 1 ? (unsigned)u->odd | (unsigned)p[i] << 8
                                    : (unsigned)u->odd << 8 | p[i];
        if (cu >= 0xD800 && cu < 0xDC00) {
            if (u->high)
                put_utf8(out, 0xFFFD);
            u->high = cu;
            continue;
        }
        if (cu >= 0xDC00 && cu < 0xE000) {
            put_utf8(out, u->high ? 0x10000 + ((u->high - 0xD800) << 10) + (cu - 0xDC00)
                                  : 0xFFFD);
            u->high = 0;
            continue;
        }
        if (u->high)
            put_utf8(out, 0xFFFD);
        u->high = 0;
        put_utf8(out, cu);
    }
}

pt_code pt_fleet_add_fd(pt_fleet *f, int fd, const char *name, pt_error *err)
{
    splitter s = {.f = f, .name = name, .line = 1, .line_start = true};
    enum { CHUNK = 64 * 1024 };
    char *chunk = pt_malloc(CHUNK);
    pt_code rc = chunk ? PT_OK : pt_error_set(err, PT_ENOMEM, "", "out of memory");
    utf16_in u16 = {0};
    pt_buf conv = {0};
    bool first = true;
    while (rc == PT_OK) {
        int64_t n = pt_platform_read(fd, chunk, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = pt_error_set(err, PT_EIO, name, "cannot read: %s", strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        const unsigned char *b = (const unsigned char *)chunk;
        size_t skip = 0;
        if (first && n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
            skip = 3;   /* UTF-8 with a BOM */
        else if (first && n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
            u16.order = b[0] == 0xFF ? 1 : 2, skip = 2;
        first = false;
        if (u16.order) {
            conv.len = 0;
            utf16_to_utf8(&u16, b + skip, (size_t)n - skip, &conv);
            rc = conv.failed ? pt_error_set(err, PT_ENOMEM, "", "out of memory")
                             : feed(&s, conv.data ? conv.data : "", conv.len, err);
        } else {
            rc = feed(&s, chunk + skip, (size_t)n - skip, err);
        }
        if (rc != PT_OK)
            goto done;
    }
    rc = rc == PT_OK ? finish(&s) : rc;
done:
    pt_free(chunk);
    pt_buf_free(&conv);
    pt_buf_free(&s.doc);
    return rc;
}

/* ---- paths ---- */

static pt_code add_file(pt_fleet *f, const char *path, pt_error *err)
{
    int fd;
    pt_code rc = pt_platform_open_input(path, &fd, err);
    if (rc != PT_OK && errno != 0)
        return pt_error_set(err, PT_EIO, path, "cannot open: %s; check the path",
                            strerror(errno));
    if (rc != PT_OK)
        return rc;   /* not a regular file */
    rc = pt_fleet_add_fd(f, fd, path, err);
    pt_platform_close(fd);
    return rc;
}

typedef struct walk_ctx {
    pt_fleet *f;
    pt_error *err;
    pt_code rc;
} walk_ctx;

static bool on_file(void *ctx, const char *path, const char *name, uint64_t size)
{
    walk_ctx *w = ctx;
    (void)size;
    if (!pt_ends_with_ci(name, ".json") && !pt_ends_with_ci(name, ".jsonl"))
        return true;
    w->rc = add_file(w->f, path, w->err);
    return w->rc == PT_OK;
}

/* A folder the walk left out (unreadable, too deep, too many files): its
 * reports are skipped, so it counts as skipped and --strict fails. */
static void on_walk_problem(void *ctx, const char *path, const char *message)
{
    walk_ctx *w = ctx;
    w->f->skipped++;
    if (w->f->warn && w->f->warned < PT_FLEET_MAX_WARNINGS) {
        w->f->warned++;
        w->f->warn(w->f->warn_ctx, path, message);
    }
}

pt_code pt_fleet_add_path(pt_fleet *f, const char *path, pt_error *err)
{
    if (strcmp(path, "-") == 0)
        return pt_fleet_add_fd(f, PT_STDIN_FD, "-", err);
    if (!pt_platform_is_dir(path))
        return add_file(f, path, err);
    walk_ctx w = {f, err, PT_OK};
    pt_code rc = pt_platform_walk_checked(path, on_file, on_walk_problem, &w, err);
    return w.rc != PT_OK ? w.rc : rc;
}

/* ---- results ---- */

void pt_fleet_stats_get(const pt_fleet *f, pt_fleet_stats *out)
{
    out->reports = f->reports;
    out->skipped = f->skipped;
    out->hosts = f->all_hosts.count;
    out->hosts_approx = f->all_hosts.full;
    out->clean = f->clean;
    out->warnings_suppressed = f->skipped > f->warned ? f->skipped - f->warned : 0;
}

static int by_severity(const void *a, const void *b)
{
    const pt_fleet_problem *x = *(const pt_fleet_problem *const *)a;
    const pt_fleet_problem *y = *(const pt_fleet_problem *const *)b;
    if (x->level != y->level)
        return x->level > y->level ? -1 : 1;
    if (x->host_count != y->host_count)
        return x->host_count > y->host_count ? -1 : 1;
    if (x->report_count != y->report_count)
        return x->report_count > y->report_count ? -1 : 1;
    return strcmp(x->fingerprint, y->fingerprint);
}

/* ---- a problem seen without its driver ---- */

/* The key a driverless problem is matched by: its known issue, or else its
 * tag (with its pool). */
static int by_kb(const void *a, const void *b)
{
    const pt_fleet_problem *x = *(const pt_fleet_problem *const *)a;
    const pt_fleet_problem *y = *(const pt_fleet_problem *const *)b;
    int c = strcmp(x->kind ? x->kind : "", y->kind ? y->kind : "");
    return c ? c : strcmp(x->kb_id ? x->kb_id : "", y->kb_id ? y->kb_id : "");
}

static int by_tag(const void *a, const void *b)
{
    const pt_fleet_problem *x = *(const pt_fleet_problem *const *)a;
    const pt_fleet_problem *y = *(const pt_fleet_problem *const *)b;
    int c = strcmp(x->kind ? x->kind : "", y->kind ? y->kind : "");
    c = c ? c : strcmp(x->tag ? x->tag : "", y->tag ? y->tag : "");
    return c ? c : strcmp(x->pool ? x->pool : "", y->pool ? y->pool : "");
}

/* The one problem in sorted[] equal to key under cmp, or NULL when there is
 * none or more than one. */
static const pt_fleet_problem *only_match(const pt_fleet_problem **sorted, size_t n,
                                          const pt_fleet_problem *key,
                                          int (*cmp)(const void *, const void *))
{
    const pt_fleet_problem **hit = bsearch(&key, sorted, n, sizeof *sorted, cmp);
    if (hit == NULL)
        return NULL;
    if ((hit > sorted && cmp(&key, hit - 1) == 0) || (hit + 1 < sorted + n && cmp(&key, hit + 1) == 0))
        return NULL;
    return *hit;
}

/* to gets everything from: hosts (names first, then the hashes past the
 * name cap), reports, times, bytes, rules, OS builds, growth and the time
 * to the limit, and what it lacks (KB, links); from is emptied and points
 * at it, so a later report of from's fingerprint goes to it too. */
static bool fold_into(pt_fleet *f, size_t to_index, problem *from)
{
    problem *to = &f->problems[to_index];
    pt_fleet_problem *t = &to->pub, *s = &from->pub;
    for (size_t i = 0; i < s->host_name_count; i++) {
        doc_facts d = {.host = s->hosts[i], .host_hash = host_hash(s->hosts[i])};
        if (!add_host(f, to, &d))
            return false;
    }
    for (size_t i = 0; i < from->hosts.cap; i++) {
        bool added;
        if (from->hosts.slots[i] == 0)
            continue;
        if (!hostset_add(&to->hosts, from->hosts.slots[i], &added))
            return false;
        t->host_count += added;
    }
    t->host_count_approx |= s->host_count_approx || to->hosts.full;
    if (s->level > t->level) {
        t->level = s->level;
        t->rule = s->rule;
        t->title = s->title;
        t->action = s->action ? s->action : t->action;
    }
    t->report_count += s->report_count;
    widen(&t->first_seen, &t->last_seen, s->first_seen, s->last_seen);
    widen(&t->bytes_min, &t->bytes_max, s->bytes_min, s->bytes_max);
    for (size_t i = 0; i < s->rule_count; i++)
        if (!keep_distinct(f, t->rules, &t->rule_count, s->rules[i]))
            return false;
    for (size_t i = 0; i < s->os_count; i++)
        if (!keep_distinct(f, t->os_versions, &t->os_count, s->os_versions[i]))
            return false;
    if (s->growth_max > t->growth_max)
        t->growth_max = s->growth_max;
    if (s->hours_min >= 0 && (t->hours_min < 0 || s->hours_min < t->hours_min)) {
        t->hours_min = s->hours_min;
        t->hours_min_host = s->hours_min_host;
    }
    if (t->kb_id == NULL) {
        t->kb_id = s->kb_id;
        t->kb_title = s->kb_title;
        t->fixed_in = s->fixed_in;
    }
    if (t->ref_count == 0) {
        t->refs = s->refs;
        t->ref_count = s->ref_count;
    }
    /* a ticket filed while only driverless reports were in is found again */
    if (t->legacy_fingerprint[0] == '\0')
        memcpy(t->legacy_fingerprint, s->fingerprint, 65);
    pt_free(from->hosts.slots);
    memset(&from->hosts, 0, sizeof from->hosts);
    s->host_count = s->host_name_count = s->report_count = 0;
    s->level = PT_LEVEL_CLEAN;
    from->into = to_index + 1;
    return true;
}

/* The same leak triaged with the drivers on one host and from a capture
 * alone on another (no driver folder: the finding names no driver) is one
 * problem: a driverless problem joins the one problem of the same kind
 * that names a driver for the same known issue, or, without one, for the
 * same tag and pool.  With none, or several (two versions in different
 * affected ranges), it stays its own problem. */
static bool fold_driverless(pt_fleet *f)
{
    size_t n = 0;
    const pt_fleet_problem **kb = pt_calloc(f->count + 1, sizeof *kb);
    const pt_fleet_problem **tag = pt_calloc(f->count + 1, sizeof *tag);
    bool ok = kb != NULL && tag != NULL;
    for (size_t i = 0; ok && i < f->count; i++)
        if (f->problems[i].into == 0 && f->problems[i].pub.driver) {
            kb[n] = tag[n] = &f->problems[i].pub;
            n++;
        }
    if (ok && n) {
        qsort(kb, n, sizeof *kb, by_kb);
        qsort(tag, n, sizeof *tag, by_tag);
    }
    for (size_t i = 0; ok && n && i < f->count; i++) {
        problem *p = &f->problems[i];
        if (p->into || p->pub.driver || p->pub.report_count == 0)
            continue;
        const pt_fleet_problem *to = p->pub.kb_id ? only_match(kb, n, &p->pub, by_kb)
                                   : p->pub.tag ? only_match(tag, n, &p->pub, by_tag) : NULL;
        if (to) /* pub is a problem's first member: its index from its address */
            ok = fold_into(f, (size_t)((const problem *)(const void *)to - f->problems), p);
    }
    pt_free((void *)kb);
    pt_free((void *)tag);
    return ok;
}

static bool sort_problems(pt_fleet *f)
{
    if (f->sorted)
        return true;
    if (!fold_driverless(f))
        return false;
    const pt_fleet_problem **order =
        pt_realloc(f->order, (f->count ? f->count : 1) * sizeof *order);
    if (order == NULL)
        return false;
    f->order = order;
    f->shown = 0;
    for (size_t i = 0; i < f->count; i++)
        if (f->problems[i].into == 0)
            order[f->shown++] = &f->problems[i].pub;
    qsort(order, f->shown, sizeof *order, by_severity);
    f->sorted = true;
    return true;
}

size_t pt_fleet_count(pt_fleet *f)
{
    return sort_problems(f) ? f->shown : 0;
}

const pt_fleet_problem *pt_fleet_problem_at(pt_fleet *f, size_t index)
{
    if (!sort_problems(f) || index >= f->shown)
        return NULL;
    return f->order[index];
}

pt_level pt_fleet_level(pt_fleet *f)
{
    pt_level top = PT_LEVEL_CLEAN;
    for (size_t i = 0; i < f->count; i++)
        if (f->problems[i].pub.level > top)
            top = f->problems[i].pub.level;
    return top;
}
