/*
 * cmd_pool.c - `pooltriage pool`: parses pool captures (poolmon screens,
 * poolmon -n files, WinDbg !poolused), orders several into a series, and
 * prints them as a table sorted like poolmon -b, or as JSON or CSV.
 */
#include "cli.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POOL_SCHEMA "pooltriage.pool/1"

static void help(void)
{
    printf(
        "usage: pooltriage pool FILE [--at TIME] [FILE [--at TIME]]...\n"
        "                       [--pool-format F] [--pooltag FILE]...\n"
        "                       [--format text|json|csv] [--json] [--strict]\n"
        "                       [--sort bytes|allocs|diff|tag|growth] [-o FILE]\n"
        "\n"
        "Reads pool captures and prints their tags, largest first (poolmon -b).\n"
        "Several captures of one host form a series ordered by capture time,\n"
        "with growth columns: first and last bytes, delta, bytes per hour\n"
        "(least squares) and whether the tag grows steadily.\n"
        "\n"
        "  FILE              a poolmon screen, a poolmon -n snapshot or WinDbg\n"
        "                    !poolused output (UTF-8 or UTF-16LE, CRLF or LF)\n"
        "  --at TIME         capture time of the FILE before it (ISO-8601, UTC);\n"
        "                    else a timestamp in the file name, else one in its\n"
        "                    first lines (\"2026-11-20 08:00:00\", \"Date: ...\",\n"
        "                    WinDbg \"Debug session time: ...\"), else its mtime\n"
        "  --pool-format F   poolmon-console | poolmon-snapshot | poolused\n"
        "                    (default: detect)\n"
        "  --pooltag FILE    pooltag.txt or localtag.txt: names the owner of tags\n"
        "                    the capture does not map (repeatable)\n"
        "  --format F        text (default), json (one line) or csv (one row per\n"
        "                    tag and capture); --json is --format json\n"
        "  --sort KEY        bytes (default), allocs, diff, tag or growth\n"
        "  --strict          exit 3 when a capture has rows that were skipped\n"
        "  -o, --output FILE write the report to FILE (a temporary file, then a\n"
        "                    rename: never half a report)\n"
        "\n"
        "Steady growth: bytes rise in at least 80%% of the intervals, and by at\n"
        "least 10%% and 16 MiB from the first capture to the last.\n"
        "\n"
        "Exit: 0 parsed, 2 usage, 3 a file can't be read or is not a capture\n"
        "(or, with --strict, has skipped rows).\n");
}

typedef enum { OUT_TEXT, OUT_JSON, OUT_CSV } out_format;
typedef enum { SORT_BYTES, SORT_ALLOCS, SORT_DIFF, SORT_TAG, SORT_GROWTH } sort_key;

typedef struct input {
    const char *path;
    const char *at;
} input;

typedef struct args {
    input *files;
    size_t file_count;
    const char **pooltags;
    size_t pooltag_count;
    pt_capture_format format;
    out_format out;
    sort_key sort;
    bool strict;
} args;

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

/* ---- options ---- */

static int option_value(int argc, char **argv, int *i, const char *name, const char **out)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=') {
        *out = argv[*i] + n + 1;
        return 1;
    }
    if (strcmp(argv[*i], name) != 0)
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *out = argv[++*i];
    return 1;
}

static int set_choice(const char *v, const char *const *names, int *out, const char *opt)
{
    for (int k = 0; names[k]; k++)
        if (strcmp(v, names[k]) == 0) {
            *out = k;
            return 0;
        }
    return pt_cli_usage("pool", "unknown %s '%s'", opt, v);
}

