/*
 * report_pool.c - the report stage for `pooltriage pool`: captures, and a
 * series of them, as a table sorted like poolmon -b (text), as JSON
 * (pooltriage.pool/1) or as CSV (one row per tag and capture).
 */
#include "pt_report.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_SCHEMA "pooltriage.pool/1"

/* One line of the table: a tag and pool in the latest capture, with its
 * series when there is one. */
typedef struct trow {
    char tag[5];
    pt_pool_type pool;
    uint64_t allocs, frees, bytes, per_alloc;
    int64_t diff;
    const char *driver, *description, *hint;
    const pt_tag_series *ts;
} trow;

/* The rows of a document, sorted, in memory owned by `arena`. */
typedef struct table {
    pt_arena *arena;
    trow *rows;
    size_t count;
} table;

static const char *owner_hint(pt_arena *arena, const pt_pooltag_map *map, const char *tag)
{
    size_t n = 0;
    const pt_tag_entry *e = pt_pooltag_lookup(map, tag, &n);
    if (e == NULL)
        return NULL;
    pt_buf b = {0};
    for (size_t i = 0; i < n; i++)
        pt_buf_printf(&b, "%s%s%s%s", i ? "; " : "", e[i].binary ? e[i].binary : "",
                      e[i].binary && e[i].description ? " - " : "",
                      e[i].description ? e[i].description : "");
    const char *s = b.failed ? NULL : pt_arena_strndup(arena, b.data ? b.data : "", b.len);
    pt_buf_free(&b);
    return s;
}

static void row_from_capture(trow *t, const pt_pool_row *r)
{
    memcpy(t->tag, r->tag, 5);
    t->pool = r->pool;
    t->allocs = r->allocs;
    t->frees = r->frees;
    t->diff = r->diff;
    t->bytes = r->bytes;
    t->per_alloc = r->per_alloc;
    t->driver = r->mapped_driver;
    t->description = r->description;
}

static void row_from_series(trow *t, const pt_tag_series *ts, size_t last)
{
    const pt_series_point *p = &ts->points[last];
    memcpy(t->tag, ts->tag, 5);
    t->pool = ts->pool;
    t->allocs = p->allocs;
    t->frees = p->frees;
    t->diff = p->outstanding;
    t->bytes = p->bytes;
    t->per_alloc = p->outstanding > 0 ? p->bytes / (uint64_t)p->outstanding : 0;
    t->driver = ts->mapped_driver;
    t->description = ts->description;
    t->ts = ts;
}

static pt_pool_sort g_sort; /* qsort has no context argument in C11 */

static int cmp_u64(uint64_t a, uint64_t b) { return a < b ? 1 : a > b ? -1 : 0; }

static int by_sort(const void *pa, const void *pb)
{
    const trow *a = pa, *b = pb;
    int c = 0;
    switch (g_sort) {
    case PT_POOL_SORT_ALLOCS: c = cmp_u64(a->allocs, b->allocs); break;
    case PT_POOL_SORT_DIFF: c = a->diff < b->diff ? 1 : a->diff > b->diff ? -1 : 0; break;
    case PT_POOL_SORT_TAG: c = memcmp(a->tag, b->tag, 4); break;
    case PT_POOL_SORT_GROWTH: {
        double x = a->ts && a->ts->has_rate ? a->ts->bytes_per_hour : (a->ts ? (double)a->ts->delta_bytes : 0);
        double y = b->ts && b->ts->has_rate ? b->ts->bytes_per_hour : (b->ts ? (double)b->ts->delta_bytes : 0);
        c = x < y ? 1 : x > y ? -1 : 0;
        break;
    }
    case PT_POOL_SORT_BYTES: break;
    }
    if (c == 0)
        c = cmp_u64(a->bytes, b->bytes);
    if (c == 0)
        c = memcmp(a->tag, b->tag, 4);
    return c ? c : (int)a->pool - (int)b->pool;
}

