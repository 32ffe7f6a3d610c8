/*
 * cmd_scan.c - `pooltriage scan`: the findstr /m /l /s replacement.  Reads
 * the tags, runs pt_scan over the folders and prints each file that holds a
 * tag with its evidence through the scan writers of the report stage.
 * Exit codes follow grep (CONTRACT.md).
 */
#include "cli.h"
#include "pooltriage/collect.h"
#include "pooltriage/limits.h"
#include "pooltriage/platform.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void help(void)
{
    printf(
        "usage: pooltriage scan DIR... (--tag TAG)... [--tags-file FILE]\n"
        "                       [--format text|json|csv] [--json] [--all-files]\n"
        "                       [--no-cache] [--cache FILE] [--threads N] [--hash]\n"
        "                       [--stats] [-o FILE]\n"
        "\n"
        "Finds the files under each DIR that hold any of the pool tags, in one\n"
        "pass over every file (findstr /m /l /s TAG, for many tags at once),\n"
        "and says how each file uses the tag, strongest evidence first.  PE\n"
        "files (drivers, DLLs) are listed; other files that hold a tag (notes,\n"
        "captures) are counted on stderr and listed with --all-files.\n"
        "\n"
        "  --tag TAG         a pool tag as poolmon shows it (repeatable); a\n"
        "                    3-character tag gets the trailing space poolmon\n"
        "                    hides: 'Irp' is 'Irp '; * (any characters) and ?\n"
        "                    (one) as poolmon /i and !poolused take them:\n"
        "                    'MFe*' is every tag starting MFe\n"
        "  --tags-file FILE  one tag per line; spaces in and after a tag are\n"
        "                    kept; empty lines and lines starting with # skipped\n"
        "  --format F        text (default), json or csv (one row per file and\n"
        "                    tag); --json is --format json\n"
        "  --all-files       also list files that are not PE images\n"
        "  -o, --output FILE write the report to FILE (a temporary file, then a\n"
        "                    rename: never half a report)\n"
        "  --no-cache        read every file, and leave the scan cache alone\n"
        "  --cache FILE      use this cache file instead of\n"
        "                    $XDG_CACHE_HOME/pooltriage/scan.sqlite\n"
        "  --threads N       worker threads (default: one per CPU)\n"
        "  --hash            also give each file's sha256 (read again, hashed)\n"
        "  --describe-all    read PE facts (and with --hash sha256) of every\n"
        "                    file, a full pass; for benchmarks\n"
        "  --stats           print files, bytes, cache hits and time on stderr\n"
        "\n"
        "Evidence: immediate (the tag is the argument of a call to a pool API),\n"
        "code (in an executable section), file (anywhere), hint (KMDF default\n"
        "tag of the file name).\n"
        "\n"
        "Exit: 0 a file holds a tag, 1 no file does, 2 usage, 3 an input\n"
        "can't be read (the files found are still printed).\n");
}

enum { OPT_TAG = 256, OPT_TAGS_FILE, OPT_FORMAT, OPT_JSON, OPT_NO_CACHE, OPT_CACHE,
       OPT_THREADS, OPT_HASH, OPT_DESCRIBE_ALL, OPT_STATS, OPT_HELP, OPT_ALL_FILES };

static const struct option long_opts[] = {
    {"tag", required_argument, NULL, OPT_TAG},
    {"tags-file", required_argument, NULL, OPT_TAGS_FILE},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"json", no_argument, NULL, OPT_JSON},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
    {"cache", required_argument, NULL, OPT_CACHE},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"hash", no_argument, NULL, OPT_HASH},
    {"describe-all", no_argument, NULL, OPT_DESCRIBE_ALL},
    {"stats", no_argument, NULL, OPT_STATS},
    {"all-files", no_argument, NULL, OPT_ALL_FILES},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

typedef struct args {
    char (*tags)[5];
    size_t tag_count, tag_cap;
    const char **dirs;
    size_t dir_count;
    bool json, csv, no_cache, hash, describe_all, stats, all_files;
    const char *cache;
    unsigned threads;
} args;

/* Adds a tag in its normal form (pt_tag_normalize).  Returns false when
 * it is not a tag or memory runs out. */
static bool add_tag(args *a, const char *s, size_t len)
{
    char tag[5];
    if (!pt_tag_normalize(s, len, tag))
        return false;
    if (a->tag_count == a->tag_cap) {
        size_t cap = a->tag_cap ? a->tag_cap * 2 : 16;
        void *p = realloc(a->tags, cap * sizeof *a->tags);
        if (p == NULL)
            return false;
        a->tags = p;
        a->tag_cap = cap;
    }
    memcpy(a->tags[a->tag_count++], tag, 5);
    return true;
}