static int parse_option(int argc, char **argv, int *i, args *a)
{
    static const char *const formats[] = {"text", "json", "csv", NULL};
    static const char *const sorts[] = {"bytes", "allocs", "diff", "tag", "growth", NULL};
    const char *v = NULL;
    int k = 0, rc;
    if ((rc = option_value(argc, argv, i, "--at", &v)) != 0) {
        if (rc < 0)
            return pt_cli_usage("pool", "option '--at' needs a value");
        if (a->file_count == 0 || a->files[a->file_count - 1].at)
            return pt_cli_usage("pool", "--at must follow the FILE it dates");
        a->files[a->file_count - 1].at = v;
    } else if ((rc = option_value(argc, argv, i, "--pool-format", &v)) != 0) {
        if (rc < 0)
            return pt_cli_usage("pool", "option '--pool-format' needs a value");
        a->format = pt_capture_format_parse(v);
        if (a->format == PT_FMT_UNKNOWN && strcmp(v, "auto") != 0)
            return pt_cli_usage("pool", "unknown --pool-format '%s'", v);
    } else if ((rc = option_value(argc, argv, i, "--pooltag", &v)) != 0) {
        if (rc < 0)
            return pt_cli_usage("pool", "option '--pooltag' needs a value");
        a->pooltags[a->pooltag_count++] = v;
    } else if ((rc = option_value(argc, argv, i, "--format", &v)) != 0) {
        if (rc < 0 || set_choice(v, formats, &k, "--format") != 0)
            return rc < 0 ? pt_cli_usage("pool", "option '--format' needs a value") : PT_EXIT_USAGE;
        a->out = (out_format)k;
    } else if ((rc = option_value(argc, argv, i, "--sort", &v)) != 0) {
        if (rc < 0 || set_choice(v, sorts, &k, "--sort") != 0)
            return rc < 0 ? pt_cli_usage("pool", "option '--sort' needs a value") : PT_EXIT_USAGE;
        a->sort = (sort_key)k;
    } else if ((rc = option_value(argc, argv, i, "--output", &v)) != 0 ||
               (rc = option_value(argc, argv, i, "-o", &v)) != 0) {
        if (rc < 0)
            return pt_cli_usage("pool", "option '%s' needs a value", argv[*i]);
        pt_cli_set_output(v);
    } else if (strcmp(argv[*i], "--json") == 0) {
        a->out = OUT_JSON;
    } else if (strcmp(argv[*i], "--strict") == 0) {
        a->strict = true;
    } else {
        return pt_cli_usage("pool", "unknown option '%s'", argv[*i]);
    }
    return 0;
}

/* 0, PT_EXIT_USAGE, or -1 after --help. */
static int parse(int argc, char **argv, args *a)
{
    a->files = calloc((size_t)argc, sizeof *a->files);
    a->pooltags = calloc((size_t)argc, sizeof *a->pooltags);
    if (a->files == NULL || a->pooltags == NULL)
        return pt_cli_usage("pool", "out of memory");
    bool only_files = false;
    for (int i = 1; i < argc; i++) {
        if (!only_files && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)) {
            help();
            return -1;
        }
        if (!only_files && strcmp(argv[i], "--") == 0) {
            only_files = true;
        } else if (!only_files && argv[i][0] == '-' && argv[i][1] != '\0') {
            int rc = parse_option(argc, argv, &i, a);
            if (rc != 0)
                return rc;
        } else {
            a->files[a->file_count++].path = argv[i];
        }
    }
    if (a->file_count == 0)
        return pt_cli_usage("pool", "give at least one capture FILE");
    return 0;
}

/* ---- loading ---- */

static void warn_skipped(const pt_snapshot *s)
{
    for (size_t i = 0; i < s->skipped_count; i++)
        fprintf(stderr, "pooltriage: warning: %s:%u: row skipped: %s\n", s->source,
                (unsigned)s->skipped[i].line, s->skipped[i].message);
}

static int load_all(pt_arena *arena, const args *a, pt_snapshot *snaps)
{
    for (size_t i = 0; i < a->file_count; i++) {
        pt_error err = {0};
        pt_code rc = pt_capture_load(arena, a->files[i].path, a->format, &snaps[i], &err);
        if (rc == PT_OK)
            rc = pt_capture_set_time(&snaps[i], a->files[i].path, a->files[i].at, &err);
        if (rc != PT_OK && (rc == PT_EFORMAT || rc == PT_ELIMIT) &&
            strstr(err.message, "header line") == NULL) {
            size_t len = strlen(err.message);
            snprintf(err.message + len, sizeof err.message - len,
                     ": expected a text capture (poolmon screen, poolmon -n snapshot "
                     "or WinDbg !poolused output)");
        }
        if (rc != PT_OK)
            return pt_cli_fail(&err);
        warn_skipped(&snaps[i]);
    }
    return PT_EXIT_OK;
}

