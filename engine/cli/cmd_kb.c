/*
 * cmd_kb.c - `pooltriage kb`: the knowledge base.  list, show and search
 * read a compiled KB; check and build compile the sources in kb/ and rules/
 * (check into a temporary file that is then removed).  bundle, sign and
 * links are in cmd_kb_feed.c, in the pooltriage-net binary.
 */
#include "cli.h"
#include "pooltriage/platform.h"

#include <cJSON.h>
#include <errno.h>
#include <stddef.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out,
        "usage: pooltriage kb list [--kb FILE] [--json]\n"
        "       pooltriage kb show ID [--kb FILE] [--json]\n"
        "       pooltriage kb search TERM [--kb FILE] [--json]\n"
        "       pooltriage kb check [--issues DIR] [--tags DIR] [--rules DIR]\n"
        "       pooltriage kb build [--issues DIR] [--tags DIR] [--rules DIR] [--out FILE]\n"
        "       pooltriage kb bundle|sign|links ...   (see 'pooltriage kb links --help')\n"
        "\n"
        "  list      every known issue: id, vendor, severity, drivers, tags, title\n"
        "  show      one known issue whole: ranges, OS builds, references, notes\n"
        "  search    issues whose id, title, vendor, product, driver, tag, symptoms\n"
        "            or notes contain TERM (case-insensitive)\n"
        "  check     check every KB source, tag-fact file, rule and rule case\n"
        "            against the schema, without writing a KB\n"
        "  build     compile them into a SQLite knowledge base (reproducible;\n"
        "            written to a temporary file and renamed)\n"
        "  --kb FILE       the KB to read (default: the one triage uses)\n"
        "  --issues DIR    KB issue files (default: kb/issues)\n"
        "  --tags DIR      tag-fact files (default: kb/tags, if it exists)\n"
        "  --rules DIR     rule files and rules/tests/<id>/ cases (default: rules)\n"
        "  --out FILE      output of build (default: kb.sqlite)\n"
        "  --json          one line of JSON\n"
        "\n"
        "Exit: 0 ok, 2 usage, 3 no such entry, 4 the KB or a source file is invalid.\n");
}

typedef struct kb_args {
    const char *kb;
    const char *issues, *tags, *rules, *out;
    bool json;
    const char *arg;   /* ID or TERM */
} kb_args;