static trow *make_table(pt_arena *arena, const pt_snapshot *snaps, size_t n,
                        const pt_series *series, const pt_pooltag_map *map,
                        pt_pool_sort sort, size_t *out_count)
{
    size_t count = series ? series->tag_count : snaps[n - 1].row_count;
    trow *rows = pt_arena_alloc(arena, (count ? count : 1) * sizeof *rows);
    if (rows == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        if (series)
            row_from_series(&rows[i], &series->tags[i], n - 1);
        else
            row_from_capture(&rows[i], &snaps[n - 1].rows[i]);
        if (map && rows[i].driver == NULL)
            rows[i].hint = owner_hint(arena, map, rows[i].tag);
    }
    g_sort = sort;
    qsort(rows, count, sizeof *rows, by_sort);
    *out_count = count;
    return rows;
}

/* Builds the sorted table of a document; false on out of memory. */
static bool table_open(const pt_pool_doc *d, table *t)
{
    memset(t, 0, sizeof *t);
    if (d->snapshot_count == 0)
        return false;
    t->arena = pt_arena_new();
    if (t->arena)
        t->rows = make_table(t->arena, d->snapshots, d->snapshot_count, d->series,
                             d->pooltags, d->sort, &t->count);
    return t->rows != NULL;
}

static void table_close(table *t) { pt_arena_free(t->arena); }

static const char *time_text(int64_t t, char *buf, size_t len)
{
    if (t == PT_UNKNOWN)
        return NULL;
    pt_time_format(t, buf, len);
    return buf;
}

static const char *short_pool(pt_pool_type p) { return p == PT_POOL_PAGED ? "Paged" : "Nonp"; }

static const char *owner_of(const trow *t)
{
    return t->driver ? t->driver : t->description ? t->description : t->hint;
}

/* ---- text ---- */

/* Bytes in binary units for people: "512 B", "4.7 GiB"; JSON and CSV keep
 * exact bytes. */
static const char *human(double v, bool sign, char *buf, size_t len)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double a = v < 0 ? -v : v;
    size_t u = 0;
    while (a >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        a /= 1024.0;
        u++;
    }
    const char *s = v < 0 ? "-" : sign ? "+" : "";
    if (u == 0)
        snprintf(buf, len, "%s%.0f B", s, a);
    else
        snprintf(buf, len, "%s%.1f %s", s, a, units[u]);
    return buf;
}

static const char *commas(uint64_t v, char *buf, size_t len)
{
    pt_report_commas(v, buf, len);
    return buf;
}

static const char *commas_signed(int64_t v, char *buf, size_t len)
{
    if (v >= 0)
        return commas((uint64_t)v, buf, len);
    buf[0] = '-';
    pt_report_commas((uint64_t)0 - (uint64_t)v, buf + 1, len - 1);
    return buf;
}

static void text_capture_line(pt_buf *b, size_t i, const pt_snapshot *s)
{
    char t[40];
    const char *ts = time_text(s->time, t, sizeof t);
    /* a time from the file's mtime is the time of the last copy, so say so */
    pt_term_printf(b, "  %zu  %s (%s)  %s  %s", i + 1, ts ? ts : "no time",
                  s->time_source == PT_TIME_MTIME ? "file time"
                  : s->time_source ? pt_time_source_name(s->time_source) : "none",
                  pt_capture_format_name(s->format), s->source);
    if (s->session && s->session_id >= 0)
        pt_term_printf(b, "  session %d", s->session_id);
    else if (s->session)
        pt_buf_puts(b, "  all sessions");
    /* Only the totals the capture states: never the sum of its rows, and
     * "?" for a pool it says nothing about (not 0). */
    char np[24] = "?", pg[24] = "?";
    uint64_t v;
    if (pt_snapshot_pool_total(s, PT_POOL_NONPAGED, &v))
        human((double)v, false, np, sizeof np);
    if (pt_snapshot_pool_total(s, PT_POOL_PAGED, &v))
        human((double)v, false, pg, sizeof pg);
    pt_term_printf(b, "  non-paged %s  paged %s, tags %zu\n", np, pg, s->row_count);
}

