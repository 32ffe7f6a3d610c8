/*
 * authenticode.c - describe stage: the embedded Authenticode signature of a
 * PE file (certificate table, PKCS#7 SignedData, nested signatures, signing
 * times) and the Authenticode image hash, through OpenSSL's libcrypto.
 * The file comes as a source (describe_int.h): the certificate table is
 * read into memory, bounded, and the image digest is streamed.  Broken
 * input gives a status and a reason, never a failure.
 */
#include "pooltriage/pooltriage.h"
#include "pooltriage/limits.h"
#include "pt_sig.h"
#include "describe_int.h"
#include "trust.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <string.h>
#include <time.h>

#define WIN_CERT_TYPE_PKCS_SIGNED_DATA 2u
#define WIN_CERT_HEADER_LEN 8u
#define OID_SPC_INDIRECT_DATA "1.3.6.1.4.1.311.2.1.4"
#define OID_NESTED_SIGNATURE "1.3.6.1.4.1.311.2.4.1"
#define OID_RFC3161_TOKEN "1.3.6.1.4.1.311.3.3.1"

/* ---- little-endian reads ---- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* ---- DER ---- */

bool pt_der_next(const uint8_t **p, const uint8_t *end, pt_der *out)
{
    const uint8_t *q = *p;
    if (q == NULL || q >= end || end - q < 2)
        return false;
    out->tlv = q;
    out->tag = *q++;
    if ((out->tag & 0x1fu) == 0x1fu)
        return false;
    size_t len = *q++;
    if (len & 0x80u) {
        size_t n = len & 0x7fu;
        if (n == 0 || n > 4 || (size_t)(end - q) < n)
            return false;
        len = 0;
        for (size_t i = 0; i < n; i++)
            len = len << 8 | *q++;
    }
    if (len > (size_t)(end - q))
        return false;
    out->val = q;
    out->len = len;
    *p = q + len;
    return true;
}

char *pt_sig_hex(pt_arena *arena, const uint8_t *bytes, size_t n)
{
    char *s = pt_arena_alloc(arena, 2 * n + 1);
    if (s != NULL)
        pt_hex_into(bytes, n, s);
    return s;
}

/* ---- the image hash ---- */

/* The parts of the file the image hash covers, in file order. */
typedef struct image_layout {
    uint64_t off[4], len[4];
    size_t count;
} image_layout;

static void layout_add(image_layout *lay, uint64_t from, uint64_t to)
{
    if (to > from) {
        lay->off[lay->count] = from;
        lay->len[lay->count++] = to - from;
    }
}

/* The security directory entry as the file holds it (pe.c drops one that
 * points out of the file, but the hash must still skip its 8 bytes). */
static bool cert_dir(pt_src *src, const pt_pe_info *pe, uint32_t *off, uint32_t *size)
{
    uint8_t p[8];
    *off = *size = 0;
    if (pe->security_dir_offset == 0 || !pt_src_copy(src, pe->security_dir_offset, p, 8))
        return false;
    *off = le32(p);
    *size = le32(p + 4);
    return true;
}

/* PE spec, "Calculating the PE Image Hash": everything but the CheckSum,
 * the security directory entry and the certificate table.  The zero bytes
 * a signer adds to align the table to 8 are part of the file and hashed as
 * such; an unsigned file is hashed as it is, unpadded, as Windows does
 * for catalog members (the corpus README's hashes of the Wine files whose
 * length is not a multiple of 8 agree).  False when the hash is undefined
 * (no PE, a table out of the file). */
static bool layout_get(pt_src *src, const pt_pe_info *pe, image_layout *lay)
{
    memset(lay, 0, sizeof *lay);
    if (pe == NULL || (pe->flags & PT_PE_NOT_PE) || pe->checksum_offset == 0)
        return false;
    uint64_t cks = pe->checksum_offset, len = src->len;
    if (!pt_src_fits(src, cks, 4))
        return false;
    uint32_t off, size;
    if (!cert_dir(src, pe, &off, &size)) {
        if (pe->security_dir_offset != 0)
            return false; /* the entry itself is cut off */
        layout_add(lay, 0, cks);
        layout_add(lay, cks + 4, len);
        return true;
    }
    uint64_t dir = pe->security_dir_offset;
    if (dir < cks + 4)
        return false;
    layout_add(lay, 0, cks);
    layout_add(lay, cks + 4, dir);
    if (size == 0) {
        layout_add(lay, dir + 8, len);
        return true;
    }
    if (off < dir + 8 || !pt_src_fits(src, off, size))
        return false;
    layout_add(lay, dir + 8, off);
    layout_add(lay, (uint64_t)off + size, len);
    return true;
}

/* One digest of a streamed pass: over the whole file, or over the image
 * layout. */
