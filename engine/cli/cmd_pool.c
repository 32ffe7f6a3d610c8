/*
 * cmd_pool.c - `pooltriage pool`: parses pool captures (poolmon screens,
 * poolmon -n files, WinDbg !poolused), orders several into a series, and
 * hands them to the pool writers of the report stage (table, JSON, CSV).
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
        "                       [--format text|json|csv|html] [--json] [--strict]\n"
        "                       [--sort bytes|allocs|diff|tag|growth] [-o FILE]\n"
        "                       [--tag PATTERN]... [--exclude PATTERN]...\n"
        "                       [--pool paged|nonpaged]\n"
        "                       [--live [--every SECONDS --count N] [--out DIR]]\n"
        "\n"
        "Reads pool captures and prints their tags, largest first (poolmon -b).\n"
        "Several captures of one host form a series ordered by capture time,\n"
        "with growth columns: first and last bytes, delta, bytes per hour\n"
        "(least squares) and whether the tag grows steadily.\n"
        "\n"
        "  FILE              a poolmon screen, a poolmon -n snapshot or WinDbg\n"
        "                    !poolused output (UTF-8 or UTF-16LE, CRLF or LF)\n"
        "                    or a .zip, .tar, .tar.gz or .tar.xz of them (read\n"
        "                    in memory, never extracted)\n"
        "  --at TIME         capture time of the FILE before it (ISO-8601, UTC);\n"
        "                    else a timestamp in the file name, else one in its\n"
        "                    first lines (\"2026-11-20 08:00:00\", \"Date: ...\",\n"
        "                    WinDbg \"Debug session time: ...\"), else its mtime\n"
        "  --pool-format F   poolmon-console | poolmon-snapshot | poolused\n"
        "                    (default: detect)\n"
        "  --pooltag FILE    pooltag.txt or localtag.txt: names the owner of tags\n"
        "                    the capture does not map (repeatable)\n"
        "  --format F        text (default), json (one line), csv (one row per\n"
        "                    tag and capture) or html (one page with charts);\n"
        "                    --json is --format json\n"
        "  --sort KEY        bytes (default), allocs, diff, tag or growth\n"
        "  --tag PATTERN     show only tags that match (repeatable; poolmon /i):\n"
        "                    * any characters, ? one, case-sensitive; 'Irp' is\n"
        "                    'Irp ', 'MFe*' is every tag starting MFe\n"
        "  --exclude PATTERN hide tags that match (repeatable; poolmon /x)\n"
        "  --pool P          paged or nonpaged: that pool's rows only (poolmon /p)\n"
        "  --live            read this Windows host's pool (pooltriage.exe as\n"
        "                    Administrator; NtQuerySystemInformation, as poolmon)\n"
        "  --every SECONDS   with --live: seconds between readings\n"
        "  --count N         with --live: number of readings (a series)\n"
        "  --out DIR         with --live: keep the readings there as poolmon -n\n"
        "                    files named by their UTC time (else a temporary folder)\n"
        "  --strict          exit 3 when a capture has rows that were skipped, or\n"
        "                    tag rows that add up to more than its header's total\n"
        "  -o, --output FILE write the report to FILE (a temporary file, then a\n"
        "                    rename: never half a report)\n"
        "\n"
        "The text shows bytes in binary units (4.7 GiB); JSON and CSV give exact\n"
        "bytes.  Steady growth: bytes rise in at least 80%% of the intervals, and by at\n"
        "least 10%% and 16 MiB from the first capture to the last.\n"
        "\n"
        "Exit: 0 parsed, 2 usage, 3 a file can't be read or is not a capture\n"
        "(or, with --strict, has skipped rows or rows past its header's total).\n");
}

typedef enum { OUT_TEXT, OUT_JSON, OUT_CSV, OUT_HTML } out_format;

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
    pt_pool_sort sort;
    bool strict;
    const char **include, **exclude;   /* --tag, --exclude patterns */
    size_t include_count, exclude_count;
    int pool;                          /* --pool: a pt_pool_type, or -1 for both */
    bool live;                         /* --live and its series */
    unsigned every, count;
    const char *live_dir;
    char **live_paths;
    size_t live_count;
} args;

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
    static const char *const formats[] = {"text", "json", "csv", "html", NULL};
    static const char *const sorts[] = {"bytes", "allocs", "diff", "tag", "growth", NULL};
    const char *v = NULL, *opt = argv[*i];
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
        a->sort = (pt_pool_sort)k;
    } else if ((rc = option_value(argc, argv, i, "--output", &v)) != 0 ||
               (rc = option_value(argc, argv, i, "-o", &v)) != 0) {
        if (rc < 0)
            return pt_cli_usage("pool", "option '%s' needs a value", argv[*i]);
        pt_cli_set_output(v);
    } else if ((rc = option_value(argc, argv, i, "--tag", &v)) != 0 ||
               (rc = option_value(argc, argv, i, "--exclude", &v)) != 0) {
        bool inc = strncmp(opt, "--tag", 5) == 0;
        if (rc < 0)
            return pt_cli_usage("pool", "option '%s' needs a value", argv[*i]);
        size_t fixed = 0;   /* characters that take a place in the tag */
        for (const char *q = v; *q; q++)
            fixed += *q != '*';
        if (v[0] == '\0' || fixed > 4)
            return pt_cli_usage("pool", "'%s' is not a tag pattern (1 to 4 characters, "
                                "* and ? allowed)", v);
        if (inc)
            a->include[a->include_count++] = v;
        else
            a->exclude[a->exclude_count++] = v;
    } else if ((rc = option_value(argc, argv, i, "--pool", &v)) != 0) {
        if (rc < 0)
            return pt_cli_usage("pool", "option '--pool' needs a value");
        if (strcmp(v, "paged") == 0)
            a->pool = PT_POOL_PAGED;
        else if (strcmp(v, "nonpaged") == 0)
            a->pool = PT_POOL_NONPAGED;
        else
            return pt_cli_usage("pool", "unknown --pool '%s' (paged or nonpaged)", v);
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
    a->include = calloc((size_t)argc, sizeof *a->include);
    a->exclude = calloc((size_t)argc, sizeof *a->exclude);
    a->pool = -1;
    if (a->files == NULL || a->pooltags == NULL || a->include == NULL || a->exclude == NULL)
        return pt_cli_usage("pool", "out of memory");
    bool only_files = false;
    for (int i = 1; i < argc; i++) {
        if (!only_files && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)) {
            help();
            return -1;
        }
        if (!only_files && strcmp(argv[i], "--") == 0) {
            only_files = true;
        } else if (!only_files && strcmp(argv[i], "--live") == 0) {
            a->live = true;
        } else if (!only_files && (strcmp(argv[i], "--every") == 0 ||
                                   strcmp(argv[i], "--count") == 0)) {
            char *end;
            unsigned long v = i + 1 < argc ? strtoul(argv[i + 1], &end, 10) : 0;
            if (i + 1 >= argc || end == argv[i + 1] || *end || v > 86400)
                return pt_cli_usage("pool", "%s needs a number (0-86400)", argv[i]);
            if (argv[i][2] == 'e')
                a->every = (unsigned)v;
            else
                a->count = (unsigned)v;
            i++;
        } else if (!only_files && strcmp(argv[i], "--out") == 0) {
            if (i + 1 >= argc)
                return pt_cli_usage("pool", "option '--out' needs a value");
            a->live_dir = argv[++i];
        } else if (!only_files && argv[i][0] == '-' && argv[i][1] != '\0') {
            int rc = parse_option(argc, argv, &i, a);
            if (rc != 0)
                return rc;
        } else {
            a->files[a->file_count++].path = argv[i];
        }
    }
    if (!a->live && (a->every || a->count || a->live_dir))
        return pt_cli_usage("pool", "--every, --count and --out go with --live");
    if (a->live) {
        int st = pt_cli_live_series(a->live_dir, a->every, a->count, &a->live_paths,
                                    &a->live_count);
        if (st != PT_EXIT_OK)
            return st;
        input *more = realloc(a->files, ((size_t)argc + a->live_count) * sizeof *more);
        if (more == NULL)
            return pt_cli_usage("pool", "out of memory");
        a->files = more;
        for (size_t k = 0; k < a->live_count; k++)
            a->files[a->file_count++] = (input){a->live_paths[k], NULL};
    }
    if (a->file_count == 0)
        return pt_cli_usage("pool", "give at least one capture FILE");
    return 0;
}

