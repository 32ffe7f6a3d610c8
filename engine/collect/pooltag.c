/*
 * pooltag.c - collect stage: reads pooltag.txt (Debugging Tools, WDK) and
 * poolmon's localtag.txt into a tag -> owners map used as attribution hints.
 * Lookup is by exact tag, then by the wildcard pattern ('?', '*') that
 * matches with the most literal characters, as poolmon /g does.
 */
#include "pooltriage/pooltriage.h"
#include "collect_int.h"
#include "pooltriage/limits.h"

#include <stdlib.h>
#include <string.h>

struct pt_pooltag_map {
    pt_arena *arena;            /* strings */
    pt_tag_entry *entries;      /* pt_malloc'd; exact tags first, by tag, then order */
    size_t count, cap;
    size_t skipped;
};

pt_pooltag_map *pt_pooltag_new(void)
{
    pt_pooltag_map *map = pt_calloc(1, sizeof *map);
    if (map == NULL)
        return NULL;
    map->arena = pt_arena_new();
    if (map->arena == NULL) {
        pt_free(map);
        return NULL;
    }
    return map;
}

void pt_pooltag_free(pt_pooltag_map *map)
{
    if (map == NULL)
        return;
    pt_arena_free(map->arena);
    pt_free(map->entries);
    pt_free(map);
}

size_t pt_pooltag_count(const pt_pooltag_map *map) { return map ? map->count : 0; }
size_t pt_pooltag_skipped(const pt_pooltag_map *map) { return map ? map->skipped : 0; }

const pt_tag_entry *pt_pooltag_entry(const pt_pooltag_map *map, size_t index)
{
    return map && index < map->count ? &map->entries[index] : NULL;
}

/* ---- one line ---- */

/* The next field separator at or after `from`: a '-' with a blank (or the
 * line start for the first field's end) before it and a blank or the end
 * after it.  Returns its offset or len. */
static size_t find_sep(const char *s, size_t len, size_t from)
{
    for (size_t i = from; i < len; i++)
        if (s[i] == '-' && i > 0 && pt_text_is_blank(s[i - 1]) &&
            (i + 1 == len || pt_text_is_blank(s[i + 1])))
            return i;
    return len;
}

static bool is_comment(const char *s, size_t len)
{
    if (len >= 2 && s[0] == '/' && s[1] == '/')
        return true;
    return len >= 3 && pt_text_same_ci(s, 3, "rem") && (len == 3 || pt_text_is_blank(s[3]));
}

static bool ends_with_ci(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && pt_text_same_ci(s + len - n, n, suffix);
}

static bool is_file_name(const char *s, size_t len)
{
    return ends_with_ci(s, len, ".sys") || ends_with_ci(s, len, ".dll") ||
           ends_with_ci(s, len, ".exe");
}

/* A lone field of a pooltag.txt line is a binary when it is one word that
 * names a file or a module ("nt!io"); else it is a description. */
static bool looks_like_binary(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (pt_text_is_blank(s[i]))
            return false;
    return is_file_name(s, len) || memchr(s, '!', len) != NULL;
}

/* The file a binary field points at: its first word naming a .sys, .dll or
 * .exe; else the module of "module!detail" ("nt" is the kernel); a
 * localtag.txt driver name gets ".sys" back.  "" when it names no file,
 * NULL on out of memory. */
static const char *driver_guess(pt_arena *arena, const char *bin, pt_tagmap_kind kind)
{
    size_t len = strlen(bin);
    if (kind == PT_TAGMAP_LOCALTAG)
        return is_file_name(bin, len) ? bin : pt_arena_printf(arena, "%s.sys", bin);
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && !pt_text_is_blank(bin[j]) && bin[j] != ',' && bin[j] != '(' &&
               bin[j] != ')' && bin[j] != '/' && bin[j] != ';')
            j++;
        if (j > i && is_file_name(bin + i, j - i))
            return pt_arena_strndup(arena, bin + i, j - i);
        i = j + 1;
    }
    const char *bang = strchr(bin, '!');
    size_t mod = bang ? (size_t)(bang - bin) : 0;
    if (mod == 0 || memchr(bin, ' ', mod) != NULL)
        return "";
    if (mod == 2 && memcmp(bin, "nt", 2) == 0)
        return "ntoskrnl.exe";
    if (mod == 3 && memcmp(bin, "hal", 3) == 0)
        return "hal.dll";
    return pt_arena_printf(arena, "%.*s.sys", (int)mod, bin);
}

