/*
 * report_csv.c - the report stage for spreadsheets: the verdict as CSV
 * (RFC 4180, CRLF line ends), one row per finding under a fixed header.
 * The columns are documented in docs/fleet.md; add new ones at the end.
 */
#include "pooltriage/pooltriage.h"
#include "pt_report.h"

#include <stdio.h>
#include <string.h>

void pt_csv_cell(pt_buf *out, const char *s, bool last)
{
    if (s == NULL)
        s = "";
    pt_buf clean = {0};
    for (const char *p = s; *p;) {   /* line breaks and tabs stay, in quotes */
        size_t n = strcspn(p, "\r\n\t");
        pt_term_append(&clean, p, n);
        p += n;
        if (*p)
            pt_buf_append(&clean, p++, 1);
    }
    const char *c = clean.data ? clean.data : "";
    bool quote = strpbrk(c, ",\"\r\n") != NULL;
    if (quote)
        pt_buf_puts(out, "\"");
    if (s[0] != '\0' && strchr("=+-@\t\r", s[0]))
        pt_buf_puts(out, "'");
    for (const char *p = c; *p; p++) {
        size_t n = strcspn(p, "\"");
        pt_buf_append(out, p, n);
        p += n;
        if (*p != '"')
            break;
        pt_buf_puts(out, "\"\"");
    }
    if (quote)
        pt_buf_puts(out, "\"");
    pt_buf_puts(out, last ? "\r\n" : ",");
    out->failed |= clean.failed;
    pt_buf_free(&clean);
}

void pt_csv_number(pt_buf *out, const char *number, bool last)
{
    pt_buf_puts(out, number ? number : "");
    pt_buf_puts(out, last ? "\r\n" : ",");
}

void pt_csv_int(pt_buf *out, int64_t v, bool last)
{
    char b[32] = "";
    if (v >= 0)
        snprintf(b, sizeof b, "%lld", (long long)v);
    pt_csv_number(out, b, last);
}

static const char *const columns[] = {
    "host", "verdict", "level", "rule", "title", "tag", "tags", "pool", "bytes",
    "share", "driver", "driver_path", "file_version", "file_version_numeric",
    "company", "product", "sha256", "signer", "confidence", "kb_id", "kb_title",
    "severity", "range_id", "fixed_in", "vendor_kb_url", "forum_url",
    "archived_urls", "action", "fingerprint", "first_capture", "last_capture",
    "tool_version", "kb_version", "kind", "reasons", "growth_bytes_per_hour", "steady",
    "time_to_limit_hours", "limit_bytes", "limit_source", "signed_by",
    "growth_text", "time_text",
};

static void header(pt_buf *out)
{
    size_t n = sizeof columns / sizeof columns[0];
    for (size_t i = 0; i < n; i++)
        pt_csv_cell(out, columns[i], i + 1 == n);
}

/* The url of the first reference of a kind, or NULL. */
static const char *ref_url(const pt_kb_entry *kb, const char *kind)
{
    for (size_t i = 0; kb && i < kb->ref_count; i++)
        if (kb->refs[i].kind && strcmp(kb->refs[i].kind, kind) == 0 && kb->refs[i].url)
            return kb->refs[i].url;
    return NULL;
}

static void archived_urls(pt_buf *cell, const pt_kb_entry *kb)
{
    for (size_t i = 0; kb && i < kb->ref_count; i++)
        if (kb->refs[i].archived_url)
            pt_buf_printf(cell, "%s%s", cell->len ? " " : "", kb->refs[i].archived_url);
}

static void capture_time(const pt_verdict *v, bool last, char *buf, size_t len)
{
    buf[0] = '\0';
    int64_t best = PT_UNKNOWN;
    for (size_t i = 0; i < v->snapshot_count; i++) {
        int64_t t = v->snapshots[i].time;
        if (t != PT_UNKNOWN && (best == PT_UNKNOWN || (last ? t > best : t < best)))
            best = t;
    }
    if (best != PT_UNKNOWN)
        pt_time_format(best, buf, len);
}

/* The driver's cells: driver .. confidence. */
static void driver_cells(pt_buf *out, pt_arena *arena, const pt_finding *f)
{
    const pt_driver *d = f->driver;
    const pt_pe_info *pe = d && d->pe_read ? &d->pe : NULL;
    char conf[16] = "";
    if (f->candidate)
        snprintf(conf, sizeof conf, "%.2f", f->candidate->confidence);
    pt_csv_cell(out, d ? d->name : NULL, false);
    pt_csv_cell(out, d ? d->path : NULL, false);
    pt_csv_cell(out, pe ? pt_pe_file_version(pe) : NULL, false);
    pt_csv_cell(out, d ? pt_driver_numeric_version(arena, d) : NULL, false);
    pt_csv_cell(out, pe ? pt_pe_company(pe) : NULL, false);
    pt_csv_cell(out, pe ? pt_pe_product_name(pe) : NULL, false);
    pt_csv_cell(out, d && d->sha256[0] ? d->sha256 : NULL, false);
    pt_csv_cell(out, d && d->signer ? pt_signer_verdict(d->signer) : NULL, false);
    pt_csv_cell(out, conf, false);
}

