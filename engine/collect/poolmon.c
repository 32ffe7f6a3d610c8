/*
 * poolmon.c - collect stage: reads poolmon screens (WDK 10 and legacy
 * layouts, with /g /c Mapped_Driver cells and /s session titles) and
 * poolmon -n snapshot files into a pt_snapshot.  A row it cannot read is
 * skipped and listed in the snapshot; only a text with no header fails.
 */
#include "pooltriage/pooltriage.h"
#include "collect_int.h"
#include "pooltriage/limits.h"

#include <limits.h>
#include <string.h>

/* ---- scanning (p, end) ranges; lines are not NUL-terminated ---- */

typedef struct cursor {
    const char *p, *end;
} cursor;

typedef struct word {
    const char *s;
    size_t len;
} word;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static void skip_blanks(cursor *c)
{
    while (c->p < c->end && pt_text_is_blank(*c->p))
        c->p++;
}

static bool next_word(cursor *c, word *w)
{
    skip_blanks(c);
    w->s = c->p;
    while (c->p < c->end && !pt_text_is_blank(*c->p))
        c->p++;
    w->len = (size_t)(c->p - w->s);
    return w->len > 0;
}

static bool read_digits(cursor *c, uint64_t *out)
{
    return pt_text_u64(&c->p, c->end, out);
}

/* Where a console paste was cut: "…" (U+2026) or "...". */
static bool at_cut_mark(const cursor *c)
{
    size_t n = (size_t)(c->end - c->p);
    return (n >= 3 && memcmp(c->p, "\xE2\x80\xA6", 3) == 0) ||
           (n >= 3 && memcmp(c->p, "...", 3) == 0);
}

/* ---- summary and title lines ---- */

/* Offset of `key` at a word start in the line at or after `from`, or -1. */
static long find_key(const pt_text_line *l, size_t from, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = from; i + n <= l->len; i++)
        if (l->s[i] == key[0] && (i == 0 || pt_text_is_blank(l->s[i - 1])) &&
            memcmp(l->s + i, key, n) == 0)
            return (long)i;
    return -1;
}

/* `Key:\s*(\d+)K` at or after `from`; a wide number may touch the colon. */
static bool key_kb(const pt_text_line *l, size_t from, const char *key,
                   int64_t *out, size_t *key_end)
{
    long at = find_key(l, from, key);
    if (at < 0)
        return false;
    cursor c = {l->s + at + strlen(key), l->s + l->len};
    *key_end = (size_t)(c.p - l->s);
    skip_blanks(&c);
    uint64_t v;
    if (!read_digits(&c, &v) || c.p >= c.end || *c.p != 'K' || v > INT64_MAX / 1024)
        return true; /* the key is there but its value is cut or odd */
    *out = (int64_t)v;
    return true;
}

static void parse_summary(const pt_text_line *l, pt_snapshot *s)
{
    const struct {
        const char *key;
        int64_t *field;
    } keys[] = {{"Memory:", &s->memory_kb}, {"Avail:", &s->avail_kb},
                {"Commit:", &s->commit_kb}, {"Limit:", &s->limit_kb},
                {"Peak:", &s->peak_kb}};
    size_t end;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        key_kb(l, 0, keys[i].key, keys[i].field, &end);
    /* Only the "P:" after "Pool N:" is paged pool; the one after
     * "InRam Krnl:" is its resident part. */
    if (key_kb(l, 0, "Pool N:", &s->nonpaged_kb, &end))
        key_kb(l, end, "P:", &s->paged_kb, &end);
}

static bool is_summary(const pt_text_line *l)
{
    if (memchr(l->s, ':', l->len) == NULL) /* cheap: every row is tested */
        return false;
    return find_key(l, 0, "Memory:") >= 0 || find_key(l, 0, "Pool N:") >= 0;
}

