/*
 * poolused.c - collect stage: reads WinDbg !poolused listings (old layout
 * with the description glued to the last number, new layout with a TAB
 * before it) and any !vm pool totals in the same text into a pt_snapshot.
 */
#include "pooltriage/pooltriage.h"
#include "collect_int.h"
#include "pooltriage/limits.h"

#include <string.h>

typedef struct cursor {
    const char *p, *end;
} cursor;

static void skip_blanks(cursor *c)
{
    while (c->p < c->end && pt_text_is_blank(*c->p))
        c->p++;
}

static bool next_word(cursor *c, const char **w, size_t *len)
{
    skip_blanks(c);
    *w = c->p;
    while (c->p < c->end && !pt_text_is_blank(*c->p))
        c->p++;
    *len = (size_t)(c->p - *w);
    return *len > 0;
}

/* The header "Tag Allocs Used Allocs Used": where "Tag" starts and where
 * each number column ends (numbers are right-aligned under the words). */
typedef struct columns {
    size_t tag_col;
    size_t end[4];
} columns;

static bool read_header(const pt_text_line *line, columns *cols)
{
    static const char *const want[] = {"Tag", "Allocs", "Used", "Allocs", "Used"};
    cursor c = {line->s, line->s + line->len};
    const char *w;
    size_t n;
    for (size_t i = 0; i < 5; i++) {
        if (!next_word(&c, &w, &n) || !pt_text_same_ci(w, n, want[i]))
            return false;
        if (i == 0)
            cols->tag_col = (size_t)(w - line->s);
        else
            cols->end[i - 1] = (size_t)(w + n - line->s);
    }
    return true;
}

bool pt_poolused_is_header(const pt_text_line *line)
{
    columns cols;
    return read_header(line, &cols);
}

/* ---- !vm totals: "NonPagedPool Usage:  9111 (  36444 Kb)" ---- */

static bool vm_value(const pt_text_line *l, const char *key, int64_t *out)
{
    const char *t = l->s;
    size_t n = l->len;
    size_t klen = strlen(key);
    pt_text_trim(&t, &n);
    if (n < klen || memcmp(t, key, klen) != 0)
        return false;
    cursor c = {t + klen, t + n};
    uint64_t pages, kb;
    skip_blanks(&c);
    if (!pt_text_u64(&c.p, c.end, &pages))
        return true;
    skip_blanks(&c);
    if (c.p == c.end || *c.p++ != '(')
        return true;
    skip_blanks(&c);
    if (!pt_text_u64(&c.p, c.end, &kb) || kb > INT64_MAX / 1024) /* used as bytes later */
        return true;
    skip_blanks(&c);
    if (c.end - c.p >= 2 && (c.p[0] == 'K' || c.p[0] == 'k') && c.p[1] == 'b')
        *out = (int64_t)kb;
    return true;
}

static bool parse_vm(const pt_text_line *l, pt_snapshot *s)
{
    return vm_value(l, "NonPagedPool Usage:", &s->nonpaged_kb) ||
           vm_value(l, "NonPagedPool Max:", &s->nonpaged_max_kb) ||
           vm_value(l, "PagedPool Usage:", &s->paged_kb);
}

/* ---- rows ---- */

/* A parsed listing row before it becomes one or two pt_pool_rows. */
typedef struct listing_row {
    char tag[5];
    uint64_t count[2], used[2]; /* [0] nonpaged, [1] paged */
    const char *rest;           /* description text, trimmed */
    size_t rest_len;
} listing_row;


/* The old layout glues the description to the last number
 * ("        01394 OHCI host ..." is 0 then "1394 OHCI ...").  The last
 * number then ends at its header column, moved by as much as the number
 * before it is moved (a row may sit a column off its header). */
static const char *last_number(cursor *c, const columns *cols, size_t prev_end,
                               const char *line, uint64_t *out)
{
    skip_blanks(c);
    const char *start = c->p, *digits_end = c->p;
    while (digits_end < c->end && *digits_end >= '0' && *digits_end <= '9')
        digits_end++;
    bool glued = digits_end < c->end && !pt_text_is_blank(*digits_end);
    bool described = glued;
    for (const char *p = digits_end; p < c->end && !described; p++)
        described = !pt_text_is_blank(*p);
    long shift = (long)prev_end - (long)cols->end[2];
    long col_end = (long)cols->end[3] + shift;
    const char *stop = digits_end;
    if (described && *digits_end != '\t' && col_end > (long)(start - line) &&
        col_end < (long)(digits_end - line))
        stop = line + col_end;
    if (stop == start || !pt_text_u64(&c->p, stop, out))
        return "expected a number in the paged \"Used\" column";
    return NULL;
}

static const char *read_numbers(const pt_text_line *l, cursor *c,
                                const columns *cols, listing_row *row)
{
    static const char *const missing[] = {
        "expected a number in the nonpaged \"Allocs\" column",
        "expected a number in the nonpaged \"Used\" column",
        "expected a number in the paged \"Allocs\" column"};
    uint64_t *fields[] = {&row->count[0], &row->used[0], &row->count[1]};
    for (size_t i = 0; i < 3; i++) {
        skip_blanks(c);
        if (!pt_text_u64(&c->p, c->end, fields[i]) || c->p == c->end ||
            !pt_text_is_blank(*c->p))
            return missing[i];
    }
    return last_number(c, cols, (size_t)(c->p - l->s), l->s, &row->used[1]);
}

