/*
 * report_info.c - the report stage for `pooltriage info`, the sigcheck
 * replacement: per file the PE facts, the whole version resource, the
 * signature and the hashes, as text (sigcheck -a -h style), JSON
 * (pooltriage.info/1) or CSV (sigcheck -c columns).
 */
#include "pt_report.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

#define INFO_SCHEMA "pooltriage.info/1"

/* A file as the writers read it: the caller's facts copied by value, with
 * zeroed facts where the caller had none. */
typedef struct info_file {
    const char *path;
    const char *error;
    uint64_t size;
    pt_pe_info pe;
    pt_signer signer;
    pt_file_hashes hashes;
} info_file;

static void view(const pt_info_file *in, info_file *f)
{
    memset(f, 0, sizeof *f);
    f->path = in->path;
    f->error = in->error;
    f->size = in->size;
    if (in->pe)
        f->pe = *in->pe;
    if (in->signer)
        f->signer = *in->signer;
    if (in->hashes)
        f->hashes = *in->hashes;
}

/* ---- shared wording ---- */

static const char *flag_names[] = {"not-pe", "truncated", "bad-sections", "bad-imports",
                                   "bad-resources", "bad-version", "bad-security", "limit"};
static const char *import_names[] = {"ExAllocatePoolWithTag", "ExAllocatePoolWithQuotaTag",
                                     "ExAllocatePool2", "ExAllocatePool3",
                                     "ExFreePoolWithTag", "ExAllocatePool", "ExFreePool"};

static const char *subsystem_name(uint16_t s)
{
    switch (s) {
    case 1: return "native";
    case 2: return "windows-gui";
    case 3: return "windows-cui";
    case 9: return "windows-ce-gui";
    case 10: return "efi-application";
    case 11: return "efi-boot-service-driver";
    case 12: return "efi-runtime-driver";
    case 13: return "efi-rom";
    case 16: return "windows-boot-application";
    default: return "unknown";
    }
}

static bool is_pe(const info_file *f) { return !f->error && !(f->pe.flags & PT_PE_NOT_PE); }

static const char *verified(pt_arena *arena, const info_file *f)
{
    if (f->signer.status == PT_SIG_SIGNED)
        return pt_signer_verdict(&f->signer);
    if (f->signer.status == PT_SIG_INVALID)
        return pt_arena_printf(arena, "Invalid: %s", f->signer.reason ? f->signer.reason : "broken");
    return "Unsigned";
}

static const char *iso_time(pt_arena *arena, uint32_t t)
{
    char buf[48];
    pt_time_format((int64_t)t, buf, sizeof buf);
    return pt_arena_strdup(arena, buf);
}

static const char *machine_type(const info_file *f)
{
    return is_pe(f) ? (f->pe.pe32plus ? "64-bit" : "32-bit") : NULL;
}

static const char *fixed_version(pt_arena *arena, const uint16_t v[4], bool has)
{
    return has ? pt_arena_printf(arena, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]) : NULL;
}

/* Printable section name: binary garbage (clam-upack.exe) becomes '?'. */
static const char *section_name(pt_arena *arena, const char *name)
{
    char buf[9];
    size_t i = 0;
    for (; i < 8 && name[i]; i++)
        buf[i] = (name[i] >= 0x20 && name[i] < 0x7f) ? name[i] : '?';
    buf[i] = '\0';
    return pt_arena_strdup(arena, buf);
}

/* Hex in upper case, as sigcheck prints it. */
static void upper(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (src[i] >= 'a' && src[i] <= 'f') ? (char)(src[i] - 32) : src[i];
    dst[i] = '\0';
}

static const char *na(const char *s) { return s && *s ? s : "n/a"; }

/* ---- text ---- */

