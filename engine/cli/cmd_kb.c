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
#include <time.h>

static void help(FILE *out)
{
    fprintf(out,
        "usage: pooltriage kb list [--kb FILE] [--json]\n"
        "       pooltriage kb show ID [--kb FILE] [--json]\n"
        "       pooltriage kb search TERM [--kb FILE] [--json]\n"
        "       pooltriage kb check [--issues DIR] [--tags DIR] [--rules DIR]\n"
        "       pooltriage kb new --id PT-NNNN --driver FILE.sys [--tag TAG]... [--vendor NAME]\n"
        "                         [--issues DIR] [--rules DIR]\n"
        "       pooltriage kb build [--issues DIR] [--tags DIR] [--rules DIR] [--out FILE]\n"
        "       pooltriage kb bundle|sign|links ...   (see 'pooltriage kb links --help')\n"
        "\n"
        "  list      every known issue: id, vendor, severity, drivers, tags, title\n"
        "  show      one known issue whole: ranges, OS builds, references, notes\n"
        "  search    issues whose id, title, vendor, product, driver, tag, symptoms\n"
        "            or notes contain TERM (case-insensitive), then the tag facts of\n"
        "            kb/tags for that tag or driver; exit 1 when nothing matches\n"
        "  check     check every KB source, tag-fact file, rule and rule case\n"
        "            against the schema, without writing a KB; every problem is\n"
        "            reported as FILE:LINE: message.  Without --issues and --rules\n"
        "            (a checkout's own KB) every entry also needs a rule case\n"
        "            that expects it or is named pt-NNNN-*.lua\n"
        "  new       write a skeleton entry (DIR/<driver>-<id>.lua) and two known-issue\n"
        "            rule cases (affected version, fixed version) to fill in\n"
        "  build     compile them into a SQLite knowledge base (reproducible;\n"
        "            written to a temporary file and renamed)\n"
        "  --kb FILE       the KB to read (default: the one triage uses)\n"
        "  --issues DIR    KB issue files (default: kb/issues)\n"
        "  --tags DIR      tag-fact files (default: kb/tags, if it exists)\n"
        "  --rules DIR     rule files and rules/tests/<id>/ cases (default: rules)\n"
        "  --out FILE      output of build (default: kb.sqlite)\n"
        "  --id, --driver, --tag, --vendor   what kb new fills in\n"
        "  --json          one line of JSON\n"
        "\n"
        "Exit: 0 ok, 1 search found nothing, 2 usage, 3 no such entry (or kb new\n"
        "would overwrite a file), 4 the KB or a source file is invalid.\n");
}

typedef struct kb_args {
    const char *kb;
    const char *issues, *tags, *rules, *out;
    bool issues_given, rules_given;
    bool json;
    const char *arg;   /* ID or TERM */
    const char *id, *driver, *vendor;   /* kb new */
    const char *tag_list[16];
    int tag_count;
} kb_args;

