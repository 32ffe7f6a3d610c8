/*
 * report_text.c - the report stage for people: the verdict in one line,
 * then the chain of evidence (tag -> bytes and share -> driver -> version
 * and signer -> known issue and links), then what to do.
 */
#include "pooltriage/pooltriage.h"
#include "pt_report.h"

#include <stdio.h>
#include <string.h>


static const char *pool_label(pt_pool_type p)
{
    return p == PT_POOL_PAGED ? "paged pool" : "non-paged pool";
}

static void level_word(pt_buf *out, pt_level level, const pt_report_opts *o)
{
    static const char *const words[] = {"CLEAN", "INFO", "SUSPECT", "LIKELY LEAK", "KNOWN LEAK"};
    static const char *const colours[] = {"32", "36", "33", "31", "1;31"};
    if (o && o->color)
        pt_term_printf(out, "\033[%sm%s\033[0m", colours[level], words[level]);
    else
        pt_buf_puts(out, words[level]);
}

/* "mfeavfk.sys (McAfee, LLC SYSCORE, file version SYSCORE.18.10.0.189)" */
static void driver_phrase(pt_buf *out, const pt_driver *d)
{
    pt_term_puts(out, d->name);
    if (!d->pe_read)
        return;
    const char *company = pt_pe_company(&d->pe), *product = pt_pe_product_name(&d->pe);
    const char *fv = pt_pe_file_version(&d->pe);
    if (company || product || fv) {
        pt_term_printf(out, " (%s%s%s%s%s)", company ? company : "",
                      company && product ? " " : "", product ? product : "",
                      (company || product) && fv ? ", file version " : fv ? "file version " : "",
                      fv ? fv : "");
    }
}

static void verdict_line(pt_buf *out, const pt_verdict *v, const pt_finding *f,
                         const pt_report_opts *o)
{
    level_word(out, f->level, o);
    pt_buf_puts(out, ": ");
    if (f->tag[0] && f->bytes) {
        char b[40];
        pt_report_commas(f->bytes, b, sizeof b);
        pt_term_printf(out, "%s %s %s bytes", f->tag,
                      f->has_pool ? pt_pool_type_name(f->pool) : "", b);
        if (f->share > 0)
            pt_term_printf(out, " (%.1f%% of %s)", f->share * 100.0,
                          pool_label(f->has_pool ? f->pool : PT_POOL_NONPAGED));
        if (f->driver) {
            pt_buf_puts(out, " held by ");
            driver_phrase(out, f->driver);
        }
        if (f->kb && f->level == PT_LEVEL_KNOWN)
            pt_term_printf(out, " = known issue %s: %s", f->kb->id, f->kb->title);
        else
            pt_term_printf(out, ": %s", f->title);
        if (f->kb && f->level == PT_LEVEL_KNOWN && f->has_growth &&
            f->growth_bytes_per_hour > 0) {
            pt_term_printf(out, "; growing %.1f MiB/h%s", f->growth_bytes_per_hour / 1048576.0,
                          f->steady ? " steadily" : "");
            if (f->time_to_limit_hours >= 0)
                pt_term_printf(out, ", %s pool limit (%s) in about %.*f h",
                              f->pool == PT_POOL_PAGED ? "paged" : "non-paged",
                              pt_limit_source_name(f->limit_source),
                              f->time_to_limit_hours < 10 ? 1 : 0, f->time_to_limit_hours);
        }
    } else {
        pt_term_puts(out, f->title);
    }
    (void)v;
    pt_buf_puts(out, "\n");
}