static void text_growth(pt_buf *b, const pt_tag_series *ts, bool order_unknown)
{
    char first[24], last[24], delta[24], rate[32] = "-";
    human((double)ts->first_bytes, false, first, sizeof first);
    human((double)ts->last_bytes, false, last, sizeof last);
    if (order_unknown) {
        pt_term_printf(b, " %10s %10s %11s %11s  %-6s", first, last, "?", "?", "?");
        return;
    }
    if (ts->has_rate)
        human(ts->bytes_per_hour, true, rate, sizeof rate);
    pt_term_printf(b, " %10s %10s %11s %11s  %-6s", first, last,
                  human((double)ts->delta_bytes, true, delta, sizeof delta), rate,
                  ts->steady ? "yes" : "no");
}

void pt_report_pool_text(const pt_pool_doc *d, const pt_report_opts *opts, pt_buf *b)
{
    (void)opts;
    table tb;
    if (!table_open(d, &tb)) {
        table_close(&tb);
        b->failed = true;
        return;
    }
    const pt_snapshot *s = d->snapshots;
    size_t n = d->snapshot_count, count = tb.count;
    const pt_series *series = d->series;
    const trow *rows = tb.rows;
    if (series)
        pt_term_printf(b, "series of %zu captures%s", n,
                      series->order_unknown ? ", order unknown: no growth computed"
                                            : "");
    else
        pt_term_printf(b, "capture");
    if (series && !series->order_unknown && series->timed)
        pt_term_printf(b, " over %.2f h", series->hours);
    pt_buf_puts(b, ":\n");
    for (size_t i = 0; i < n; i++)
        text_capture_line(b, i, &s[i]);
    pt_term_printf(b, "\n%-4s %-5s %13s %13s %11s %10s %9s", "Tag", "Type", "Allocs", "Frees",
                  "Diff", "Bytes", "Per Alloc");
    if (series)
        pt_term_printf(b, " %10s %10s %11s %11s  %-6s", "First", "Last", "Delta", "Bytes/h",
                      "Steady");
    pt_buf_puts(b, "  Driver / description\n");
    for (size_t i = 0; i < count; i++) {
        const trow *t = &rows[i];
        char al[32], fr[32], df[32], by[24], pa[24];
        pt_term_printf(b, "%-4s %-5s %13s %13s %11s %10s %9s", t->tag, short_pool(t->pool),
                      commas(t->allocs, al, sizeof al), commas(t->frees, fr, sizeof fr),
                      commas_signed(t->diff, df, sizeof df),
                      human((double)t->bytes, false, by, sizeof by),
                      human((double)t->per_alloc, false, pa, sizeof pa));
        if (series)
            text_growth(b, t->ts, series->order_unknown);
        const char *o = owner_of(t);
        pt_term_printf(b, "  %s%s\n", o ? o : "", !t->driver && !t->description && o ? " (pooltag)" : "");
    }
    table_close(&tb);
}

static void json_kv_str(pt_buf *b, const char *key, const char *s, bool comma)
{
    pt_buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
    pt_json_quote(b, s);
}

/* "key":"path","key_bytes":null|"hex" (see pt_json_add_path) */
static void json_kv_path(pt_buf *b, const char *key, const char *path, bool comma)
{
    json_kv_str(b, key, path, comma);
    pt_buf_printf(b, ",\"%s_bytes\":", key);
    if (path == NULL || pt_utf8_valid(path, strlen(path))) {
        pt_buf_puts(b, "null");
        return;
    }
    pt_buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        pt_buf_printf(b, "%02x", *p);
    pt_buf_puts(b, "\"");
}

static void json_kv_int(pt_buf *b, const char *key, int64_t v, bool known)
{
    if (known)
        pt_buf_printf(b, ",\"%s\":%" PRId64, key, v);
    else
        pt_buf_printf(b, ",\"%s\":null", key);
}