/* "System pool information", "All sessions ...", "Session N ...". */
static bool parse_title(const pt_text_line *l, pt_snapshot *s)
{
    static const char suffix[] = "pool information";
    const size_t slen = sizeof suffix - 1;
    const char *t = l->s;
    size_t n = l->len;
    pt_text_trim(&t, &n);
    if (n < slen || !pt_text_same_ci(t + n - slen, slen, suffix))
        return false;
    n -= slen;
    pt_text_trim(&t, &n);
    uint64_t id;
    if (pt_text_same_ci(t, n, "All sessions")) {
        s->session = true;
        s->session_id = -1;
    } else if (n > 8 && pt_text_same_ci(t, 8, "Session ")) {
        cursor c = {t + 8, t + n};
        if (read_digits(&c, &id) && c.p == c.end && id <= INT_MAX) {
            s->session = true;
            s->session_id = (int)id;
        }
    }
    return true;
}

static bool is_rule(const pt_text_line *l)
{
    const char *t = l->s;
    size_t n = l->len;
    pt_text_trim(&t, &n);
    for (size_t i = 0; i < n; i++)
        if (t[i] != '-')
            return false;
    return n >= 3;
}

/* A "..." or "…" line: the screen went on but was not copied. */
static bool is_ellipsis(const pt_text_line *l)
{
    const char *t = l->s;
    size_t n = l->len;
    pt_text_trim(&t, &n);
    cursor c = {t, t + n};
    while (c.p < c.end && at_cut_mark(&c))
        c.p += 3;
    return n > 0 && c.p == c.end;
}

/* The line without the marks a paste put before it ("## ", "> ", "kd> "). */
static pt_text_line unprompted(const pt_text_line *l)
{
    size_t p = pt_text_prompt_len(l->s, l->len);
    pt_text_line out = {l->s + p, l->len - p, l->no};
    return out;
}

bool pt_poolmon_is_header(const pt_text_line *line, size_t *tag_col)
{
    static const char *const want[] = {"Allocs", "Frees", "Diff", "Bytes"};
    pt_text_line bare = unprompted(line);
    cursor c = {bare.s, bare.s + bare.len};
    word w;
    if (!next_word(&c, &w) || !pt_text_same_ci(w.s, w.len, "Tag"))
        return false;
    *tag_col = (size_t)(w.s - bare.s);
    if (!next_word(&c, &w) || !pt_text_same_ci(w.s, w.len, "Type"))
        return false;
    size_t k = 0;
    while (k < 4 && next_word(&c, &w))
        if (pt_text_same_ci(w.s, w.len, want[k]))
            k++;
    return k == 4;
}

/* ---- rows ---- */

/* How a number field ended. */
typedef enum field_status {
    FIELD_OK,   /* a blank, "(" or ")" follows: the number is whole */
    FIELD_END,  /* it runs to the end of the line: whole only if last */
    FIELD_CUT,  /* the line stops (or a cut mark starts) where it should be */
    FIELD_BAD,  /* something else is there */
    FIELD_NONE  /* no "(" delta follows the count */
} field_status;

static field_status read_count(cursor *c, uint64_t *out)
{
    skip_blanks(c);
    if (c->p == c->end || at_cut_mark(c))
        return FIELD_CUT;
    if (!read_digits(c, out))
        return FIELD_BAD;
    if (c->p == c->end)
        return FIELD_END;
    if (pt_text_is_blank(*c->p) || *c->p == '(' || *c->p == ')')
        return FIELD_OK;
    return at_cut_mark(c) ? FIELD_CUT : FIELD_BAD;
}

/* A signed value: Diff, or the inside of a delta. */
static field_status read_signed(cursor *c, int64_t *out)
{
    skip_blanks(c);
    bool neg = c->p < c->end && *c->p == '-';
    if (c->p < c->end && (*c->p == '-' || *c->p == '+'))
        c->p++;
    uint64_t mag;
    field_status st = read_count(c, &mag);
    if ((st == FIELD_OK || st == FIELD_END) && mag > (uint64_t)INT64_MAX)
        return FIELD_BAD;
    *out = neg ? -(int64_t)mag : (int64_t)mag;
    return st;
}

/* "( n)" after a count, with or without a blank before "(". */
static field_status read_delta(cursor *c, int64_t *out)
{
    cursor save = *c;
    skip_blanks(c);
    if (c->p == c->end || at_cut_mark(c))
        return FIELD_CUT;
    if (*c->p != '(') {
        *c = save;
        return FIELD_NONE;
    }
    c->p++;
    field_status st = read_signed(c, out);
    if (st == FIELD_END)
        return FIELD_CUT;
    if (st != FIELD_OK)
        return st;
    skip_blanks(c);
    if (c->p == c->end || at_cut_mark(c))
        return FIELD_CUT;
    if (*c->p != ')')
        return FIELD_BAD;
    c->p++;
    return FIELD_OK;
}