typedef struct pass_md {
    const EVP_MD *md;
    bool image;
    EVP_MD_CTX *ctx;
    uint8_t out[EVP_MAX_MD_SIZE];
    unsigned out_len;
} pass_md;

static bool feed_block(pass_md *m, const image_layout *lay, const uint8_t *p, uint64_t pos,
                       size_t n)
{
    if (!m->image)
        return EVP_DigestUpdate(m->ctx, p, n) == 1;
    for (size_t r = 0; r < lay->count; r++) {
        uint64_t from = lay->off[r] > pos ? lay->off[r] : pos;
        uint64_t to = lay->off[r] + lay->len[r];
        if (to > pos + n)
            to = pos + n;
        if (to > from && EVP_DigestUpdate(m->ctx, p + (from - pos), (size_t)(to - from)) != 1)
            return false;
    }
    return true;
}

/* Reads the file once, block by block, feeding every digest: the file is
 * never held whole (a file source reads through its window, which this
 * leaves empty).  PT_ENOMEM or PT_EIO. */
static pt_code stream_pass(pt_src *src, const image_layout *lay, pass_md *mds, size_t count,
                           pt_error *err)
{
    pt_code rc = PT_OK;
    for (size_t i = 0; i < count; i++) {
        mds[i].ctx = EVP_MD_CTX_new();
        if (mds[i].ctx == NULL || EVP_DigestInit_ex(mds[i].ctx, mds[i].md, NULL) != 1)
            rc = PT_ENOMEM;
    }
    static const uint8_t empty[1];
    if (src->data != NULL || src->len == 0) {
        for (size_t i = 0; rc == PT_OK && i < count; i++)
            if (!feed_block(&mds[i], lay, src->data ? src->data : empty, 0, (size_t)src->len))
                rc = PT_ENOMEM;
    } else if (src->win == NULL || src->file == NULL || src->failed) {
        rc = pt_error_set(err, PT_EIO, "", "cannot read the file");
    } else {
        src->win_len = 0;
        for (uint64_t pos = 0; rc == PT_OK && pos < src->len;) {
            size_t want = src->len - pos < PT_DESCRIBE_WINDOW ? (size_t)(src->len - pos)
                                                             : PT_DESCRIBE_WINDOW;
            size_t got = 0;
            rc = pt_rfile_read_at(src->file, pos, src->win, want, &got, err);
            if (rc == PT_OK && got == 0)
                rc = pt_error_set(err, PT_EIO, src->file->path, "file shrank while read");
            for (size_t i = 0; rc == PT_OK && i < count; i++)
                if (!feed_block(&mds[i], lay, src->win, pos, got))
                    rc = PT_ENOMEM;
            pos += got;
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (rc == PT_OK && EVP_DigestFinal_ex(mds[i].ctx, mds[i].out, &mds[i].out_len) != 1)
            rc = PT_ENOMEM;
        EVP_MD_CTX_free(mds[i].ctx);
        mds[i].ctx = NULL;
    }
    return rc;
}

static bool layout_digest(pt_src *src, const image_layout *lay, const EVP_MD *md,
                          uint8_t *out, unsigned *out_len)
{
    pass_md m = {.md = md, .image = true};
    if (stream_pass(src, lay, &m, 1, NULL) != PT_OK)
        return false;
    memcpy(out, m.out, m.out_len);
    *out_len = m.out_len;
    return true;
}

pt_code pt_digests_compute(pt_src *src, const pt_pe_info *pe, pt_digests *d, pt_error *err)
{
    image_layout lay;
    bool image = layout_get(src, pe, &lay);
    struct {
        bool want;
        const EVP_MD *md;
        bool image;
        uint8_t *out;
        bool *ok;
    } all[] = {
        {d->want_md5, EVP_md5(), false, d->md5, &d->md5_ok},
        {d->want_sha1, EVP_sha1(), false, d->sha1, &d->sha1_ok},
        {d->want_sha256, EVP_sha256(), false, d->sha256, &d->sha256_ok},
        {d->want_pesha1 && image, EVP_sha1(), true, d->pesha1, &d->pesha1_ok},
        {d->want_pesha256 && image, EVP_sha256(), true, d->pesha256, &d->pesha256_ok},
    };
    pass_md mds[5];
    size_t map[5], n = 0;
    memset(mds, 0, sizeof mds);
    for (size_t i = 0; i < 5; i++)
        if (all[i].want) {
            mds[n] = (pass_md){.md = all[i].md, .image = all[i].image};
            map[n++] = i;
        }
    if (n == 0)
        return PT_OK;
    pt_code rc = stream_pass(src, &lay, mds, n, err);
    for (size_t k = 0; rc == PT_OK && k < n; k++) {
        memcpy(all[map[k]].out, mds[k].out, mds[k].out_len);
        *all[map[k]].ok = true;
    }
    return rc;
}

pt_code pt_authenticode_hash(const uint8_t *data, size_t len,
                             const pt_pe_info *pe, const char *md_name,
                             uint8_t out[64], size_t *out_len)
{
    const EVP_MD *md = md_name ? EVP_get_digestbyname(md_name) : NULL;
    *out_len = 0;
    if (md == NULL || EVP_MD_get_size(md) > 64)
        return PT_EUSAGE;
    pt_src src = pt_src_memory(data, len);
    image_layout lay;
    if (!layout_get(&src, pe, &lay))
        return PT_EFORMAT;
    unsigned n = 0;
    if (!layout_digest(&src, &lay, md, out, &n))
        return PT_ENOMEM;
    *out_len = n;
    return PT_OK;
}

pt_code pt_file_hashes_compute(const uint8_t *data, size_t len,
                               const pt_pe_info *pe, pt_file_hashes *out)
{
    memset(out, 0, sizeof *out);
    pt_src src = pt_src_memory(data, len);
    pt_digests d = {.want_md5 = true, .want_sha1 = true, .want_sha256 = true,
                    .want_pesha1 = true, .want_pesha256 = true};
    if (pt_digests_compute(&src, pe, &d, NULL) != PT_OK)
        return PT_ENOMEM;
    pt_digests_hex(&d, out);
    return PT_OK;
}

void pt_digests_hex(const pt_digests *d, pt_file_hashes *out)
{
    memset(out, 0, sizeof *out);
    if (d->md5_ok)
        pt_hex_into(d->md5, 16, out->md5);
    if (d->sha1_ok)
        pt_hex_into(d->sha1, 20, out->sha1);
    if (d->sha256_ok)
        pt_hex_into(d->sha256, 32, out->sha256);
    if (d->pesha1_ok)
        pt_hex_into(d->pesha1, 20, out->pesha1);
    if (d->pesha256_ok)
        pt_hex_into(d->pesha256, 32, out->pesha256);
}

/* ---- SignedData content ---- */

bool pt_sig_content(PKCS7 *p7, const uint8_t **signed_bytes, size_t *signed_len,
                    const uint8_t **der, size_t *der_len)
{
    if (p7 == NULL || !PKCS7_type_is_signed(p7) || p7->d.sign == NULL ||
        p7->d.sign->contents == NULL)
        return false;
    PKCS7 *c = p7->d.sign->contents;
    const ASN1_STRING *s = NULL;
    bool octets = false;
    if (OBJ_obj2nid(c->type) == NID_pkcs7_data) {
        s = c->d.data;
        octets = true;
    } else if (c->d.other != NULL && c->d.other->type == V_ASN1_SEQUENCE) {
        s = c->d.other->value.sequence;
    } else if (c->d.other != NULL && c->d.other->type == V_ASN1_OCTET_STRING) {
        s = c->d.other->value.octet_string;
        octets = true;
    }
    if (s == NULL || s->data == NULL || s->length <= 0)
        return false;
    *der = s->data;
    *der_len = (size_t)s->length;
    if (octets) {
        *signed_bytes = *der;
        *signed_len = *der_len;
        return true;
    }
    /* PKCS#7 signs the content of the SEQUENCE, without tag and length. */
    const uint8_t *p = *der;
    pt_der el;
    if (!pt_der_next(&p, *der + *der_len, &el))
        return false;
    *signed_bytes = el.val;
    *signed_len = el.len;
    return true;
}

/* ---- certificate facts ---- */

static const char *name_dn(pt_arena *arena, const X509_NAME *name)
{
    BIO *b = BIO_new(BIO_s_mem());
    const char *out = NULL;
    if (b == NULL)
        return NULL;
    if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *p = NULL;
        long n = BIO_get_mem_data(b, &p);
        if (n >= 0 && p != NULL)
            out = pt_arena_strndup(arena, p, (size_t)n);
    }
    BIO_free(b);
    return out;
}