static void text_signature(pt_buf *out, const pt_signature *s, size_t i)
{
    char serial[128], thumb[64];
    upper(serial, s->serial ? s->serial : "", sizeof serial);
    upper(thumb, s->thumbprint ? s->thumbprint : "", sizeof thumb);
    pt_term_printf(out, "\t   [%zu] %s%s\n", i + 1, na(s->subject),
                  s->depth ? " (nested signature)" : "");
    pt_term_printf(out, "\t\tCert Issuer:\t%s\n", na(s->issuer));
    pt_term_printf(out, "\t\tSerial Number:\t%s\n", na(serial));
    pt_term_printf(out, "\t\tThumbprint:\t%s\n", na(thumb));
    pt_term_printf(out, "\t\tAlgorithm:\t%s\n", na(s->digest_algorithm));
    pt_term_printf(out, "\t\tSigning date:\t%s%s%s%s\n", na(s->signing_time),
                  s->signing_time_source ? " (" : "",
                  s->signing_time_source ? s->signing_time_source : "",
                  s->signing_time_source ? ")" : "");
    pt_term_printf(out, "\t\tDigest:\t%s\n", s->digest_ok ? "matches the file" : "does not match");
    pt_term_printf(out, "\t\tSignature:\t%s\n",
                  s->signature_ok ? "verifies with the signer certificate" : "does not verify");
    if (s->trust)
        pt_term_printf(out, "\t\tChain:\t%s%s%s\n", s->trust,
                       s->trust_root ? ", root " : "", s->trust_root ? s->trust_root : "");
    if (s->problem)
        pt_term_printf(out, "\t\tProblem:\t%s\n", s->problem);
}

static void text_versions(pt_arena *arena, pt_buf *out, const info_file *f)
{
    const pt_pe_info *pe = &f->pe;
    if (pe->has_version)
        pt_term_printf(out, "\tFixed version:\tFileVersion %s, ProductVersion %s\n",
                      fixed_version(arena, pe->file_version, true),
                      fixed_version(arena, pe->product_version, true));
    for (size_t i = 0; i < pe->string_table_count; i++) {
        const pt_string_table *t = &pe->string_tables[i];
        const char *keys[] = {"CompanyName", "FileDescription", "FileVersion", "InternalName",
                              "LegalCopyright", "OriginalFilename", "ProductName",
                              "ProductVersion"};
        const char *vals[] = {t->company_name, t->file_description, t->file_version,
                              t->internal_name, t->legal_copyright, t->original_filename,
                              t->product_name, t->product_version};
        pt_term_printf(out, "\tStrings [%s]:\n", t->key);
        for (size_t k = 0; k < 8; k++)
            if (vals[k])
                pt_term_printf(out, "\t\t%s:\t%s\n", keys[k], vals[k]);
    }
}

static void text_pe(pt_arena *arena, pt_buf *out, const info_file *f)
{
    const pt_pe_info *pe = &f->pe;
    pt_term_printf(out, "\tMachine:\t%s (0x%04x)\n", pt_pe_machine_name(pe->machine), pe->machine);
    pt_term_printf(out, "\tSubsystem:\t%s (%u), %s\n", subsystem_name(pe->subsystem),
                  pe->subsystem, pe->subsystem == 1 ? "a native (kernel-mode) image"
                                                    : "not a native driver");
    pt_term_printf(out, "\tLink date:\t%s (0x%08x)\n", na(iso_time(arena, pe->timestamp)),
                  pe->timestamp);
    pt_term_printf(out, "\tSections:\t%zu\n", pe->section_count);
    for (size_t i = 0; i < pe->section_count; i++) {
        const pt_section *s = &pe->sections[i];
        pt_term_printf(out, "\t\t%-8s va 0x%08x vsize 0x%08x raw 0x%08x rawsize 0x%08x flags 0x%08x\n",
                      section_name(arena, s->name), s->virtual_address, s->virtual_size,
                      s->raw_offset, s->raw_size, s->characteristics);
    }
    pt_buf_puts(out, "\tPool imports:\t");
    bool any = false;
    for (size_t i = 0; i < sizeof import_names / sizeof import_names[0]; i++)
        if (pe->pool_imports & (1u << i)) {
            pt_term_printf(out, "%s%s", any ? ", " : "", import_names[i]);
            any = true;
        }
    pt_buf_puts(out, any ? "\n" : "none\n");
}

static void text_flags(pt_buf *out, unsigned flags)
{
    pt_buf_puts(out, "\tParse flags:\t");
    bool any = false;
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
        if (flags & (1u << i)) {
            pt_term_printf(out, "%s%s", any ? ", " : "", flag_names[i]);
            any = true;
        }
    pt_buf_puts(out, any ? " (facts behind these are missing)\n" : "none\n");
}