static const char *parse_listing_row(const pt_text_line *l, const columns *cols,
                                     listing_row *row)
{
    static const int shifts[] = {0, -1, 1, -2, 2};
    size_t i = 0;
    for (; i < sizeof shifts / sizeof shifts[0]; i++) {
        if (shifts[i] < 0 && cols->tag_col < (size_t)-shifts[i])
            continue;
        if (pt_text_tag_at(l, (size_t)((long)cols->tag_col + shifts[i]), row->tag))
            break;
    }
    if (i == sizeof shifts / sizeof shifts[0])
        return "no 4-character tag followed by four numbers";
    size_t start = (size_t)((long)cols->tag_col + shifts[i]);
    cursor c = {l->s + start + 4, l->s + l->len};
    const char *why = read_numbers(l, &c, cols, row);
    if (why != NULL)
        return why;
    row->rest = c.p;
    row->rest_len = (size_t)(c.end - c.p);
    pt_text_trim(&row->rest, &row->rest_len);
    return NULL;
}

/* "UNKNOWN pooltag '  rx', please update pooltag.txt" names the real tag,
 * which the tag column may print differently ("rx.."). */
static bool unknown_tag(const char *s, size_t len, char tag[5])
{
    static const char prefix[] = "UNKNOWN pooltag '";
    const size_t plen = sizeof prefix - 1;
    if (len < plen + 5 || memcmp(s, prefix, plen) != 0 || s[plen + 4] != '\'')
        return false;
    memcpy(tag, s + plen, 4);
    tag[4] = '\0';
    return true;
}

/* Splits "<desc> , Binary: <binary>" into description and mapped driver. */
static bool describe(pt_arena *arena, listing_row *lr, pt_pool_row *row)
{
    static const char key[] = "Binary:";
    const char *s = lr->rest;
    size_t len = lr->rest_len;
    char tag[5];
    if (len == 0)
        return true;
    if (unknown_tag(s, len, tag)) {
        memcpy(lr->tag, tag, sizeof tag);
        return true;
    }
    size_t desc_len = len;
    for (size_t i = 0; i + sizeof key - 1 <= len; i++) {
        if (memcmp(s + i, key, sizeof key - 1) != 0)
            continue;
        const char *bin = s + i + sizeof key - 1;
        size_t bin_len = len - i - (sizeof key - 1);
        pt_text_trim(&bin, &bin_len);
        desc_len = i;
        while (desc_len > 0 && (pt_text_is_blank(s[desc_len - 1]) || s[desc_len - 1] == ','))
            desc_len--;
        if (bin_len > 0 && (row->mapped_driver = pt_arena_strndup(arena, bin, bin_len)) == NULL)
            return false;
        break;
    }
    pt_text_trim(&s, &desc_len);
    if (desc_len > 0 && (row->description = pt_arena_strndup(arena, s, desc_len)) == NULL)
        return false;
    return true;
}

/* ---- the listing ---- */

typedef struct listing {
    pt_snapshot snap;
    pt_capture_rows rows;
    const char *name;
    columns cols;
    bool header, ended;
    uint64_t total_used[2];
    bool has_total;
    size_t bad_rows;
    uint32_t first_bad;
} listing;

static pt_code add_rows(listing *ls, const pt_text_line *l, listing_row *lr)
{
    pt_pool_row row;
    memset(&row, 0, sizeof row);
    row.line = l->no;
    if (!describe(ls->rows.arena, lr, &row))
        return pt_capture_fail(NULL, PT_ENOMEM, ls->name, l->no, "out of memory");
    memcpy(row.tag, lr->tag, sizeof row.tag);
    for (int pool = 0; pool < 2; pool++) {
        if (lr->count[pool] == 0 && lr->used[pool] == 0)
            continue;
        /* !poolused counts outstanding allocations: that is poolmon's Diff. */
        row.pool = pool ? PT_POOL_PAGED : PT_POOL_NONPAGED;
        row.allocs = lr->count[pool];
        row.frees = 0;
        row.diff = lr->count[pool] > INT64_MAX ? INT64_MAX : (int64_t)lr->count[pool];
        row.bytes = lr->used[pool];
        row.per_alloc = row.diff > 0 ? row.bytes / (uint64_t)row.diff : 0;
        pt_code rc = pt_capture_rows_add(&ls->rows, &row, ls->name, NULL);
        if (rc != PT_OK)
            return rc;
    }
    return PT_OK;
}

/* "TOTAL  np-allocs np-used p-allocs p-used": the whole pool even when the
 * listing was cut short. */