/* The CN of a name as UTF-8 (else its O, else the whole DN). */
static const char *name_short(pt_arena *arena, const X509_NAME *name)
{
    static const int nids[] = {NID_commonName, NID_organizationName};
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof nids / sizeof nids[0]; i++) {
        int idx = X509_NAME_get_index_by_NID(name, nids[i], -1);
        if (idx < 0)
            continue;
        const ASN1_STRING *d = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
        unsigned char *u = NULL;
        int n = ASN1_STRING_to_UTF8(&u, d);
        if (n < 0)
            continue;
        const char *out = pt_arena_strndup(arena, (const char *)u, (size_t)n);
        OPENSSL_free(u);
        return out;
    }
    return name_dn(arena, name);
}

static const char *time_text(pt_arena *arena, const ASN1_TIME *t)
{
    struct tm tm;
    char buf[32];
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1 ||
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    return pt_arena_strdup(arena, buf);
}

/* The first value of an unauthenticated attribute given by OID text. */
static ASN1_TYPE *unauth_attr(PKCS7_SIGNER_INFO *si, const char *oid)
{
    ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
    int idx = o ? X509at_get_attr_by_OBJ(si->unauth_attr, o, -1) : -1;
    ASN1_OBJECT_free(o);
    if (idx < 0)
        return NULL;
    return X509_ATTRIBUTE_get0_type(X509at_get_attr(si->unauth_attr, idx), 0);
}