/* --tag: a tag, or a pattern with * and ? that stands for every printable
 * tag it matches (scan looks for literal bytes). */
static int add_pattern(args *a, const char *s)
{
    if (!pt_tag_is_glob(s))
        return add_tag(a, s, strlen(s)) ? PT_EXIT_OK
               : pt_cli_usage("scan", "'%s' is not a pool tag (" PT_TAG_RULE ")", s);
    char (*tags)[5];
    size_t n;
    pt_error err = {0};
    if (pt_tag_glob_expand(s, PT_MAX_TAGS, &tags, &n, &err) != PT_OK)
        return pt_cli_usage("scan", "--tag '%s': %s", s, err.message);
    bool ok = n > 0;
    for (size_t i = 0; ok && i < n; i++)
        ok = add_tag(a, tags[i], 4);
    pt_free(tags);
    return ok ? PT_EXIT_OK : pt_cli_usage("scan", "'%s' is not a tag pattern (at most 4 "
                                          "characters besides *)", s);
}

/* --tags-file: one tag per line, as text (UTF-8, or UTF-16 with a BOM as
 * PowerShell writes it); a NUL byte or a line that is not a tag is an error
 * that names the file and the line, never a silently shortened tag. */
static int read_tags_file(args *a, const char *path)
{
    pt_arena *arena = pt_arena_new();
    uint8_t *data = NULL;
    size_t len = 0, text_len = 0, before = a->tag_count;
    char *text = NULL;
    pt_error err = {0};
    pt_code rc = arena ? pt_file_read(arena, path, PT_MAX_TAGFILE_BYTES, &data, &len, &err)
                       : pt_error_set(&err, PT_ENOMEM, path, "out of memory");
    if (rc == PT_OK && pt_text_decode(arena, data, len, &text, &text_len, &err) != PT_OK) {
        char at[sizeof err.where];
        memcpy(at, err.where, sizeof at);
        rc = pt_error_set(&err, PT_EFORMAT, path, "binary file (%s); a tags file has one tag "
                          "per line", at);
    }
    if (rc != PT_OK) {
        pt_arena_free(arena);
        if (rc == PT_EFORMAT || rc == PT_ENOMEM)
            return pt_cli_fail(&err);
        pt_cli_error("%s: %s (a tags file has one tag per line)", err.where, err.message);
        return pt_cli_exit_code(err.code);
    }
    int out = PT_EXIT_OK;
    unsigned no = 0;
    for (const char *p = text, *end = text + text_len; out == PT_EXIT_OK && p < end; no++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n > 0 && p[0] != '#' && !add_tag(a, p, n)) {
            char shown[41];   /* whole bytes, so the message escapes each one */
            snprintf(shown, sizeof shown, "%.*s", n > 40 ? 40 : (int)n, p);
            out = pt_cli_usage("scan", "%s:%u: '%s' is not a pool tag (" PT_TAG_RULE ")",
                               path, no + 1, shown);
        }
        p = nl ? nl + 1 : end;
    }
    if (out == PT_EXIT_OK && a->tag_count == before)
        out = pt_cli_usage("scan", "%s: no tag in the tags file (one tag per line)", path);
    if (out == PT_EXIT_OK && a->tag_count > PT_MAX_TAGS) {
        pt_cli_error("%s: more than %u tags; split the list", path, PT_MAX_TAGS);
        out = PT_EXIT_INPUT;
    }
    pt_arena_free(arena);
    return out;
}