static int load_pooltags(const args *a, pt_pooltag_map **out)
{
    *out = NULL;
    if (a->pooltag_count == 0)
        return PT_EXIT_OK;
    pt_pooltag_map *map = pt_pooltag_new();
    pt_error err = {0};
    pt_code rc = map ? PT_OK : pt_error_set(&err, PT_ENOMEM, "", "out of memory");
    for (size_t i = 0; rc == PT_OK && i < a->pooltag_count; i++)
        rc = pt_pooltag_load(map, a->pooltags[i], PT_TAGMAP_AUTO, &err);
    if (rc != PT_OK) {
        pt_pooltag_free(map);
        return pt_cli_fail(&err);
    }
    *out = map;
    return PT_EXIT_OK;
}

/* Why the order is unknown, on stderr. */
static void warn_order(const pt_snapshot *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i].time == PT_UNKNOWN) {
            fprintf(stderr, "pooltriage: warning: %s has no capture time", s[i].source);
            break;
        }
        if (i > 0 && s[i].time == s[i - 1].time) {
            fprintf(stderr, "pooltriage: warning: %s and %s have the same capture time",
                    s[i - 1].source, s[i].source);
            break;
        }
    }
    fprintf(stderr, ", so the order of the captures is unknown and growth is not computed; "
                    "give each FILE an --at TIME or a timestamp in its name\n");
}

/* ---- the table ---- */

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

static sort_key g_sort; /* qsort has no context argument in C11 */

static int cmp_u64(uint64_t a, uint64_t b) { return a < b ? 1 : a > b ? -1 : 0; }

static int by_sort(const void *pa, const void *pb)
{
    const trow *a = pa, *b = pb;
    int c = 0;
    switch (g_sort) {
    case SORT_ALLOCS: c = cmp_u64(a->allocs, b->allocs); break;
    case SORT_DIFF: c = a->diff < b->diff ? 1 : a->diff > b->diff ? -1 : 0; break;
    case SORT_TAG: c = memcmp(a->tag, b->tag, 4); break;
    case SORT_GROWTH: {
        double x = a->ts && a->ts->has_rate ? a->ts->bytes_per_hour : (a->ts ? (double)a->ts->delta_bytes : 0);
        double y = b->ts && b->ts->has_rate ? b->ts->bytes_per_hour : (b->ts ? (double)b->ts->delta_bytes : 0);
        c = x < y ? 1 : x > y ? -1 : 0;
        break;
    }
    case SORT_BYTES: break;
    }
    if (c == 0)
        c = cmp_u64(a->bytes, b->bytes);
    if (c == 0)
        c = memcmp(a->tag, b->tag, 4);
    return c ? c : (int)a->pool - (int)b->pool;
}

static trow *make_table(pt_arena *arena, const pt_snapshot *snaps, size_t n,
                        const pt_series *series, const pt_pooltag_map *map,
                        sort_key sort, size_t *out_count)
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

/* ---- shared formatting ---- */

static const char *time_text(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t == PT_UNKNOWN || gmtime_r(&tt, &tm) == NULL ||
        strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    return buf;
}

static const char *short_pool(pt_pool_type p) { return p == PT_POOL_PAGED ? "Paged" : "Nonp"; }

static const char *owner_of(const trow *t)
{
    return t->driver ? t->driver : t->description ? t->description : t->hint;
}

/* ---- text ---- */

static void text_capture_line(pt_buf *b, size_t i, const pt_snapshot *s)
{
    char t[40];
    const char *ts = time_text(s->time, t, sizeof t);
    pt_buf_printf(b, "  %zu  %s (%s)  %s  %s", i + 1, ts ? ts : "no time",
                  s->time_source ? pt_time_source_name(s->time_source) : "none",
                  pt_capture_format_name(s->format), s->source);
    if (s->session && s->session_id >= 0)
        pt_buf_printf(b, "  session %d", s->session_id);
    else if (s->session)
        pt_buf_puts(b, "  all sessions");
    /* Only the totals the capture states: never the sum of its rows, and
     * "?" for a pool it says nothing about (not 0). */
    char np[24] = "?", pg[24] = "?";
    uint64_t v;
    if (pt_snapshot_pool_total(s, PT_POOL_NONPAGED, &v))
        snprintf(np, sizeof np, "%" PRIu64, v);
    if (pt_snapshot_pool_total(s, PT_POOL_PAGED, &v))
        snprintf(pg, sizeof pg, "%" PRIu64, v);
    pt_buf_printf(b, "  non-paged %s  paged %s bytes, tags %zu\n", np, pg, s->row_count);
}