static void text_signer(pt_buf *out, const info_file *f)
{
    const pt_signer *s = &f->signer;
    if (s->catalog)
        pt_term_printf(out, "\tCatalog:\t%s\n", s->catalog);
    if (s->reason && s->status == PT_SIG_UNSIGNED)
        pt_term_printf(out, "\tSignature:\t%s\n", s->reason);
    if (s->signature_count == 0)
        return;
    pt_term_printf(out, "\tSigners:\t%zu signature%s in %u certificate table entr%s\n",
                  s->signature_count, s->signature_count == 1 ? "" : "s", s->entry_count,
                  s->entry_count == 1 ? "y" : "ies");
    for (size_t i = 0; i < s->signature_count; i++)
        text_signature(out, &s->signatures[i], i);
    pt_term_printf(out, "\tDigest check:\t%s\n",
                  s->digest_ok ? "every signed image digest matches the file"
                               : "an image digest does not match the file");
    pt_term_printf(out, "\tChain:\t%s%s%s at the signing time (revocation not checked)\n",
                   s->trust ? s->trust : "not-checked", s->trust_root ? ", root " : "",
                   s->trust_root ? s->trust_root : "");
}

static void text_hashes(pt_buf *out, const pt_file_hashes *h)
{
    const char *names[] = {"MD5", "SHA1", "PESHA1", "PESHA256", "SHA256"};
    const char *vals[] = {h->md5, h->sha1, h->pesha1, h->pesha256, h->sha256};
    for (size_t i = 0; i < 5; i++) {
        char up[65];
        upper(up, vals[i], sizeof up);
        pt_term_printf(out, "\t%s:\t%s\n", names[i], na(up));
    }
}

static void text_file(pt_arena *arena, pt_buf *out, const info_file *f, bool hashes)
{
    const pt_pe_info *pe = &f->pe;
    pt_term_printf(out, "%s:\n", f->path);
    if (f->error) {
        pt_term_printf(out, "\tError:\t%s\n", f->error);
        return;
    }
    pt_term_printf(out, "\tVerified:\t%s\n", verified(arena, f));
    if (f->signer.windows_verdict)   /* sigcheck's own answer, from Windows */
        pt_term_printf(out, "\tWindows says:\t%s%s%s (%s)\n", f->signer.windows_verdict,
                       f->signer.windows_catalog ? ", catalog " : "",
                       f->signer.windows_catalog ? f->signer.windows_catalog : "",
                       na(f->signer.windows_detail));
    if (f->signer.trust && strcmp(f->signer.trust, "trusted") == 0 && f->signer.trust_root)
        pt_term_printf(out, "\tTrusted root:\t%s\n", f->signer.trust_root);
    if (f->signer.signing_time)
        pt_term_printf(out, "\tSigning date:\t%s (%s)\n", f->signer.signing_time,
                      na(f->signer.signing_time_source));
    pt_term_printf(out, "\tPublisher:\t%s\n", na(f->signer.subject));
    pt_term_printf(out, "\tCompany:\t%s\n", na(pt_pe_company(pe)));
    pt_term_printf(out, "\tDescription:\t%s\n", na(pt_pe_description(pe)));
    pt_term_printf(out, "\tProduct:\t%s\n", na(pt_pe_product_name(pe)));
    pt_term_printf(out, "\tProd version:\t%s\n", na(pt_pe_product_version(pe)));
    pt_term_printf(out, "\tFile version:\t%s\n", na(pt_pe_file_version(pe)));
    pt_term_printf(out, "\tMachineType:\t%s\n", na(machine_type(f)));
    text_flags(out, pe->flags);
    if (is_pe(f))
        text_pe(arena, out, f);
    pt_term_printf(out, "\tSize:\t%llu bytes\n", (unsigned long long)f->size);
    text_versions(arena, out, f);
    text_signer(out, f);
    if (hashes)
        text_hashes(out, &f->hashes);
}

/* ---- CSV (sigcheck -c columns) ---- */

/* sigcheck's date: "7:56 PM 10/14/2016" (sigcheck uses local time; this
 * is UTC, the only zone known offline). */
static const char *sigcheck_date(pt_arena *arena, int64_t t)
{
    char iso[48];
    int y, mo, d, h, mi;
    if (t == PT_UNKNOWN)
        return NULL;
    pt_time_format(t, iso, sizeof iso);   /* 2016-10-14T19:56:00Z */
    if (sscanf(iso, "%d-%d-%dT%d:%d", &y, &mo, &d, &h, &mi) != 5)
        return NULL;
    return pt_arena_printf(arena, "%d:%02d %s %d/%d/%d", h % 12 ? h % 12 : 12, mi,
                           h < 12 ? "AM" : "PM", mo, d, y);
}