static const char *rfc3161_time(pt_arena *arena, PKCS7_SIGNER_INFO *si)
{
    ASN1_TYPE *t = unauth_attr(si, OID_RFC3161_TOKEN);
    if (t == NULL || t->type != V_ASN1_SEQUENCE)
        return NULL;
    /* CMS, not PKCS#7: Microsoft's tokens carry SignerInfos that PKCS#7
     * structures cannot hold. */
    const unsigned char *p = t->value.sequence->data;
    CMS_ContentInfo *tok = d2i_CMS_ContentInfo(NULL, &p, t->value.sequence->length);
    ASN1_OCTET_STRING **content = tok ? CMS_get0_content(tok) : NULL;
    TS_TST_INFO *ti = NULL;
    if (content != NULL && *content != NULL &&
        OBJ_obj2nid(CMS_get0_eContentType(tok)) == NID_id_smime_ct_TSTInfo) {
        const unsigned char *q = (*content)->data;
        ti = d2i_TS_TST_INFO(NULL, &q, (*content)->length);
    }
    const char *out = ti ? time_text(arena, TS_TST_INFO_get_time(ti)) : NULL;
    TS_TST_INFO_free(ti);
    CMS_ContentInfo_free(tok);
    return out;
}

static const char *attr_time(pt_arena *arena, ASN1_TYPE *t)
{
    if (t == NULL || (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME))
        return NULL;
    return time_text(arena, t->value.utctime);
}

static const char *countersig_time(pt_arena *arena, PKCS7_SIGNER_INFO *si)
{
    ASN1_TYPE *t = PKCS7_get_attribute(si, NID_pkcs9_countersignature);
    if (t == NULL || t->type != V_ASN1_SEQUENCE)
        return NULL;
    const unsigned char *p = t->value.sequence->data;
    PKCS7_SIGNER_INFO *cs = d2i_PKCS7_SIGNER_INFO(NULL, &p, t->value.sequence->length);
    const char *out =
        cs ? attr_time(arena, PKCS7_get_signed_attribute(cs, NID_pkcs9_signingTime)) : NULL;
    PKCS7_SIGNER_INFO_free(cs);
    return out;
}

/* A timestamp (a third party's word) first, then the signer's own claim. */
static void signing_time(pt_arena *arena, PKCS7_SIGNER_INFO *si, pt_signature *sig)
{
    if ((sig->signing_time = rfc3161_time(arena, si)) != NULL)
        sig->signing_time_source = "rfc3161";
    else if ((sig->signing_time = countersig_time(arena, si)) != NULL)
        sig->signing_time_source = "countersignature";
    else if ((sig->signing_time = attr_time(
                  arena, PKCS7_get_signed_attribute(si, NID_pkcs9_signingTime))) != NULL)
        sig->signing_time_source = "signingTime";
}

/* Checks the messageDigest attribute against the content, then the
 * signature over the authenticated attributes; NULL when both hold. */
static const char *verify_signer(PKCS7 *p7, PKCS7_SIGNER_INFO *si, X509 *cert)
{
    const uint8_t *sb, *der;
    size_t sl, dl;
    if (!pt_sig_content(p7, &sb, &sl, &der, &dl))
        return "SignedData has no content";
    const EVP_MD *md = EVP_get_digestbyobj(si->digest_alg->algorithm);
    uint8_t h[EVP_MAX_MD_SIZE];
    unsigned hl = 0;
    if (md == NULL || EVP_Digest(sb, sl, h, &hl, md, NULL) != 1)
        return "unknown signer digest algorithm";
    if (cert == NULL)
        return "signer certificate missing";
    const uint8_t *tbs = sb;
    size_t tbs_len = sl;
    unsigned char *abuf = NULL;
    if (sk_X509_ATTRIBUTE_num(si->auth_attr) > 0) {
        ASN1_OCTET_STRING *m = PKCS7_digest_from_attributes(si->auth_attr);
        if (m == NULL || (unsigned)m->length != hl || memcmp(m->data, h, hl) != 0)
            return "content digest differs from the messageDigest attribute";
        int n = ASN1_item_i2d((ASN1_VALUE *)si->auth_attr, &abuf,
                              ASN1_ITEM_rptr(PKCS7_ATTR_VERIFY));
        if (n <= 0)
            return "authenticated attributes cannot be encoded";
        tbs = abuf;
        tbs_len = (size_t)n;
    }
    EVP_PKEY *key = X509_get0_pubkey(cert);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = key != NULL && ctx != NULL && si->enc_digest != NULL &&
              EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1 &&
              EVP_DigestVerify(ctx, si->enc_digest->data, (size_t)si->enc_digest->length,
                               tbs, tbs_len) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(abuf);
    return ok ? NULL : "signature does not verify with the signer certificate";
}