enum column { COL_ALLOCS, COL_FREES, COL_DIFF, COL_BYTES, COL_PER_ALLOC };

/* Why a row was skipped, by column: [column][0] cut short, [1] not a number. */
#define COLUMN_MESSAGES(name)                                                 \
    {"the row stops in the \"" name "\" column",                              \
     "expected a number in the \"" name "\" column"}

static const char *field_error(field_status st, enum column col)
{
    static const char *const messages[][2] = {
        COLUMN_MESSAGES("Allocs"), COLUMN_MESSAGES("Frees"),
        COLUMN_MESSAGES("Diff"), COLUMN_MESSAGES("Bytes"),
        COLUMN_MESSAGES("Per Alloc")};
    return messages[col][st == FIELD_CUT || st == FIELD_END ? 0 : 1];
}

/* A type word, possibly touching the number after it: Nonp, NonP,
 * Nonpaged, Paged. */
static bool read_type(cursor *c, pt_pool_type *pool)
{
    static const struct {
        const char *name;
        pt_pool_type pool;
    } types[] = {{"nonpaged", PT_POOL_NONPAGED},
                 {"nonp", PT_POOL_NONPAGED},
                 {"paged", PT_POOL_PAGED}};
    skip_blanks(c);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t n = strlen(types[i].name);
        if ((size_t)(c->end - c->p) < n || !pt_text_same_ci(c->p, n, types[i].name))
            continue;
        const char *after = c->p + n;
        if (after < c->end && !pt_text_is_blank(*after) && !is_digit(*after))
            continue;
        c->p = after;
        *pool = types[i].pool;
        return true;
    }
    return false;
}

/* The tag is the 4 columns at `start` when only blanks precede them, a
 * blank follows them and a pool type comes next. */
static bool tag_at(const pt_text_line *l, size_t start, pt_pool_row *row,
                   cursor *c)
{
    char tag[5];
    if (!pt_text_tag_at(l, start, tag))
        return false;
    cursor after = {l->s + start + 5, l->s + l->len};
    if (!read_type(&after, &row->pool))
        return false;
    memcpy(row->tag, tag, 5);
    *c = after;
    return true;
}

/* Rows line up with the header's "Tag" column, but the legacy layout puts
 * some rows one column left ("Strg  Paged" next to " CM   Paged", both under
 * " Tag  Type") and a copy may lose a leading blank: try the nearest
 * columns, the header's first.  Only blanks may stand left of a tag, so
 * "trg " is never read out of "Strg". */
static bool find_tag(const pt_text_line *l, size_t tag_col, pt_pool_row *row,
                     cursor *c)
{
    static const int shifts[] = {0, -1, 1, -2, 2};
    for (size_t i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
        if (shifts[i] < 0 && tag_col < (size_t)-shifts[i])
            continue;
        if (tag_at(l, (size_t)((long)tag_col + shifts[i]), row, c))
            return true;
    }
    /* A header indented or marked differently from its rows ("## Tag"
     * over rows at column 0): the row's first printable column. */
    size_t first = 0;
    while (first < l->len && pt_text_is_blank(l->s[first]))
        first++;
    return first + 2 < tag_col || first > tag_col + 2 ? tag_at(l, first, row, c) : false;
}

/* Allocs [( )] Frees [( )] Diff: all must be whole. */
static const char *read_counts(cursor *c, pt_pool_row *row)
{
    field_status st = read_count(c, &row->allocs);
    if (st != FIELD_OK)
        return field_error(st, COL_ALLOCS);
    st = read_delta(c, &row->allocs_delta);
    if (st != FIELD_OK && st != FIELD_NONE)
        return field_error(st, COL_ALLOCS);
    row->has_delta = st == FIELD_OK;
    if ((st = read_count(c, &row->frees)) != FIELD_OK)
        return field_error(st, COL_FREES);
    if (row->has_delta && (st = read_delta(c, &row->frees_delta)) != FIELD_OK)
        return field_error(st == FIELD_NONE ? FIELD_BAD : st, COL_FREES);
    if ((st = read_signed(c, &row->diff)) != FIELD_OK)
        return field_error(st, COL_DIFF);
    return NULL;
}