/* As driver_guess, NULL when there is none; *oom is set when a guess could
 * not be stored. */
static const char *driver_of(pt_arena *arena, const char *bin, pt_tagmap_kind kind,
                             bool *oom)
{
    const char *d = driver_guess(arena, bin, kind);
    *oom = *oom || d == NULL;
    return d && *d ? d : NULL;
}

static const char *field(pt_arena *arena, const char *s, size_t len, bool *oom)
{
    pt_text_trim(&s, &len);
    if (len == 0 || pt_text_same_ci(s, len, "<unknown>"))
        return NULL;
    const char *copy = pt_arena_strndup(arena, s, len);
    *oom = *oom || copy == NULL;
    return copy;
}

/* Reads the tag field; false when it is not 1-4 printable characters. */
static bool read_tag(const char *s, size_t len, pt_tag_entry *e)
{
    pt_text_trim(&s, &len);
    if (!pt_tag_normalize(s, len, e->tag))
        return false;
    e->wildcard = memchr(s, '?', len) != NULL || memchr(s, '*', len) != NULL;
    return true;
}

/* Fills e from one line; false for comments, blank and prose lines. */
static bool parse_line(pt_pooltag_map *map, const pt_text_line *l, pt_tagmap_kind kind,
                       pt_tag_entry *e, bool *oom)
{
    const char *s = l->s;
    size_t len = l->len;
    pt_text_trim(&s, &len);
    if (len == 0 || len > PT_MAX_LINE_BYTES || is_comment(s, len))
        return false;
    size_t sep = find_sep(s, len, 0);
    if (sep == len || !read_tag(s, sep, e))
        return false;
    const char *rest = s + sep + 1;
    size_t rest_len = len - sep - 1;
    size_t sep2 = find_sep(rest, rest_len, 0);
    const char *first = rest;
    size_t first_len = sep2;
    pt_text_trim(&first, &first_len);
    if (sep2 < rest_len) {
        e->binary = field(map->arena, first, first_len, oom);
        e->description = field(map->arena, rest + sep2 + 1, rest_len - sep2 - 1, oom);
    } else if (kind == PT_TAGMAP_LOCALTAG || looks_like_binary(first, first_len)) {
        e->binary = field(map->arena, first, first_len, oom);
    } else {
        e->description = field(map->arena, first, first_len, oom);
    }
    if (e->binary == NULL && e->description == NULL && !*oom)
        return false;
    if (e->binary)
        e->driver = driver_of(map->arena, e->binary, kind, oom);
    return true;
}

/* ---- order and lookup ---- */

