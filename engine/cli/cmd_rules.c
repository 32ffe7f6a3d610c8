/*
 * cmd_rules.c - `pooltriage rules`: list the rules, check that they load,
 * and test each against the cases it ships with (facts in, expected
 * findings out), from a rules folder or from the KB.
 */
#include "cli.h"
#include "pooltriage/platform.h"

#include <cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *out)
{
    fprintf(out,
        "usage: pooltriage rules list  [--rules DIR] [--kb FILE] [--json]\n"
        "       pooltriage rules check [--rules DIR] [--kb FILE]\n"
        "       pooltriage rules test  [--rules DIR] [--kb FILE] [RULE_ID]...\n"
        "\n"
        "  list    every rule: id, title, author, file, number of test cases\n"
        "  check   load every rule in the sandbox (text only, metadata checked,\n"
        "          ids unique) and read every test case file\n"
        "  test    run each rule on each of its cases (DIR/tests/<rule-id>/*.lua)\n"
        "          and compare the findings with the expected ones\n"
        "  --rules DIR   rules from DIR instead of the KB (a contributor's checkout)\n"
        "  --kb FILE     the KB for rules and for lookups (default: inside a checkout,\n"
        "                kb/issues here or beside --rules DIR, one built from its\n"
        "                kb/issues, kb/tags and rules; else the one triage uses).\n"
        "                test says which KB it used.\n"
        "  --json        one line of JSON (list)\n"
        "\n"
        "Exit: 0 all good, 2 usage, 4 a rule does not load or a case fails.\n");
}

typedef struct rargs {
    const char *rules, *kb;
    const char *issues, *tags; /* the checkout's sources the KB was built from */
    bool kb_given;
    bool json;
    char **ids;
    int id_count;
} rargs;

