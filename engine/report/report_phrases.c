/*
 * report_phrases.c - the report stage's shared sentences about a finding
 * (who signed the driver, how the tag grows, when the pool runs out), so
 * that text, Markdown, CSV and HTML say the same thing.  The phrases are
 * raw: each writer escapes them for its format.
 */
#include "pt_report.h"
#include "pooltriage/platform.h"

#include <stdio.h>
#include <string.h>

void pt_report_commas(uint64_t v, char *buf, size_t len)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < len; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
}

/* "2018-04-10" from "2018-04-10T16:21:00Z": the day is what people compare. */
static const char *day_of(pt_arena *a, const char *t)
{
    return t && strlen(t) >= 10 ? pt_arena_strndup(a, t, 10) : t;
}

/* What the file parser concludes of the signature. */
static const char *parser_phrase(pt_arena *a, const pt_signer *s)
{
    const char *cat = s->catalog ? pt_path_base(s->catalog) : NULL;
    if (s->status == PT_SIG_SIGNED) {
        /* "signed" only for a trusted chain, as sigcheck: else say which
         * check failed ("signed (untrusted root)", ...) */
        const char *v = pt_signer_verdict(s) + strlen("Signed");
        const char *root = s->trust_root && s->trust && strcmp(s->trust, "trusted") == 0
                               ? pt_arena_printf(a, ", trusted root %s", s->trust_root)
                               : "";
        return pt_arena_printf(a, "%s%s by %s%s%s%s%s%s%s%s", cat ? "catalog-signed" : "signed", v,
                               s->subject ? s->subject : "an unnamed signer",
                               s->issuer ? " (issuer " : "", s->issuer ? s->issuer : "",
                               s->issuer ? ")" : "", s->signing_time ? ", " : "",
                               s->signing_time ? day_of(a, s->signing_time) : "",
                               cat ? pt_arena_printf(a, ", catalog %s", cat) : "", root);
    }
    if (s->status == PT_SIG_INVALID)
        return pt_arena_printf(a, "signature INVALID%s%s%s%s", s->reason ? ": " : "",
                               s->reason ? s->reason : "",
                               s->subject ? ", claims to be signed by " : "",
                               s->subject ? s->subject : "");
    return pt_arena_printf(a, "unsigned: no embedded signature%s",
                           s->reason ? pt_arena_printf(a, " (%s)", s->reason)
                                     : " and no catalog found (give --root with CatRoot)");
}

const char *pt_report_signer_phrase(pt_arena *a, const pt_driver *d)
{
    const pt_signer *s = d ? d->signer : NULL;
    if (s == NULL)
        return "signature not checked";
    const char *p = parser_phrase(a, s);
    if (s->windows_verdict == NULL || p == NULL)
        return p;
    /* Windows' own word, as sigcheck gives it: the result code only when
     * it is not plain success */
    bool ok = strcmp(s->windows_verdict, "trusted") == 0;
    return pt_arena_printf(a, "%s; Windows says %s%s%s%s%s", p, s->windows_verdict,
                           s->windows_catalog ? " by catalog " : "",
                           s->windows_catalog ? pt_path_base(s->windows_catalog) : "",
                           ok || s->windows_detail == NULL ? "" : " (",
                           ok || s->windows_detail == NULL ? "" :
                               pt_arena_printf(a, "%s)", s->windows_detail));
}

const char *pt_report_growth_phrase(pt_arena *a, const pt_finding *f)
{
    if (f->tag[0] == '\0')
        return NULL;
    if (f->capture_count == 1)
        return "one capture cannot show growth: take a series (poolmon -n at intervals, "
               "or pooltriage pool --live --every SECONDS --count N on Windows) and run again";
    if (f->capture_count < 2)
        return NULL;
    if (!f->has_growth)
        return pt_arena_printf(a, "no growth computed: the order of the %zu captures is not "
                               "known (give each a time with --at)", f->capture_count);
    if (f->growth_bytes_per_hour <= 0)
        return pt_arena_printf(a, "not growing across %zu captures over %.1f h",
                               f->capture_count, f->series_hours);
    return pt_arena_printf(a, "growing %.1f MiB/h (%.0f bytes per hour), %s, across %zu "
                           "captures over %.1f h",
                           f->growth_bytes_per_hour / 1048576.0, f->growth_bytes_per_hour,
                           f->steady ? "steadily" : "not steadily", f->capture_count,
                           f->series_hours);
}

const char *pt_report_limit_phrase(pt_arena *a, const pt_finding *f)
{
    if (f->limit_source == PT_LIMIT_NONE)
        return NULL;
    char lim[40], used[40];
    pt_report_commas(f->limit_bytes, lim, sizeof lim);
    pt_report_commas(f->limit_used_bytes, used, sizeof used);
    const char *what = f->limit_source == PT_LIMIT_AVAILABLE
                           ? pt_arena_printf(a, "%s bytes of available memory left", lim)
                           : pt_arena_printf(a, "%s bytes (%s), %s bytes in use", lim,
                                             pt_limit_source_name(f->limit_source), used);
    if (f->time_to_limit_hours < 0)
        return pt_arena_printf(a, "limit: %s%s", what,
                               f->limit_source == PT_LIMIT_AVAILABLE ? ", from the capture's Avail" : "");
    const char *days = f->time_to_limit_hours >= 48
                           ? pt_arena_printf(a, " (%.1f days)", f->time_to_limit_hours / 24.0) : "";
    return pt_arena_printf(a, "at this rate the %s pool limit is reached in about %.1f h%s: "
                           "%s%s", f->pool == PT_POOL_PAGED ? "paged" : "non-paged",
                           f->time_to_limit_hours, days ? days : "", what,
                           f->limit_source == PT_LIMIT_AVAILABLE ? ", from the capture's Avail" : "");
}

/* The first evidence of a candidate: an allocation call sorts first. */
const pt_evidence *pt_report_best_evidence(const pt_candidate *c)
{
    return c && c->evidence_count ? &c->evidence[0] : NULL;
}