/* Bytes [( )] Per-Alloc.  Bytes must be whole; a row cut after it keeps
 * Bytes, drops every delta (has_delta means all three were read) and
 * derives Per Alloc as poolmon does, Bytes / Diff. */
static const char *read_bytes(cursor *c, pt_pool_row *row, bool *whole)
{
    field_status st = read_count(c, &row->bytes);
    if (st != FIELD_OK)
        return field_error(st, COL_BYTES);
    *whole = false;
    if (row->has_delta) {
        st = read_delta(c, &row->bytes_delta);
        if (st == FIELD_BAD || st == FIELD_NONE)
            return field_error(FIELD_BAD, COL_BYTES);
        if (st == FIELD_CUT) {
            row->has_delta = false;
            row->allocs_delta = row->frees_delta = row->bytes_delta = 0;
        }
    }
    if (st != FIELD_CUT) {
        st = read_count(c, &row->per_alloc);
        if (st == FIELD_BAD)
            return field_error(st, COL_PER_ALLOC);
        *whole = st == FIELD_OK || st == FIELD_END;
    }
    if (!*whole)
        row->per_alloc = row->diff > 0 ? row->bytes / (uint64_t)row->diff : 0;
    return NULL;
}

/* Copies the Mapped_Driver cell: each "[...]" group without brackets,
 * several joined by "; "; an unclosed group (cut at the window edge:
 * "[hidclass.sys - HID Class d") keeps what is there, since the file name
 * comes first; a cell with no brackets is kept as printed, except
 * "Unknown Driver". */
static bool mapped_driver(pt_arena *arena, const char *s, size_t len,
                          const char **out)
{
    char buf[PT_MAX_LINE_BYTES + 1];
    size_t n = 0;
    pt_text_trim(&s, &len);
    *out = NULL;
    if (len == 0 || pt_text_same_ci(s, len, "Unknown Driver"))
        return true;
    if (s[0] != '[') {
        *out = pt_arena_strndup(arena, s, len);
        return *out != NULL;
    }
    for (const char *p = s, *end = s + len; p < end && *p == '[';) {
        const char *close = memchr(p, ']', (size_t)(end - p));
        if (close == NULL)
            close = end;
        const char *g = p + 1;
        size_t glen = (size_t)(close - g);
        pt_text_trim(&g, &glen);
        if (glen > 0 && n + glen + 2 < sizeof buf) {
            if (n > 0)
                memcpy(buf + n, "; ", 2), n += 2;
            memcpy(buf + n, g, glen);
            n += glen;
        }
        for (p = close < end ? close + 1 : end; p < end && pt_text_is_blank(*p); p++)
            ;
    }
    if (n > 0 && (*out = pt_arena_strndup(arena, buf, n)) == NULL)
        return false;
    return true;
}

/* NULL when the row was read, else why not.  *mem is false on no memory. */
static const char *parse_row(pt_arena *arena, const pt_text_line *l,
                             size_t tag_col, pt_pool_row *row, bool *mem)
{
    cursor c;
    bool whole = false;
    const char *why;
    memset(row, 0, sizeof *row);
    row->line = l->no;
    *mem = true;
    if (!find_tag(l, tag_col, row, &c))
        return "no 4-character tag followed by a pool type (Nonp or Paged)";
    if ((why = read_counts(&c, row)) != NULL || (why = read_bytes(&c, row, &whole)) != NULL)
        return why;
    if (whole)
        *mem = mapped_driver(arena, c.p, (size_t)(c.end - c.p), &row->mapped_driver);
    return *mem ? NULL : "out of memory";
}

/* ---- the screen ---- */

typedef struct screen {
    pt_snapshot snap;
    pt_capture_rows rows;
    const char *name;
    size_t tag_col;
    bool header, titled, rule, any_delta, stopped;
    bool prompted; /* the header had marks before it: strip them from rows */
    size_t bad_rows;
    uint32_t first_bad;
} screen;

