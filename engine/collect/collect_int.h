/*
 * collect_int.h - shared inside the collect stage: the text toolkit
 * (capture_text.c), row building and the poolmon / !poolused parsers.
 */
#ifndef PT_COLLECT_INT_H
#define PT_COLLECT_INT_H

#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"


/* One line of a capture, without its "\n" or "\r\n"; `no` is 1-based. */
typedef struct pt_text_line {
    const char *s;
    size_t len;
    uint32_t no;
} pt_text_line;

/* Walks the lines of a text that need not be NUL-terminated. */
typedef struct pt_line_iter {
    const char *p, *end;
    uint32_t no;
} pt_line_iter;
void pt_line_iter_init(pt_line_iter *it, const char *text, size_t len);
bool pt_line_next(pt_line_iter *it, pt_text_line *out);

/* Small scanners over (s, len) ranges: blanks are ' ' and TAB. */
bool pt_text_is_blank(char c);
/* The 4 printable columns at `start` of a row, when only blanks precede
 * them and a blank follows; a tag may hold spaces ("AGP ", "Io  ") but not
 * only spaces.  tag gets them, NUL-terminated. */
bool pt_text_tag_at(const pt_text_line *l, size_t start, char tag[5]);
void pt_text_trim(const char **s, size_t *len);
bool pt_text_same_ci(const char *s, size_t len, const char *lit);
/* What a web page or a chat puts around a pasted screen: a Markdown code
 * fence ("```", "```cpp", "~~~", after optional blanks) and an elision
 * mark ("[snip]", "[ snip ]") standing for rows left out.  Neither is a
 * row. */
bool pt_text_is_fence(const pt_text_line *l);
bool pt_text_is_snip(const pt_text_line *l);
/* Reads decimal digits at *p (not past end); false when there are none or
 * they overflow 64 bits. */
bool pt_text_u64(const char **p, const char *end, uint64_t *out);

/* Rows and skipped rows collected while parsing one capture, in pt_malloc'd
 * arrays that pt_capture_rows_finish hands to the arena. */
typedef struct pt_capture_rows {
    pt_arena *arena;
    pt_pool_row *rows;
    size_t count, cap;
    pt_parse_issue *skipped;
    size_t skipped_count, skipped_cap;
} pt_capture_rows;
/* Appends a row; PT_ELIMIT past PT_MAX_CAPTURE_ROWS, PT_ENOMEM. */
pt_code pt_capture_rows_add(pt_capture_rows *b, const pt_pool_row *row,
                            const char *name, pt_error *err);
/* Records a skipped line (at most PT_MAX_CAPTURE_ISSUES; later ones are
 * folded into one last issue); PT_ENOMEM only. */
pt_code pt_capture_rows_skip(pt_capture_rows *b, uint32_t line,
                             const char *name, pt_error *err,
                             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Moves rows and skipped rows into *out (arena-owned); PT_ENOMEM. */
pt_code pt_capture_rows_finish(pt_capture_rows *b, pt_snapshot *out,
                               const char *name, pt_error *err);
/* Frees what pt_capture_rows_finish did not take; NULL is a no-op. */
void pt_capture_rows_free(pt_capture_rows *b);

/* A snapshot with every figure unknown and no rows; source is `name`. */
void pt_snapshot_init(pt_snapshot *out, const char *name, pt_capture_format fmt);
/* Sets a PT_EFORMAT error at "name:line". */
pt_code pt_capture_fail(pt_error *err, pt_code code, const char *name,
                        uint32_t line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* True when the line is a poolmon column header ("Tag  Type  Allocs ...
 * Frees ... Diff ... Bytes"); *tag_col gets the column of "Tag". */
bool pt_poolmon_is_header(const pt_text_line *line, size_t *tag_col);
/* True when the line is a !poolused column header ("Tag Allocs Used
 * Allocs Used"). */
bool pt_poolused_is_header(const pt_text_line *line);
/* Parse a poolmon screen or poolmon -n file / a WinDbg !poolused listing.
 * `hint` is the format the caller asked for (PT_FMT_UNKNOWN: decide). */
pt_code pt_poolmon_parse(pt_arena *arena, const char *name, const char *text,
                         size_t len, pt_capture_format hint, pt_snapshot *out,
                         pt_error *err);
pt_code pt_poolused_parse(pt_arena *arena, const char *name, const char *text,
                          size_t len, pt_snapshot *out, pt_error *err);

/* Length of the marks a paste puts before a line: runs of '#' (a Markdown
 * heading, "## Tag  Type ..."), '>' (a mail quote), a "PS C:\...>" or
 * "[N: ]kd>" / "lkd>" prompt, each after optional blanks; blanks after the
 * last mark are not counted.  0 when the line starts with none. */
size_t pt_text_prompt_len(const char *s, size_t len);

#endif /* PT_COLLECT_INT_H */
