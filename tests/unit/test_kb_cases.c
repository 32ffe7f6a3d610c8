/*
 * test_kb_cases.c - every shipped KB entry is proved by the known-issue
 * rule's test cases: one case where it matches at an affected version and
 * one where it does not match at the fixed version (or, when no fix is
 * known, at a version or driver outside the entry).  The versions are
 * placed by the KB's own matcher (pt_kb_lookup), not by reading file names;
 * `rules test` (e2e.0502) proves each case passes.
 */
#include "test_support.h"
#include "pooltriage/platform.h"
#include "pt_lua.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 16

typedef struct case_driver {
    const char *name, *file_version, *product_version, *numeric;
} case_driver;

typedef struct case_expect {
    const char *level, *tag, *kb, *driver;
} case_expect;

typedef struct case_holding { /* a tag and the facts' driver that holds it */
    const char *tag;
    int driver; /* 0-based */
} case_holding;

typedef struct rule_case {
    const char *name;
    const char *rule;   /* known-issue or kb-tag-match */
    case_driver drivers[MAX_ITEMS];
    int driver_count;
    case_expect expect[MAX_ITEMS];
    int expect_count;
    case_holding held[MAX_ITEMS];
    int held_count;
} rule_case;

static const char *str_field(pt_arena *a, lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? pt_arena_strdup(a, lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    return s;
}

/* Reads the parts of a case the check needs; the full case is read (and
 * checked) by `rules test`. */
static void read_case(pt_arena *a, const char *path, const char *rule, rule_case *c)
{
    uint8_t *text;
    size_t len;
    pt_error err = {0};
    if (pt_file_read(a, path, 1 << 20, &text, &len, &err) != PT_OK)
        fail_msg("%s: %s", err.where, err.message);
    static const pt_lua_opts opts = {0, 0, true};
    lua_State *L = pt_lua_open(&opts);
    assert_non_null(L);
    if (pt_lua_load(L, (const char *)text, len, path, true) != LUA_OK ||
        pt_lua_pcall(L, 0, 1) != LUA_OK)
        fail_msg("%s: %s", path, lua_tostring(L, -1));
    memset(c, 0, sizeof *c);
    c->name = pt_arena_strdup(a, pt_path_base(path));
    c->rule = rule;
    int t = lua_gettop(L);
    lua_getfield(L, t, "facts");
    int facts = lua_gettop(L);
    lua_getfield(L, facts, "drivers");
    for (lua_Integer i = 1; lua_istable(L, -1) && i <= MAX_ITEMS; i++) {
        if (lua_rawgeti(L, -1, i) != LUA_TTABLE) {
            lua_pop(L, 1);
            break;
        }
        case_driver *d = &c->drivers[c->driver_count++];
        d->name = str_field(a, L, -1, "name");
        d->file_version = str_field(a, L, -1, "file_version");
        d->product_version = str_field(a, L, -1, "product_version");
        d->numeric = str_field(a, L, -1, "file_version_numeric");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_getfield(L, facts, "attributions");
    for (lua_Integer i = 1; lua_istable(L, -1) && i <= MAX_ITEMS; i++) {
        if (lua_rawgeti(L, -1, i) != LUA_TTABLE) {
            lua_pop(L, 1);
            break;
        }
        const char *tag = str_field(a, L, -1, "tag");
        lua_getfield(L, -1, "candidates");
        for (lua_Integer j = 1; lua_istable(L, -1) && c->held_count < MAX_ITEMS; j++) {
            if (lua_rawgeti(L, -1, j) != LUA_TTABLE) {
                lua_pop(L, 1);
                break;
            }
            lua_getfield(L, -1, "driver");
            if (lua_isinteger(L, -1) && tag)
                c->held[c->held_count++] = (case_holding){tag, (int)lua_tointeger(L, -1) - 1};
            lua_pop(L, 2);
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 2); /* attributions, facts */
    lua_getfield(L, t, "expect");
    for (lua_Integer i = 1; lua_istable(L, -1) && i <= MAX_ITEMS; i++) {
        if (lua_rawgeti(L, -1, i) != LUA_TTABLE) {
            lua_pop(L, 1);
            break;
        }
        case_expect *x = &c->expect[c->expect_count++];
        x->level = str_field(a, L, -1, "level");
        x->tag = str_field(a, L, -1, "tag");
        x->kb = str_field(a, L, -1, "kb");
        x->driver = str_field(a, L, -1, "driver");
        lua_pop(L, 1);
    }
    pt_lua_close(L);
}

/* The KB's answer for entry `id` when `tag` is held by driver d. */
static bool lookup(pt_arena *a, pt_kb *kb, const char *tag, const case_driver *d,
                   const char *id, pt_kb_match *out)
{
    pt_kb_query q = {.tag = tag, .driver = d->name, .build = PT_UNKNOWN,
                     .file_version = d->file_version, .product_version = d->product_version,
                     .numeric = d->numeric};
    pt_kb_match *m;
    size_t n;
    pt_error err = {0};
    if (pt_kb_lookup(a, kb, &q, &m, &n, &err) != PT_OK)
        fail_msg("%s: %s", err.where, err.message);
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].id, id) == 0) {
            *out = m[i];
            return true;
        }
    return false;
}