static int parse(int argc, char **argv, const char *cmd, bool wants_arg, kb_args *a)
{
    static const struct option opts[] = {
        {"kb", required_argument, NULL, 'k'},     {"issues", required_argument, NULL, 'i'},
        {"tags", required_argument, NULL, 't'},   {"rules", required_argument, NULL, 'r'},
        {"out", required_argument, NULL, 'o'},    {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    a->issues = "kb/issues";
    a->rules = "rules";
    a->out = "kb.sqlite";
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'k': a->kb = optarg; break;
        case 'i': a->issues = optarg; break;
        case 't': a->tags = optarg; break;
        case 'r': a->rules = optarg; break;
        case 'o': a->out = optarg; break;
        case 'j': a->json = true; break;
        case 'h': help(stdout); return -1;
        case ':': return pt_cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
        default: return pt_cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (wants_arg) {
        if (optind >= argc)
            return pt_cli_usage(cmd, "missing argument");
        a->arg = argv[optind++];
    }
    if (optind != argc)
        return pt_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (a->kb == NULL)
        a->kb = pt_cli_default_kb();
    return 0;
}

static pt_kb_sources sources(const kb_args *a)
{
    static char tags[4096];
    const char *t = a->tags;
    if (t == NULL) {
        char up[4096];
        t = pt_path_join_buf(up, sizeof up, a->issues, "..") &&
            pt_path_join_buf(tags, sizeof tags, up, "tags") && pt_platform_can_read(tags)
                ? tags : NULL;
    }
    pt_kb_sources s = {a->issues, t, a->rules};
    return s;
}

static int kb_build(const kb_args *a)
{
    pt_error err = {0};
    pt_kb_sources s = sources(a);
    if (pt_kb_build_from(&s, a->out, &err) != PT_OK)
        return pt_cli_fail(&err);
    return PT_EXIT_OK;
}

static int kb_check(const kb_args *a)
{
    char tmp[4096];
    if (!pt_path_join_buf(tmp, sizeof tmp, pt_platform_temp_root(), "pooltriage-kb-check-XXXXXX"))
        snprintf(tmp, sizeof tmp, "pooltriage-kb-check-XXXXXX");
    int fd = pt_platform_temp_file(tmp);
    if (fd < 0) {
        pt_cli_error("cannot create a temporary file like '%s': %s; set TMPDIR",
                tmp, strerror(errno));
        return PT_EXIT_INPUT;
    }
    pt_platform_close(fd);
    pt_error err = {0};
    pt_kb_sources s = sources(a);
    pt_code rc = pt_kb_build_from(&s, tmp, &err);
    pt_kb *kb = NULL;
    pt_kb_stats n = {0};
    if (rc == PT_OK && (rc = pt_kb_open(tmp, &kb, &err)) == PT_OK)
        rc = pt_kb_stats_read(kb, &n, &err);
    pt_kb_close(kb);
    pt_platform_remove(tmp);
    if (rc != PT_OK)
        return pt_cli_fail(&err);
    printf("ok: %zu issues, %zu tag sets (%zu tags), %zu rules, %zu rule cases\n", n.issues,
           n.tag_sets, n.tag_facts, n.rules, n.rule_cases);
    return fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
}

static cJSON *entry_json(const pt_kb_entry *e, bool whole)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "id", pt_cli_json_str(e->id));
    cJSON_AddItemToObject(o, "title", pt_cli_json_str(e->title));
    cJSON_AddItemToObject(o, "vendor", pt_cli_json_str(e->vendor));
    cJSON_AddItemToObject(o, "product", pt_cli_json_str(e->product));
    cJSON_AddItemToObject(o, "severity", pt_cli_json_str(e->severity));
    cJSON_AddItemToObject(o, "pool", pt_cli_json_str(e->pool));
    cJSON_AddItemToObject(o, "drivers", cJSON_CreateStringArray(e->drivers, (int)e->driver_count));
    cJSON_AddItemToObject(o, "tags", cJSON_CreateStringArray(e->tags, (int)e->tag_count));
    cJSON_AddItemToObject(o, "fixed_in", pt_cli_json_str(e->fixed_in));
    if (!whole)
        return o;
    cJSON *ranges = cJSON_AddArrayToObject(o, "affected");
    for (size_t i = 0; i < e->range_count; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddItemToObject(r, "id", pt_cli_json_str(e->ranges[i].id));
        cJSON_AddItemToObject(r, "min", pt_cli_json_str(e->ranges[i].min_version));
        cJSON_AddItemToObject(r, "max", pt_cli_json_str(e->ranges[i].max_version));
        cJSON_AddItemToObject(r, "note", pt_cli_json_str(e->ranges[i].note));
        cJSON_AddItemToArray(ranges, r);
    }
    cJSON *os = cJSON_AddArrayToObject(o, "os");
    for (size_t i = 0; i < e->os_count; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddItemToObject(r, "nt", pt_cli_json_str(e->os[i].nt));
        cJSON_AddItemToObject(r, "build_min", e->os[i].build_min != PT_UNKNOWN ? cJSON_CreateNumber((double)e->os[i].build_min) : cJSON_CreateNull());
        cJSON_AddItemToObject(r, "build_max", e->os[i].build_max != PT_UNKNOWN ? cJSON_CreateNumber((double)e->os[i].build_max) : cJSON_CreateNull());
        cJSON_AddItemToObject(r, "name", pt_cli_json_str(e->os[i].name));
        cJSON_AddItemToArray(os, r);
    }
    static const struct { const char *key; size_t off; } text[] = {
        {"symptoms", offsetof(pt_kb_entry, symptoms)}, {"workaround", offsetof(pt_kb_entry, workaround)},
        {"notes", offsetof(pt_kb_entry, notes)}, {"confidence", offsetof(pt_kb_entry, confidence)},
        {"author", offsetof(pt_kb_entry, author)}, {"date", offsetof(pt_kb_entry, date)},
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        const char *v = *(const char *const *)((const char *)e + text[i].off);
        cJSON_AddItemToObject(o, text[i].key, pt_cli_json_str(v));
    }
    cJSON *refs = cJSON_AddArrayToObject(o, "references");
    for (size_t i = 0; i < e->ref_count; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddItemToObject(r, "kind", pt_cli_json_str(e->refs[i].kind));
        cJSON_AddItemToObject(r, "title", pt_cli_json_str(e->refs[i].title));
        cJSON_AddItemToObject(r, "url", pt_cli_json_str(e->refs[i].url));
        cJSON_AddItemToObject(r, "archived_url", pt_cli_json_str(e->refs[i].archived_url));
        cJSON_AddItemToArray(refs, r);
    }
    return o;
}