static bool parse_total(listing *ls, const pt_text_line *l)
{
    cursor c = {l->s, l->s + l->len};
    const char *w;
    size_t n;
    uint64_t v[4];
    if (!next_word(&c, &w, &n) || !pt_text_same_ci(w, n, "TOTAL"))
        return false;
    for (size_t i = 0; i < 4; i++) {
        skip_blanks(&c);
        if (!pt_text_u64(&c.p, c.end, &v[i]))
            return true;
    }
    ls->total_used[0] = v[1];
    ls->total_used[1] = v[3];
    ls->has_total = true;
    return true;
}

static bool is_noise(const pt_text_line *l)
{
    const char *t = l->s;
    size_t n = l->len;
    pt_text_trim(&t, &n);
    size_t dots = 0;
    while (dots < n && t[dots] == '.')
        dots++;
    return n == 0 || dots == n;
}

/* A debugger prompt ("kd> ", "0: kd> ") starts another command's output. */
static bool is_prompt(const pt_text_line *l)
{
    for (size_t i = 0; i + 3 <= l->len && i < 16; i++)
        if (memcmp(l->s + i, "kd>", 3) == 0)
            return true;
    return false;
}

/* "Label: value", as !vm and other commands print: another command's
 * output pasted after the listing without its prompt. */
static bool is_label_line(const pt_text_line *l)
{
    for (size_t i = 0; i < l->len && (l->s[i] < '0' || l->s[i] > '9'); i++)
        if (l->s[i] == ':')
            return true;
    return false;
}

static pt_code body_line(listing *ls, const pt_text_line *l, pt_error *err)
{
    if (parse_vm(l, &ls->snap) || is_noise(l) || ls->ended)
        return PT_OK;
    if (is_prompt(l) || pt_poolused_is_header(l)) {
        ls->ended = true;
        return PT_OK;
    }
    if (l->len > PT_MAX_LINE_BYTES)
        return pt_capture_rows_skip(&ls->rows, l->no, ls->name, err,
                                    "line longer than the limit of %u bytes",
                                    PT_MAX_LINE_BYTES);
    if (parse_total(ls, l))
        return PT_OK;
    listing_row lr;
    memset(&lr, 0, sizeof lr);
    const char *why = parse_listing_row(l, &ls->cols, &lr);
    if (why == NULL) {
        pt_code rc = add_rows(ls, l, &lr);
        if (rc == PT_ENOMEM)
            return pt_capture_fail(err, rc, ls->name, l->no, "out of memory");
        if (rc != PT_OK)
            return pt_capture_fail(err, rc, ls->name, l->no,
                                   "more than %u rows in one capture",
                                   PT_MAX_CAPTURE_ROWS);
        return PT_OK;
    }
    if (is_label_line(l)) {
        ls->ended = true;
        return PT_OK;
    }
    if (ls->bad_rows++ == 0)
        ls->first_bad = l->no;
    return pt_capture_rows_skip(&ls->rows, l->no, ls->name, err, "%s", why);
}

static pt_code finish(listing *ls, pt_error *err)
{
    if (!ls->header)
        return pt_capture_fail(err, PT_EFORMAT, ls->name, 1,
                               "no !poolused header line (\"Tag  Allocs  Used  "
                               "Allocs  Used\") found");
    if (ls->rows.count == 0 && ls->bad_rows > 0)
        return pt_capture_fail(err, PT_EFORMAT, ls->name, ls->first_bad,
                               "no !poolused row could be read (\"TAG  Allocs  "
                               "Used  Allocs  Used\" expected)");
    /* !vm figures win; else the TOTAL line, rounded up to KiB. */
    if (ls->has_total && ls->snap.nonpaged_kb == PT_UNKNOWN &&
        ls->total_used[0] / 1024 < INT64_MAX)
        ls->snap.nonpaged_kb = (int64_t)((ls->total_used[0] + 1023) / 1024);
    if (ls->has_total && ls->snap.paged_kb == PT_UNKNOWN &&
        ls->total_used[1] / 1024 < INT64_MAX)
        ls->snap.paged_kb = (int64_t)((ls->total_used[1] + 1023) / 1024);
    return pt_capture_rows_finish(&ls->rows, &ls->snap, ls->name, err);
}

pt_code pt_poolused_parse(pt_arena *arena, const char *name, const char *text,
                          size_t len, pt_snapshot *out, pt_error *err)
{
    listing ls;
    memset(&ls, 0, sizeof ls);
    ls.name = name;
    ls.rows.arena = arena;
    pt_snapshot_init(&ls.snap, name, PT_FMT_POOLUSED);
    pt_line_iter it;
    pt_text_line line;
    pt_code rc = PT_OK;
    pt_line_iter_init(&it, text, len);
    while (rc == PT_OK && pt_line_next(&it, &line)) {
        if (ls.header)
            rc = body_line(&ls, &line, err);
        else if (line.len <= PT_MAX_LINE_BYTES && !parse_vm(&line, &ls.snap))
            ls.header = read_header(&line, &ls.cols);
    }
    if (rc == PT_OK)
        rc = finish(&ls, err);
    if (rc == PT_OK)
        *out = ls.snap;
    pt_capture_rows_free(&ls.rows);
    return rc;
}