static void json_kv_num(pt_buf *b, const char *key, double v, bool known)
{
    if (known && isfinite(v))
        pt_buf_printf(b, ",\"%s\":%.17g", key, v);
    else
        pt_buf_printf(b, ",\"%s\":null", key);
}

static void json_capture(pt_buf *b, const pt_snapshot *s)
{
    char t[40];
    pt_buf_puts(b, "{");
    json_kv_path(b, "source", s->source, false);
    json_kv_str(b, "format", pt_capture_format_name(s->format), true);
    json_kv_str(b, "time", time_text(s->time, t, sizeof t), true);
    json_kv_str(b, "time_source", pt_time_source_name(s->time_source), true);
    pt_buf_printf(b, ",\"session\":%s", s->session ? "true" : "false");
    json_kv_int(b, "session_id", s->session_id, s->session && s->session_id >= 0);
    uint64_t np = 0, pg = 0;
    bool has_np = pt_snapshot_pool_total(s, PT_POOL_NONPAGED, &np);
    bool has_pg = pt_snapshot_pool_total(s, PT_POOL_PAGED, &pg);
    json_kv_int(b, "nonpaged_bytes", (int64_t)np, has_np && np <= INT64_MAX);
    json_kv_int(b, "paged_bytes", (int64_t)pg, has_pg && pg <= INT64_MAX);
    json_kv_int(b, "memory_kb", s->memory_kb, s->memory_kb >= 0);
    json_kv_int(b, "avail_kb", s->avail_kb, s->avail_kb >= 0);
    json_kv_int(b, "commit_kb", s->commit_kb, s->commit_kb >= 0);
    json_kv_int(b, "limit_kb", s->limit_kb, s->limit_kb >= 0);
    json_kv_int(b, "peak_kb", s->peak_kb, s->peak_kb >= 0);
    json_kv_int(b, "nonpaged_max_kb", s->nonpaged_max_kb, s->nonpaged_max_kb >= 0);
    pt_buf_printf(b, ",\"tags\":%zu,\"skipped\":%zu}", s->row_count, s->skipped_count);
}

static void json_growth(pt_buf *b, const pt_tag_series *ts, const pt_series *s)
{
    pt_buf_puts(b, ",\"growth\":{");
    pt_buf_printf(b, "\"first_bytes\":%" PRIu64 ",\"last_bytes\":%" PRIu64, ts->first_bytes,
                  ts->last_bytes);
    json_kv_int(b, "delta_bytes", ts->delta_bytes, !s->order_unknown);
    json_kv_num(b, "growth_percent", ts->growth_percent, !s->order_unknown);
    json_kv_int(b, "outstanding_delta", ts->outstanding_delta, !s->order_unknown);
    json_kv_num(b, "bytes_per_hour", ts->bytes_per_hour, ts->has_rate);
    pt_buf_printf(b, ",\"rising_intervals\":%zu,\"intervals\":%zu", ts->rising, ts->intervals);
    pt_buf_printf(b, ",\"steady\":%s,\"wrapped\":%s,\"reset\":%s,\"points\":[",
                  ts->steady ? "true" : "false", ts->wrapped ? "true" : "false",
                  ts->reset ? "true" : "false");
    for (size_t i = 0; i < s->capture_count; i++) {
        const pt_series_point *p = &ts->points[i];
        pt_buf_printf(b, "%s{\"present\":%s,\"allocs\":%" PRIu64 ",\"frees\":%" PRIu64
                      ",\"outstanding\":%" PRId64 ",\"bytes\":%" PRIu64 "}", i ? "," : "",
                      p->present ? "true" : "false", p->allocs, p->frees, p->outstanding, p->bytes);
    }
    pt_buf_puts(b, "]}");
}