static int parse(int argc, char **argv, const char *cmd, bool wants_arg, kb_args *a)
{
    static const struct option opts[] = {
        {"kb", required_argument, NULL, 'k'},     {"issues", required_argument, NULL, 'i'},
        {"tags", required_argument, NULL, 't'},   {"rules", required_argument, NULL, 'r'},
        {"out", required_argument, NULL, 'o'},    {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {"id", required_argument, NULL, 'I'},
        {"driver", required_argument, NULL, 'D'}, {"tag", required_argument, NULL, 'T'},
        {"vendor", required_argument, NULL, 'V'}, {NULL, 0, NULL, 0},
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
        case 'i': a->issues = optarg; a->issues_given = true; break;
        case 't': a->tags = optarg; break;
        case 'r': a->rules = optarg; a->rules_given = true; break;
        case 'o': a->out = optarg; break;
        case 'j': a->json = true; break;
        case 'I': a->id = optarg; break;
        case 'D': a->driver = optarg; break;
        case 'V': a->vendor = optarg; break;
        case 'T':
            if (a->tag_count == (int)(sizeof a->tag_list / sizeof a->tag_list[0]))
                return pt_cli_usage(cmd, "at most 16 --tag");
            a->tag_list[a->tag_count++] = optarg;
            break;
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
    bool is_new = strcmp(cmd, "kb new") == 0;
    if (!is_new && (a->id || a->driver || a->vendor || a->tag_count))
        return pt_cli_usage(cmd, "--id, --driver, --tag and --vendor are for 'kb new'");
    if (a->kb == NULL)
        a->kb = pt_cli_default_kb();
    return 0;
}

static pt_kb_sources sources(const kb_args *a)
{
    static char tags[4096];
    const char *t = a->tags;
    if (t == NULL) { /* beside the issues: kb/issues -> kb/tags, named so in messages */
        char up[4096];
        size_t n = pt_path_split_last(up, sizeof up, a->issues);
        const char *last = up + n;
        bool dots = strcmp(last, ".") == 0 || strcmp(last, "..") == 0;
        up[n] = '\0';
        bool ok = dots ? pt_path_join_buf(tags, sizeof tags, a->issues, "../tags")
                : n > 0 ? pt_path_join_buf(tags, sizeof tags, up, "tags")
                        : snprintf(tags, sizeof tags, "tags") > 0;
        t = ok && pt_platform_can_read(tags) ? tags : NULL;
    }
    pt_kb_sources s = {.issues_dir = a->issues, .tags_dir = t, .rules_dir = a->rules};
    return s;
}

/* Each problem of a check or build, as FILE:LINE: message. */
static void print_problem(void *arg, const char *where, const char *message)
{
    size_t *count = arg;
    (*count)++;
    fprintf(stderr, "pooltriage: %s: %s\n", where, message);
}

/* After a failed check or build: the problems were printed one by one. */
static int problems_fail(const pt_error *err, size_t count, const char *cmd)
{
    if (count == 0)
        return pt_cli_fail(err);
    fprintf(stderr, "pooltriage: %s: %zu problem%s\n", cmd, count, count == 1 ? "" : "s");
    return PT_EXIT_KB;
}

static int kb_build(const kb_args *a)
{
    pt_error err = {0};
    pt_kb_sources s = sources(a);
    size_t count = 0;
    s.problem = print_problem;
    s.problem_arg = &count;
    if (pt_kb_build_from(&s, a->out, &err) != PT_OK)
        return err.code == PT_EKB || err.code == PT_ERULE ? problems_fail(&err, count, "kb build")
                                                          : pt_cli_fail(&err);
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
    size_t count = 0;
    s.problem = print_problem;
    s.problem_arg = &count;
    /* the checkout's own KB (no --issues, --rules): each entry needs its cases */
    s.require_cases = !a->issues_given && !a->rules_given;
    pt_code rc = pt_kb_build_from(&s, tmp, &err);
    bool built = rc == PT_OK;
    pt_kb *kb = NULL;
    pt_kb_stats n = {0};
    if (rc == PT_OK && (rc = pt_kb_open(tmp, &kb, &err)) == PT_OK)
        rc = pt_kb_stats_read(kb, &n, &err);
    pt_kb_close(kb);
    pt_platform_remove(tmp);
    if (rc != PT_OK)
        return !built && (err.code == PT_EKB || err.code == PT_ERULE)
                   ? problems_fail(&err, count, "kb check") : pt_cli_fail(&err);
    printf("ok: %zu issues, %zu tag sets (%zu tags), %zu rules, %zu rule cases\n", n.issues,
           n.tag_sets, n.tag_facts, n.rules, n.rule_cases);
    return fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
}

/* A JSON list of strings; an empty list, not a missing key, when there is
 * none (cJSON_CreateStringArray gives NULL for a count of 0). */
static cJSON *string_array(const char *const *v, size_t n)
{
    return n ? cJSON_CreateStringArray(v, (int)n) : cJSON_CreateArray();
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
    cJSON_AddItemToObject(o, "drivers", string_array(e->drivers, e->driver_count));
    cJSON_AddItemToObject(o, "tags", string_array(e->tags, e->tag_count));
    cJSON_AddItemToObject(o, "fixed_in", pt_cli_json_str(e->fixed_in));
    if (!whole)
        return o;
    cJSON *versions = cJSON_AddObjectToObject(o, "versions");
    cJSON_AddItemToObject(versions, "field", pt_cli_json_str(e->version_field));
    cJSON_AddItemToObject(versions, "scheme", pt_cli_json_str(e->version_scheme));
    cJSON_AddItemToObject(versions, "numeric", pt_cli_json_str(e->version_numeric));
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

static void entry_line(pt_buf *b, const pt_kb_entry *e, int vendor_width)
{
    pt_term_printf(b, "%-8s %-9s %-*s ", e->id, e->severity, vendor_width, e->vendor);
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
    /* what the ranges and the fix compare (kb/SCHEMA.md, "Versions") */
    const char *field = e->version_field ? e->version_field : "numeric";
    pt_term_printf(b, "  versions:   %s", strcmp(field, "file_version") == 0 ? "FileVersion string"
                   : strcmp(field, "product_version") == 0 ? "ProductVersion string"
                                                            : "numeric file version");
    if (e->version_scheme || e->version_numeric)
        pt_term_printf(b, " (%s%snumeric %s)", e->version_scheme ? e->version_scheme : "",
                       e->version_scheme ? ": " : "",
                       e->version_numeric ? e->version_numeric : "not mapped");
    pt_buf_puts(b, "\n");
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
    bool search = strcmp(which, "search") == 0;
    pt_kb_tag_hit *hits = NULL;
    size_t hit_count = 0;
    if (search && (rc = pt_kb_search_tags(arena, kb, a->arg, &hits, &hit_count, &err)) != PT_OK) {
        status = pt_cli_fail(&err);
        goto done;
    }
    pt_buf out = {0};
    cJSON *arr = a->json ? cJSON_CreateArray() : NULL;
    pt_kb_entry *entries = count ? pt_arena_alloc(arena, count * sizeof *entries) : NULL;
    int vendor_width = 6;
    for (size_t i = 0; i < count; i++) {
        if (entries == NULL || pt_kb_get(arena, kb, ids[i], &entries[i], &err) != PT_OK) {
            if (entries == NULL) {
                pt_error_set(&err, PT_ENOMEM, "", "out of memory");
                status = pt_cli_fail(&err);
            } else if (show && err.code == PT_EFORMAT) {
                pt_cli_error("no known issue '%s'; run 'pooltriage kb list'", ids[i]);
                status = PT_EXIT_INPUT;
            } else if (err.code == PT_EFORMAT) { /* the KB listed it: the KB is broken */
                pt_cli_error("%s: the knowledge base is damaged: issue '%s' is listed but "
                             "missing; reinstall or rebuild it", pt_kb_path(kb), ids[i]);
                status = PT_EXIT_KB;
            } else {
                status = pt_cli_fail(&err);
            }
            count = i;
            break;
        }
        int w = (int)strlen(entries[i].vendor);
        if (w > vendor_width)
            vendor_width = w;
    }
    for (size_t i = 0; i < count; i++) {
        const pt_kb_entry *e = &entries[i];
        if (arr)
            cJSON_AddItemToArray(arr, entry_json(e, show));
        else if (show)
            entry_text(&out, e);
        else
            entry_line(&out, e, vendor_width);
    }
    cJSON *tag_arr = search && arr ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; i < hit_count; i++) {
        const pt_kb_tag_hit *h = &hits[i];
        if (tag_arr) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "set", h->set_id);
            cJSON_AddStringToObject(o, "kind", h->kind);
            cJSON_AddStringToObject(o, "tag", h->tag);
            cJSON_AddItemToObject(o, "vendor", pt_cli_json_str(h->vendor));
            cJSON_AddItemToObject(o, "drivers", pt_cli_json_str(h->drivers));
            cJSON_AddItemToObject(o, "note", pt_cli_json_str(h->note));
            cJSON_AddItemToArray(tag_arr, o);
        } else if (!arr) {
            pt_term_printf(&out, "%-8s %-9s \"%s\" %s%s%s%s%s\n", "tag", h->kind, h->tag,
                          h->drivers ? h->drivers : "(no driver)", h->vendor ? " (" : "",
                          h->vendor ? h->vendor : "", h->vendor ? ")" : "", "");
            if (h->note)
                pt_term_printf(&out, "%-8s %-9s        %s [%s]\n", "", "", h->note, h->set_id);
        }
    }
    if (search && count == 0 && hit_count == 0 && status == PT_EXIT_OK) {
        pt_cli_error("kb search: nothing matches '%s'", a->arg);
        status = PT_EXIT_FOUND; /* like grep: ran, found nothing */
    }
    if (arr && (status == PT_EXIT_OK || status == PT_EXIT_FOUND)) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddItemToObject(root, "kb_version", pt_cli_json_str(pt_kb_version(kb)));
        cJSON_AddItemToObject(root, show ? "issue" : "issues",
                              show ? cJSON_DetachItemFromArray(arr, 0) : arr);
        if (tag_arr)
            cJSON_AddItemToObject(root, "tags", tag_arr);
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
        cJSON_Delete(tag_arr);
    }
    if (status == PT_EXIT_OK || status == PT_EXIT_FOUND) {
        int w = pt_cli_write(&out);
        if (w != PT_EXIT_OK)
            status = w;
    }
    pt_buf_free(&out);
