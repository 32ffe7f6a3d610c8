/*
 * capture_rows.c - what every capture parser fills in: a snapshot's
 * defaults and totals, the row collector (rows kept, lines skipped with a
 * reason), and the one-line parse error that names the file and line.
 * The parsers (poolmon.c, poolused.c, pooltag.c) use it; capture.c only
 * picks the parser.
 */
#include "pooltriage/pooltriage.h"
#include "collect_int.h"
#include "pooltriage/limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- errors and snapshots ---- */

pt_code pt_capture_fail(pt_error *err, pt_code code, const char *name,
                        uint32_t line, const char *fmt, ...)
{
    char where[4200];   /* a whole path: pt_error_set keeps its end and the line */
    char message[512];
    snprintf(where, sizeof where, "%s:%u", name, (unsigned)line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return pt_error_set(err, code, where, "%s", message);
}

void pt_snapshot_init(pt_snapshot *out, const char *name, pt_capture_format fmt)
{
    memset(out, 0, sizeof *out);
    out->source = name;
    out->format = fmt;
    out->time = PT_UNKNOWN;
    out->time_source = PT_TIME_NONE;
    out->session_id = -1;
    out->memory_kb = out->avail_kb = out->commit_kb = PT_UNKNOWN;
    out->limit_kb = out->peak_kb = PT_UNKNOWN;
    out->nonpaged_kb = out->paged_kb = out->nonpaged_max_kb = PT_UNKNOWN;
    out->nonpaged_bytes = out->paged_bytes = PT_UNKNOWN;
}

bool pt_snapshot_pool_total(const pt_snapshot *snap, pt_pool_type pool, uint64_t *out)
{
    int64_t bytes = pool == PT_POOL_PAGED ? snap->paged_bytes : snap->nonpaged_bytes;
    int64_t kb = pool == PT_POOL_PAGED ? snap->paged_kb : snap->nonpaged_kb;
    if (bytes >= 0) {
        *out = (uint64_t)bytes;
        return true;
    }
    if (kb >= 0 && (uint64_t)kb <= UINT64_MAX / 1024u) {
        *out = (uint64_t)kb * 1024u;
        return true;
    }
    return false;
}

uint64_t pt_snapshot_rows_bytes(const pt_snapshot *snap, pt_pool_type pool)
{
    uint64_t sum = snap->filtered_bytes[pool == PT_POOL_PAGED ? 1 : 0];
    for (size_t i = 0; i < snap->row_count; i++)
        if (snap->rows[i].pool == pool)
            sum = snap->rows[i].bytes > UINT64_MAX - sum ? UINT64_MAX
                                                         : sum + snap->rows[i].bytes;
    return sum;
}

uint64_t pt_snapshot_pool_bytes(const pt_snapshot *snap, pt_pool_type pool)
{
    uint64_t total = 0, sum = pt_snapshot_rows_bytes(snap, pool);
    if (pt_snapshot_pool_total(snap, pool, &total) && total >= sum)
        return total;
    return sum; /* no total, or rows past it: shares against the rows' sum */
}

const char *pt_snapshot_over_total(pt_arena *arena, const pt_snapshot *snap, pt_pool_type pool,
                                   bool *oom)
{
    uint64_t total = 0, sum = pt_snapshot_rows_bytes(snap, pool);
    if (!pt_snapshot_pool_total(snap, pool, &total) || sum <= total)
        return NULL;
    const char *m = pt_arena_printf(arena, "the %s tag rows add up to %llu bytes, more than "
                                    "the header's total of %llu bytes; shares are taken "
                                    "against the rows' sum",
                                    pool == PT_POOL_PAGED ? "paged" : "non-paged",
                                    (unsigned long long)sum, (unsigned long long)total);
    if (m == NULL && oom)
        *oom = true;
    return m;
}

/* ---- row collector ---- */

pt_code pt_capture_rows_add(pt_capture_rows *b, const pt_pool_row *row,
                            const char *name, pt_error *err)
{
    if (b->count >= PT_MAX_CAPTURE_ROWS)
        return pt_capture_fail(err, PT_ELIMIT, name, row->line,
                               "more than %u rows in one capture",
                               PT_MAX_CAPTURE_ROWS);
    if (!PT_PUSH(b->rows, b->count, b->cap, *row))
        return pt_capture_fail(err, PT_ENOMEM, name, row->line, "out of memory");
    return PT_OK;
}

pt_code pt_capture_rows_skip(pt_capture_rows *b, uint32_t line,
                             const char *name, pt_error *err,
                             const char *fmt, ...)
{
    if (b->skipped_count > PT_MAX_CAPTURE_ISSUES)
        return PT_OK;
    char message[512];
    if (b->skipped_count == PT_MAX_CAPTURE_ISSUES) {
        snprintf(message, sizeof message,
                 "more rows were skipped from here on; they are not listed");
    } else {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof message, fmt, ap);
        va_end(ap);
    }
    pt_parse_issue issue = {line, pt_arena_strdup(b->arena, message)};
    if (issue.message == NULL ||
        !PT_PUSH(b->skipped, b->skipped_count, b->skipped_cap, issue))
        return pt_capture_fail(err, PT_ENOMEM, name, line, "out of memory");
    return PT_OK;
}

pt_code pt_capture_rows_finish(pt_capture_rows *b, pt_snapshot *out,
                               const char *name, pt_error *err)
{
    if (!pt_arena_adopt(b->arena, b->rows)) {
        b->rows = NULL;
        return pt_error_set(err, PT_ENOMEM, name, "out of memory");
    }
    out->rows = b->rows;
    out->row_count = b->count;
    b->rows = NULL;
    if (!pt_arena_adopt(b->arena, b->skipped)) {
        b->skipped = NULL;
        return pt_error_set(err, PT_ENOMEM, name, "out of memory");
    }
    out->skipped = b->skipped;
    out->skipped_count = b->skipped_count;
    b->skipped = NULL;
    return PT_OK;
}

void pt_capture_rows_free(pt_capture_rows *b)
{
    if (b == NULL)
        return;
    pt_free(b->rows);
    pt_free(b->skipped);
    b->rows = NULL;
    b->skipped = NULL;
}