static void join(pt_buf *b, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pt_term_printf(b, "%s%s", i ? "," : "", v[i]);
}

static void entry_line(pt_buf *b, const pt_kb_entry *e)
{
    pt_term_printf(b, "%-8s %-9s %-12.12s ", e->id, e->severity, e->vendor);
    join(b, e->drivers, e->driver_count);
    pt_buf_puts(b, " [");
    join(b, e->tags, e->tag_count);
    pt_term_printf(b, "] %s\n", e->title);
}

static void entry_text(pt_buf *b, const pt_kb_entry *e)
{
    pt_term_printf(b, "%s: %s\n", e->id, e->title);
    pt_term_printf(b, "  vendor:     %s%s%s\n", e->vendor, e->product ? " / " : "", e->product ? e->product : "");
    pt_buf_puts(b, "  drivers:    ");
    join(b, e->drivers, e->driver_count);
    pt_buf_puts(b, "\n  tags:       ");
    join(b, e->tags, e->tag_count);
    pt_term_printf(b, "\n  pool:       %s\n  severity:   %s%s%s\n", e->pool ? e->pool : "?",
                  e->severity, e->confidence ? ", confidence " : "", e->confidence ? e->confidence : "");
    for (size_t i = 0; i < e->range_count; i++)
    {
        pt_term_printf(b, "  affected:   %s: %s .. %s\n", e->ranges[i].id,
                      e->ranges[i].min_version ? e->ranges[i].min_version : "(any)",
                      e->ranges[i].max_version ? e->ranges[i].max_version : "(any)");
        if (e->ranges[i].note)
            pt_term_printf(b, "              %s\n", e->ranges[i].note);
    }
    pt_term_printf(b, "  fixed in:   %s\n", e->fixed_in ? e->fixed_in : "not known");
    for (size_t i = 0; i < e->os_count; i++) {
        pt_term_printf(b, "  os:         %s", e->os[i].name ? e->os[i].name : "");
        if (e->os[i].nt)
            pt_term_printf(b, " (NT %s", e->os[i].nt);
        if (e->os[i].build_min != PT_UNKNOWN || e->os[i].build_max != PT_UNKNOWN)
            pt_term_printf(b, "%sbuilds %lld..%lld", e->os[i].nt ? ", " : " (",
                          (long long)e->os[i].build_min, (long long)e->os[i].build_max);
        pt_buf_puts(b, e->os[i].nt || e->os[i].build_min != PT_UNKNOWN ? ")\n" : "\n");
    }
    if (e->symptoms)
        pt_term_printf(b, "  symptoms:   %s\n", e->symptoms);
    if (e->workaround)
        pt_term_printf(b, "  workaround: %s\n", e->workaround);
    if (e->notes)
        pt_term_printf(b, "  notes:      %s\n", e->notes);
    for (size_t i = 0; i < e->ref_count; i++) {
        pt_term_printf(b, "  [%s] %s\n", e->refs[i].kind, e->refs[i].title);
        if (e->refs[i].url)
            pt_term_printf(b, "      %s\n", e->refs[i].url);
        if (e->refs[i].archived_url)
            pt_term_printf(b, "      archived: %s\n", e->refs[i].archived_url);
    }
    pt_term_printf(b, "  author:     %s, %s\n", e->author ? e->author : "?", e->date ? e->date : "?");
}