static X509 *signer_cert(PKCS7 *p7, PKCS7_SIGNER_INFO *si)
{
    STACK_OF(X509) *certs = p7->d.sign->cert;
    if (certs == NULL || sk_X509_num(certs) > (int)PT_MAX_SIGNATURE_CERTS ||
        si->issuer_and_serial == NULL)
        return NULL;
    return X509_find_by_issuer_and_serial(certs, si->issuer_and_serial->issuer,
                                          si->issuer_and_serial->serial);
}

static pt_code describe_cert(pt_arena *arena, X509 *cert, PKCS7_SIGNER_INFO *si,
                             pt_signature *sig)
{
    const ASN1_INTEGER *serial = cert ? X509_get0_serialNumber(cert)
                                      : si->issuer_and_serial ? si->issuer_and_serial->serial
                                                              : NULL;
    const X509_NAME *issuer = cert ? X509_get_issuer_name(cert)
                                   : si->issuer_and_serial ? si->issuer_and_serial->issuer
                                                           : NULL;
    sig->issuer = name_short(arena, issuer);
    if (serial != NULL && serial->length > 0)
        sig->serial = pt_sig_hex(arena, serial->data, (size_t)serial->length);
    if (cert != NULL) {
        sig->subject = name_short(arena, X509_get_subject_name(cert));
        sig->subject_dn = name_dn(arena, X509_get_subject_name(cert));
        uint8_t md[EVP_MAX_MD_SIZE];
        unsigned n = 0;
        if (X509_digest(cert, EVP_sha1(), md, &n) == 1)
            sig->thumbprint = pt_sig_hex(arena, md, n);
    }
    return PT_OK;
}

pt_code pt_sig_describe(pt_arena *arena, PKCS7 *p7, pt_signature *sig)
{
    STACK_OF(PKCS7_SIGNER_INFO) *sis = PKCS7_get_signer_info(p7);
    if (sis == NULL || sk_PKCS7_SIGNER_INFO_num(sis) < 1) {
        sig->problem = "SignedData has no SignerInfo";
        return PT_OK;
    }
    PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_value(sis, 0);
    X509 *cert = signer_cert(p7, si);
    describe_cert(arena, cert, si, sig);
    signing_time(arena, si, sig);
    sig->trust = pt_trust_name(pt_trust_check(arena, cert, p7->d.sign->cert,
                                              sig->signing_time, &sig->trust_root));
    const char *why = verify_signer(p7, si, cert);
    sig->signature_ok = why == NULL;
    if (why != NULL && sig->problem == NULL)
        sig->problem = why;
    ERR_clear_error();
    return PT_OK;
}

/* ---- the certificate table ---- */

typedef struct sig_ctx {
    pt_arena *arena;
    pt_src *src;
    const pt_digests *pre;       /* image digests computed beforehand, or NULL */
    const uint8_t *table;        /* the certificate table, in memory */
    uint64_t table_off;
    size_t table_len;
    image_layout layout;
    bool layout_ok;
    const EVP_MD *cached_md;     /* the image digest last computed */
    uint8_t cached[EVP_MAX_MD_SIZE];
    unsigned cached_len;
    pt_signature *sigs;
    size_t count, cap;
    bool limit_hit;
    bool nomem;
} sig_ctx;

/* SpcIndirectDataContent ::= SEQUENCE { data SEQUENCE, messageDigest
 * SEQUENCE { SEQUENCE { algorithm OID, parameters ANY OPTIONAL }, digest
 * OCTET STRING } }.  Also used for catalog members. */
