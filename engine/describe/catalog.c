/*
 * catalog.c - describe stage: catalog signatures.  Indexes the member
 * hashes of the .cat files under a Windows tree's System32/CatRoot (PKCS#7
 * SignedData of a certificate trust list, OID 1.3.6.1.4.1.311.10.1), so a
 * driver without an embedded signature can be matched to its catalog.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"
#include "pooltriage/limits.h"
#include "pt_sig.h"
#include "describe_int.h"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OID_CTL "1.3.6.1.4.1.311.10.1"
/* 1.3.6.1.4.1.311.2.1.4, SPC_INDIRECT_DATA_OBJID, as DER value bytes. */
static const uint8_t oid_spc_indirect[] = {0x2b, 0x06, 0x01, 0x04, 0x01,
                                           0x82, 0x37, 0x02, 0x01, 0x04};

typedef struct cat_member {
    uint8_t hash[32];
    uint8_t len;         /* 20 (sha1) or 32 (sha256) */
    uint32_t cat;        /* index into paths */
} cat_member;

/* The bytes of a catalog read from an archive (NULL for one on disk,
 * which is read again when it signs a driver). */
typedef struct cat_bytes {
    uint8_t *data;
    size_t len;
} cat_bytes;

struct pt_catalog_index {
    char **paths;
    size_t path_count, path_cap;
    cat_bytes *bytes;            /* one per path, the same index */
    size_t byte_count, byte_cap;
    cat_member *members;
    size_t member_count, member_cap;
    size_t skipped;
    char **problems;          /* what the CatRoot walk left out: path, message pairs */
    size_t problem_count, problem_cap;
    bool limit_hit;
    bool nomem;
};

/* ---- the CTL ---- */