static void json_row(pt_buf *b, const trow *t, const pt_series *s)
{
    pt_buf_puts(b, "{");
    json_kv_str(b, "tag", t->tag, false);
    json_kv_str(b, "pool", pt_pool_type_name(t->pool), true);
    pt_buf_printf(b, ",\"allocs\":%" PRIu64 ",\"frees\":%" PRIu64 ",\"diff\":%" PRId64
                  ",\"bytes\":%" PRIu64 ",\"per_alloc\":%" PRIu64, t->allocs, t->frees,
                  t->diff, t->bytes, t->per_alloc);
    json_kv_str(b, "mapped_driver", t->driver, true);
    json_kv_str(b, "description", t->description, true);
    json_kv_str(b, "pooltag", t->hint, true);
    pt_buf_printf(b, ",\"generic\":%s", pt_tag_is_generic(t->tag) ? "true" : "false");
    if (s)
        json_growth(b, t->ts, s);
    else
        pt_buf_puts(b, ",\"growth\":null");
    pt_buf_puts(b, "}");
}

static void json_series(pt_buf *b, const pt_series *s)
{
    if (s == NULL) {
        pt_buf_puts(b, ",\"series\":null");
        return;
    }
    const pt_series_limits *l = pt_series_default_limits();
    pt_buf_printf(b, ",\"series\":{\"captures\":%zu,\"order_unknown\":%s,\"timed\":%s",
                  s->capture_count, s->order_unknown ? "true" : "false",
                  s->timed ? "true" : "false");
    json_kv_num(b, "hours", s->hours, s->timed && !s->order_unknown);
    pt_buf_printf(b, ",\"steady_limits\":{\"min_rising_percent\":%u,\"min_growth_percent\":%u,"
                  "\"min_growth_bytes\":%" PRIu64 "}}", l->min_rising_percent,
                  l->min_growth_percent, l->min_growth_bytes);
}

void pt_report_pool_json(const pt_pool_doc *d, const pt_report_opts *opts, pt_buf *b)
{
    (void)opts;
    table tb;
    if (!table_open(d, &tb)) {
        table_close(&tb);
        b->failed = true;
        return;
    }
    const pt_snapshot *s = d->snapshots;
    size_t n = d->snapshot_count, count = tb.count;
    const pt_series *series = d->series;
    const trow *rows = tb.rows;
    pt_buf_puts(b, "{\"schema\":\"" POOL_SCHEMA "\",\"tool\":{\"version\":\"" PT_VERSION "\"}");
    pt_buf_puts(b, ",\"captures\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            pt_buf_puts(b, ",");
        json_capture(b, &s[i]);
    }
    pt_buf_puts(b, "]");
    json_series(b, series);
    pt_buf_puts(b, ",\"rows\":[");
    for (size_t i = 0; i < count; i++) {
        if (i)
            pt_buf_puts(b, ",");
        json_row(b, &rows[i], series);
    }
    pt_buf_puts(b, "],\"errors\":[");
    bool first = true;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < s[i].skipped_count; k++) {
            pt_buf_printf(b, "%s{", first ? "" : ",");
            json_kv_path(b, "source", s[i].source, false);
            pt_buf_printf(b, ",\"where\":\"line %u\"", (unsigned)s[i].skipped[k].line);
            json_kv_str(b, "message", s[i].skipped[k].message, true);
            pt_buf_puts(b, "}");
            first = false;
        }
    pt_arena *ar = pt_arena_new();
    for (size_t i = 0; i < n; i++)
        for (int p = PT_POOL_NONPAGED; p <= PT_POOL_PAGED; p++) {
            bool oom = false;
            const char *m = ar ? pt_snapshot_over_total(ar, &s[i], (pt_pool_type)p, &oom) : NULL;
            b->failed |= ar == NULL || oom;
            if (m == NULL)
                continue;
            pt_buf_printf(b, "%s{", first ? "" : ",");
            json_kv_path(b, "source", s[i].source, false);
            pt_buf_puts(b, ",\"where\":\"\"");
            json_kv_str(b, "message", m, true);
            pt_buf_puts(b, "}");
            first = false;
        }
    pt_arena_free(ar);
    pt_buf_puts(b, "]}\n");
    table_close(&tb);
}