static const case_driver *driver_named(const rule_case *c, const char *name)
{
    for (int i = 0; name && i < c->driver_count; i++)
        if (c->drivers[i].name && pt_strcasecmp(c->drivers[i].name, name) == 0)
            return &c->drivers[i];
    return NULL;
}

static bool expects(const rule_case *c, const char *id, const char *level)
{
    for (int i = 0; i < c->expect_count; i++)
        if (c->expect[i].kb && strcmp(c->expect[i].kb, id) == 0 &&
            (level == NULL || (c->expect[i].level && strcmp(c->expect[i].level, level) == 0)))
            return true;
    return false;
}

/* True when one of the driver's versions is exactly `fixed` in the entry's
 * space: a string or the numeric version as written, or the release the
 * entry's scheme maps the numeric version to. */
static bool at_version(const pt_kb_entry *e, const case_driver *d, const char *fixed)
{
    pt_version want, have, rel;
    if (!pt_version_parse_strict(fixed, &want))
        return false;
    const char *vals[] = {d->file_version, d->product_version, d->numeric};
    for (size_t i = 0; i < 3; i++)
        if (vals[i] && pt_version_parse(vals[i], &have) && pt_version_cmp(&have, &want) == 0)
            return true;
    return e->version_numeric && d->numeric && pt_version_parse(d->numeric, &have) &&
           pt_version_from_pattern(e->version_numeric, &have, &rel) &&
           pt_version_cmp(&rel, &want) == 0;
}

typedef struct proof {
    const char *match;     /* the case that matches the entry */
    const char *no_match;  /* the case where it does not */
} proof;

/* Looks at one case for entry e; fills what it proves. */
static void weigh(pt_arena *a, pt_kb *kb, const pt_kb_entry *e, const rule_case *c, proof *p)
{
    bool ranged = e->range_count > 0;
    for (int i = 0; i < c->expect_count; i++) {
        const case_expect *x = &c->expect[i];
        const case_driver *d = driver_named(c, x->driver);
        pt_kb_match m;
        if (!x->kb || strcmp(x->kb, e->id) != 0 || d == NULL || !lookup(a, kb, x->tag, d, e->id, &m))
            continue;
        /* a match at an affected version: known, in a range (an entry with no
         * range, where the sources give no version, matches as likely) */
        if (ranged ? strcmp(x->level, "known") == 0 && m.version_match == 1
                   : strcmp(x->level, "likely") == 0 && m.driver_match && m.version_match == -1)
            p->match = c->name;
        /* at the fixed version: info, at or past the fix, at exactly fixed_in */
        if (e->fixed_in && strcmp(x->level, "info") == 0 && m.fixed == 1 &&
            at_version(e, d, e->fixed_in))
            p->no_match = c->name;
    }
    if (e->fixed_in)
        return;
    /* no fix is known: a case that consults the entry for a driver that holds
     * one of its tags (or, untagged, its driver) at a version outside its
     * ranges, or another driver with its tag, and does not find it known */
    for (int h = 0; h < c->held_count; h++) {
        if (c->held[h].driver < 0 || c->held[h].driver >= c->driver_count)
            continue;
        const case_driver *d = &c->drivers[c->held[h].driver];
        pt_kb_match m;
        if (!lookup(a, kb, c->held[h].tag, d, e->id, &m) || expects(c, e->id, "known"))
            continue;
        bool outside = m.driver_match && (m.tag_match || e->tag_count == 0) && m.version_match == 0;
        bool other = !m.driver_match && m.tag_match;
        if (ranged ? outside : (outside || other))
            p->no_match = c->name;
    }
}

static bool lists_tag(const pt_kb_entry *e, const char *tag)
{
    char t[5];
    for (size_t i = 0; tag && i < e->tag_count; i++) {
        snprintf(t, sizeof t, "%-4s", tag); /* "Icp" is "Icp " */
        if (strcmp(e->tags[i], t) == 0)
            return true;
    }
    return false;
}

/* An entry with tags and no driver is matched by kb-tag-match alone: a
 * capture where no file holds its tag cites it, and a driver found holding
 * the tag is not that entry. */