bool pt_sig_spc_digest(const uint8_t *der, size_t n, const EVP_MD **md,
                       const uint8_t **digest, size_t *digest_len)
{
    const uint8_t *p = der, *end = der + n;
    pt_der seq, data, mdi, alg, dig, oid;
    if (!pt_der_next(&p, end, &seq) || seq.tag != 0x30)
        return false;
    p = seq.val;
    end = seq.val + seq.len;
    if (!pt_der_next(&p, end, &data) || data.tag != 0x30 ||
        !pt_der_next(&p, end, &mdi) || mdi.tag != 0x30)
        return false;
    p = mdi.val;
    end = mdi.val + mdi.len;
    if (!pt_der_next(&p, end, &alg) || alg.tag != 0x30 ||
        !pt_der_next(&p, end, &dig) || dig.tag != 0x04)
        return false;
    p = alg.val;
    if (!pt_der_next(&p, alg.val + alg.len, &oid) || oid.tag != 0x06)
        return false;
    const unsigned char *o = oid.tlv;
    ASN1_OBJECT *obj = d2i_ASN1_OBJECT(NULL, &o, (long)(oid.val + oid.len - oid.tlv));
    *md = obj ? EVP_get_digestbyobj(obj) : NULL;
    ASN1_OBJECT_free(obj);
    ERR_clear_error();
    *digest = dig.val;
    *digest_len = dig.len;
    return *md != NULL;
}

static const uint8_t *image_digest_for(sig_ctx *c, const EVP_MD *md, unsigned *n)
{
    int type = EVP_MD_get_type(md);
    if (c->pre && c->pre->pesha256_ok && type == NID_sha256) {
        *n = 32;
        return c->pre->pesha256;
    }
    if (c->pre && c->pre->pesha1_ok && type == NID_sha1) {
        *n = 20;
        return c->pre->pesha1;
    }
    if (c->cached_md != md) {
        c->cached_md = NULL;
        if (!layout_digest(c->src, &c->layout, md, c->cached, &c->cached_len))
            return NULL;
        c->cached_md = md;
    }
    *n = c->cached_len;
    return c->cached;
}

static bool content_is_spc(PKCS7 *p7)
{
    char oid[64];
    if (p7->d.sign->contents == NULL || p7->d.sign->contents->type == NULL)
        return false;
    return OBJ_obj2txt(oid, sizeof oid, p7->d.sign->contents->type, 1) > 0 &&
           strcmp(oid, OID_SPC_INDIRECT_DATA) == 0;
}

/* The image digest the signature carries, checked against the file. */
static void check_image_digest(sig_ctx *c, PKCS7 *p7, pt_signature *sig)
{
    const uint8_t *sb, *der, *dig;
    size_t sl, dl, dig_len;
    const EVP_MD *md = NULL;
    if (!content_is_spc(p7) || !pt_sig_content(p7, &sb, &sl, &der, &dl) ||
        !pt_sig_spc_digest(der, dl, &md, &dig, &dig_len)) {
        sig->problem = pt_arena_printf(c->arena,
                                       "no Authenticode digest in the PKCS#7 at offset 0x%x",
                                       (unsigned)sig->offset);
        return;
    }
    sig->digest_algorithm = OBJ_nid2ln(EVP_MD_get_type(md));
    sig->image_digest = pt_sig_hex(c->arena, dig, dig_len);
    if (!c->layout_ok) {
        sig->problem = "image hash undefined: the headers or the certificate table are broken";
        return;
    }
    unsigned n = 0;
    const uint8_t *h = image_digest_for(c, md, &n);
    sig->digest_ok = h != NULL && n == dig_len && memcmp(h, dig, n) == 0;
    if (!sig->digest_ok)
        sig->problem = "digest mismatch";
}

static pt_code read_signed_data(sig_ctx *c, const uint8_t *der, size_t n,
                                unsigned entry, uint32_t offset, unsigned depth);

/* Signatures nested in unauthenticated attribute 1.3.6.1.4.1.311.2.4.1. */
static pt_code read_nested(sig_ctx *c, PKCS7 *p7, unsigned entry, uint32_t offset,
                           unsigned depth)
{
    STACK_OF(PKCS7_SIGNER_INFO) *sis = PKCS7_get_signer_info(p7);
    if (sis == NULL || sk_PKCS7_SIGNER_INFO_num(sis) < 1)
        return PT_OK;
    PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_value(sis, 0);
    ASN1_OBJECT *o = OBJ_txt2obj(OID_NESTED_SIGNATURE, 1);
    pt_code rc = PT_OK;
    for (int idx = -1; o != NULL && rc == PT_OK &&
                       (idx = X509at_get_attr_by_OBJ(si->unauth_attr, o, idx)) >= 0;) {
        X509_ATTRIBUTE *at = X509at_get_attr(si->unauth_attr, idx);
        int values = X509_ATTRIBUTE_count(at);
        for (int i = 0; i < values && rc == PT_OK; i++) {
            ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(at, i);
            if (t != NULL && t->type == V_ASN1_SEQUENCE)
                rc = read_signed_data(c, t->value.sequence->data,
                                      (size_t)t->value.sequence->length, entry, offset,
                                      depth + 1);
        }
    }
    ASN1_OBJECT_free(o);
    return rc;
}