static int by_tag(const void *a, const void *b)
{
    const pt_tag_entry *x = a, *y = b;
    if (x->wildcard != y->wildcard)
        return x->wildcard ? 1 : -1;
    int c = memcmp(x->tag, y->tag, 4);
    if (c != 0)
        return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static pt_tagmap_kind kind_of(const char *name, pt_tagmap_kind kind)
{
    if (kind != PT_TAGMAP_AUTO)
        return kind;
    for (const char *p = name; p && *p; p++)
        if (pt_text_same_ci(p, strnlen(p, 8), "localtag"))
            return PT_TAGMAP_LOCALTAG;
    return PT_TAGMAP_POOLTAG;
}

pt_code pt_pooltag_parse(pt_pooltag_map *map, const char *name, const char *text,
                         size_t len, pt_tagmap_kind kind, pt_error *err)
{
    if (name == NULL)
        name = "<tag file>";
    const char *nul = memchr(text, 0, len);
    if (nul != NULL)
        return pt_error_set(err, PT_EFORMAT, name, "binary file: a NUL byte at offset "
                            "0x%zx; give a pooltag.txt or localtag.txt text file",
                            (size_t)(nul - text));
    kind = kind_of(name, kind);
    const char *source = pt_arena_strdup(map->arena, name);
    if (source == NULL)
        return pt_error_set(err, PT_ENOMEM, name, "out of memory");
    pt_line_iter it;
    pt_text_line l;
    pt_line_iter_init(&it, text, len);
    while (pt_line_next(&it, &l)) {
        pt_tag_entry e = {.source = source, .line = l.no, .kind = kind,
                          .order = (uint32_t)map->count};
        bool oom = false;
        bool ok = parse_line(map, &l, kind, &e, &oom);
        if (oom || (ok && !PT_PUSH(map->entries, map->count, map->cap, e)))
            return pt_error_set(err, PT_ENOMEM, name, "out of memory");
        if (!ok)
            map->skipped++;
    }
    if (map->count > 1)
        qsort(map->entries, map->count, sizeof *map->entries, by_tag);
    return PT_OK;
}

pt_code pt_pooltag_load(pt_pooltag_map *map, const char *path, pt_tagmap_kind kind,
                        pt_error *err)
{
    pt_arena *tmp = pt_arena_new();
    uint8_t *data = NULL;
    size_t len = 0;
    char *text = NULL;
    size_t text_len = 0;
    pt_code rc = tmp ? PT_OK : pt_error_set(err, PT_ENOMEM, path, "out of memory");
    if (rc == PT_OK)
        rc = pt_file_read(tmp, path, PT_MAX_TAGFILE_BYTES, &data, &len, err);
    if (rc == PT_OK) {
        rc = pt_text_decode(tmp, data, len, &text, &text_len, err);
        if (rc == PT_EFORMAT && err) {
            char at[sizeof err->where];
            memcpy(at, err->where, sizeof at);
            pt_error_set(err, rc, path, "binary file (%s); give a pooltag.txt or "
                         "localtag.txt text file", at);
        }
    }
    if (rc == PT_OK)
        rc = pt_pooltag_parse(map, path, text, text_len, kind, err);
    pt_arena_free(tmp);
    return rc;
}

/* Literal characters matched, or -1 when the pattern does not match. */
static int match(const char *pattern, const char *tag)
{
    int literal = 0;
    for (int i = 0; i < 4; i++) {
        if (pattern[i] == '*')
            return literal;
        if (pattern[i] == '?')
            continue;
        if (pattern[i] != tag[i])
            return -1;
        literal++;
    }
    return literal;
}

const pt_tag_entry *pt_pooltag_lookup(const pt_pooltag_map *map, const char *tag,
                                      size_t *out_count)
{
    *out_count = 0;
    if (map == NULL || tag == NULL || strnlen(tag, 4) < 4)
        return NULL;
    size_t lo = 0, hi = map->count;
    while (lo < hi) { /* first exact entry with a tag >= `tag` */
        size_t mid = lo + (hi - lo) / 2;
        const pt_tag_entry *e = &map->entries[mid];
        if (!e->wildcard && memcmp(e->tag, tag, 4) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    while (lo + n < map->count && !map->entries[lo + n].wildcard &&
           memcmp(map->entries[lo + n].tag, tag, 4) == 0)
        n++;
    if (n > 0) {
        *out_count = n;
        return &map->entries[lo];
    }
    const pt_tag_entry *best = NULL;
    int best_score = -1;
    for (size_t i = lo; i < map->count; i++) {
        const pt_tag_entry *e = &map->entries[i];
        int m = e->wildcard ? match(e->tag, tag) : -1;
        if (m > best_score || (best && m >= 0 && memcmp(e->tag, best->tag, 4) == 0)) {
            if (m > best_score) {
                best = e;
                best_score = m;
                n = 0;
            }
            n++;
        }
    }
    *out_count = n;
    return best;
}