static void before_header(screen *sc, const pt_text_line *l)
{
    if (l->len > PT_MAX_LINE_BYTES)
        return;
    if (pt_poolmon_is_header(l, &sc->tag_col)) {
        sc->header = true;
        sc->prompted = pt_text_prompt_len(l->s, l->len) > 0;
        return;
    }
    if (is_rule(l))
        sc->rule = true;
    else if (parse_title(l, &sc->snap))
        sc->titled = true;
    else
        parse_summary(l, &sc->snap);
}

static pt_code bad_row(screen *sc, const pt_text_line *l, const char *why,
                       pt_error *err)
{
    if (sc->bad_rows++ == 0)
        sc->first_bad = l->no;
    return pt_capture_rows_skip(&sc->rows, l->no, sc->name, err, "%s", why);
}

static pt_code body_line(screen *sc, const pt_text_line *raw, pt_error *err)
{
    size_t col;
    pt_text_line bare = sc->prompted ? unprompted(raw) : *raw;
    const pt_text_line *l = &bare;
    if (l->len > PT_MAX_LINE_BYTES)
        return pt_capture_rows_skip(&sc->rows, l->no, sc->name, err,
                                    "line longer than the limit of %u bytes",
                                    PT_MAX_LINE_BYTES);
    const char *t = l->s;
    size_t n = l->len;
    pt_text_trim(&t, &n);
    if (n == 0 || is_ellipsis(l) || pt_text_is_snip(l) || pt_text_is_fence(l))
        return PT_OK;
    if (is_rule(l)) {
        sc->rule = true;
        return PT_OK;
    }
    if (pt_poolmon_is_header(l, &col) || is_summary(l)) {
        sc->stopped = true;
        return pt_capture_rows_skip(&sc->rows, l->no, sc->name, err,
                                    "a second poolmon screen starts here; "
                                    "only the first was read");
    }
    pt_pool_row row;
    bool mem;
    const char *why = parse_row(sc->rows.arena, l, sc->tag_col, &row, &mem);
    if (!mem)
        return pt_capture_fail(err, PT_ENOMEM, sc->name, l->no, "out of memory");
    if (why != NULL)
        return bad_row(sc, l, why, err);
    sc->any_delta = sc->any_delta || row.has_delta;
    return pt_capture_rows_add(&sc->rows, &row, sc->name, err);
}

static pt_code finish(screen *sc, pt_capture_format hint, pt_error *err)
{
    if (!sc->header)
        return pt_capture_fail(err, PT_EFORMAT, sc->name, 1,
                               "no poolmon header line (\"Tag  Type  Allocs ...\") found");
    if (sc->rows.count == 0 && sc->bad_rows > 0)
        return pt_capture_fail(err, PT_EFORMAT, sc->name, sc->first_bad,
                               "no poolmon row could be read (\"TAG  Nonp|Paged  "
                               "Allocs  Frees  Diff  Bytes\" expected)");
    if (hint == PT_FMT_POOLMON_CONSOLE || hint == PT_FMT_POOLMON_SNAPSHOT)
        sc->snap.format = hint;
    else if (sc->titled || sc->rule || sc->any_delta)
        sc->snap.format = PT_FMT_POOLMON_CONSOLE;
    else
        sc->snap.format = PT_FMT_POOLMON_SNAPSHOT;
    return pt_capture_rows_finish(&sc->rows, &sc->snap, sc->name, err);
}

pt_code pt_poolmon_parse(pt_arena *arena, const char *name, const char *text,
                         size_t len, pt_capture_format hint, pt_snapshot *out,
                         pt_error *err)
{
    screen sc;
    memset(&sc, 0, sizeof sc);
    sc.name = name;
    sc.rows.arena = arena;
    pt_snapshot_init(&sc.snap, name, PT_FMT_UNKNOWN);
    pt_line_iter it;
    pt_text_line line;
    pt_code rc = PT_OK;
    pt_line_iter_init(&it, text, len);
    while (rc == PT_OK && !sc.stopped && pt_line_next(&it, &line)) {
        if (!sc.header)
            before_header(&sc, &line);
        else
            rc = body_line(&sc, &line, err);
    }
    if (rc == PT_OK)
        rc = finish(&sc, hint, err);
    if (rc == PT_OK)
        *out = sc.snap;
    pt_capture_rows_free(&sc.rows);
    return rc;
}
