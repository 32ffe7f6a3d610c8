/*
 * cmd_kb_feed.c - the feed side of `pooltriage kb`: `kb bundle` builds a
 * signed-update bundle, `kb sign` signs it in the minisign format, and
 * `kb links` checks reference URLs and fills archived links (fetch/).
 */
#include "cli.h"
#include "pooltriage/platform.h"
#include "pt_fetch.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void help(void)
{
    printf("usage: pooltriage kb bundle --out FILE [--issues DIR] [--rules DIR]\n"
           "                            [--version N] [--expires TIME]\n"
           "       pooltriage kb sign --key SECRET_KEY [--out SIG] BUNDLE\n"
           "       pooltriage kb links [--issues DIR] [--json] [--write] [--wayback URL]\n"
           "                           [--delay-ms N] [--concurrency N] [--timeout S]\n"
           "                           [--max-age S] [--no-cache]\n"
           "\n"
           "  bundle   build a feed bundle: the KB of --issues (kb/issues) and --rules\n"
           "           (rules) plus the feed --version (default: now, in Unix seconds)\n"
           "           and --expires (ISO-8601 UTC, default: 90 days from now)\n"
           "  sign     sign BUNDLE with an unencrypted minisign secret key (minisign\n"
           "           -G -W); writes BUNDLE.minisig with the trusted comment\n"
           "           'pooltriage-feed version=N expires=TIME'.  Or run\n"
           "           minisign -S -s KEY -m BUNDLE -t 'pooltriage-feed version=N expires=TIME'\n"
           "  links    check every reference URL (HEAD, then GET), ask the Wayback\n"
           "           availability API (--wayback, or $POOLTRIAGE_WAYBACK_URL) for\n"
           "           references without archived_url, and with --write record the\n"
           "           snapshots found in the issue files for review\n"
           "\n"
           "Exit: 0 done, 2 usage, 3 a file can't be read or written, 4 a KB source\n"
           "is invalid, 5 network error.  See docs/update.md.\n");
}

static bool parse_i64(const char *s, int64_t *out)
{
    char *e;
    errno = 0;
    long long v = strtoll(s, &e, 10);
    if (errno || e == s || *e || v <= 0)
        return false;
    *out = v;
    return true;
}

/* ---- bundle ---- */