done:
    pt_kb_close(kb);
    pt_arena_free(arena);
    return status;
}

/* ---- kb new: a skeleton entry and its two rule cases ---- */

static bool valid_id(const char *id)
{
    if (strncmp(id, "PT-", 3) != 0 || strlen(id) < 7 || strlen(id) > 10)
        return false;
    for (const char *p = id + 3; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

/* A file name part: lower case letters, digits and '-'. */
static void stem(char *out, size_t len, const char *s)
{
    size_t o = 0;
    for (; *s && o + 1 < len; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[o++] = c;
        else if (o && out[o - 1] != '-')
            out[o++] = '-';
    }
    while (o && out[o - 1] == '-')
        o--;
    out[o] = '\0';
}

static bool is_dir(const char *path) { return pt_platform_is_dir(path); }

/* The issue file under dir that already uses `id`, or NULL. */
static char *id_used(pt_arena *arena, const char *dir, const char *id)
{
    char **names;
    size_t count;
    pt_error err = {0};
    if (pt_platform_names(dir, &names, &count, &err) != PT_OK)
        return NULL;
    char *found = NULL;
    char *quoted = pt_arena_printf(arena, "\"%s\"", id);
    for (size_t i = 0; i < count && found == NULL && quoted; i++) {
        size_t n = strlen(names[i]);
        if (n < 5 || strcmp(names[i] + n - 4, ".lua") != 0)
            continue;
        char *path = pt_path_join_arena(arena, dir, names[i]);
        uint8_t *text;
        size_t len;
        if (path && pt_file_read(arena, path, 1u << 20, &text, &len, &err) == PT_OK &&
            strstr((const char *)text, quoted) != NULL)
            found = path;
    }
    pt_platform_names_free(names, count);
    return found;
}

/* Writes text to path unless it exists; a message and false otherwise. */
static bool write_new(const char *path, const char *text)
{
    FILE *f = fopen(path, "wx");
    if (f == NULL) {
        fprintf(stderr, "pooltriage: %s: %s\n", path,
                errno == EEXIST ? "already exists; kb new never overwrites a file" : strerror(errno));
        return false;
    }
    bool ok = fputs(text, f) >= 0;
    ok = fclose(f) == 0 && ok;
    if (!ok)
        fprintf(stderr, "pooltriage: %s: cannot write\n", path);
    return ok;
}

static char *tag_list(pt_arena *arena, const kb_args *a)
{
    pt_buf b = {0};
    for (int i = 0; i < a->tag_count; i++)
        pt_buf_printf(&b, "%s\"%s\"", i ? ", " : "", a->tag_list[i]);
    char *s = pt_arena_strndup(arena, b.data ? b.data : "", b.len);
    pt_buf_free(&b);
    return s;
}

static char *entry_skeleton(pt_arena *arena, const kb_args *a, const char *drv, const char *today)
{
    return pt_arena_printf(arena,
        "-- TODO: one or two lines: what leaks, in which driver and version, and the\n"
        "-- source that says so.  Every fact needs a source; a fact no source states\n"
        "-- stays out (or goes to notes, with confidence lowered).  See kb/SCHEMA.md.\n"
        "return {\n"
        "  id = \"%s\",\n"
        "  title = \"TODO: vendor, driver, what leaks (tags)\",\n"
        "  vendor = \"%s\",\n"
        "  product = \"TODO: the product, or remove this line\",\n"
        "  drivers = { \"%s\" },\n"
        "  tags = { %s },                -- as poolmon shows them\n"
        "  pool = \"nonpaged\",                -- or \"paged\"; remove if no source says\n"
        "  -- what the versions below compare: \"numeric\" (VS_FIXEDFILEINFO), or the\n"
        "  -- \"file_version\" / \"product_version\" string (see kb/SCHEMA.md, Versions)\n"
        "  versions = { field = \"numeric\" },\n"
        "  affected = {\n"
        "    { id = \"%s-TODO\", min = \"TODO\", max = \"TODO\",\n"
        "      note = \"TODO: which source names this version\" },\n"
        "  },\n"
        "  fixed_in = \"TODO\",                -- remove when no fix is known\n"
        "  severity = \"medium\",              -- low | medium | high | critical\n"
        "  symptoms = \"TODO: what poolmon shows, and how fast it grows\",\n"
        "  workaround = \"TODO: the fix or what to do until then\",\n"
        "  confidence = \"medium\",            -- low | medium | high\n"
        "  notes = \"TODO: what the sources do not say\",\n"
        "  references = {\n"
        "    { kind = \"issue\", title = \"TODO: the source\", url = \"TODO: https://...\" },\n"
        "  },\n"
        "  author = \"TODO: your name\",\n"
        "  date = \"%s\",\n"
        "}\n",
        a->id, a->vendor ? a->vendor : "TODO: the vendor", a->driver, tag_list(arena, a), drv,
        today);
}

static char *case_skeleton(pt_arena *arena, const kb_args *a, bool fixed)
{
    const char *tag = a->tag_count ? a->tag_list[0] : "TODO";
    return pt_arena_printf(arena,
        "-- %s %s.\n"
        "-- TODO: put the driver's version facts below as the driver carries them\n"
        "-- (pooltriage info FILE shows them).\n"
        "return {\n"
        "  facts = {\n"
        "    suspects = { { tag = \"%s\", pool = \"nonpaged\", bytes = 400000000, share = 0.5 } },\n"
        "    drivers = { { name = \"%s\", file_version = \"TODO: %s\",\n"
        "                  file_version_numeric = \"TODO: %s\" } },\n"
        "    attributions = { { tag = \"%s\", candidates = { { driver = 1 } } } },\n"
        "  },\n"
        "  expect = { { level = \"%s\", tag = \"%s\", kb = \"%s\", driver = \"%s\" } },\n"
        "}\n",
        a->id, fixed ? "does not match at its fixed version (an info finding says so)"
                     : "matches at an affected version",
        tag, a->driver, fixed ? "the fixed version" : "an affected version",
        fixed ? "the fixed version" : "an affected version", tag, fixed ? "info" : "known", tag,
        a->id, a->driver);
}

static int kb_new(const kb_args *a)
{
    if (a->id == NULL || a->driver == NULL)
        return pt_cli_usage("kb new", "--id PT-NNNN and --driver FILE.sys are required");
    if (!valid_id(a->id))
        return pt_cli_usage("kb new", "id '%s' must be PT- and 4 to 7 digits (PT-0042)", a->id);
    for (int i = 0; i < a->tag_count; i++) {
        char tag[5];
        if (!pt_tag_normalize(a->tag_list[i], strlen(a->tag_list[i]), tag) ||
            strpbrk(a->tag_list[i], "\"\\") != NULL)
            return pt_cli_usage("kb new", "tag '%s' must have " PT_TAG_RULE
                                " (no quote or backslash)", a->tag_list[i]);
    }
    if (strpbrk(a->driver, "\"\\\n/") != NULL || (a->vendor && strpbrk(a->vendor, "\"\\\n")))
        return pt_cli_usage("kb new", "driver and vendor may not hold quotes, backslashes or '/'");
    pt_arena *arena = pt_arena_new();
    if (arena == NULL)
        return PT_EXIT_INPUT;
    int status = PT_EXIT_INPUT;
    char drv[64], idl[32];
    stem(drv, sizeof drv, a->driver);
    if (strlen(drv) > 4 && strcmp(drv + strlen(drv) - 4, "-sys") == 0)
        drv[strlen(drv) - 4] = '\0';
    stem(idl, sizeof idl, a->id);
    char *used = id_used(arena, a->issues, a->id);
    char *tests = pt_path_join_arena(arena, a->rules, "tests");
    char *cases = tests ? pt_path_join_arena(arena, tests, "known-issue") : NULL;
    char *entry = pt_path_join_arena(arena, a->issues, pt_arena_printf(arena, "%s-%s.lua", drv, idl));
    char *c1 = cases ? pt_path_join_arena(arena, cases,
                                          pt_arena_printf(arena, "%s-affected-known.lua", idl)) : NULL;
    char *c2 = cases ? pt_path_join_arena(arena, cases,
                                          pt_arena_printf(arena, "%s-fixed-info.lua", idl)) : NULL;
    char today[40];
    pt_time_format((int64_t)time(NULL), today, sizeof today);
    today[10] = '\0'; /* YYYY-MM-DD */
    if (used) {
        fprintf(stderr, "pooltriage: kb new: id '%s' is already used by %s\n", a->id, used);
    } else if (!entry || !c1 || !c2 || !is_dir(a->issues) || !is_dir(cases)) {
        fprintf(stderr, "pooltriage: kb new: no %s or %s here: run it at the top of a checkout, "
                "or give --issues and --rules\n", a->issues, cases ? cases : a->rules);
    } else if (write_new(entry, entry_skeleton(arena, a, drv, today))) {
        if (write_new(c1, case_skeleton(arena, a, false)) &&
            write_new(c2, case_skeleton(arena, a, true))) {
            printf("wrote %s\nwrote %s\nwrote %s\n"
                   "next: replace every TODO, then run 'pooltriage kb check' and "
                   "'pooltriage rules test known-issue'\n", entry, c1, c2);
            status = fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INPUT;
        }
    }
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
        {"new", false},
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
        if (strcmp(sub, "new") == 0)
            return kb_new(&a);
        return kb_read(&a, sub);
    }
    return pt_cli_usage("kb", "unknown subcommand '%s'", sub);
}
