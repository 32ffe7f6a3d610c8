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

/* The header names the number columns: "Tag Allocs Used Allocs Used"
 * (flags 0/2/4/8), "Tag Allocs Frees Diff Used Allocs Frees Diff Used"
 * (flag 1, verbose), one group of either for a pool alone, and group
 * words "NonPaged" / "Paged" may stand on the header line itself.  Each
 * column has a kind, a pool and the offset where it ends (numbers are
 * right-aligned under their word). */
enum col_kind { COL_ALLOCS, COL_FREES, COL_DIFF, COL_USED };

#define MAX_COLUMNS 8

typedef struct columns {
    size_t tag_col;
    size_t count;
    enum col_kind kind[MAX_COLUMNS];
    int pool[MAX_COLUMNS]; /* 0 nonpaged, 1 paged */
    size_t end[MAX_COLUMNS];
} columns;

static bool column_kind(const char *w, size_t n, enum col_kind *out)
{
    static const char *const names[] = {"Allocs", "Frees", "Diff", "Used"};
    for (int k = 0; k < 4; k++)
        if (pt_text_same_ci(w, n, names[k])) {
            *out = (enum col_kind)k;
            return true;
        }
    return false;
}

/* Every group has Allocs and Used, each kind at most once. */
static bool groups_valid(const columns *cols)
{
    for (int pool = 0; pool < 2; pool++) {
        unsigned seen = 0, n = 0;
        for (size_t i = 0; i < cols->count; i++)
            if (cols->pool[i] == pool) {
                if (seen & 1u << cols->kind[i])
                    return false;
                seen |= 1u << cols->kind[i];
                n++;
            }
        if (n > 0 && (seen & (1u << COL_ALLOCS | 1u << COL_USED)) !=
                         (1u << COL_ALLOCS | 1u << COL_USED))
            return false;
    }
    return cols->count >= 2;
}

/* `first_pool` is the pool of a group with no word of its own: the pool
 * the line above names when it names only one, else nonpaged. */
static bool read_header_from(const pt_text_line *line, int first_pool, columns *cols)
{
    size_t skip = pt_text_prompt_len(line->s, line->len);
    const char *base = line->s + skip;
    cursor c = {base, line->s + line->len};
    const char *w;
    size_t n;
    memset(cols, 0, sizeof *cols);
    if (!next_word(&c, &w, &n) || !pt_text_same_ci(w, n, "Tag"))
        return false;
    cols->tag_col = (size_t)(w - base);
    int pool = first_pool;
    unsigned group_seen = 0;
    bool labelled = false;
    while (next_word(&c, &w, &n)) {
        enum col_kind kind;
        if (pt_text_same_ci(w, n, "NonPaged") || pt_text_same_ci(w, n, "Paged")) {
            pool = pt_text_same_ci(w, n, "Paged");
            group_seen = 0;
            labelled = true;
            continue;
        }
        if (!column_kind(w, n, &kind) || cols->count == MAX_COLUMNS)
            return false;
        if (group_seen & 1u << kind) { /* a kind again: the next group */
            if (labelled || pool == 1)
                return false;
            pool = 1;
            group_seen = 0;
        }
        group_seen |= 1u << kind;
        cols->kind[cols->count] = kind;
        cols->pool[cols->count] = pool;
        cols->end[cols->count++] = (size_t)(w + n - base);
    }
    return groups_valid(cols);
}

/* The pool a lone group belongs to, from the words of the line above it. */
static int pool_named_above(const pt_text_line *above)
{
    if (above == NULL)
        return 0;
    cursor c = {above->s, above->s + above->len};
    const char *w;
    size_t n;
    bool nonpaged = false, paged = false;
    while (next_word(&c, &w, &n)) {
        nonpaged = nonpaged || pt_text_same_ci(w, n, "NonPaged");
        paged = paged || pt_text_same_ci(w, n, "Paged");
    }
    return paged && !nonpaged ? 1 : 0;
}