static pt_code read_signed_data(sig_ctx *c, const uint8_t *der, size_t n,
                                unsigned entry, uint32_t offset, unsigned depth)
{
    if (c->count >= PT_MAX_SIGNATURES || depth > PT_MAX_SIGNATURE_DEPTH) {
        c->limit_hit = true;
        return PT_OK;
    }
    pt_signature sig = {.entry = entry, .offset = offset, .depth = depth};
    const unsigned char *p = der;
    PKCS7 *p7 = n <= (size_t)INT32_MAX ? d2i_PKCS7(NULL, &p, (long)n) : NULL;
    ERR_clear_error();
    if (p7 == NULL || !PKCS7_type_is_signed(p7) || p7->d.sign == NULL) {
        sig.problem = pt_arena_printf(c->arena, "malformed PKCS#7 at offset 0x%x",
                                      (unsigned)offset + WIN_CERT_HEADER_LEN);
    } else {
        check_image_digest(c, p7, &sig);
        pt_sig_describe(c->arena, p7, &sig);
    }
    pt_code rc = PT_OK;
    if (!PT_PUSH(c->sigs, c->count, c->cap, sig))
        rc = PT_ENOMEM;
    else if (p7 != NULL && p7->d.sign != NULL && PKCS7_type_is_signed(p7))
        rc = read_nested(c, p7, entry, offset, depth);
    PKCS7_free(p7);
    return rc;
}

/* `n` bytes of the certificate table at file offset `off`, or NULL. */
static const uint8_t *table_at(const sig_ctx *c, uint64_t off, uint64_t n)
{
    if (off < c->table_off || off - c->table_off > c->table_len ||
        n > c->table_len - (off - c->table_off))
        return NULL;
    return c->table + (off - c->table_off);
}

/* Walks the 8-byte aligned WIN_CERTIFICATE entries of [off, off+size);
 * returns a reason when the table itself is broken, else NULL. */
static const char *walk_table(sig_ctx *c, uint32_t off, uint32_t size, unsigned *entries,
                              pt_code *rc)
{
    uint64_t pos = off, end = (uint64_t)off + size;
    *entries = 0;
    while (*rc == PT_OK && end - pos >= WIN_CERT_HEADER_LEN) {
        const uint8_t *h = table_at(c, pos, WIN_CERT_HEADER_LEN);
        if (h == NULL)
            return "certificate table runs past the end of the file";
        uint32_t dw_len = le32(h);
        if (le32(h) == 0 && pos != off)
            break; /* zero padding after the last entry */
        if (dw_len < WIN_CERT_HEADER_LEN || dw_len > end - pos)
            return pt_arena_printf(c->arena,
                                   "WIN_CERTIFICATE at offset 0x%llx has a bad length %u",
                                   (unsigned long long)pos, (unsigned)dw_len);
        if (*entries == PT_MAX_CERT_ENTRIES) {
            c->limit_hit = true;
            break;
        }
        (*entries)++;
        if (le16(h + 6) == WIN_CERT_TYPE_PKCS_SIGNED_DATA)
            *rc = read_signed_data(c, h + WIN_CERT_HEADER_LEN, dw_len - WIN_CERT_HEADER_LEN,
                                   *entries, (uint32_t)pos, 0);
        /* Entries start 8-byte aligned; fbx64.efi.signed's dwLength is
         * 1471 in a 1472-byte table, so round up before moving on. */
        pos += ((uint64_t)dw_len + 7u) & ~(uint64_t)7u;
    }
    return NULL;
}

/* The status and reason from the signatures read, and the first
 * signature's facts in the top-level fields. */
static void summarize(pt_arena *arena, pt_signer *out, const char *table_problem)
{
    out->digest_ok = out->signature_count > 0;
    for (size_t i = 0; i < out->signature_count; i++) {
        const pt_signature *s = &out->signatures[i];
        out->digest_ok = out->digest_ok && s->digest_ok;
        if (s->problem != NULL && out->reason == NULL)
            out->reason = i == 0 ? s->problem
                          : s->depth ? pt_arena_printf(arena, "nested signature in entry %u: %s",
                                                       s->entry, s->problem)
                                     : pt_arena_printf(arena, "entry %u: %s", s->entry, s->problem);
    }
    if (out->reason == NULL)
        out->reason = table_problem;
    if (out->reason == NULL && out->signature_count == 0)
        out->reason = "no PKCS#7 signature in the certificate table";
    out->status = out->reason ? PT_SIG_INVALID : PT_SIG_SIGNED;
    if (out->signature_count > 0) {
        const pt_signature *s = &out->signatures[0];
        out->subject = s->subject;
        out->issuer = s->issuer;
        out->signing_time = s->signing_time;
        out->serial = s->serial;
        out->thumbprint = s->thumbprint;
        out->digest_algorithm = s->digest_algorithm;
        out->signing_time_source = s->signing_time_source;
        out->trust = s->trust;
        out->trust_root = s->trust_root;
        out->chain_verified = s->trust != NULL && strcmp(s->trust, "trusted") == 0;
    }
}