static void add_member(pt_catalog_index *idx, const uint8_t *hash, size_t len)
{
    if ((len != 20 && len != 32) || idx->nomem)
        return;
    if (idx->member_count >= PT_MAX_CATALOG_MEMBERS) {
        idx->limit_hit = true;
        return;
    }
    cat_member m = {.len = (uint8_t)len, .cat = (uint32_t)idx->path_count};
    memcpy(m.hash, hash, len);
    if (!PT_PUSH(idx->members, idx->member_count, idx->member_cap, m))
        idx->nomem = true;
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A subject identifier: the raw hash (sha1 catalogs) or its hex text in
 * ASCII or UTF-16LE (as some tools write the tag). */
static void add_identifier(pt_catalog_index *idx, const uint8_t *p, size_t n)
{
    if (n == 20 || n == 32) {
        add_member(idx, p, n);
        return;
    }
    size_t step = (n == 80 || n == 128) ? 2 : 1;
    size_t digits = n / step;
    if ((digits != 40 && digits != 64) || n % step)
        return;
    uint8_t hash[32];
    for (size_t i = 0; i < digits; i += 2) {
        int hi = hex_value(p[i * step]), lo = hex_value(p[(i + 1) * step]);
        if (hi < 0 || lo < 0 || (step == 2 && (p[i * step + 1] || p[(i + 1) * step + 1])))
            return;
        hash[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    add_member(idx, hash, digits / 2);
}

/* Attribute SEQUENCE { type OID, values SET }: the SpcIndirectDataContent
 * one holds the member's Authenticode hash. */
static void add_attribute(pt_catalog_index *idx, const pt_der *attr)
{
    const uint8_t *p = attr->val, *end = attr->val + attr->len;
    pt_der oid, values, v;
    if (!pt_der_next(&p, end, &oid) || oid.tag != 0x06 || oid.len != sizeof oid_spc_indirect ||
        memcmp(oid.val, oid_spc_indirect, oid.len) != 0 || !pt_der_next(&p, end, &values) ||
        values.tag != 0x31)
        return;
    p = values.val;
    end = values.val + values.len;
    while (pt_der_next(&p, end, &v)) {
        const EVP_MD *md;
        const uint8_t *dig;
        size_t dig_len;
        if (pt_sig_spc_digest(v.tlv, (size_t)(v.val + v.len - v.tlv), &md, &dig, &dig_len))
            add_member(idx, dig, dig_len);
    }
}

/* TrustedSubject ::= SEQUENCE { subjectIdentifier OCTET STRING,
 * subjectAttributes SET OF Attribute OPTIONAL } */
static void add_subject(pt_catalog_index *idx, const pt_der *subj)
{
    const uint8_t *p = subj->val, *end = subj->val + subj->len;
    pt_der id, attrs, attr;
    if (!pt_der_next(&p, end, &id) || id.tag != 0x04)
        return;
    add_identifier(idx, id.val, id.len);
    if (!pt_der_next(&p, end, &attrs) || attrs.tag != 0x31)
        return;
    p = attrs.val;
    end = attrs.val + attrs.len;
    while (pt_der_next(&p, end, &attr))
        if (attr.tag == 0x30)
            add_attribute(idx, &attr);
}

/* CTL ::= SEQUENCE { subjectUsage SEQUENCE, listIdentifier OCTET STRING
 * OPTIONAL, sequenceNumber INTEGER OPTIONAL, thisUpdate, nextUpdate
 * OPTIONAL, subjectAlgorithm SEQUENCE, trustedSubjects SEQUENCE OF
 * TrustedSubject OPTIONAL, extensions [0] OPTIONAL }: trustedSubjects is
 * its third SEQUENCE. */
static bool parse_ctl(pt_catalog_index *idx, const uint8_t *der, size_t len)
{
    const uint8_t *p = der, *end = der + len;
    pt_der ctl, el, subj;
    if (!pt_der_next(&p, end, &ctl) || ctl.tag != 0x30)
        return false;
    p = ctl.val;
    end = ctl.val + ctl.len;
    int sequences = 0;
    while (pt_der_next(&p, end, &el)) {
        if (el.tag != 0x30 || ++sequences != 3)
            continue;
        const uint8_t *q = el.val;
        while (pt_der_next(&q, el.val + el.len, &subj))
            if (subj.tag == 0x30)
                add_subject(idx, &subj);
        return true;
    }
    return sequences == 2; /* a CTL with no members */
}

static bool is_ctl(PKCS7 *p7)
{
    char oid[64];
    return PKCS7_type_is_signed(p7) && p7->d.sign != NULL && p7->d.sign->contents != NULL &&
           p7->d.sign->contents->type != NULL &&
           OBJ_obj2txt(oid, sizeof oid, p7->d.sign->contents->type, 1) > 0 &&
           strcmp(oid, OID_CTL) == 0;
}

/* Decodes a catalog file; NULL when it is not a signed CTL. */
static PKCS7 *catalog_decode(const uint8_t *data, size_t len)
{
    const unsigned char *p = data;
    PKCS7 *p7 = len <= (size_t)INT32_MAX ? d2i_PKCS7(NULL, &p, (long)len) : NULL;
    ERR_clear_error();
    if (p7 != NULL && !is_ctl(p7)) {
        PKCS7_free(p7);
        p7 = NULL;
    }
    return p7;
}

/* ---- building the index ---- */

typedef struct walk_ctx {
    pt_catalog_index *idx;
    pt_error *err;
    pt_code rc;
} walk_ctx;

/* Indexes the members of the catalog `data` known as `path`; with keep,
 * a copy of its bytes stays in the index (an archive's catalog). */
static void index_catalog(pt_catalog_index *idx, const char *path, const uint8_t *data,
                          size_t len, bool keep)
{
    PKCS7 *p7 = NULL;
    const uint8_t *sb, *der;
    size_t sl, dl;
    bool ok = false;
    if (data != NULL && (p7 = catalog_decode(data, len)) != NULL &&
        pt_sig_content(p7, &sb, &sl, &der, &dl))
        ok = parse_ctl(idx, der, dl);
    PKCS7_free(p7);
    if (!ok) {
        idx->skipped++;
        /* drop members a half-read catalog added */
        while (idx->member_count > 0 &&
               idx->members[idx->member_count - 1].cat == idx->path_count)
            idx->member_count--;
        return;
    }
    size_t n = strlen(path) + 1;
    char *kept = pt_malloc(n);
    cat_bytes b = {keep ? pt_malloc(len ? len : 1) : NULL, keep ? len : 0};
    if (kept == NULL || (keep && b.data == NULL) ||
        !PT_PUSH(idx->bytes, idx->byte_count, idx->byte_cap, b)) {
        pt_free(kept);
        pt_free(b.data);
        idx->nomem = true;
        return;
    }
    if (!PT_PUSH(idx->paths, idx->path_count, idx->path_cap, kept)) {
        idx->byte_count--;
        pt_free(kept);
        pt_free(b.data);
        idx->nomem = true;
        return;
    }
    memcpy(kept, path, n);
    if (keep)
        memcpy(b.data, data, len);
}

static void read_catalog(pt_catalog_index *idx, const char *path, uint64_t size)
{
    pt_arena *tmp = pt_arena_new();
    uint8_t *data = NULL;
    size_t len = 0;
    if (tmp == NULL) {
        idx->nomem = true;
        return;
    }
    if (size > PT_MAX_CATALOG_BYTES ||
        pt_file_read(tmp, path, PT_MAX_CATALOG_BYTES, &data, &len, NULL) != PT_OK)
        data = NULL;
    index_catalog(idx, path, data, len, false);
    pt_arena_free(tmp);
}

static bool walk_one(void *ctx, const char *path, const char *name, uint64_t size)
{
    walk_ctx *w = ctx;
    if (!pt_ends_with_ci(name, ".cat"))
        return true;
    if (w->idx->path_count + w->idx->skipped >= PT_MAX_CATALOG_FILES) {
        w->rc = pt_error_set(w->err, PT_ELIMIT, path,
                             "more than %u catalog files; point --root at one Windows tree",
                             (unsigned)PT_MAX_CATALOG_FILES);
        return false;
    }
    read_catalog(w->idx, path, size);
    if (w->idx->nomem) {
        w->rc = pt_error_set(w->err, PT_ENOMEM, path, "out of memory");
        return false;
    }
    return true;
}

/* A folder or file the walk left out (its limits, an unreadable folder):
 * kept, so that the caller says it. */
static void walk_problem(void *ctx, const char *path, const char *message)
{
    pt_catalog_index *idx = ((walk_ctx *)ctx)->idx;
    char *p = pt_malloc(strlen(path) + 1), *m = pt_malloc(strlen(message) + 1);
    size_t count = idx->problem_count;
    if (p && m && PT_PUSH(idx->problems, count, idx->problem_cap, p) &&
        PT_PUSH(idx->problems, count, idx->problem_cap, m)) {
        strcpy(p, path);
        strcpy(m, message);
        idx->problem_count = count;
        return;
    }
    if (count > idx->problem_count)   /* the path went in, the message did not */
        idx->problems[idx->problem_count] = NULL;
    pt_free(p);
    pt_free(m);
    idx->nomem = true;
}

static int member_cmp(const void *a, const void *b)
{
    const cat_member *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    int c = memcmp(x->hash, y->hash, x->len);
    if (c != 0)
        return c;
    return x->cat < y->cat ? -1 : x->cat > y->cat;
}

/* ROOT/Windows/System32/CatRoot with names matched case-insensitively, as
 * a pt_malloc'd path, or NULL. */
static char *find_catroot(const char *root)
{
    static const char *const parts[] = {"Windows", "System32", "CatRoot"};
    char *dir = pt_malloc(strlen(root) + 1);
    if (dir == NULL)
        return NULL;
    strcpy(dir, root);
    for (size_t i = 0; i < 3 && dir != NULL; i++) {
        char *next = pt_platform_find_ci(dir, parts[i]);
        pt_free(dir);
        dir = next;
    }
    if (dir != NULL && !pt_platform_is_dir(dir)) {
        pt_free(dir);
        dir = NULL;
    }
    return dir;
}

pt_code pt_catalog_open(const char *root, pt_catalog_index **out, pt_error *err)
{
    *out = NULL;
    if (root == NULL || !pt_platform_is_dir(root))
        return pt_error_set(err, PT_EIO, root ? root : "",
                            "not a folder; give --root the top of a Windows volume");
    pt_catalog_index *idx = pt_calloc(1, sizeof *idx);
    if (idx == NULL)
        return pt_error_set(err, PT_ENOMEM, root, "out of memory");
    char *catroot = find_catroot(root);
    walk_ctx w = {.idx = idx, .err = err, .rc = PT_OK};
    if (catroot != NULL) {
        pt_code rc = pt_platform_walk_checked(catroot, walk_one, walk_problem, &w, err);
        if (rc == PT_OK && w.rc == PT_OK && idx->nomem)
            w.rc = pt_error_set(err, PT_ENOMEM, catroot, "out of memory");
        if (w.rc == PT_OK)
            w.rc = rc;
    }
    pt_free(catroot);
    if (w.rc != PT_OK) {
        pt_catalog_close(idx);
        return w.rc;
    }
    if (idx->member_count > 1)
        qsort(idx->members, idx->member_count, sizeof *idx->members, member_cmp);
    *out = idx;
    return PT_OK;
}

typedef struct archive_ctx {
    pt_catalog_index *idx;
    const char *archive;
    pt_error *err;
    pt_code rc;
} archive_ctx;

/* Is the entry a .cat below a CatRoot folder ("host/Windows/System32/
 * CatRoot/{GUID}/oem1.cat", any case)? */
static bool catroot_entry(const char *name)
{
    if (!pt_ends_with_ci(name, ".cat"))
        return false;
    for (const char *p = name; *p; p++)
        if ((p == name || p[-1] == '/') && strncasecmp(p, "catroot/", 8) == 0)
            return true;
    return false;
}

static bool archive_one(void *ctx, const pt_archive_entry *e)
{
    archive_ctx *a = ctx;
    if (!catroot_entry(e->name))
        return true;
    if (a->idx->path_count + a->idx->skipped >= PT_MAX_CATALOG_FILES) {
        a->rc = pt_error_set(a->err, PT_ELIMIT, a->archive,
                             "more than %u catalog files in the archive",
                             (unsigned)PT_MAX_CATALOG_FILES);
        return false;
    }
    char *shown = pt_malloc(strlen(a->archive) + strlen(e->name) + 2);
    if (shown == NULL) {
        a->idx->nomem = true;
        return false;
    }
    sprintf(shown, "%s:%s", a->archive, e->name);
    index_catalog(a->idx, shown, e->data, e->len, true);   /* data NULL: too large */
    pt_free(shown);
    return !a->idx->nomem;
}

pt_code pt_catalog_open_archive(const char *archive, pt_catalog_index **out, pt_error *err)
{
    *out = NULL;
    pt_catalog_index *idx = pt_calloc(1, sizeof *idx);
    if (idx == NULL)
        return pt_error_set(err, PT_ENOMEM, archive, "out of memory");
    archive_ctx a = {idx, archive, err, PT_OK};
    pt_code rc = pt_archive_read(archive, NULL, PT_MAX_CATALOG_BYTES, archive_one, &a, err);
    if (rc == PT_OK)
        rc = a.rc;
    if (rc == PT_OK && idx->nomem)
        rc = pt_error_set(err, PT_ENOMEM, archive, "out of memory");
    if (rc != PT_OK) {
        pt_catalog_close(idx);
        return rc;
    }
    if (idx->member_count > 1)
        qsort(idx->members, idx->member_count, sizeof *idx->members, member_cmp);
    *out = idx;
    return PT_OK;
}

void pt_catalog_close(pt_catalog_index *idx)
{
    if (idx == NULL)
        return;
    for (size_t i = 0; i < idx->path_count; i++)
        pt_free(idx->paths[i]);
    pt_free(idx->paths);
    for (size_t i = 0; i < idx->byte_count; i++)
        pt_free(idx->bytes[i].data);
    pt_free(idx->bytes);
    for (size_t i = 0; i < idx->problem_count; i++)
        pt_free(idx->problems[i]);
    pt_free(idx->problems);
    pt_free(idx->members);
    pt_free(idx);
}

size_t pt_catalog_file_count(const pt_catalog_index *idx) { return idx ? idx->path_count : 0; }
size_t pt_catalog_skipped_count(const pt_catalog_index *idx) { return idx ? idx->skipped : 0; }
size_t pt_catalog_member_count(const pt_catalog_index *idx) { return idx ? idx->member_count : 0; }
size_t pt_catalog_problem_count(const pt_catalog_index *idx)
{
    return idx ? idx->problem_count / 2 : 0;
}

void pt_catalog_problem(const pt_catalog_index *idx, size_t i, const char **path,
                        const char **message)
{
    *path = idx->problems[2 * i];
    *message = idx->problems[2 * i + 1];
}

/* The member listing an Authenticode hash, or NULL. */
static const cat_member *find_member(const pt_catalog_index *idx, const uint8_t *hash,
                                     size_t hash_len)
{
    if (idx == NULL || hash == NULL || (hash_len != 20 && hash_len != 32))
        return NULL;
    size_t lo = 0, hi = idx->member_count;
    cat_member key = {.len = (uint8_t)hash_len, .cat = 0};
    memcpy(key.hash, hash, hash_len);
    while (lo < hi) { /* first member >= key (cat 0 sorts first) */
        size_t mid = lo + (hi - lo) / 2;
        if (member_cmp(&idx->members[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == idx->member_count || idx->members[lo].len != hash_len ||
        memcmp(idx->members[lo].hash, hash, hash_len) != 0)
        return NULL;
    return &idx->members[lo];
}

const char *pt_catalog_lookup(const pt_catalog_index *idx, const uint8_t *hash,
                              size_t hash_len)
{
    const cat_member *m = find_member(idx, hash, hash_len);
    return m ? idx->paths[m->cat] : NULL;
}

/* ---- resolving a driver ---- */

/* The catalog's own signer, read again from its file (the index keeps only
 * hashes, so a CatRoot of thousands of catalogs stays small). */
static void catalog_signer(pt_arena *arena, const pt_catalog_index *idx, uint32_t cat,
                           pt_signature *sig)
{
    const cat_bytes *kept = &idx->bytes[cat];
    const char *path = idx->paths[cat];
    pt_arena *tmp = pt_arena_new();
    uint8_t *data;
    size_t len;
    PKCS7 *p7 = NULL;
    if (kept->data != NULL)
        p7 = catalog_decode(kept->data, kept->len);
    else if (tmp != NULL &&
             pt_file_read(tmp, path, PT_MAX_CATALOG_BYTES, &data, &len, NULL) == PT_OK)
        p7 = catalog_decode(data, len);
    if (p7 != NULL)
        pt_sig_describe(arena, p7, sig);
    else
        sig->problem = "catalog can no longer be read";
    PKCS7_free(p7);
    pt_arena_free(tmp);
}

pt_code pt_catalog_resolve_digests(pt_arena *arena, const pt_catalog_index *idx,
                                   const uint8_t pesha256[32], const uint8_t pesha1[20],
                                   pt_signer *signer)
{
    if (idx == NULL || signer->status != PT_SIG_UNSIGNED)
        return PT_OK;
    const char *md_name = NULL;
    const cat_member *m = NULL;
    if (pesha256 && (m = find_member(idx, pesha256, 32)) != NULL)
        md_name = "sha256";
    else if (pesha1 && (m = find_member(idx, pesha1, 20)) != NULL)
        md_name = "sha1";
    if (m == NULL)
        return PT_OK;
    const char *path = idx->paths[m->cat];
    pt_signature *sig = pt_arena_alloc(arena, sizeof *sig);
    if (sig == NULL)
        return PT_ENOMEM;
    sig->entry = 0;
    sig->digest_algorithm = md_name;
    sig->digest_ok = true;
    catalog_signer(arena, idx, m->cat, sig);
    memset(signer, 0, sizeof *signer);
    signer->catalog = pt_arena_strdup(arena, path);
    signer->status = sig->signature_ok ? PT_SIG_SIGNED : PT_SIG_INVALID;
    signer->reason = sig->signature_ok ? NULL
                                       : pt_arena_printf(arena, "catalog signature: %s",
                                                         sig->problem ? sig->problem : "broken");
    signer->subject = sig->subject;
    signer->issuer = sig->issuer;
    signer->signing_time = sig->signing_time;
    signer->serial = sig->serial;
    signer->thumbprint = sig->thumbprint;
    signer->digest_algorithm = md_name;
    signer->signing_time_source = sig->signing_time_source;
    signer->trust = sig->trust;
    signer->trust_root = sig->trust_root;
    signer->chain_verified = sig->trust != NULL && strcmp(sig->trust, "trusted") == 0;
    signer->digest_ok = true;
    signer->signatures = sig;
    signer->signature_count = 1;
    if (signer->catalog == NULL)
        return PT_ENOMEM;
    return PT_OK;
}

pt_code pt_catalog_resolve(pt_arena *arena, const pt_catalog_index *idx,
                           const uint8_t *data, size_t len, const pt_pe_info *pe,
                           pt_signer *signer)
{
    if (idx == NULL || signer->status != PT_SIG_UNSIGNED)
        return PT_OK;
    pt_src src = pt_src_memory(data, len);
    pt_digests d = {.want_pesha1 = true, .want_pesha256 = true};
    if (pt_digests_compute(&src, pe, &d, NULL) == PT_ENOMEM)
        return PT_ENOMEM;
    return pt_catalog_resolve_digests(arena, idx, d.pesha256_ok ? d.pesha256 : NULL,
                                      d.pesha1_ok ? d.pesha1 : NULL, signer);
}