static bool read_header(const pt_text_line *line, const pt_text_line *above,
                        columns *cols)
{
    return read_header_from(line, pool_named_above(above), cols);
}

bool pt_poolused_is_header(const pt_text_line *line)
{
    columns cols;
    return read_header_from(line, 0, &cols);
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

/* Windows 8 and later split nonpaged pool in two lines, "NonPagedPool
 * Usage:" (executable) then "NonPagedPoolNx Usage:"; the pool is their
 * sum, so the second adds to the first. */
static bool parse_vm(const pt_text_line *l, pt_snapshot *s)
{
    int64_t nx = PT_UNKNOWN;
    if (vm_value(l, "NonPagedPoolNx Usage:", &nx)) {
        if (nx == PT_UNKNOWN)
            return true;
        if (s->nonpaged_kb == PT_UNKNOWN)
            s->nonpaged_kb = nx;
        else if (s->nonpaged_kb <= INT64_MAX / 1024 - nx) /* both used as bytes later */
            s->nonpaged_kb += nx;
        return true;
    }
    return vm_value(l, "NonPagedPool Usage:", &s->nonpaged_kb) ||
           vm_value(l, "NonPagedPool Max:", &s->nonpaged_max_kb) ||
           vm_value(l, "PagedPool Usage:", &s->paged_kb);
}

/* ---- rows ---- */

/* A parsed listing row before it becomes one or two pt_pool_rows: the
 * numbers in header order. */
typedef struct listing_row {
    char tag[5];
    int64_t value[MAX_COLUMNS];
    const char *rest;           /* description text, trimmed */
    size_t rest_len;
} listing_row;

static const char *column_error(const columns *cols, size_t i)
{
    static const char *const msg[2][4] = {
        {"expected a number in the nonpaged \"Allocs\" column",
         "expected a number in the nonpaged \"Frees\" column",
         "expected a number in the nonpaged \"Diff\" column",
         "expected a number in the nonpaged \"Used\" column"},
        {"expected a number in the paged \"Allocs\" column",
         "expected a number in the paged \"Frees\" column",
         "expected a number in the paged \"Diff\" column",
         "expected a number in the paged \"Used\" column"}};
    return msg[cols->pool[i]][cols->kind[i]];
}

/* A number of column i at c; Diff may be negative.  *stop bounds it. */
static bool read_value(cursor *c, const char *stop, const columns *cols, size_t i,
                       int64_t *out)
{
    bool neg = false;
    if (cols->kind[i] == COL_DIFF && c->p < stop && *c->p == '-') {
        neg = true;
        c->p++;
    }
    uint64_t v;
    if (!pt_text_u64(&c->p, stop, &v) || v > (uint64_t)INT64_MAX)
        return false;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

/* The old layout glues the description to the last number
 * ("        01394 OHCI host ..." is 0 then "1394 OHCI ...").  The last
 * number then ends at its header column, moved by as much as the number
 * before it is moved (a row may sit a column off its header). */
static const char *last_number(cursor *c, const columns *cols, size_t prev_end,
                               const char *line, int64_t *out)
{
    size_t last = cols->count - 1;
    skip_blanks(c);
    const char *start = c->p, *digits_end = c->p;
    if (digits_end < c->end && *digits_end == '-' && cols->kind[last] == COL_DIFF)
        digits_end++;
    while (digits_end < c->end && *digits_end >= '0' && *digits_end <= '9')
        digits_end++;
    bool glued = digits_end < c->end && !pt_text_is_blank(*digits_end);
    bool described = glued;
    for (const char *p = digits_end; p < c->end && !described; p++)
        described = !pt_text_is_blank(*p);
    long shift = (long)prev_end - (long)cols->end[last - 1];
    long col_end = (long)cols->end[last] + shift;
    const char *stop = digits_end;
    if (described && *digits_end != '\t' && col_end > (long)(start - line) &&
        col_end < (long)(digits_end - line))
        stop = line + col_end;
    if (stop == start || !read_value(c, stop, cols, last, out))
        return column_error(cols, last);
    return NULL;
}

static const char *read_numbers(const pt_text_line *l, cursor *c,
                                const columns *cols, listing_row *row)
{
    for (size_t i = 0; i + 1 < cols->count; i++) {
        skip_blanks(c);
        if (!read_value(c, c->end, cols, i, &row->value[i]) || c->p == c->end ||
            !pt_text_is_blank(*c->p))
            return column_error(cols, i);
    }
    return last_number(c, cols, (size_t)(c->p - l->s), l->s,
                       &row->value[cols->count - 1]);
}

static const char *parse_listing_row(const pt_text_line *l, const columns *cols,
                                     listing_row *row)
{
    static const int shifts[] = {0, -1, 1, -2, 2};
    size_t i = 0, start = 0;
    for (; i < sizeof shifts / sizeof shifts[0]; i++) {
        if (shifts[i] < 0 && cols->tag_col < (size_t)-shifts[i])
            continue;
        start = (size_t)((long)cols->tag_col + shifts[i]);
        if (pt_text_tag_at(l, start, row->tag))
            break;
    }
    if (i == sizeof shifts / sizeof shifts[0]) {
        /* A header marked or indented differently from its rows. */
        for (start = 0; start < l->len && pt_text_is_blank(l->s[start]); start++)
            ;
        if (!pt_text_tag_at(l, start, row->tag))
            return "no 4-character tag followed by the header's numbers";
    }
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
    bool header, ended, prompted;
    uint64_t total_used[2];
    bool has_total[2];
    size_t bad_rows;
    uint32_t first_bad;
} listing;

/* The numbers of one pool's group, as named by the header. */
typedef struct group_values {
    bool present, has_frees, has_diff;
    int64_t v[4]; /* by enum col_kind */
} group_values;

static group_values group_of(const columns *cols, const int64_t *value, int pool)
{
    group_values g;
    memset(&g, 0, sizeof g);
    for (size_t i = 0; i < cols->count; i++)
        if (cols->pool[i] == pool) {
            g.present = true;
            g.v[cols->kind[i]] = value[i];
            g.has_frees = g.has_frees || cols->kind[i] == COL_FREES;
            g.has_diff = g.has_diff || cols->kind[i] == COL_DIFF;
        }
    return g;
}

static pt_code add_rows(listing *ls, const pt_text_line *l, listing_row *lr)
{
    pt_pool_row row;
    memset(&row, 0, sizeof row);
    row.line = l->no;
    if (!describe(ls->rows.arena, lr, &row))
        return pt_capture_fail(NULL, PT_ENOMEM, ls->name, l->no, "out of memory");
    memcpy(row.tag, lr->tag, sizeof row.tag);
    for (int pool = 0; pool < 2; pool++) {
        group_values g = group_of(&ls->cols, lr->value, pool);
        if (!g.present || (g.v[COL_ALLOCS] == 0 && g.v[COL_FREES] == 0 &&
                           g.v[COL_DIFF] == 0 && g.v[COL_USED] == 0))
            continue;
        row.pool = pool ? PT_POOL_PAGED : PT_POOL_NONPAGED;
        row.allocs = (uint64_t)g.v[COL_ALLOCS];
        if (g.has_frees) { /* verbose: lifetime allocs and frees */
            row.frees = (uint64_t)g.v[COL_FREES];
            row.diff = g.has_diff ? g.v[COL_DIFF]
                                  : (int64_t)(row.allocs - row.frees);
        } else {           /* "Allocs" counts outstanding allocations: Diff */
            row.frees = 0;
            row.diff = g.v[COL_ALLOCS];
        }
        row.bytes = (uint64_t)g.v[COL_USED];
        row.per_alloc = row.diff > 0 ? row.bytes / (uint64_t)row.diff : 0;
        pt_code rc = pt_capture_rows_add(&ls->rows, &row, ls->name, NULL);
        if (rc != PT_OK)
            return rc;
    }
    return PT_OK;
}

/* "TOTAL" and one number per header column: the whole pool even when the
 * listing was cut short. */
static bool parse_total(listing *ls, const pt_text_line *l)
{
    cursor c = {l->s, l->s + l->len};
    const char *w;
    size_t n;
    int64_t v[MAX_COLUMNS];
    if (!next_word(&c, &w, &n) || !pt_text_same_ci(w, n, "TOTAL"))
        return false;
    for (size_t i = 0; i < ls->cols.count; i++) {
        skip_blanks(&c);
        if (!read_value(&c, c.end, &ls->cols, i, &v[i]))
            return true;
    }
    for (size_t i = 0; i < ls->cols.count; i++)
        if (ls->cols.kind[i] == COL_USED) {
            ls->total_used[ls->cols.pool[i]] = (uint64_t)v[i];
            ls->has_total[ls->cols.pool[i]] = true;
        }
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
    return n == 0 || dots == n || pt_text_is_snip(l);
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

static pt_code body_line(listing *ls, const pt_text_line *raw, pt_error *err)
{
    size_t skip = ls->prompted ? pt_text_prompt_len(raw->s, raw->len) : 0;
    pt_text_line bare = {raw->s + skip, raw->len - skip, raw->no};
    const pt_text_line *l = &bare;
    if (parse_vm(l, &ls->snap) || is_noise(l) || ls->ended)
        return PT_OK;
    if (is_prompt(l) || pt_poolused_is_header(l) || pt_text_is_fence(l)) {
        ls->ended = true;
        return PT_OK;
    }
    if (l->len > PT_MAX_LINE_BYTES)
        return pt_capture_rows_skip(&ls->rows, l->no, ls->name, err,
                                    "line longer than the limit of %u bytes",
                                    PT_MAX_LINE_BYTES);
    if (parse_total(ls, l)) { /* the listing's last line */
        ls->ended = true;
        return PT_OK;
    }
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
                               "Allocs  Used\" or \"Tag  Allocs  Frees  Diff  "
                               "Used ...\") found");
    if (ls->rows.count == 0 && ls->bad_rows > 0)
        return pt_capture_fail(err, PT_EFORMAT, ls->name, ls->first_bad,
                               "no !poolused row could be read (\"TAG  Allocs  "
                               "Used  Allocs  Used\" expected)");
    /* !vm figures win; else the TOTAL line: exact bytes, and KiB rounded
     * up for the KiB fields. */
    int64_t *kb[2] = {&ls->snap.nonpaged_kb, &ls->snap.paged_kb};
    int64_t *bytes[2] = {&ls->snap.nonpaged_bytes, &ls->snap.paged_bytes};
    for (int pool = 0; pool < 2; pool++) {
        if (!ls->has_total[pool] || *kb[pool] != PT_UNKNOWN ||
            ls->total_used[pool] > (uint64_t)INT64_MAX)
            continue;
        *bytes[pool] = (int64_t)ls->total_used[pool];
        *kb[pool] = (int64_t)((ls->total_used[pool] + 1023) / 1024);
    }
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
    pt_text_line above = {NULL, 0, 0};
    pt_line_iter_init(&it, text, len);
    while (rc == PT_OK && pt_line_next(&it, &line)) {
        if (ls.header) {
            rc = body_line(&ls, &line, err);
        } else if (line.len <= PT_MAX_LINE_BYTES && !parse_vm(&line, &ls.snap)) {
            ls.header = read_header(&line, above.s ? &above : NULL, &ls.cols);
            ls.prompted = ls.header && pt_text_prompt_len(line.s, line.len) > 0;
            if (!is_noise(&line))
                above = line;
        }
    }
    if (rc == PT_OK)
        rc = finish(&ls, err);
    if (rc == PT_OK)
        *out = ls.snap;
    pt_capture_rows_free(&ls.rows);
    return rc;
}
