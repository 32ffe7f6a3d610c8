/*
 * report_scan.c - the report stage for `pooltriage scan`: each file that
 * holds a tag with its evidence, strongest first (text), the files and the
 * attributions per tag as JSON (pooltriage.scan/1), or one CSV row per file
 * and tag.  Files that are not PE images are listed only when asked.
 */
#include "pt_report.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A file holds a tag when some candidate of it has byte evidence; a file
 * named only by a hint (its KMDF default tag) is listed under the tag's
 * attributions but not as a file that holds it. */
static bool holds(const pt_scan_report *r, const pt_driver *d)
{
    for (size_t a = 0; a < r->attribution_count; a++)
        for (size_t c = 0; c < r->attributions[a].candidate_count; c++)
            if (r->attributions[a].candidates[c].driver == d &&
                r->attributions[a].candidates[c].best != PT_EV_HINT)
                return true;
    return false;
}

/* The strongest candidate a driver has for any tag. */
static const pt_candidate *best_of(const pt_scan_report *r, const pt_driver *d)
{
    const pt_candidate *best = NULL;
    for (size_t a = 0; a < r->attribution_count; a++)
        for (size_t c = 0; c < r->attributions[a].candidate_count; c++) {
            const pt_candidate *cd = &r->attributions[a].candidates[c];
            if (cd->driver == d && (best == NULL || cd->best < best->best ||
                                    (cd->best == best->best &&
                                     cd->confidence > best->confidence)))
                best = cd;
        }
    return best;
}

typedef struct listed {
    const pt_driver *d;
    const pt_candidate *best;
} listed;

static int by_strength(const void *pa, const void *pb)
{
    const listed *a = pa, *b = pb;
    if (a->best->best != b->best->best)   /* immediate < code < file < hint */
        return a->best->best < b->best->best ? -1 : 1;
    if (a->best->confidence != b->best->confidence)
        return a->best->confidence > b->best->confidence ? -1 : 1;
    if (a->d->pe_read != b->d->pe_read)
        return a->d->pe_read ? -1 : 1;
    return strcmp(a->d->path, b->d->path);
}

/* The listed files, in order, in a pt_malloc'd array (NULL when none). */
static listed *list_files(const pt_scan_doc *doc, size_t *count, size_t *hidden)
{
    const pt_scan_report *r = doc->report;
    listed *l = pt_calloc(r->driver_count + 1, sizeof *l);
    *count = 0;
    if (hidden)
        *hidden = 0;
    for (size_t i = 0; l && i < r->driver_count; i++) {
        const pt_driver *d = &r->drivers[i];
        if (!holds(r, d))
            continue;
        if (!d->pe_read && !doc->all_files) {
            if (hidden)
                (*hidden)++;
            continue;
        }
        l[(*count)++] = (listed){d, best_of(r, d)};
    }
    if (l && *count > 1)
        qsort(l, *count, sizeof *l, by_strength);
    return l;
}

size_t pt_report_scan_listed(const pt_scan_doc *doc, size_t *hidden)
{
    size_t count;
    pt_free(list_files(doc, &count, hidden));
    return count;
}

/* The candidates of one driver, in tag order (the attributions' order). */
static void text_driver(pt_buf *out, const pt_scan_report *r, const pt_driver *d)
{
    if (d->sha256[0])
        pt_term_printf(out, "%s  sha256 %s\n", d->path, d->sha256);
    else
        pt_term_printf(out, "%s\n", d->path);
    for (size_t a = 0; a < r->attribution_count; a++) {
        const pt_attribution *at = &r->attributions[a];
        for (size_t c = 0; c < at->candidate_count; c++) {
            const pt_candidate *cd = &at->candidates[c];
            if (cd->driver != d)
                continue;
            pt_term_printf(out, "  %s  %s  confidence %.2f  (%zu hit%s)\n", at->tag,
                          pt_evidence_kind_name(cd->best), cd->confidence,
                          cd->evidence_count, cd->evidence_count == 1 ? "" : "s");
            for (size_t e = 0; e < cd->evidence_count && e < 8; e++) {
                const pt_evidence *ev = &cd->evidence[e];
                pt_term_printf(out, "    %-9s", pt_evidence_kind_name(ev->kind));
                if (ev->kind != PT_EV_HINT)
                    pt_term_printf(out, " 0x%llx", (unsigned long long)ev->offset);
                if (ev->section)
                    pt_term_printf(out, " in %s", ev->section);
                if (ev->detail)
                    pt_term_printf(out, ": %s", ev->detail);
                pt_buf_puts(out, "\n");
            }
            if (cd->evidence_count > 8)
                pt_term_printf(out, "    ... %zu more\n", cd->evidence_count - 8);
        }
    }
}