static void evidence_lines(pt_buf *out, pt_arena *a, const pt_verdict *v, const pt_finding *f)
{
    int n = 1;
    pt_buf_puts(out, "  Evidence:\n");
    if (f->tag[0]) {
        char b[40];
        pt_report_commas(f->bytes, b, sizeof b);
        const pt_snapshot *last = v->snapshot_count ? &v->snapshots[v->snapshot_count - 1] : NULL;
        pt_term_printf(out, "    %d. pool: %s %s bytes", n++, f->tag, b);
        if (f->share > 0)
            pt_term_printf(out, " = %.1f%% of %s", f->share * 100.0,
                          pool_label(f->has_pool ? f->pool : PT_POOL_NONPAGED));
        if (last)
            pt_term_printf(out, " in %s (%s)", last->source, pt_capture_format_name(last->format));
        pt_buf_puts(out, "\n");
        if (f->tag_count > 1) {
            pt_buf_puts(out, "       same issue, also tags:");
            for (size_t i = 0; i < f->tag_count; i++)
                if (memcmp(f->tags[i], f->tag, 4) != 0)
                    pt_term_printf(out, " %s", f->tags[i]);
            pt_buf_puts(out, "\n");
        }
        bool leak = f->kind == NULL || strcmp(f->kind, "leak") == 0;
        const char *growth = leak ? pt_report_growth_phrase(a, f) : NULL;
        const char *limit = leak ? pt_report_limit_phrase(a, f) : NULL;
        if (growth)
            pt_term_printf(out, "    %d. growth: %s\n", n++, growth);
        if (limit)
            pt_term_printf(out, "    %d. time: %s\n", n++, limit);
    }
    if (f->driver) {
        const pt_driver *d = f->driver;
        pt_term_printf(out, "    %d. driver: %s holds %s", n++, d->path, f->tag[0] ? f->tag : "the tag");
        const pt_candidate *c = f->candidate;
        if (c && c->evidence_count) {
            const pt_evidence *e = &c->evidence[0];
            pt_term_printf(out, " (%s evidence: %s%sat offset 0x%llx%s%s; confidence %.2f)",
                          pt_evidence_kind_name(e->kind), e->detail ? e->detail : "",
                          e->detail ? " " : "", (unsigned long long)e->offset,
                          e->section ? " in " : "", e->section ? e->section : "",
                          c->confidence);
        }
        pt_buf_puts(out, "\n");
        if (d->pe_read) {
            const char *desc = pt_pe_description(&d->pe);
            pt_term_printf(out, "    %d. version: %s", n++,
                          pt_pe_file_version(&d->pe) ? pt_pe_file_version(&d->pe) : "(none)");
            if (d->pe.has_version)
                pt_term_printf(out, " (numeric %u.%u.%u.%u)", d->pe.file_version[0],
                              d->pe.file_version[1], d->pe.file_version[2], d->pe.file_version[3]);
            if (desc)
                pt_term_printf(out, ", \"%s\"", desc);
            pt_term_printf(out, ", %s; %s\n", pt_pe_machine_name(d->pe.machine),
                          pt_report_signer_phrase(a, d));
        }
        if (d->sha256[0])
            pt_term_printf(out, "       sha256 %s\n", d->sha256);
    }
    if (v->host.os_version) {
        pt_term_printf(out, "    %d. os: %s", n++, v->host.os_version);
        for (size_t i = 0; i < v->host.os_name_count; i++)
            pt_term_printf(out, "%s%s", i ? " or " : " (", v->host.os_names[i]);
        pt_term_printf(out, "%s from %s\n", v->host.os_name_count ? ")" : "", v->host.os_source);
    }
    if (f->kb) {
        pt_term_printf(out, "    %d. known issue %s", n++, f->kb->id);
        if (f->kb->severity)
            pt_term_printf(out, ", severity %s", f->kb->severity);
        if (f->range_id && !f->kb_outside_range)
            pt_term_printf(out, ", affected range %s", f->range_id);
        if (f->kb_outside_range)
            pt_buf_puts(out, ", the driver's version is outside every affected range");
        pt_term_printf(out, ", fixed in: %s\n", f->kb->fixed_in ? f->kb->fixed_in : "not known");
    }
    if (f->explanation)
        pt_term_printf(out, "  Why: %s\n", f->explanation);
    if (f->reason_count > 1) {
        pt_buf_puts(out, "  Reasons (one problem, found by each of these rules):\n");
        for (size_t i = 0; i < f->reason_count; i++)
            pt_term_printf(out, "    - %s (%s): %s\n", pt_level_name(f->reasons[i].level),
                          f->reasons[i].rule, f->reasons[i].title);
    }
}

static void references(pt_buf *out, const pt_kb_entry *e)
{
    if (e == NULL || e->ref_count == 0)
        return;
    pt_buf_puts(out, "  References:\n");
    for (size_t i = 0; i < e->ref_count; i++) {
        const pt_kb_ref *r = &e->refs[i];
        pt_term_printf(out, "    [%s] %s\n", r->kind, r->title);
        if (r->url)
            pt_term_printf(out, "        %s\n", r->url);
        if (r->archived_url)
            pt_term_printf(out, "        archived: %s\n", r->archived_url);
    }
}

static void finding_block(pt_buf *out, pt_arena *a, const pt_verdict *v, const pt_finding *f,
                          const pt_report_opts *o)
{
    verdict_line(out, v, f, o);
    evidence_lines(out, a, v, f);
    references(out, f->kb);
    const char *todo = f->action ? f->action : f->kb ? f->kb->workaround : NULL;
    if (todo)
        pt_term_printf(out, "  What to do: %s\n", todo);
    pt_term_printf(out, "  Fingerprint: %s (%s; rule", f->fingerprint, f->kind ? f->kind : "leak");
    for (size_t i = 0; i < f->reason_count; i++)
        pt_term_printf(out, "%s %s", i ? "," : "", f->reasons[i].rule);
    if (f->reason_count == 0)
        pt_term_printf(out, " %s", f->rule);
    pt_buf_puts(out, ")\n");
}