/* list, search and show share this: read entries, print them. */
static int kb_read(const kb_args *a, const char *which)
{
    pt_kb *kb = NULL;
    pt_error err = {0};
    pt_arena *arena = pt_arena_new();
    int status = PT_EXIT_OK;
    const char **ids = NULL;
    const char *one = a->arg;
    size_t count = 0;
    pt_code rc = arena ? pt_kb_open(a->kb, &kb, &err) : pt_error_set(&err, PT_ENOMEM, "", "out of memory");
    bool show = strcmp(which, "show") == 0;
    if (rc == PT_OK && show) {
        ids = &one;
        count = 1;
    } else if (rc == PT_OK) {
        rc = pt_kb_search(arena, kb, strcmp(which, "search") == 0 ? a->arg : NULL, &ids, &count, &err);
    }
    if (rc != PT_OK) {
        status = pt_cli_fail(&err);
        goto done;
    }
    pt_buf out = {0};
    cJSON *arr = a->json ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; i < count; i++) {
        pt_kb_entry e;
        if (pt_kb_get(arena, kb, ids[i], &e, &err) != PT_OK) {
            if (show && err.code == PT_EFORMAT) {
                pt_cli_error("no known issue '%s'; run 'pooltriage kb list'", ids[i]);
                status = PT_EXIT_INPUT;
            } else if (err.code == PT_EFORMAT) { /* the KB listed it: the KB is broken */
                pt_cli_error("%s: the knowledge base is damaged: issue '%s' is listed but "
                             "missing; reinstall or rebuild it", pt_kb_path(kb), ids[i]);
                status = PT_EXIT_KB;
            } else {
                status = pt_cli_fail(&err);
            }
            break;
        }
        if (arr)
            cJSON_AddItemToArray(arr, entry_json(&e, show));
        else if (show)
            entry_text(&out, &e);
        else
            entry_line(&out, &e);
    }
    if (arr && status == PT_EXIT_OK) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddItemToObject(root, "kb_version", pt_cli_json_str(pt_kb_version(kb)));
        cJSON_AddItemToObject(root, show ? "issue" : "issues",
                              show ? cJSON_DetachItemFromArray(arr, 0) : arr);
        char *s = cJSON_PrintUnformatted(root);
        if (s) {
            pt_buf_puts(&out, s);
            pt_buf_puts(&out, "\n");
            free(s);
        }
        if (show)
            cJSON_Delete(arr);
        cJSON_Delete(root);
    } else {
        cJSON_Delete(arr);
    }
    if (status == PT_EXIT_OK)
        status = pt_cli_write(&out);
    pt_buf_free(&out);
done:
    pt_kb_close(kb);
    pt_arena_free(arena);
    return status;
}

int cmd_kb(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        help(argc < 2 ? stderr : stdout);
        return argc < 2 ? PT_EXIT_USAGE : PT_EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "bundle") == 0 || strcmp(sub, "sign") == 0 || strcmp(sub, "links") == 0)
        return pt_cli_exec_net(argc, argv);
    static const struct { const char *name; bool arg; } subs[] = {
        {"list", false}, {"show", true}, {"search", true}, {"check", false}, {"build", false},
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(sub, subs[i].name) != 0)
            continue;
        char cmd[32];
        snprintf(cmd, sizeof cmd, "kb %s", sub);
        kb_args a = {0};
        int st = parse(argc - 1, argv + 1, cmd, subs[i].arg, &a);
        if (st != 0)
            return st < 0 ? PT_EXIT_OK : st;
        if (strcmp(sub, "build") == 0)
            return kb_build(&a);
        if (strcmp(sub, "check") == 0)
            return kb_check(&a);
        return kb_read(&a, sub);
    }
    return pt_cli_usage("kb", "unknown subcommand '%s'", sub);
}