/* Reads the certificate table into memory: a pointer into a memory
 * source, else a pt_malloc'd copy (*owned).  A reason when it can't be. */
static const char *table_load(sig_ctx *c, uint32_t off, uint32_t size, uint8_t **owned)
{
    *owned = NULL;
    c->table_off = off;
    c->table_len = size;
    if (c->src->data != NULL) {
        c->table = c->src->data + off;
        return NULL;
    }
    if (size > PT_MAX_CERT_TABLE_BYTES)
        return pt_arena_printf(c->arena,
                               "certificate table of %u bytes is larger than %u "
                               "(PT_MAX_CERT_TABLE_BYTES); not read",
                               (unsigned)size, (unsigned)PT_MAX_CERT_TABLE_BYTES);
    *owned = pt_malloc(size ? size : 1);
    if (*owned == NULL)
        return "out of memory";
    if (!pt_src_copy(c->src, off, *owned, size))
        return "the certificate table can't be read";
    c->table = *owned;
    return NULL;
}

pt_code pt_authenticode_read_src(pt_arena *arena, pt_src *src, const pt_pe_info *pe,
                                 const pt_digests *pre, pt_signer *out)
{
    memset(out, 0, sizeof *out);
    out->status = PT_SIG_UNSIGNED;
    uint32_t off, size;
    if (pe == NULL || (pe->flags & PT_PE_NOT_PE)) {
        out->reason = "not a PE image";
        return PT_OK;
    }
    if (!cert_dir(src, pe, &off, &size) || size == 0)
        return PT_OK;
    uint64_t len = src->len;
    if (off >= len) {
        out->reason = pt_arena_printf(arena,
                                      "no usable signature: the security directory points "
                                      "outside the file (offset 0x%x, size 0x%x)",
                                      (unsigned)off, (unsigned)size);
        return PT_OK;
    }
    sig_ctx c = {.arena = arena, .src = src, .pre = pre};
    c.layout_ok = layout_get(src, pe, &c.layout);
    pt_code rc = PT_OK;
    const char *problem = NULL;
    uint8_t *owned = NULL;
    if (size > len - off)
        problem = "certificate table runs past the end of the file (truncated?)";
    else if (off < pe->security_dir_offset + 8u)
        problem = "certificate table overlaps the headers";
    else if ((problem = table_load(&c, off, size, &owned)) == NULL)
        problem = walk_table(&c, off, size, &out->entry_count, &rc);
    pt_free(owned);
    if (c.count > 0 && !pt_arena_adopt(arena, c.sigs))
        rc = PT_ENOMEM;
    else if (c.count == 0)
        pt_free(c.sigs);
    if (rc != PT_OK) {
        out->status = PT_SIG_INVALID;
        out->reason = "out of memory";
        return rc;
    }
    out->signatures = c.count ? c.sigs : NULL;
    out->signature_count = c.count;
    if (problem == NULL && c.limit_hit)
        problem = "a signature limit was hit (see pooltriage/limits.h); later signatures not read";
    summarize(arena, out, problem);
    return PT_OK;
}

pt_code pt_authenticode_read(pt_arena *arena, const uint8_t *data, size_t len,
                             const pt_pe_info *pe, pt_signer *out)
{
    pt_src src = pt_src_memory(data, len);
    return pt_authenticode_read_src(arena, &src, pe, NULL, out);
}

bool pt_authenticode_wants_sha1(pt_src *src, const pt_pe_info *pe)
{
    /* DER of the OID 1.3.14.3.2.26 (sha1): signatures that use SHA-256
     * throughout do not name it */
    static const uint8_t oid[] = {0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a};
    uint32_t off, size;
    if (pe == NULL || (pe->flags & PT_PE_NOT_PE) || !cert_dir(src, pe, &off, &size) ||
        size < sizeof oid || size > PT_MAX_CERT_TABLE_BYTES || !pt_src_fits(src, off, size))
        return false;
    bool found = false;
    uint8_t buf[4096];
    for (uint64_t pos = off; !found && pos < (uint64_t)off + size;) {
        size_t n = (uint64_t)off + size - pos < sizeof buf ? (size_t)((uint64_t)off + size - pos)
                                                            : sizeof buf;
        if (!pt_src_copy(src, pos, buf, n))
            return false;
        for (size_t i = 0; !found && i + sizeof oid <= n; i++)
            found = buf[i] == 0x06 && memcmp(buf + i, oid, sizeof oid) == 0;
        /* step back so an OID across two blocks is still seen */
        pos += n > sizeof oid ? n - sizeof oid + 1 : n;
        if (n <= sizeof oid)
            break;
    }
    return found;
}