static void weigh_tag_only(const pt_kb_entry *e, const rule_case *c, proof *p)
{
    bool held = false;
    for (int h = 0; h < c->held_count; h++)
        held |= lists_tag(e, c->held[h].tag);
    for (int i = 0; i < c->expect_count && strcmp(c->rule, "kb-tag-match") == 0; i++)
        if (!held && c->expect[i].kb && strcmp(c->expect[i].kb, e->id) == 0 &&
            lists_tag(e, c->expect[i].tag) && c->expect[i].level &&
            strcmp(c->expect[i].level, "likely") == 0)
            p->match = c->name;
    if (held && !expects(c, e->id, NULL))
        p->no_match = c->name;
}

/* Entries the known-issue rule cannot match by design: no driver and no tag
 * is stated by their sources (kb search finds them). */
static bool unmatchable(const pt_kb_entry *e)
{
    return e->driver_count == 0 && e->tag_count == 0;
}

/* A case named after the entry (pt-0012-*.lua) that expects no finding. */
static bool named_quiet_case(const pt_kb_entry *e, const rule_case *cases, size_t count)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "pt-%s-", e->id + 3);
    for (size_t c = 0; c < count; c++)
        if (strncmp(cases[c].name, prefix, strlen(prefix)) == 0 && cases[c].expect_count == 0)
            return true;
    return false;
}

static void every_entry_has_a_matching_and_a_not_matching_case(void **state)
{
    (void)state;
    pt_kb *kb = test_kb();
    pt_arena *a = pt_arena_new();
    static const char *const rules[] = {"known-issue", "kb-tag-match"};
    rule_case *cases = NULL;
    size_t case_count = 0;
    pt_error err = {0};
    for (size_t r = 0; r < 2; r++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/rules/tests/%s", PT_SOURCE_DIR, rules[r]);
        char **files;
        size_t file_count;
        assert_int_equal(pt_platform_list(dir, &files, &file_count, &err), PT_OK);
        rule_case *more = pt_arena_alloc(a, (case_count + file_count) * sizeof *more);
        assert_non_null(more);
        if (case_count)
            memcpy(more, cases, case_count * sizeof *more);
        cases = more;
        for (size_t i = 0; i < file_count; i++) {
            if (pt_ends_with_ci(files[i], ".lua"))
                read_case(a, files[i], rules[r], &cases[case_count++]);
            pt_free(files[i]);
        }
        pt_free(files);
    }
    assert_true(case_count > 0);

    const char **ids;
    size_t id_count;
    assert_int_equal(pt_kb_search(a, kb, NULL, &ids, &id_count, &err), PT_OK);
    assert_true(id_count >= 35);
    int missing = 0;
    for (size_t i = 0; i < id_count; i++) {
        pt_kb_entry e;
        assert_int_equal(pt_kb_get(a, kb, ids[i], &e, &err), PT_OK);
        if (unmatchable(&e)) {
            if (!named_quiet_case(&e, cases, case_count)) {
                print_message("%s: no driver and no tag, and no case pt-%s-*.lua shows it is "
                              "not matched\n", e.id, e.id + 3);
                missing++;
            }
            continue;
        }
        proof p = {0};
        for (size_t c = 0; c < case_count; c++) {
            if (e.driver_count == 0)
                weigh_tag_only(&e, &cases[c], &p);
            else if (strcmp(cases[c].rule, "known-issue") == 0)
                weigh(a, kb, &e, &cases[c], &p);
        }
        /* no tag, no range, no fix: it matches whenever its driver holds a
         * suspect tag, so the case that shows it apart is another driver
         * with the same capture, named after the entry */
        if (p.no_match == NULL && e.tag_count == 0 && e.range_count == 0 && e.fixed_in == NULL &&
            named_quiet_case(&e, cases, case_count))
            p.no_match = "named";
        if (p.match == NULL) {
            print_message("%s: no case matches it %s\n", e.id,
                          e.driver_count == 0 ? "(kb-tag-match: likely, its tag in no file)"
                          : e.range_count ? "(known-issue: known at an affected version)"
                                          : "(known-issue: likely, it has no version range)");
            missing++;
        }
        if (p.no_match == NULL) {
            print_message("%s: no case shows it does not match %s\n", e.id,
                          e.fixed_in ? "at the fixed version (info at exactly fixed_in)"
                          : e.range_count ? "at a version outside its ranges"
                                          : "at a version outside its ranges, or in another driver");
            missing++;
        }
    }
    pt_arena_free(a);
    assert_int_equal(missing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_entry_has_a_matching_and_a_not_matching_case),
    };
    return cmocka_run_group_tests(tests, test_kb_setup, test_kb_teardown);
}