static cJSON *evidence_json(const pt_candidate *cd)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t e = 0; arr && e < cd->evidence_count; e++) {
        const pt_evidence *ev = &cd->evidence[e];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToObject(o, "kind", pt_json_str(pt_evidence_kind_name(ev->kind)));
        if (ev->kind == PT_EV_HINT)
            cJSON_AddNullToObject(o, "offset");
        else
            cJSON_AddNumberToObject(o, "offset", (double)ev->offset);
        cJSON_AddItemToObject(o, "section", pt_json_str(ev->section));
        cJSON_AddItemToObject(o, "detail", pt_json_str(ev->detail));
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static void add_str_or_null(cJSON *o, const char *key, const char *v)
{
    cJSON_AddItemToObject(o, key, pt_json_str(v && v[0] ? v : NULL));
}

static cJSON *file_json(const pt_scan_report *r, const pt_driver *d)
{
    cJSON *o = cJSON_CreateObject();
    pt_json_add_path(o, "path", d->path);
    cJSON_AddItemToObject(o, "name", pt_json_str(d->name));
    cJSON_AddNumberToObject(o, "size", (double)d->size);
    add_str_or_null(o, "sha256", d->sha256);
    add_str_or_null(o, "machine", d->pe_read ? pt_pe_machine_name(d->pe.machine) : NULL);
    add_str_or_null(o, "file_version", d->pe_read ? pt_pe_file_version(&d->pe) : NULL);
    add_str_or_null(o, "company", d->pe_read ? pt_pe_company(&d->pe) : NULL);
    add_str_or_null(o, "error", d->error);
    cJSON *tags = cJSON_AddArrayToObject(o, "tags");
    for (size_t a = 0; a < r->attribution_count; a++)
        for (size_t c = 0; c < r->attributions[a].candidate_count; c++) {
            const pt_candidate *cd = &r->attributions[a].candidates[c];
            if (cd->driver != d)
                continue;
            cJSON *t = cJSON_CreateObject();
            cJSON_AddItemToObject(t, "tag", pt_json_str(r->attributions[a].tag));
            cJSON_AddItemToObject(t, "best", pt_json_str(pt_evidence_kind_name(cd->best)));
            cJSON_AddNumberToObject(t, "confidence", cd->confidence);
            cJSON_AddItemToObject(t, "evidence", evidence_json(cd));
            cJSON_AddItemToArray(tags, t);
        }
    return o;
}

void pt_report_scan_json(const pt_scan_doc *doc, const pt_report_opts *opts, pt_buf *out)
{
    const pt_scan_report *r = doc->report;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "pooltriage.scan/1");
    cJSON *tags = cJSON_AddArrayToObject(root, "tags");
    for (size_t i = 0; i < r->attribution_count; i++)
        cJSON_AddItemToArray(tags, pt_json_str(r->attributions[i].tag));
    cJSON *files = cJSON_AddArrayToObject(root, "files");
    size_t n, hidden;
    listed *l = list_files(doc, &n, &hidden);
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(files, file_json(r, l[i].d));
    pt_free(l);
    cJSON_AddNumberToObject(root, "other_files", (double)hidden);
    cJSON *by_tag = cJSON_AddObjectToObject(root, "attributions");
    for (size_t i = 0; i < r->attribution_count; i++) {
        cJSON *list = cJSON_AddArrayToObject(by_tag, r->attributions[i].tag);
        for (size_t c = 0; c < r->attributions[i].candidate_count; c++) {
            const pt_candidate *cd = &r->attributions[i].candidates[c];
            cJSON *o = cJSON_CreateObject();
            pt_json_add_path(o, "path", cd->driver->path);
            cJSON_AddItemToObject(o, "best", pt_json_str(pt_evidence_kind_name(cd->best)));
            cJSON_AddNumberToObject(o, "confidence", cd->confidence);
            cJSON_AddItemToArray(list, o);
        }
    }
    cJSON *errors = cJSON_AddArrayToObject(root, "errors");
    for (size_t i = 0; i < r->error_count; i++) {
        cJSON *e = cJSON_CreateObject();
        pt_json_add_path(e, "source", r->errors[i].source);
        cJSON_AddItemToObject(e, "message", pt_json_str(r->errors[i].message));
        cJSON_AddItemToArray(errors, e);
    }
    cJSON *st = cJSON_AddObjectToObject(root, "stats");
    cJSON_AddNumberToObject(st, "files", (double)r->stats.files);
    cJSON_AddItemToObject(st, "bytes", pt_json_int((int64_t)r->stats.bytes));
    cJSON_AddNumberToObject(st, "files_read", (double)r->stats.files_read);
    cJSON_AddNumberToObject(st, "cache_hits", (double)r->stats.cache_hits);
    cJSON_AddBoolToObject(st, "cache", doc->cache);
    pt_json_finish(out, root, opts && opts->pretty);
    cJSON_Delete(root);
}