static void text_growth(pt_buf *b, const pt_tag_series *ts, bool order_unknown)
{
    if (order_unknown) {
        pt_buf_printf(b, " %12" PRIu64 " %12" PRIu64 " %12s %12s  %-6s", ts->first_bytes,
                      ts->last_bytes, "?", "?", "?");
        return;
    }
    char rate[32] = "-";
    if (ts->has_rate)
        snprintf(rate, sizeof rate, "%.1f", ts->bytes_per_hour);
    pt_buf_printf(b, " %12" PRIu64 " %12" PRIu64 " %+12" PRId64 " %12s  %-6s", ts->first_bytes,
                  ts->last_bytes, ts->delta_bytes, rate, ts->steady ? "yes" : "no");
}

static void render_text(pt_buf *b, const pt_snapshot *s, size_t n, const pt_series *series,
                        const trow *rows, size_t count)
{
    if (series)
        pt_buf_printf(b, "series of %zu captures%s", n,
                      series->order_unknown ? ", order unknown: no growth computed"
                                            : "");
    else
        pt_buf_printf(b, "capture");
    if (series && !series->order_unknown && series->timed)
        pt_buf_printf(b, " over %.2f h", series->hours);
    pt_buf_puts(b, ":\n");
    for (size_t i = 0; i < n; i++)
        text_capture_line(b, i, &s[i]);
    pt_buf_printf(b, "\n%-4s %-5s %12s %12s %10s %12s %9s", "Tag", "Type", "Allocs", "Frees",
                  "Diff", "Bytes", "Per Alloc");
    if (series)
        pt_buf_printf(b, " %12s %12s %12s %12s  %-6s", "First", "Last", "Delta", "Bytes/h",
                      "Steady");
    pt_buf_puts(b, "  Driver / description\n");
    for (size_t i = 0; i < count; i++) {
        const trow *t = &rows[i];
        pt_buf_printf(b, "%-4s %-5s %12" PRIu64 " %12" PRIu64 " %10" PRId64 " %12" PRIu64
                      " %9" PRIu64, t->tag, short_pool(t->pool), t->allocs, t->frees, t->diff,
                      t->bytes, t->per_alloc);
        if (series)
            text_growth(b, t->ts, series->order_unknown);
        const char *o = owner_of(t);
        pt_buf_printf(b, "  %s%s\n", o ? o : "", !t->driver && !t->description && o ? " (pooltag)" : "");
    }
}

/* ---- JSON ---- */

static void json_str(pt_buf *b, const char *s)
{
    if (s == NULL) {
        pt_buf_puts(b, "null");
        return;
    }
    pt_buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            pt_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            pt_buf_printf(b, "\\u%04x", *p);
        else
            pt_buf_append(b, (const char *)p, 1);
    }
    pt_buf_puts(b, "\"");
}

static void json_kv_str(pt_buf *b, const char *key, const char *s, bool comma)
{
    pt_buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
    json_str(b, s);
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
    json_kv_str(b, "source", s->source, false);
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

static void render_json(pt_buf *b, const pt_snapshot *s, size_t n, const pt_series *series,
                        const trow *rows, size_t count)
{
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
            json_kv_str(b, "source", s[i].source, false);
            pt_buf_printf(b, ",\"where\":\"line %u\"", (unsigned)s[i].skipped[k].line);
            json_kv_str(b, "message", s[i].skipped[k].message, true);
            pt_buf_puts(b, "}");
            first = false;
        }
    pt_buf_puts(b, "]}\n");
}

/* ---- CSV: one row per tag and capture ---- */

static void csv_field(pt_buf *b, const char *s)
{
    pt_buf_puts(b, ",");
    if (s == NULL)
        return;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        pt_buf_puts(b, s);
        return;
    }
    pt_buf_puts(b, "\"");
    for (const char *p = s; *p; p++)
        pt_buf_puts(b, *p == '"' ? "\"\"" : (char[2]){*p, '\0'});
    pt_buf_puts(b, "\"");
}