static int parse(int argc, char **argv, const char *cmd, rargs *a)
{
    static const struct option opts[] = {
        {"rules", required_argument, NULL, 'r'}, {"kb", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': a->rules = optarg; break;
        case 'k': a->kb = optarg; break;
        case 'j': a->json = true; break;
        case 'h': help(stdout); return -1;
        case ':': return pt_cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
        default: return pt_cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    a->ids = argv + optind;
    a->id_count = argc - optind;
    if (a->id_count && strcmp(cmd, "rules test") != 0)
        return pt_cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    a->kb_given = a->kb != NULL;
    if (a->kb == NULL)
        a->kb = pt_cli_default_kb();
    return 0;
}

static bool is_dir(const char *path) { return pt_platform_is_dir(path); }

static void print_problem(void *arg, const char *where, const char *message)
{
    (void)arg;
    fprintf(stderr, "pooltriage: %s: %s\n", where, message);
}

/* The checkout whose sources to build, or false: the one --rules DIR sits
 * in (DIR/../kb/issues), else the current folder (kb/issues here). */
static bool find_checkout(rargs *a)
{
    static char issues[4096], tags[4096];
    if (a->rules) {
        char parent[4096];
        size_t n = pt_path_split_last(parent, sizeof parent, a->rules);
        parent[n] = '\0';
        if (n > 0 && pt_path_join_buf(issues, sizeof issues, parent, "kb/issues") &&
            is_dir(issues) && pt_path_join_buf(tags, sizeof tags, parent, "kb/tags")) {
            a->issues = issues;
            a->tags = tags;
            return true;
        }
    }
    if (!is_dir("kb/issues"))
        return false;
    a->issues = "kb/issues";
    a->tags = "kb/tags";
    return true;
}

/* Inside a checkout and without --kb: builds a KB from the checkout's
 * sources into `tmp`, so rules test sees the entries just edited.  0 when
 * not in a checkout or built, else an exit code. */
static int checkout_kb(rargs *a, char *tmp, size_t len)
{
    tmp[0] = '\0';
    if (a->kb_given || !find_checkout(a))
        return 0;
    if (a->rules == NULL)
        a->rules = "rules";
    if (!pt_path_join_buf(tmp, len, pt_platform_temp_root(), "pooltriage-rules-kb-XXXXXX"))
        snprintf(tmp, len, "pooltriage-rules-kb-XXXXXX");
    int fd = pt_platform_temp_file(tmp);
    if (fd < 0) {
        fprintf(stderr, "pooltriage: cannot create a temporary file like '%s': %s; set TMPDIR\n",
                tmp, strerror(errno));
        tmp[0] = '\0';
        return PT_EXIT_INPUT;
    }
    pt_platform_close(fd);
    pt_kb_sources src = {.issues_dir = a->issues, .tags_dir = is_dir(a->tags) ? a->tags : NULL,
                         .rules_dir = a->rules, .problem = print_problem};
    pt_error err = {0};
    if (pt_kb_build_from(&src, tmp, &err) != PT_OK) {
        fprintf(stderr, "pooltriage: the KB sources of this checkout do not build (see above); "
                "fix them ('pooltriage kb check') or pass --kb FILE\n");
        pt_platform_remove(tmp);
        tmp[0] = '\0';
        return err.code == PT_EKB || err.code == PT_ERULE ? PT_EXIT_KB : pt_cli_fail(&err);
    }
    a->kb = tmp;
    return 0;
}

/* A rule, its metadata and its cases. */
typedef struct rule_item {
    pt_rule_source src;
    pt_rule_meta meta;
    bool loaded;
    pt_error err;
    pt_rule_source *cases;
    size_t case_count;
} rule_item;

static pt_code load_items(pt_arena *arena, pt_kb *kb, const rargs *a, rule_item **out,
                          size_t *count, pt_error *err)
{
    pt_rule_source *src;
    size_t n;
    pt_code rc = a->rules ? pt_rules_from_dir(arena, a->rules, &src, &n, err)
                          : pt_rules_from_kb(arena, kb, &src, &n, err);
    if (rc != PT_OK)
        return rc;
    rule_item *items = pt_arena_alloc(arena, (n + 1) * sizeof *items);
    if (items == NULL)
        return pt_error_set(err, PT_ENOMEM, "", "out of memory");
    for (size_t i = 0; i < n && rc == PT_OK; i++) {
        rule_item *it = &items[i];
        it->src = src[i];
        it->loaded = pt_rule_meta_read(arena, src[i].name, src[i].text, src[i].len, &it->meta,
                                       &it->err) == PT_OK;
        if (!it->loaded)
            continue;
        if (a->rules) {
            char *tests = pt_path_join_arena(arena, a->rules, "tests");
            char *dir = tests ? pt_path_join_arena(arena, tests, it->meta.id) : NULL;
            pt_error cerr = {0};
            if (dir && pt_platform_is_dir(dir) && pt_platform_can_read(dir))
                rc = pt_rules_from_dir(arena, dir, &it->cases, &it->case_count, &cerr);
            if (rc != PT_OK)
                *err = cerr;
        } else {
            rc = pt_rule_cases_from_kb(arena, kb, it->meta.id, &it->cases, &it->case_count, err);
        }
    }
    *out = items;
    *count = n;
    return rc;
}

static int rules_list(const rargs *a, rule_item *items, size_t n)
{
    pt_buf b = {0};
    cJSON *arr = a->json ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; i < n; i++) {
        const rule_item *it = &items[i];
        if (arr) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddItemToObject(o, "id", pt_cli_json_str(it->loaded ? it->meta.id : NULL));
            cJSON_AddItemToObject(o, "title", pt_cli_json_str(it->loaded ? it->meta.title : NULL));
            cJSON_AddItemToObject(o, "author", pt_cli_json_str(it->loaded ? it->meta.author : NULL));
            cJSON_AddStringToObject(o, "file", it->src.name);
            cJSON_AddBoolToObject(o, "loaded", it->loaded);
            cJSON_AddItemToObject(o, "error", pt_cli_json_str(it->loaded ? NULL : it->err.message));
            cJSON_AddNumberToObject(o, "cases", (double)it->case_count);
            cJSON_AddItemToArray(arr, o);
        } else if (it->loaded) {
            pt_term_printf(&b, "%-22s %-24s %2zu case%s  %s (%s)\n", it->meta.id, it->src.name,
                          it->case_count, it->case_count == 1 ? " " : "s", it->meta.title,
                          it->meta.author ? it->meta.author : "no author");
        } else {
            pt_term_printf(&b, "%-22s %-24s does not load: %s\n", "?", it->src.name, it->err.message);
        }
    }
    if (arr) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddItemToObject(root, "rules", arr);
        char *text = cJSON_PrintUnformatted(root);
        if (text) {
            pt_buf_puts(&b, text);
            pt_buf_puts(&b, "\n");
        } else {
            b.failed = true;
        }
        pt_free(text);
        cJSON_Delete(root);
    }
    int st = pt_cli_write(&b);
    pt_buf_free(&b);
    return st;
}