size_t pt_report_scan_file_count(const pt_scan_report *r)
{
    size_t found = 0;
    for (size_t i = 0; i < r->driver_count; i++)
        found += holds(r, &r->drivers[i]);
    return found;
}

void pt_report_scan_text(const pt_scan_doc *doc, const pt_report_opts *opts, pt_buf *out)
{
    (void)opts;
    size_t n;
    listed *l = list_files(doc, &n, NULL);
    if (l == NULL)
        out->failed = true;
    for (size_t i = 0; i < n; i++)
        text_driver(out, doc->report, l[i].d);
    pt_free(l);
}

static const char *const csv_columns[] = {"path", "tag", "best", "confidence", "hits",
                                          "pe", "machine", "file_version", "company",
                                          "sha256"};

void pt_report_scan_csv(const pt_scan_doc *doc, const pt_report_opts *opts, pt_buf *out)
{
    (void)opts;
    const pt_scan_report *r = doc->report;
    size_t ncol = sizeof csv_columns / sizeof csv_columns[0];
    for (size_t c = 0; c < ncol; c++)
        pt_csv_cell(out, csv_columns[c], c + 1 == ncol);
    size_t n;
    listed *l = list_files(doc, &n, NULL);
    if (l == NULL)
        out->failed = true;
    for (size_t i = 0; i < n; i++) {
        const pt_driver *d = l[i].d;
        for (size_t a = 0; a < r->attribution_count; a++)
            for (size_t k = 0; k < r->attributions[a].candidate_count; k++) {
                const pt_candidate *cd = &r->attributions[a].candidates[k];
                if (cd->driver != d)
                    continue;
                char conf[16];
                snprintf(conf, sizeof conf, "%.2f", cd->confidence);
                pt_csv_cell(out, d->path, false);
                pt_csv_cell(out, r->attributions[a].tag, false);
                pt_csv_cell(out, pt_evidence_kind_name(cd->best), false);
                pt_csv_number(out, conf, false);
                pt_csv_int(out, (int64_t)cd->evidence_count, false);
                pt_csv_cell(out, d->pe_read ? "yes" : "no", false);
                pt_csv_cell(out, d->pe_read ? pt_pe_machine_name(d->pe.machine) : NULL, false);
                pt_csv_cell(out, d->pe_read ? pt_pe_file_version(&d->pe) : NULL, false);
                pt_csv_cell(out, d->pe_read ? pt_pe_company(&d->pe) : NULL, false);
                pt_csv_cell(out, d->sha256[0] ? d->sha256 : NULL, true);
            }
    }
    pt_free(l);
}