/* ---- loading ---- */

static void warn_skipped(const pt_snapshot *s)
{
    for (size_t i = 0; i < s->skipped_count; i++)
        pt_cli_warn("%s:%u: row skipped: %s", s->source, (unsigned)s->skipped[i].line,
                    s->skipped[i].message);
}

/* Every capture of an archive FILE (.zip, .tar, .tar.gz, .tar.xz) joins
 * the others; --at cannot date an archive's many captures. */
static int load_archive(pt_arena *arena, const input *in, pt_capture_format fmt,
                        pt_snapshot **snaps, size_t *n, size_t *cap)
{
    pt_error err = {0};
    pt_snapshot *got = NULL;
    size_t count = 0;
    if (in->at)
        return pt_cli_usage("pool", "--at cannot date '%s': an archive holds many captures, "
                            "each dated by its name, content or time in the archive", in->path);
    if (pt_capture_load_archive(arena, in->path, fmt, &got, &count, &err) != PT_OK)
        return pt_cli_fail(&err);
    if (count == 0) {
        pt_cli_error("%s: no pool capture in this archive (poolmon screen, "
                     "poolmon -n snapshot or WinDbg !poolused output)", in->path);
        return PT_EXIT_INPUT;
    }
    for (size_t k = 0; k < count; k++)
        if (!PT_PUSH(*snaps, *n, *cap, got[k]))
            return pt_cli_usage("pool", "out of memory");
    return PT_EXIT_OK;
}

