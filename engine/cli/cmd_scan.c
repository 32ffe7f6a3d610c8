/*
 * cmd_scan.c - `pooltriage scan`: the findstr /m /l /s replacement.  Reads
 * the tags, runs pt_scan over the folders and prints each file that holds a
 * tag with its evidence, best first.  Exit codes follow grep (CONTRACT.md).
 */
#include "cli.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void help(void)
{
    printf(
        "usage: pooltriage scan DIR... (--tag TAG)... [--tags-file FILE]\n"
        "                       [--format text|json] [--json] [--no-cache]\n"
        "                       [--cache FILE] [--threads N] [--hash] [--stats]\n"
        "                       [-o FILE]\n"
        "\n"
        "Finds the files under each DIR that hold any of the pool tags, in one\n"
        "pass over every file (findstr /m /l /s TAG, for many tags at once),\n"
        "and says how each file uses the tag, strongest evidence first.\n"
        "\n"
        "  --tag TAG         a pool tag as poolmon shows it (repeatable); a\n"
        "                    3-character tag gets the trailing space poolmon\n"
        "                    hides: 'Irp' is 'Irp '\n"
        "  --tags-file FILE  one tag per line; spaces in and after a tag are\n"
        "                    kept; empty lines and lines starting with # skipped\n"
        "  --format F        text (default) or json; --json is --format json\n"
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
       OPT_THREADS, OPT_HASH, OPT_DESCRIBE_ALL, OPT_STATS, OPT_HELP };

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
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

typedef struct args {
    char (*tags)[5];
    size_t tag_count, tag_cap;
    const char **dirs;
    size_t dir_count;
    bool json, no_cache, hash, describe_all, stats;
    const char *cache;
    unsigned threads;
} args;

/* Adds a tag as poolmon shows it: 1-4 bytes, a short one padded with
 * spaces.  Returns false when it does not fit. */
static bool add_tag(args *a, const char *s, size_t len)
{
    if (len == 0 || len > 4 || memchr(s, '\0', len))
        return false;
    if (a->tag_count == a->tag_cap) {
        size_t cap = a->tag_cap ? a->tag_cap * 2 : 16;
        void *p = realloc(a->tags, cap * sizeof *a->tags);
        if (p == NULL)
            return false;
        a->tags = p;
        a->tag_cap = cap;
    }
    memset(a->tags[a->tag_count], ' ', 4);
    memcpy(a->tags[a->tag_count], s, len);
    a->tags[a->tag_count++][4] = '\0';
    return true;
}

static int read_tags_file(args *a, const char *path)
{
    FILE *f;
    pt_error err = {0};
    if (pt_platform_fopen_input(path, &f, &err) != PT_OK) {
        fprintf(stderr, "pooltriage scan: %s: %s%s\n", path,
                errno ? "cannot open the tags file; check the path" : err.message,
                errno ? "" : " (a tags file has one tag per line)");
        return PT_EXIT_INPUT;
    }
    char line[256];
    unsigned no = 0;
    int rc = PT_EXIT_OK;
    while (rc == PT_EXIT_OK && fgets(line, sizeof line, f)) {
        no++;
        size_t len = strcspn(line, "\r\n");
        line[len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (!add_tag(a, line, len))
            rc = pt_cli_usage("scan", "%s:%u: '%s' is not a pool tag (1 to 4 characters)",
                              path, no, line);
    }
    if (rc == PT_EXIT_OK && ferror(f)) {
        fprintf(stderr, "pooltriage scan: %s: cannot read the tags file\n", path);
        rc = PT_EXIT_INPUT;
    }
    fclose(f);
    return rc;
}

static int parse(int argc, char **argv, args *a)
{
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":ho:", long_opts, NULL)) != -1) {
        int rc = PT_EXIT_OK;
        switch (c) {
        case OPT_TAG:
            if (!add_tag(a, optarg, strlen(optarg)))
                return pt_cli_usage("scan", "'%s' is not a pool tag (1 to 4 characters)",
                                    optarg);
            break;
        case OPT_TAGS_FILE: rc = read_tags_file(a, optarg); break;
        case OPT_FORMAT:
            if (strcmp(optarg, "json") == 0 || strcmp(optarg, "text") == 0)
                a->json = strcmp(optarg, "json") == 0;
            else
                return pt_cli_usage("scan", "unknown --format '%s' (text or json)", optarg);
            break;
        case OPT_JSON: a->json = true; break;
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

/* A file holds a tag when some candidate of it has byte evidence; a file
 * named only by a hint (its KMDF default tag) is listed under the tag's
 * attributions but not as a file that holds it. */
static bool holds(const pt_scan_report *r, const pt_driver *d)
{
    for (size_t a = 0; a < r->attribution_count; a++)
        for (size_t c = 0; c < r->attributions[a].candidate_count; c++)
            if (r->attributions[a].candidates[c].driver == d &&
                r->attributions[a].candidates[c].best != PT_EV_HINT)
                return true;
    return false;
}

/* The candidates of one driver, in tag order (the attributions' order). */
static void text_driver(pt_buf *out, const pt_scan_report *r, const pt_driver *d)
{
    if (d->sha256[0])
        pt_buf_printf(out, "%s  sha256 %s\n", d->path, d->sha256);
    else
        pt_buf_printf(out, "%s\n", d->path);
    for (size_t a = 0; a < r->attribution_count; a++) {
        const pt_attribution *at = &r->attributions[a];
        for (size_t c = 0; c < at->candidate_count; c++) {
            const pt_candidate *cd = &at->candidates[c];
            if (cd->driver != d)
                continue;
            pt_buf_printf(out, "  %s  %s  confidence %.2f  (%zu hit%s)\n", at->tag,
                          pt_evidence_kind_name(cd->best), cd->confidence,
                          cd->evidence_count, cd->evidence_count == 1 ? "" : "s");
            for (size_t e = 0; e < cd->evidence_count && e < 8; e++) {
                const pt_evidence *ev = &cd->evidence[e];
                pt_buf_printf(out, "    %-9s", pt_evidence_kind_name(ev->kind));
                if (ev->kind != PT_EV_HINT)
                    pt_buf_printf(out, " 0x%llx", (unsigned long long)ev->offset);
                if (ev->section)
                    pt_buf_printf(out, " in %s", ev->section);
                if (ev->detail)
                    pt_buf_printf(out, ": %s", ev->detail);
                pt_buf_puts(out, "\n");
            }
            if (cd->evidence_count > 8)
                pt_buf_printf(out, "    ... %zu more\n", cd->evidence_count - 8);
        }
    }
}

static cJSON *evidence_json(const pt_candidate *cd)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t e = 0; arr && e < cd->evidence_count; e++) {
        const pt_evidence *ev = &cd->evidence[e];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "kind", pt_evidence_kind_name(ev->kind));
        if (ev->kind == PT_EV_HINT)
            cJSON_AddNullToObject(o, "offset");
        else
            cJSON_AddNumberToObject(o, "offset", (double)ev->offset);
        if (ev->section)
            cJSON_AddStringToObject(o, "section", ev->section);
        else
            cJSON_AddNullToObject(o, "section");
        if (ev->detail)
            cJSON_AddStringToObject(o, "detail", ev->detail);
        else
            cJSON_AddNullToObject(o, "detail");
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static void add_str_or_null(cJSON *o, const char *key, const char *v)
{
    if (v && v[0])
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *file_json(const pt_scan_report *r, const pt_driver *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", d->path);
    cJSON_AddStringToObject(o, "name", d->name);
    cJSON_AddNumberToObject(o, "size", (double)d->size);
    add_str_or_null(o, "sha256", d->sha256);
    add_str_or_null(o, "machine", d->pe_read ? pt_pe_machine_name(d->pe.machine) : NULL);
    add_str_or_null(o, "file_version", d->pe_read ? pt_pe_file_version(&d->pe) : NULL);
    add_str_or_null(o, "company", d->pe_read ? pt_pe_company(&d->pe) : NULL);
    add_str_or_null(o, "error", d->error);
    cJSON *tags = cJSON_AddArrayToObject(o, "tags");
    for (size_t a = 0; a < r->attribution_count; a++)
        for (size_t c = 0; c < r->attributions[a].candidate_count; c++) {
            const pt_candidate *cd = &r->attributions[a].candidates[c];
            if (cd->driver != d)
                continue;
            cJSON *t = cJSON_CreateObject();
            cJSON_AddStringToObject(t, "tag", r->attributions[a].tag);
            cJSON_AddStringToObject(t, "best", pt_evidence_kind_name(cd->best));
            cJSON_AddNumberToObject(t, "confidence", cd->confidence);
            cJSON_AddItemToObject(t, "evidence", evidence_json(cd));
            cJSON_AddItemToArray(tags, t);
        }
    return o;
}

static void json_report(pt_buf *out, const pt_scan_report *r, const args *a)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "pooltriage.scan/1");
    cJSON *tags = cJSON_AddArrayToObject(root, "tags");
    for (size_t i = 0; i < r->attribution_count; i++)
        cJSON_AddItemToArray(tags, cJSON_CreateString(r->attributions[i].tag));
    cJSON *files = cJSON_AddArrayToObject(root, "files");
    for (size_t i = 0; i < r->driver_count; i++)
        if (holds(r, &r->drivers[i]))
            cJSON_AddItemToArray(files, file_json(r, &r->drivers[i]));
    cJSON *by_tag = cJSON_AddObjectToObject(root, "attributions");
    for (size_t i = 0; i < r->attribution_count; i++) {
        cJSON *list = cJSON_AddArrayToObject(by_tag, r->attributions[i].tag);
        for (size_t c = 0; c < r->attributions[i].candidate_count; c++) {
            const pt_candidate *cd = &r->attributions[i].candidates[c];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "path", cd->driver->path);
            cJSON_AddStringToObject(o, "best", pt_evidence_kind_name(cd->best));
            cJSON_AddNumberToObject(o, "confidence", cd->confidence);
            cJSON_AddItemToArray(list, o);
        }
    }
    cJSON *errors = cJSON_AddArrayToObject(root, "errors");
    for (size_t i = 0; i < r->error_count; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "source", r->errors[i].source);
        cJSON_AddStringToObject(e, "message", r->errors[i].message);
        cJSON_AddItemToArray(errors, e);
    }
    cJSON *st = cJSON_AddObjectToObject(root, "stats");
    cJSON_AddNumberToObject(st, "files", (double)r->stats.files);
    cJSON_AddNumberToObject(st, "bytes", (double)r->stats.bytes);
    cJSON_AddNumberToObject(st, "files_read", (double)r->stats.files_read);
    cJSON_AddNumberToObject(st, "cache_hits", (double)r->stats.cache_hits);
    cJSON_AddBoolToObject(st, "cache", !a->no_cache);
    char *s = cJSON_PrintUnformatted(root);
    if (s == NULL)
        out->failed = true;
    else
        pt_buf_printf(out, "%s\n", s);
    free(s);
    cJSON_Delete(root);
}


static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
        fprintf(stderr, "pooltriage scan: warning: %s: %s\n", err.where, err.message);
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
        fprintf(stderr, "pooltriage scan: %s: %s\n", r.errors[i].source, r.errors[i].message);
    if (a->stats)
        fprintf(stderr, "pooltriage scan: %zu files, %llu bytes, %zu read, %zu from cache, "
                        "%zu described, %u threads, %s, %.3f s\n",
                r.stats.files, (unsigned long long)r.stats.bytes, r.stats.files_read,
                r.stats.cache_hits, r.stats.described, r.stats.threads, r.stats.simd, t1 - t0);
    size_t found = 0;
    for (size_t i = 0; i < r.driver_count; i++)
        found += holds(&r, &r.drivers[i]);
    pt_buf out = {0};
    if (a->json)
        json_report(&out, &r, a);
    else
        for (size_t i = 0; i < r.driver_count; i++)
            if (holds(&r, &r.drivers[i]))
                text_driver(&out, &r, &r.drivers[i]);
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