/* sigcheck's Verified cell. */
static const char *sigcheck_verified(const info_file *f)
{
    if (f->error)
        return "The file could not be read.";
    if (f->signer.status == PT_SIG_SIGNED)
        return "Signed";
    if (f->signer.status == PT_SIG_INVALID)
        return "The digital signature of the object did not verify.";
    return "Unsigned";
}

/* One cell, always quoted as sigcheck writes them; cleaned and defused as
 * every CSV cell is (pt_csv_cell). */
static void quoted_cell(pt_buf *out, const char *s, bool last)
{
    pt_buf cell = {0};
    pt_csv_cell(&cell, s, true);
    size_t len = cell.len >= 2 ? cell.len - 2 : 0;   /* without the CRLF */
    if (cell.data && len && cell.data[0] == '"')
        pt_buf_append(out, cell.data, len);
    else {
        pt_buf_puts(out, "\"");
        if (cell.data)
            pt_buf_append(out, cell.data, len);
        pt_buf_puts(out, "\"");
    }
    out->failed |= cell.failed;
    pt_buf_free(&cell);
    pt_buf_puts(out, last ? "\r\n" : ",");
}

static void csv_file(pt_arena *arena, pt_buf *out, const info_file *f, const pt_info_doc *doc)
{
    const pt_pe_info *pe = &f->pe;
    char h[5][65];
    const char *src[] = {f->hashes.md5, f->hashes.sha1, f->hashes.pesha1, f->hashes.pesha256,
                         f->hashes.sha256};
    for (size_t i = 0; i < 5; i++)
        upper(h[i], src[i], sizeof h[i]);
    const char *date = f->signer.signing_time ? f->signer.signing_time
                       : is_pe(f)             ? iso_time(arena, pe->timestamp)
                                              : NULL;
    if (doc->sigcheck_compat) {
        int64_t t = PT_UNKNOWN;
        if (f->signer.signing_time == NULL || !pt_time_parse(f->signer.signing_time, true, &t))
            t = is_pe(f) ? (int64_t)pe->timestamp : PT_UNKNOWN;
        date = sigcheck_date(arena, t);
    }
    const char *cols[] = {f->path,
                          doc->sigcheck_compat ? sigcheck_verified(f)
                          : f->error ? pt_arena_printf(arena, "Error: %s", f->error)
                                     : verified(arena, f),
                          na(date), na(f->signer.subject), na(pt_pe_company(pe)),
                          na(pt_pe_description(pe)), na(pt_pe_product_name(pe)),
                          na(pt_pe_product_version(pe)), na(pt_pe_file_version(pe)),
                          na(machine_type(f)), na(h[0]), na(h[1]), na(h[2]), na(h[3]), na(h[4]),
                          "n/a"};
    size_t n = doc->hashes ? (doc->sigcheck_compat ? 16 : 15) : 10;
    for (size_t i = 0; i < n; i++) {
        if (doc->sigcheck_compat)
            quoted_cell(out, cols[i] ? cols[i] : "", i + 1 == n);
        else
            pt_csv_cell(out, cols[i] ? cols[i] : "", i + 1 == n);
    }
}

/* ---- JSON ---- */

static void add_str(cJSON *o, const char *key, const char *s)
{
    cJSON_AddItemToObject(o, key, pt_json_str(s && *s ? s : NULL));
}

static cJSON *json_signature(const pt_signature *s)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "subject", s->subject);
    add_str(o, "subject_dn", s->subject_dn);
    add_str(o, "issuer", s->issuer);
    add_str(o, "serial", s->serial);
    add_str(o, "thumbprint", s->thumbprint);
    add_str(o, "trust", s->trust);
    add_str(o, "root", s->trust_root);
    add_str(o, "digest_algorithm", s->digest_algorithm);
    add_str(o, "image_digest", s->image_digest);
    add_str(o, "signing_time", s->signing_time);
    add_str(o, "signing_time_source", s->signing_time_source);
    cJSON_AddBoolToObject(o, "digest_ok", s->digest_ok);
    cJSON_AddBoolToObject(o, "signature_ok", s->signature_ok);
    add_str(o, "problem", s->problem);
    cJSON_AddNumberToObject(o, "entry", s->entry);
    cJSON_AddNumberToObject(o, "depth", s->depth);
    return o;
}