static int load_all(pt_arena *arena, const args *a, pt_snapshot **out, size_t *out_n)
{
    pt_snapshot *snaps = NULL;
    size_t n = 0, cap = 0;
    int status = PT_EXIT_OK;
    for (size_t i = 0; i < a->file_count && status == PT_EXIT_OK; i++) {
        pt_error err = {0};
        pt_snapshot s;
        if (pt_archive_name(a->files[i].path) && pt_platform_is_file(a->files[i].path)) {
            status = load_archive(arena, &a->files[i], a->format, &snaps, &n, &cap);
            continue;
        }
        pt_code rc = pt_capture_load(arena, a->files[i].path, a->format, &s, &err);
        if (rc == PT_OK)
            rc = pt_capture_set_time(&s, a->files[i].path, a->files[i].at, &err);
        if (rc != PT_OK && (rc == PT_EFORMAT || rc == PT_ELIMIT) &&
            strstr(err.message, "header line") == NULL) {
            size_t len = strlen(err.message);
            snprintf(err.message + len, sizeof err.message - len,
                     ": expected a text capture (poolmon screen, poolmon -n snapshot "
                     "or WinDbg !poolused output)");
        }
        if (rc != PT_OK)
            status = pt_cli_fail(&err);
        else if (!PT_PUSH(snaps, n, cap, s))
            status = pt_cli_usage("pool", "out of memory");
    }
    for (size_t i = 0; status == PT_EXIT_OK && i < n; i++) {
        warn_skipped(&snaps[i]);
        for (int p = PT_POOL_NONPAGED; p <= PT_POOL_PAGED; p++) {
            const char *m = pt_snapshot_over_total(arena, &snaps[i], (pt_pool_type)p, NULL);
            if (m)
                pt_cli_warn("%s: %s", snaps[i].source, m);
        }
    }
    if (!pt_arena_adopt(arena, snaps) && status == PT_EXIT_OK)
        status = pt_cli_usage("pool", "out of memory");
    *out = snaps;
    *out_n = n;
    return status;
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
    const char *why = ", so the order of the captures is unknown and growth is not "
                      "computed; give each FILE an --at TIME or a timestamp in its name";
    for (size_t i = 0; i < n; i++) {
        if (s[i].time == PT_UNKNOWN) {
            pt_cli_warn("%s has no capture time%s", s[i].source, why);
            return;
        }
        if (i > 0 && s[i].time == s[i - 1].time) {
            pt_cli_warn("%s and %s have the same capture time%s", s[i - 1].source,
                        s[i].source, why);
            return;
        }
    }
    pt_cli_warn("the order of the captures is unknown and growth is not computed; "
                "give each FILE an --at TIME or a timestamp in its name");
}