/* The columns verdict/2 added: kind .. time_text (growth_text and
 * time_text are the text report's sentences: with one capture, that it
 * cannot show growth and how to take a series). */
static void verdict2_cells(pt_buf *out, pt_arena *arena, const pt_finding *f)
{
    pt_buf reasons = {0};
    for (size_t i = 0; i < f->reason_count; i++)
        pt_buf_printf(&reasons, "%s%s (%s): %s", i ? "; " : "", f->reasons[i].rule,
                      pt_level_name(f->reasons[i].level),
                      f->reasons[i].title ? f->reasons[i].title : "");
    char rate[32] = "", hours[32] = "";
    if (f->has_growth)
        snprintf(rate, sizeof rate, "%.0f", f->growth_bytes_per_hour);
    if (f->time_to_limit_hours >= 0)
        snprintf(hours, sizeof hours, "%.1f", f->time_to_limit_hours);
    pt_csv_cell(out, f->kind ? f->kind : "leak", false);
    pt_csv_cell(out, reasons.data, false);
    pt_csv_cell(out, rate, false);
    pt_csv_cell(out, f->has_growth ? (f->steady ? "yes" : "no") : NULL, false);
    pt_csv_cell(out, hours, false);
    pt_csv_int(out, f->limit_source ? (int64_t)f->limit_bytes : PT_UNKNOWN, false);
    pt_csv_cell(out, pt_limit_source_name(f->limit_source), false);
    pt_csv_cell(out, f->driver ? pt_report_signer_phrase(arena, f->driver) : NULL, false);
    pt_csv_cell(out, pt_report_growth_phrase(arena, f), false);
    pt_csv_cell(out, pt_report_limit_phrase(arena, f), true);
    if (reasons.failed)
        out->failed = true;
    pt_buf_free(&reasons);
}

static void row(pt_buf *out, pt_arena *arena, const pt_verdict *v, const pt_finding *f)
{
    pt_buf tags = {0}, archived = {0};
    for (size_t i = 0; i < f->tag_count; i++)
        pt_buf_printf(&tags, "%s%s", i ? ";" : "", f->tags[i]);
    archived_urls(&archived, f->kb);
    char share[16] = "", first[40], last[40];
    if (f->share > 0)
        snprintf(share, sizeof share, "%.4f", f->share);
    capture_time(v, false, first, sizeof first);
    capture_time(v, true, last, sizeof last);
    pt_csv_cell(out, v->host.name, false);
    pt_csv_cell(out, pt_level_name(v->level), false);
    pt_csv_cell(out, pt_level_name(f->level), false);
    pt_csv_cell(out, f->rule, false);
    pt_csv_cell(out, f->title, false);
    pt_csv_cell(out, f->tag, false);
    pt_csv_cell(out, tags.data, false);
    pt_csv_cell(out, f->has_pool ? pt_pool_type_name(f->pool) : NULL, false);
    pt_csv_int(out, f->bytes ? (int64_t)f->bytes : PT_UNKNOWN, false);
    pt_csv_cell(out, share, false);
    driver_cells(out, arena, f);
    pt_csv_cell(out, f->kb ? f->kb->id : NULL, false);
    pt_csv_cell(out, f->kb ? f->kb->title : NULL, false);
    pt_csv_cell(out, f->kb ? f->kb->severity : NULL, false);
    pt_csv_cell(out, f->range_id, false);
    pt_csv_cell(out, f->kb ? f->kb->fixed_in : NULL, false);
    pt_csv_cell(out, ref_url(f->kb, "vendor-kb"), false);
    pt_csv_cell(out, ref_url(f->kb, "forum"), false);
    pt_csv_cell(out, archived.data, false);
    pt_csv_cell(out, f->action ? f->action : f->kb ? f->kb->workaround : NULL, false);
    pt_csv_cell(out, f->fingerprint, false);
    pt_csv_cell(out, first, false);
    pt_csv_cell(out, last, false);
    pt_csv_cell(out, v->tool_version, false);
    pt_csv_cell(out, v->kb_version, false);
    verdict2_cells(out, arena, f);
    if (tags.failed || archived.failed)
        out->failed = true;
    pt_buf_free(&tags);
    pt_buf_free(&archived);
}

void pt_report_csv(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out)
{
    (void)opts;
    pt_arena *arena = pt_arena_new();
    if (arena == NULL) {
        out->failed = true;
        return;
    }
    header(out);
    for (size_t i = 0; i < v->finding_count; i++)
        row(out, arena, v, &v->findings[i]);
    pt_arena_free(arena);
}