static cJSON *json_signer(const pt_signer *s)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "status", pt_sig_status_name(s->status));
    add_str(o, "subject", s->subject);
    add_str(o, "issuer", s->issuer);
    add_str(o, "signing_time", s->signing_time);
    add_str(o, "signing_time_source", s->signing_time_source);
    add_str(o, "serial", s->serial);
    add_str(o, "thumbprint", s->thumbprint);
    add_str(o, "digest_algorithm", s->digest_algorithm);
    add_str(o, "reason", s->reason);
    add_str(o, "catalog", s->catalog);
    cJSON_AddBoolToObject(o, "digest_ok", s->digest_ok);
    cJSON_AddBoolToObject(o, "chain_verified", s->chain_verified);
    add_str(o, "trust", s->trust);
    add_str(o, "root", s->trust_root);
    pt_json_add_windows_trust(o, s);
    cJSON_AddNumberToObject(o, "entry_count", s->entry_count);
    cJSON *arr = cJSON_AddArrayToObject(o, "signatures");
    for (size_t i = 0; i < s->signature_count; i++)
        cJSON_AddItemToArray(arr, json_signature(&s->signatures[i]));
    return o;
}

/* A version string as the file holds it: "" when the value is empty (as
 * pefile and sigcheck show it), null only when the key is absent. */
static void add_version_str(cJSON *o, const char *key, const char *s)
{
    cJSON_AddItemToObject(o, key, pt_json_str(s));
}

static cJSON *json_strings(const pt_string_table *t)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "key", t->key);
    add_version_str(o, "CompanyName", t->company_name);
    add_version_str(o, "FileDescription", t->file_description);
    add_version_str(o, "FileVersion", t->file_version);
    add_version_str(o, "InternalName", t->internal_name);
    add_version_str(o, "LegalCopyright", t->legal_copyright);
    add_version_str(o, "OriginalFilename", t->original_filename);
    add_version_str(o, "ProductName", t->product_name);
    add_version_str(o, "ProductVersion", t->product_version);
    return o;
}

static cJSON *json_version(pt_arena *arena, const pt_pe_info *pe)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "file_version_fixed", fixed_version(arena, pe->file_version, pe->has_version));
    add_str(o, "product_version_fixed",
            fixed_version(arena, pe->product_version, pe->has_version));
    add_str(o, "company", pt_pe_company(pe));
    add_str(o, "description", pt_pe_description(pe));
    add_str(o, "product", pt_pe_product_name(pe));
    add_str(o, "product_version", pt_pe_product_version(pe));
    add_str(o, "file_version", pt_pe_file_version(pe));
    cJSON *arr = cJSON_AddArrayToObject(o, "string_tables");
    for (size_t i = 0; i < pe->string_table_count; i++)
        cJSON_AddItemToArray(arr, json_strings(&pe->string_tables[i]));
    return o;
}

static cJSON *json_pe(pt_arena *arena, const pt_pe_info *pe)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "machine", pe->machine);
    add_str(o, "machine_name", pt_pe_machine_name(pe->machine));
    cJSON_AddBoolToObject(o, "pe32plus", pe->pe32plus);
    cJSON_AddNumberToObject(o, "subsystem", pe->subsystem);
    add_str(o, "subsystem_name", subsystem_name(pe->subsystem));
    cJSON_AddBoolToObject(o, "native", pe->subsystem == 1);
    cJSON_AddNumberToObject(o, "timestamp", pe->timestamp);
    add_str(o, "timestamp_iso", iso_time(arena, pe->timestamp));
    cJSON_AddNumberToObject(o, "checksum", pe->checksum);
    cJSON *secs = cJSON_AddArrayToObject(o, "sections");
    for (size_t i = 0; i < pe->section_count; i++) {
        const pt_section *s = &pe->sections[i];
        cJSON *so = cJSON_CreateObject();
        add_str(so, "name", section_name(arena, s->name));
        cJSON_AddNumberToObject(so, "virtual_address", s->virtual_address);
        cJSON_AddNumberToObject(so, "virtual_size", s->virtual_size);
        cJSON_AddNumberToObject(so, "raw_offset", s->raw_offset);
        cJSON_AddNumberToObject(so, "raw_size", s->raw_size);
        cJSON_AddNumberToObject(so, "characteristics", s->characteristics);
        cJSON_AddItemToArray(secs, so);
    }
    cJSON *imps = cJSON_AddArrayToObject(o, "pool_imports");
    for (size_t i = 0; i < sizeof import_names / sizeof import_names[0]; i++)
        if (pe->pool_imports & (1u << i))
            cJSON_AddItemToArray(imps, pt_json_str(import_names[i]));
    return o;
}