static void clean_line(pt_buf *out, const pt_verdict *v, const pt_report_opts *o)
{
    level_word(out, PT_LEVEL_CLEAN, o);
    pt_term_printf(out, ": no known or likely pool leak in %zu capture%s", v->snapshot_count,
                  v->snapshot_count == 1 ? "" : "s");
    if (v->suspect_count) {
        const pt_suspect *s = &v->suspects[0];
        char b[40];
        pt_report_commas(s->bytes, b, sizeof b);
        pt_term_printf(out, "; largest tag %s %s %s bytes (%.1f%% of %s)", s->tag,
                      pt_pool_type_name(s->pool), b, s->share * 100.0, pool_label(s->pool));
    }
    pt_buf_puts(out, "\n");
}

/* "136.0 MiB/h" and whether it is steady, for a suspect of a series. */
static void rate_cell(char *buf, size_t len, const pt_suspect *s)
{
    if (!s->has_growth)
        snprintf(buf, len, "-");
    else if (s->growth_bytes_per_hour <= 0)
        snprintf(buf, len, "none");
    else
        snprintf(buf, len, "%.1f MiB/h%s", s->growth_bytes_per_hour / 1048576.0,
                 s->steady ? " steady" : "");
}

static void suspects_table(pt_buf *out, const pt_verdict *v)
{
    if (v->suspect_count == 0)
        return;
    /* a series gets a growth column: the rate is measured, so it is shown */
    bool series = false;
    for (size_t i = 0; i < v->suspect_count && i < 10; i++)
        series |= v->suspects[i].has_growth;
    pt_buf_puts(out, "Suspects, highest score first (share of the pool, size, growth):\n");
    pt_buf_puts(out, series ? "  Tag   Pool       Bytes            Share  Growth               Driver\n"
                            : "  Tag   Pool       Bytes            Share  Driver\n");
    for (size_t i = 0; i < v->suspect_count && i < 10; i++) {
        const pt_suspect *s = &v->suspects[i];
        char b[40], rate[40] = "";
        pt_report_commas(s->bytes, b, sizeof b);
        if (series) {
            char r[32];
            rate_cell(r, sizeof r, s);
            snprintf(rate, sizeof rate, "%-19s  ", r);
        }
        const char *drv = "-";
        for (size_t a = 0; a < v->attribution_count; a++)
            if (memcmp(v->attributions[a].tag, s->tag, 4) == 0 &&
                v->attributions[a].candidate_count)
                drv = v->attributions[a].candidates[0].driver->name;
        pt_term_printf(out, "  %-4s  %-9s %16s  %5.1f%%  %s%s%s\n", s->tag,
                      pt_pool_type_name(s->pool), b, s->share * 100.0, rate, drv,
                      s->generic ? " (generic kernel tag)" : "");
    }
}

void pt_report_text(const pt_verdict *v, const pt_report_opts *opts, pt_buf *out)
{
    pt_arena *a = pt_arena_new();
    if (a == NULL) {
        out->failed = true;
        return;
    }
    if (v->finding_count == 0 || v->findings[0].level < PT_LEVEL_SUSPECT)
        clean_line(out, v, opts);
    for (size_t i = 0; i < v->finding_count; i++) {
        if (i > 0 || v->findings[0].level < PT_LEVEL_SUSPECT)
            pt_buf_puts(out, "\n");
        finding_block(out, a, v, &v->findings[i], opts);
    }
    pt_buf_puts(out, "\n");
    suspects_table(out, v);
    if (v->searched_count) {   /* a live run names each loaded driver: the first few */
        enum { SHOWN = 12 };
        pt_buf_puts(out, "Driver folders searched:\n");
        for (size_t i = 0; i < v->searched_count && i < SHOWN; i++)
            pt_term_printf(out, "  %s\n", v->searched[i]);
        if (v->searched_count > SHOWN)
            pt_term_printf(out, "  ... and %zu more\n",
                           v->searched_count - SHOWN);
    }
    if (v->error_count || v->rule_error_count)
        pt_term_printf(out, "%zu input problem%s and %zu rule error%s (see standard error)\n",
                      v->error_count, v->error_count == 1 ? "" : "s",
                      v->rule_error_count, v->rule_error_count == 1 ? "" : "s");
    pt_term_printf(out, "pooltriage %s, KB %s\n", v->tool_version,
                  v->kb_version ? v->kb_version : "?");
    pt_arena_free(a);
}