static int parse(int argc, char **argv, args *a)
{
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", long_opts, NULL)) != -1) {
        int rc = PT_EXIT_OK;
        switch (c) {
        case OPT_TAG: rc = add_pattern(a, optarg); break;
        case OPT_TAGS_FILE: rc = read_tags_file(a, optarg); break;
        case OPT_FORMAT:
            if (strcmp(optarg, "json") == 0 || strcmp(optarg, "text") == 0 ||
                strcmp(optarg, "csv") == 0) {
                a->json = strcmp(optarg, "json") == 0;
                a->csv = strcmp(optarg, "csv") == 0;
            } else {
                return pt_cli_usage("scan", "unknown --format '%s' (text, json or csv)",
                                    optarg);
            }
            break;
        case OPT_JSON: a->json = true; a->csv = false; break;
        case OPT_NO_CACHE: a->no_cache = true; break;
        case OPT_CACHE: a->cache = optarg; break;
        case OPT_THREADS: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 64)
                return pt_cli_usage("scan", "--threads takes 1 to 64, not '%s'", optarg);
            a->threads = (unsigned)n;
            break;
        }
        case OPT_HASH: a->hash = true; break;
        case OPT_DESCRIBE_ALL: a->describe_all = true; break;
        case OPT_STATS: a->stats = true; break;
        case OPT_ALL_FILES: a->all_files = true; break;
        case 'o': pt_cli_set_output(optarg); break;
        case 'h':
        case OPT_HELP: help(); return -1;
        case ':': return pt_cli_usage("scan", "%s needs a value", argv[optind - 1]);
        default: return pt_cli_usage("scan", "unknown option '%s'", argv[optind - 1]);
        }
        if (rc != PT_EXIT_OK)
            return rc;
    }
    a->dirs = (const char **)argv + optind;
    a->dir_count = (size_t)(argc - optind);
    if (a->dir_count == 0)
        return pt_cli_usage("scan", "name at least one folder to scan");
    if (a->tag_count == 0)
        return pt_cli_usage("scan", "give at least one --tag or a --tags-file");
    return PT_EXIT_OK;
}

/* ---- output ---- */

static double now_s(void)
{
    return (double)pt_platform_now_ms() / 1e3;
}

static int run(args *a)
{
    pt_scan_opts o = {0};
    o.threads = a->threads;
    o.describe_all = a->describe_all;
    o.no_hash = !a->hash;
    bool tty = pt_cli_progress_wanted();
    if (tty) {
        o.progress = pt_cli_progress;
        o.progress_ctx = "pooltriage scan";
    }
    pt_error err = {0};
    if (!a->no_cache && pt_scan_cache_open(a->cache, &o.cache, &err) != PT_OK) {
        pt_cli_warn("%s: %s", err.where, err.message);
        o.cache = NULL;
    }
    pt_arena *arena = pt_arena_new();
    pt_scan_report r;
    double t0 = now_s();
    pt_code rc = arena ? pt_scan(arena, a->dirs, a->dir_count, (const char (*)[5])a->tags,
                                 a->tag_count, &o, &r, &err)
                       : pt_error_set(&err, PT_ENOMEM, "", "out of memory");
    double t1 = now_s();
    if (tty)
        fprintf(stderr, "\r\033[K");
    pt_scan_cache_close(o.cache);
    if (rc != PT_OK) {
        pt_arena_free(arena);
        return pt_cli_fail(&err);
    }
    for (size_t i = 0; i < r.error_count; i++)
        pt_cli_error("%s: %s", r.errors[i].source, r.errors[i].message);
    if (a->stats)
        fprintf(stderr, "pooltriage scan: %zu files, %llu bytes, %zu read, %zu from cache, "
                        "%zu described, %u threads, %s, %.3f s\n",
                r.stats.files, (unsigned long long)r.stats.bytes, r.stats.files_read,
                r.stats.cache_hits, r.stats.described, r.stats.threads, r.stats.simd, t1 - t0);
    size_t found = pt_report_scan_file_count(&r);
    pt_scan_doc doc = {.report = &r, .cache = !a->no_cache, .all_files = a->all_files};
    size_t hidden = 0;
    found = pt_report_scan_listed(&doc, &hidden);
    if (hidden)
        pt_cli_warn("%zu file%s that %s not a PE image also hold%s a tag; --all-files "
                    "lists %s", hidden, hidden == 1 ? "" : "s", hidden == 1 ? "is" : "are",
                    hidden == 1 ? "s" : "", hidden == 1 ? "it" : "them");
    pt_buf out = {0};
    if (a->json)
        pt_report_scan_json(&doc, NULL, &out);
    else if (a->csv)
        pt_report_scan_csv(&doc, NULL, &out);
    else
        pt_report_scan_text(&doc, NULL, &out);
    int code = pt_cli_write(&out);
    pt_buf_free(&out);
    if (code == PT_EXIT_OK)
        code = r.error_count ? PT_EXIT_INPUT : found ? 0 : 1;
    pt_arena_free(arena);
    return code;
}

int cmd_scan(int argc, char **argv)
{
    args a = {0};
    int rc = parse(argc, argv, &a);
    if (rc == -1)
        rc = PT_EXIT_OK;
    else if (rc == PT_EXIT_OK)
        rc = run(&a);
    free(a.tags);
    return rc;
}