static cJSON *json_hashes(const pt_file_hashes *h)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "md5", h->md5);
    add_str(o, "sha1", h->sha1);
    add_str(o, "sha256", h->sha256);
    add_str(o, "pesha1", h->pesha1);
    add_str(o, "pesha256", h->pesha256);
    return o;
}

static cJSON *json_file(pt_arena *arena, const info_file *f)
{
    cJSON *o = cJSON_CreateObject();
    pt_json_add_path(o, "path", f->path);
    add_str(o, "error", f->error);
    if (f->error) {
        cJSON_AddNullToObject(o, "size");
        const char *keys[] = {"parse_flags", "pe", "version", "signer", "hashes"};
        for (size_t i = 0; i < 5; i++)
            cJSON_AddNullToObject(o, keys[i]);
        return o;
    }
    cJSON_AddNumberToObject(o, "size", (double)f->size);
    cJSON *flags = cJSON_AddArrayToObject(o, "parse_flags");
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
        if (f->pe.flags & (1u << i))
            cJSON_AddItemToArray(flags, pt_json_str(flag_names[i]));
    cJSON_AddItemToObject(o, "pe", is_pe(f) ? json_pe(arena, &f->pe) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "version", json_version(arena, &f->pe));
    cJSON_AddItemToObject(o, "signer", json_signer(&f->signer));
    cJSON_AddItemToObject(o, "hashes", json_hashes(&f->hashes));
    return o;
}

void pt_report_info_json(const pt_info_doc *doc, const pt_report_opts *opts, pt_buf *out)
{
    pt_arena *arena = pt_arena_new();
    cJSON *o = cJSON_CreateObject();
    if (arena == NULL || o == NULL) {
        out->failed = true;
        goto done;
    }
    add_str(o, "schema", INFO_SCHEMA);
    cJSON *cat = doc->root ? cJSON_AddObjectToObject(o, "catalogs") : NULL;
    if (cat) {
        pt_json_add_path(cat, "root", doc->root);
        cJSON_AddNumberToObject(cat, "files", (double)doc->catalog_files);
        cJSON_AddNumberToObject(cat, "skipped", (double)doc->catalog_skipped);
        cJSON_AddNumberToObject(cat, "members", (double)doc->catalog_members);
    } else {
        cJSON_AddNullToObject(o, "catalogs");
    }
    cJSON *arr = cJSON_AddArrayToObject(o, "files");
    for (size_t i = 0; i < doc->file_count; i++) {
        info_file f;
        view(&doc->files[i], &f);
        cJSON_AddItemToArray(arr, json_file(arena, &f));
    }
    pt_json_finish(out, o, opts && opts->pretty);
done:
    cJSON_Delete(o);
    pt_arena_free(arena);
}

void pt_report_info_text(const pt_info_doc *doc, const pt_report_opts *opts, pt_buf *out)
{
    (void)opts;
    pt_arena *arena = pt_arena_new();
    if (arena == NULL) {
        out->failed = true;
        return;
    }
    for (size_t i = 0; i < doc->file_count; i++) {
        info_file f;
        view(&doc->files[i], &f);
        text_file(arena, out, &f, doc->hashes);
    }
    pt_arena_free(arena);
}

void pt_report_info_csv(const pt_info_doc *doc, const pt_report_opts *opts, pt_buf *out)
{
    static const char *const columns[] = {
        "Path", "Verified", "Date", "Publisher", "Company", "Description", "Product",
        "Product Version", "File Version", "Machine Type", "MD5", "SHA1", "PESHA1",
        "PESHA256", "SHA256", "IMP"};
    (void)opts;
    pt_arena *arena = pt_arena_new();
    if (arena == NULL) {
        out->failed = true;
        return;
    }
    size_t n = doc->hashes ? (doc->sigcheck_compat ? 16 : 15) : 10;
    for (size_t i = 0; i < n; i++) {
        if (doc->sigcheck_compat)
            quoted_cell(out, columns[i], i + 1 == n);
        else
            pt_csv_cell(out, columns[i], i + 1 == n);
    }
    for (size_t i = 0; i < doc->file_count; i++) {
        info_file f;
        view(&doc->files[i], &f);
        csv_file(arena, out, &f, doc);
    }
    pt_arena_free(arena);
}