static void csv_u64(pt_buf *b, uint64_t v)
{
    char n[32];
    snprintf(n, sizeof n, "%" PRIu64, v);
    pt_csv_number(b, n, false);
}

static void csv_i64(pt_buf *b, int64_t v, bool last)
{
    char n[32];
    snprintf(n, sizeof n, "%" PRId64, v);
    pt_csv_number(b, n, last);
}

/* The last five cells: delta_bytes .. outstanding_delta. */
static void csv_growth(pt_buf *b, const pt_tag_series *ts, const pt_series *s)
{
    if (ts == NULL || s->order_unknown) {
        for (int i = 0; i < 5; i++)
            pt_csv_number(b, NULL, i == 4);
        return;
    }
    char n[48] = "";
    csv_i64(b, ts->delta_bytes, false);
    if (isfinite(ts->growth_percent))
        snprintf(n, sizeof n, "%.6g", ts->growth_percent);
    pt_csv_number(b, n, false);
    n[0] = '\0';
    if (ts->has_rate)
        snprintf(n, sizeof n, "%.6f", ts->bytes_per_hour);
    pt_csv_number(b, n, false);
    pt_csv_cell(b, ts->steady ? "yes" : "no", false);
    csv_i64(b, ts->outstanding_delta, true);
}

static const char *const csv_columns[] = {
    "capture", "source", "time", "time_source", "format", "tag", "pool", "allocs", "frees",
    "diff", "bytes", "per_alloc", "mapped_driver", "description", "delta_bytes",
    "growth_percent", "bytes_per_hour", "steady", "outstanding_delta",
};

void pt_report_pool_csv(const pt_pool_doc *d, const pt_report_opts *opts, pt_buf *b)
{
    (void)opts;
    table tab;
    if (!table_open(d, &tab)) {
        table_close(&tab);
        b->failed = true;
        return;
    }
    const pt_snapshot *s = d->snapshots;
    size_t n = d->snapshot_count, count = tab.count;
    const pt_series *series = d->series;
    const trow *rows = tab.rows;
    size_t cols = sizeof csv_columns / sizeof csv_columns[0];
    for (size_t i = 0; i < cols; i++)
        pt_csv_cell(b, csv_columns[i], i + 1 == cols);
    for (size_t r = 0; r < count; r++) {
        const trow *t = &rows[r];
        for (size_t i = 0; i < n; i++) {
            char tb[40];
            uint64_t allocs = t->allocs, frees = t->frees, bytes = t->bytes, per = t->per_alloc;
            int64_t diff = t->diff;
            if (series) {
                const pt_series_point *p = &t->ts->points[i];
                if (!p->present)
                    continue;
                allocs = p->allocs, frees = p->frees, bytes = p->bytes, diff = p->outstanding;
                per = diff > 0 ? bytes / (uint64_t)diff : 0;
            }
            csv_u64(b, i + 1);
            pt_csv_cell(b, s[i].source, false);
            pt_csv_cell(b, time_text(s[i].time, tb, sizeof tb), false);
            pt_csv_cell(b, pt_time_source_name(s[i].time_source), false);
            pt_csv_cell(b, pt_capture_format_name(s[i].format), false);
            pt_csv_cell(b, t->tag, false);
            pt_csv_cell(b, pt_pool_type_name(t->pool), false);
            csv_u64(b, allocs);
            csv_u64(b, frees);
            csv_i64(b, diff, false);
            csv_u64(b, bytes);
            csv_u64(b, per);
            pt_csv_cell(b, t->driver, false);
            pt_csv_cell(b, t->description ? t->description : t->hint, false);
            csv_growth(b, series ? t->ts : NULL, series);
        }
    }
    table_close(&tab);
}