static int bundle(int argc, char **argv)
{
    static const struct option longs[] = {
        {"out", required_argument, NULL, 'o'},     {"issues", required_argument, NULL, 'i'},
        {"rules", required_argument, NULL, 'r'},   {"version", required_argument, NULL, 'v'},
        {"expires", required_argument, NULL, 'e'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *issues = "kb/issues", *rules = "rules";
    pt_feed_meta m = {(int64_t)time(NULL), (int64_t)time(NULL) + 90 * 86400};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'i': issues = optarg; break;
        case 'r': rules = optarg; break;
        case 'v':
            if (!parse_i64(optarg, &m.version))
                return pt_cli_usage("kb bundle", "--version '%s' is not a positive integer", optarg);
            break;
        case 'e':
            if (!pt_feed_time_parse(optarg, &m.expires))
                return pt_cli_usage("kb bundle", "--expires '%s' is not a time such as "
                                    "2026-12-31T00:00:00Z", optarg);
            break;
        case 'h': help(); return PT_EXIT_OK;
        case ':': return pt_cli_usage("kb bundle", "option '%s' needs a value", argv[optind - 1]);
        default: return pt_cli_usage("kb bundle", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return pt_cli_usage("kb bundle", "unexpected argument '%s'", argv[optind]);
    if (out == NULL)
        return pt_cli_usage("kb bundle", "--out FILE is required");
    pt_error err = {0};
    pt_kb_counts n;
    if (pt_bundle_build(issues, rules, out, &m, &err) != PT_OK ||
        pt_kb_counts_read(out, &n, &err) != PT_OK)
        return pt_cli_fail(&err);
    char tc[256];
    pt_feed_comment_format(&m, tc, sizeof tc);
    pt_cli_printf("built %s: %lld issues, %lld rules\n"
           "sign it with: pooltriage kb sign --key KEY %s\n"
           "or with:      minisign -S -s KEY -m %s -t '%s'\n",
           out, (long long)n.issues, (long long)n.rules, out, out, tc);
    return fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
}

/* ---- sign ---- */

static int write_file(const char *path, const pt_buf *b)
{
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)pt_platform_pid());
    FILE *f = fopen(tmp, "w");
    bool ok = f && fwrite(b->data, 1, b->len, f) == b->len;
    ok = f && fclose(f) == 0 && ok;
    if (!ok || pt_platform_rename(tmp, path) != 0) {
        pt_cli_error("%s: cannot write: %s", path, strerror(errno));
        pt_platform_remove(tmp);
        return PT_EXIT_INPUT;
    }
    return PT_EXIT_OK;
}

static int sign(int argc, char **argv)
{
    static const struct option longs[] = {
        {"key", required_argument, NULL, 'k'}, {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
    };
    const char *key = NULL, *out = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        switch (c) {
        case 'k': key = optarg; break;
        case 'o': out = optarg; break;
        case 'h': help(); return PT_EXIT_OK;
        case ':': return pt_cli_usage("kb sign", "option '%s' needs a value", argv[optind - 1]);
        default: return pt_cli_usage("kb sign", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (key == NULL || optind + 1 != argc)
        return pt_cli_usage("kb sign", "give --key SECRET_KEY and one BUNDLE");
    const char *path = argv[optind];
    pt_error err = {0};
    pt_arena *arena = pt_arena_new();
    uint8_t *text = NULL;
    size_t len;
    pt_minisign_secret sk;
    pt_kb_counts n;
    pt_buf sig = {0};
    int rc = PT_EXIT_OK;
    if (arena == NULL || pt_file_read(arena, key, 65536, &text, &len, &err) != PT_OK ||
        pt_minisign_secret_parse((const char *)text, key, &sk, &err) != PT_OK ||
        pt_kb_counts_read(path, &n, &err) != PT_OK) {
        rc = arena ? pt_cli_fail(&err) : PT_EXIT_INPUT;
        goto done;
    }
    if (n.feed_version <= 0 || n.feed_expires <= 0) {
        pt_cli_error("%s: not a bundle (no feed version): build it with "
                "'pooltriage kb bundle'", path);
        rc = PT_EXIT_USAGE;
        goto done;
    }
    pt_feed_meta m = {n.feed_version, n.feed_expires};
    char tc[256], id[17], sig_path[PATH_MAX];
    pt_feed_comment_format(&m, tc, sizeof tc);
    pt_minisign_key_id_hex(sk.id, id);
    snprintf(sig_path, sizeof sig_path, "%s", out ? out : "");
    if (out == NULL)
        snprintf(sig_path, sizeof sig_path, "%.4000s.minisig", path);
    if (pt_minisign_sign_file(&sk, path, tc, "signature from pooltriage kb sign", &sig, &err) != PT_OK) {
        rc = pt_cli_fail(&err);
        goto done;
    }
    if ((rc = write_file(sig_path, &sig)) == PT_EXIT_OK) {
        pt_cli_printf("signed %s with key ID %s: %s\nwrote %s\n", path, id, tc, sig_path);
        rc = fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
    }
done:
    memset(&sk, 0, sizeof sk);
    if (text)
        memset(text, 0, len);
    pt_buf_free(&sig);
    pt_arena_free(arena);
    return rc;
}

/* ---- links ---- */

static const char *const status_names[] = {"alive", "dead"};
static const char *const archive_names[] = {"recorded", "found", "none", "error"};

static cJSON *links_json(const pt_link *l, size_t count, const size_t sum[4], size_t written)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "schema", "pooltriage.links/1");
    cJSON *arr = cJSON_AddArrayToObject(o, "links");
    for (size_t i = 0; i < count; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "file", l[i].file);
        cJSON_AddStringToObject(e, "issue", l[i].issue);
        cJSON_AddNumberToObject(e, "ref", l[i].seq);
        cJSON_AddItemToObject(e, "url", pt_cli_json_str(l[i].url));
        cJSON_AddStringToObject(e, "status", l[i].url ? status_names[l[i].status] : "none");
        cJSON_AddItemToObject(e, "http_status", l[i].http_status ? cJSON_CreateNumber((double)l[i].http_status) : cJSON_CreateNull());
        cJSON_AddItemToObject(e, "error", pt_cli_json_str(l[i].error));
        cJSON_AddStringToObject(e, "archive", archive_names[l[i].archive]);
        cJSON_AddItemToObject(e, "archived_url", pt_cli_json_str(l[i].archived_url));
        cJSON_AddBoolToObject(e, "cached", l[i].cached);
        cJSON_AddItemToArray(arr, e);
    }
    cJSON *s = cJSON_AddObjectToObject(o, "summary");
    cJSON_AddNumberToObject(s, "alive", (double)sum[0]);
    cJSON_AddNumberToObject(s, "dead", (double)sum[1]);
    cJSON_AddNumberToObject(s, "archived", (double)sum[2]);
    cJSON_AddNumberToObject(s, "missing", (double)sum[3]);
    cJSON_AddNumberToObject(o, "files_written", (double)written);
    return o;
}

static void links_text(pt_buf *b, const pt_link *l, size_t count, const size_t sum[4])
{
    pt_term_printf(b, "%-6s %-4s %-9s %-10s %-3s %s\n", "STATUS", "HTTP", "ARCHIVE", "ISSUE", "REF", "URL");
    for (size_t i = 0; i < count; i++) {
        char code[16];
        snprintf(code, sizeof code, l[i].http_status ? "%ld" : "-", l[i].http_status);
        pt_term_printf(b, "%-6s %-4s %-9s %-10s %-3d %s\n",
                      l[i].url ? status_names[l[i].status] : "none", code,
                      archive_names[l[i].archive], l[i].issue, l[i].seq,
                      l[i].url ? l[i].url : "(no url)");
        if (l[i].archived_url && l[i].archive == PT_ARCHIVE_FOUND)
            pt_term_printf(b, "       archived: %s\n", l[i].archived_url);
    }
    pt_term_printf(b, "summary: %zu alive, %zu dead, %zu archived, %zu missing\n", sum[0], sum[1],
                  sum[2], sum[3]);
}

typedef struct links_cli {
    pt_links_opts o;
    bool json, write, no_cache;
} links_cli;

static int links_parse(int argc, char **argv, links_cli *lc)
{
    static const struct option longs[] = {
        {"issues", required_argument, NULL, 'i'},   {"json", no_argument, NULL, 'j'},
        {"write", no_argument, NULL, 'w'},          {"wayback", required_argument, NULL, 'W'},
        {"delay-ms", required_argument, NULL, 'd'}, {"concurrency", required_argument, NULL, 'c'},
        {"timeout", required_argument, NULL, 't'},  {"max-age", required_argument, NULL, 'm'},
        {"no-cache", no_argument, NULL, 'n'},       {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    int64_t v = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        bool num = c == 'd' || c == 'c' || c == 't' || c == 'm';
        if (num && !(parse_i64(optarg, &v) || strcmp(optarg, "0") == 0))
            return pt_cli_usage("kb links", "'%s' is not a number", optarg);
        if (num && strcmp(optarg, "0") == 0)
            v = 0;
        switch (c) {
        case 'i': lc->o.issues_dir = optarg; break;
        case 'j': lc->json = true; break;
        case 'w': lc->write = true; break;
        case 'W': lc->o.wayback = optarg; break;
        case 'd': lc->o.delay_ms = (long)v; break;
        case 'c': lc->o.concurrency = v < 1 ? 1 : v > 16 ? 16 : (int)v; break;
        case 't': lc->o.timeout = v < 1 ? 1 : (long)v; break;
        case 'm': lc->o.max_age = (long)v; break;
        case 'n': lc->no_cache = true; break;
        case 'h': help(); return -1;
        case ':': return pt_cli_usage("kb links", "option '%s' needs a value", argv[optind - 1]);
        default: return pt_cli_usage("kb links", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return pt_cli_usage("kb links", "unexpected argument '%s'", argv[optind]);
    return PT_EXIT_OK;
}

static int links(int argc, char **argv)
{
    const char *env = getenv("POOLTRIAGE_WAYBACK_URL");
    links_cli lc = {{"kb/issues", env && env[0] ? env : "https://archive.org/wayback/available",
                     NULL, 1000, 4, 20, 86400, NULL}, false, false, false};
    int rc = links_parse(argc, argv, &lc);
    if (rc != PT_EXIT_OK)
        return rc < 0 ? PT_EXIT_OK : rc;
    char cache[PATH_MAX];
    const char *xc = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xc && xc[0] == '/')
        snprintf(cache, sizeof cache, "%.3000s/pooltriage/links.cache", xc);
    else
        snprintf(cache, sizeof cache, "%.3000s/.cache/pooltriage/links.cache", home ? home : ".");
    lc.o.cache_path = lc.no_cache ? NULL : cache;
    pt_arena *arena = pt_arena_new();
    pt_link *l = NULL;
    size_t count = 0, written = 0, sum[4] = {0};
    pt_error err = {0}, werr = {0};
    if (arena == NULL)
        return PT_EXIT_INPUT;
    pt_code code = pt_links_check(arena, &lc.o, &l, &count, &err);
    if (code == PT_OK || code == PT_ENET) {
        for (size_t i = 0; i < count; i++) {
            if (l[i].url)
                sum[l[i].status]++;
            sum[l[i].archived_url ? 2 : 3]++;
        }
        if (lc.write && pt_links_write(arena, l, count, &written, &werr) != PT_OK) {
            rc = pt_cli_fail(&werr);
        } else if (lc.json) {
            cJSON *o = links_json(l, count, sum, written);
            char *s = cJSON_PrintUnformatted(o);
            cJSON_Delete(o);
            pt_buf b = {0};
            pt_buf_printf(&b, "%s\n", s ? s : "{}");
            cJSON_free(s);
            rc = pt_cli_write(&b);
            pt_buf_free(&b);
        } else {
            pt_buf b = {0};
            links_text(&b, l, count, sum);
            if (lc.write)
                pt_buf_printf(&b, "recorded archived_url in %zu file(s); review with 'git diff'\n",
                              written);
            rc = pt_cli_write(&b);
            pt_buf_free(&b);
        }
    }
    if (code != PT_OK && rc == PT_EXIT_OK)
        rc = pt_cli_fail(&err);
    pt_arena_free(arena);
    return rc;
}

int cmd_kb_feed(int argc, char **argv)
{
    if (argc < 2)
        return pt_cli_usage("kb", "missing subcommand");
    optind = 1;
    if (strcmp(argv[1], "bundle") == 0)
        return bundle(argc - 1, argv + 1);
    if (strcmp(argv[1], "sign") == 0)
        return sign(argc - 1, argv + 1);
    if (strcmp(argv[1], "links") == 0)
        return links(argc - 1, argv + 1);
    help();
    return PT_EXIT_USAGE;
}