static int rules_check(pt_arena *arena, pt_kb *kb, const rargs *a, rule_item *items,
                       size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        rule_item *it = &items[i];
        if (!it->loaded) {
            pt_cli_error("%s: %s", it->err.where, it->err.message);
            bad++;
            continue;
        }
        for (size_t k = 0; k < i; k++)
            if (items[k].loaded && strcmp(items[k].meta.id, it->meta.id) == 0) {
                pt_cli_error("%s: rule id '%s' is also used by %s",
                        it->src.name, it->meta.id, items[k].src.name);
                bad++;
            }
        /* what triage refuses: a shipped rule's id from another file */
        const char *shipped = NULL;
        pt_error kerr = {0};
        if (a->rules && pt_kb_rule_file(arena, kb, it->meta.id, &shipped, &kerr) != PT_OK)
            return pt_cli_fail(&kerr);
        if (shipped && strcmp(shipped, pt_path_base(it->src.name)) != 0) {
            pt_cli_error("%s: rule id '%s' belongs to the shipped rule %s: triage refuses "
                         "it; give the rule an id of its own", it->src.name, it->meta.id,
                         shipped);
            bad++;
        }
        for (size_t c = 0; c < it->case_count; c++) {
            pt_verdict v;
            const char *failure;
            pt_error err = {0};
            if (pt_rule_case_run(arena, kb, NULL, it->cases[c].name, it->cases[c].text,
                                 it->cases[c].len, &v, &failure, &err) != PT_OK) {
                pt_cli_error("tests/%s/%s: %s", it->meta.id, err.where,
                        err.message);
                bad++;
            }
        }
    }
    printf("%zu rules checked, %d problem%s\n", n, bad, bad == 1 ? "" : "s");
    return bad ? PT_EXIT_KB : PT_EXIT_OK;
}

static bool wanted(const rargs *a, const char *id)
{
    for (int i = 0; i < a->id_count; i++)
        if (strcmp(a->ids[i], id) == 0)
            return true;
    return a->id_count == 0;
}

static int rules_test(pt_arena *arena, pt_kb *kb, const rargs *a, rule_item *items, size_t n,
                      bool from_checkout)
{
    int passed = 0, failed = 0;
    if (from_checkout)
        printf("testing %s/ against the KB built from this checkout's %s, %s and %s/ "
               "(%s)\n", a->rules, a->issues, a->tags, a->rules, pt_kb_version(kb));
    else
        printf("testing %s against the KB %s (%s)\n", a->rules ? a->rules : "the KB's rules",
               pt_kb_path(kb), pt_kb_version(kb));
    for (size_t i = 0; i < n; i++) {
        rule_item *it = &items[i];
        if (!it->loaded) {
            pt_cli_printf("FAIL %s: does not load: %s: %s\n", it->src.name, it->err.where, it->err.message);
            failed++;
            continue;
        }
        if (!wanted(a, it->meta.id))
            continue;
        if (it->case_count == 0) {
            pt_cli_printf("FAIL %s: no test cases (add rules/tests/%s/NAME.lua)\n", it->meta.id,
                   it->meta.id);
            failed++;
        }
        for (size_t c = 0; c < it->case_count; c++) {
            pt_verdict v;
            const char *failure = NULL;
            pt_error err = {0};
            pt_code rc = pt_rule_case_run(arena, kb, &it->src, it->cases[c].name, it->cases[c].text,
                                          it->cases[c].len, &v, &failure, &err);
            if (rc != PT_OK) {
                pt_cli_printf("FAIL %s/%s: %s: %s\n", it->meta.id, it->cases[c].name, err.where,
                       err.message);
                failed++;
            } else if (failure) {
                pt_cli_printf("FAIL %s/%s: %s\n", it->meta.id, it->cases[c].name, failure);
                failed++;
            } else {
                pt_cli_printf("ok   %s/%s\n", it->meta.id, it->cases[c].name);
                passed++;
            }
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    if (fflush(stdout) != 0)
        return PT_EXIT_INPUT;
    return failed ? PT_EXIT_KB : PT_EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        help(argc < 2 ? stderr : stdout);
        return argc < 2 ? PT_EXIT_USAGE : PT_EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "list") && strcmp(sub, "check") && strcmp(sub, "test"))
        return pt_cli_usage("rules", "unknown subcommand '%s'", sub);
    char cmd[32];
    snprintf(cmd, sizeof cmd, "rules %s", sub);
    rargs a = {0};
    int st = parse(argc - 1, argv + 1, cmd, &a);
    if (st != 0)
        return st < 0 ? PT_EXIT_OK : st;
    char tmp[4096] = "";
    if (strcmp(sub, "list") != 0 && (st = checkout_kb(&a, tmp, sizeof tmp)) != 0)
        return st;
    pt_arena *arena = pt_arena_new();
    pt_kb *kb = NULL;
    pt_error err = {0};
    rule_item *items = NULL;
    size_t n = 0;
    pt_code rc = arena ? pt_kb_open(a.kb, &kb, &err) : pt_error_set(&err, PT_ENOMEM, "", "out of memory");
    if (rc == PT_OK)
        rc = load_items(arena, kb, &a, &items, &n, &err);
    if (rc != PT_OK)
        st = pt_cli_fail(&err);
    else if (strcmp(sub, "list") == 0)
        st = rules_list(&a, items, n);
    else if (strcmp(sub, "check") == 0)
        st = rules_check(arena, kb, &a, items, n);
    else
        st = rules_test(arena, kb, &a, items, n, tmp[0] != '\0');
    pt_kb_close(kb);
    pt_arena_free(arena);
    if (tmp[0])
        pt_platform_remove(tmp);
    return st;
}