static void csv_growth(pt_buf *b, const pt_tag_series *ts, const pt_series *s)
{
    if (ts == NULL || s->order_unknown) {
        pt_buf_puts(b, ",,,,,");
        return;
    }
    pt_buf_printf(b, ",%" PRId64 ",", ts->delta_bytes);
    if (isfinite(ts->growth_percent))
        pt_buf_printf(b, "%.6g", ts->growth_percent);
    pt_buf_puts(b, ",");
    if (ts->has_rate)
        pt_buf_printf(b, "%.6f", ts->bytes_per_hour);
    pt_buf_printf(b, ",%s,%" PRId64, ts->steady ? "yes" : "no", ts->outstanding_delta);
}

static void render_csv(pt_buf *b, const pt_snapshot *s, size_t n, const pt_series *series,
                       const trow *rows, size_t count)
{
    pt_buf_puts(b, "capture,source,time,time_source,format,tag,pool,allocs,frees,diff,bytes,"
                   "per_alloc,mapped_driver,description,delta_bytes,growth_percent,"
                   "bytes_per_hour,steady,outstanding_delta\n");
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
            pt_buf_printf(b, "%zu", i + 1);
            csv_field(b, s[i].source);
            csv_field(b, time_text(s[i].time, tb, sizeof tb));
            csv_field(b, pt_time_source_name(s[i].time_source));
            csv_field(b, pt_capture_format_name(s[i].format));
            csv_field(b, t->tag);
            csv_field(b, pt_pool_type_name(t->pool));
            pt_buf_printf(b, ",%" PRIu64 ",%" PRIu64 ",%" PRId64 ",%" PRIu64 ",%" PRIu64, allocs,
                          frees, diff, bytes, per);
            csv_field(b, t->driver);
            csv_field(b, t->description ? t->description : t->hint);
            csv_growth(b, series ? t->ts : NULL, series);
            pt_buf_puts(b, "\n");
        }
    }
}

/* ---- the command ---- */

static int run(pt_arena *arena, const args *a)
{
    pt_snapshot *snaps = pt_arena_alloc(arena, a->file_count * sizeof *snaps);
    if (snaps == NULL)
        return pt_cli_usage("pool", "out of memory");
    int status = load_all(arena, a, snaps);
    pt_pooltag_map *map = NULL;
    if (status == PT_EXIT_OK)
        status = load_pooltags(a, &map);
    if (status != PT_EXIT_OK)
        return status;
    size_t n = a->file_count;
    pt_capture_sort(snaps, n);
    pt_series series;
    pt_error err = {0};
    if (n > 1 && pt_series_build(arena, snaps, n, NULL, &series, &err) != PT_OK) {
        pt_pooltag_free(map);
        return pt_cli_fail(&err);
    }
    if (n > 1 && series.order_unknown)
        warn_order(snaps, n);
    size_t count = 0;
    trow *rows = make_table(arena, snaps, n, n > 1 ? &series : NULL, map, a->sort, &count);
    pt_buf out = {0};
    if (rows == NULL)
        out.failed = true;
    else if (a->out == OUT_JSON)
        render_json(&out, snaps, n, n > 1 ? &series : NULL, rows, count);
    else if (a->out == OUT_CSV)
        render_csv(&out, snaps, n, n > 1 ? &series : NULL, rows, count);
    else
        render_text(&out, snaps, n, n > 1 ? &series : NULL, rows, count);
    status = pt_cli_write(&out);
    pt_buf_free(&out);
    pt_pooltag_free(map);
    for (size_t i = 0; status == PT_EXIT_OK && a->strict && i < n; i++)
        if (snaps[i].skipped_count)
            status = PT_EXIT_INPUT;
    return status;
}

int cmd_pool(int argc, char **argv)
{
    args a = {0};
    int status = parse(argc, argv, &a);
    if (status == 0) {
        pt_arena *arena = pt_arena_new();
        status = arena ? run(arena, &a) : pt_cli_usage("pool", "out of memory");
        pt_arena_free(arena);
    }
    free(a.files);
    free(a.pooltags);
    return status < 0 ? PT_EXIT_OK : status;
}