/* ---- the filters: --tag, --exclude, --pool (poolmon /i, /x, /p) ---- */

static bool any_match(const char *const *patterns, size_t count, const char tag[4])
{
    for (size_t i = 0; i < count; i++)
        if (pt_tag_glob_match(patterns[i], tag))
            return true;
    return false;
}

static bool row_shown(const args *a, const pt_pool_row *r)
{
    if (a->pool >= 0 && (int)r->pool != a->pool)
        return false;
    if (a->include_count && !any_match(a->include, a->include_count, r->tag))
        return false;
    return !any_match(a->exclude, a->exclude_count, r->tag);
}

/* Keeps only the rows the filters show, before the series is built, so
 * every format shows the same tags; the capture's own totals stay, and the
 * bytes of the rows taken out still count in shares. */
static void filter_rows(const args *a, pt_snapshot *snaps, size_t n)
{
    if (a->pool < 0 && a->include_count == 0 && a->exclude_count == 0)
        return;
    for (size_t i = 0; i < n; i++) {
        size_t kept = 0;
        for (size_t r = 0; r < snaps[i].row_count; r++) {
            const pt_pool_row *row = &snaps[i].rows[r];
            if (row_shown(a, row)) {
                snaps[i].rows[kept++] = *row;
                continue;
            }
            /* still part of the pool: a shown tag's share stays its share */
            uint64_t *f = &snaps[i].filtered_bytes[row->pool == PT_POOL_PAGED ? 1 : 0];
            *f = row->bytes > UINT64_MAX - *f ? UINT64_MAX : *f + row->bytes;
        }
        snaps[i].row_count = kept;
    }
}

/* ---- the command ---- */

static int run(pt_arena *arena, const args *a)
{
    pt_snapshot *snaps = NULL;
    size_t n = 0;
    int status = load_all(arena, a, &snaps, &n);
    pt_pooltag_map *map = NULL;
    if (status == PT_EXIT_OK)
        status = load_pooltags(a, &map);
    if (status != PT_EXIT_OK)
        return status;
    filter_rows(a, snaps, n);
    pt_capture_sort(snaps, n);
    pt_series series;
    pt_error err = {0};
    if (n > 1 && pt_series_build(arena, snaps, n, NULL, &series, &err) != PT_OK) {
        pt_pooltag_free(map);
        return pt_cli_fail(&err);
    }
    if (n > 1 && series.order_unknown)
        warn_order(snaps, n);
    pt_pool_doc doc = {.snapshots = snaps, .snapshot_count = n,
                       .series = n > 1 ? &series : NULL, .pooltags = map, .sort = a->sort};
    pt_buf out = {0};
    if (a->out == OUT_JSON)
        pt_report_pool_json(&doc, NULL, &out);
    else if (a->out == OUT_CSV)
        pt_report_pool_csv(&doc, NULL, &out);
    else if (a->out == OUT_HTML)
        pt_report_pool_html(snaps, n, &out);
    else
        pt_report_pool_text(&doc, NULL, &out);
    status = pt_cli_write(&out);
    pt_buf_free(&out);
    pt_pooltag_free(map);
    for (size_t i = 0; status == PT_EXIT_OK && a->strict && i < n; i++)
        if (snaps[i].skipped_count ||
            pt_snapshot_over_total(arena, &snaps[i], PT_POOL_NONPAGED, NULL) ||
            pt_snapshot_over_total(arena, &snaps[i], PT_POOL_PAGED, NULL))
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
    free(a.include);
    free(a.exclude);
    return status < 0 ? PT_EXIT_OK : status;
}
