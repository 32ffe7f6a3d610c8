/*
 * minisign.c - Ed25519 signatures in the minisign format, for the update
 * stage: parse public keys, secret keys (unencrypted) and .minisig files,
 * verify (legacy "Ed" and prehashed "ED" BLAKE2b-512) and sign, with
 * OpenSSL EVP only.  Nothing here trusts the data it is handed.
 */
#include "pooltriage/pooltriage.h"
#include "pt_fetch.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

/* Decodes one base64 line of exactly `want` bytes; false otherwise. */
static bool b64_exact(const char *s, size_t slen, uint8_t *out, size_t want)
{
    uint8_t tmp[256];
    if (slen == 0 || slen % 4 != 0 || slen / 4 * 3 > sizeof tmp)
        return false;
    int n = EVP_DecodeBlock(tmp, (const unsigned char *)s, (int)slen);
    if (n < 0)
        return false;
    size_t pad = (s[slen - 1] == '=') + (slen > 1 && s[slen - 2] == '=');
    if ((size_t)n - pad != want)
        return false;
    memcpy(out, tmp, want);
    return true;
}

/* The next line of (p, end): sets *s, *len (no "\r\n") and advances. */
static bool next_line(const char **p, const char *end, const char **s, size_t *len)
{
    if (*p >= end)
        return false;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    const char *e = nl ? nl : end;
    *s = *p;
    *len = (size_t)(e - *p);
    if (*len && (*s)[*len - 1] == '\r')
        (*len)--;
    *p = nl ? nl + 1 : end;
    return true;
}

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

void pt_minisign_key_id_hex(const uint8_t id[8], char out[17])
{
    static const char hex[] = "0123456789ABCDEF";
    for (int i = 0; i < 8; i++) { /* minisign prints the id as a little-endian u64 */
        out[2 * i] = hex[id[7 - i] >> 4];
        out[2 * i + 1] = hex[id[7 - i] & 15];
    }
    out[16] = '\0';
}

pt_code pt_minisign_key_parse(const char *text, const char *where, pt_minisign_key *out,
                              pt_error *err)
{
    const char *p = text, *end = text + strlen(text), *s;
    size_t len;
    while (next_line(&p, end, &s, &len)) {
        trim(&s, &len);
        if (len == 0 || (len >= 18 && strncmp(s, "untrusted comment:", 18) == 0))
            continue;
        uint8_t raw[42];
        if (!b64_exact(s, len, raw, sizeof raw) || raw[0] != 'E' || raw[1] != 'd')
            break;
        memcpy(out->id, raw + 2, 8);
        memcpy(out->pk, raw + 10, 32);
        return PT_OK;
    }
    return pt_error_set(err, PT_EFORMAT, where, "not a minisign public key: expected the "
                        "base64 line of a minisign.pub file (it starts with 'RW')");
}

pt_code pt_minisign_sig_parse(const char *text, size_t tlen, const char *where,
                              pt_minisign_sig *out, pt_error *err)
{
    memset(out, 0, sizeof *out);
    const char *p = text, *end = text + tlen, *l[4];
    size_t n[4];
    int got = 0;
    while (got < 4 && next_line(&p, end, &l[got], &n[got]))
        got++;
    uint8_t raw[74];
    static const char tc[] = "trusted comment: ";
    if (got < 4 || n[0] < 18 || strncmp(l[0], "untrusted comment:", 18) != 0)
        goto bad;
    trim(&l[1], &n[1]);
    trim(&l[3], &n[3]);
    if (!b64_exact(l[1], n[1], raw, sizeof raw) || raw[0] != 'E' ||
        (raw[1] != 'd' && raw[1] != 'D'))
        goto bad;
    if (n[2] < sizeof tc - 1 || strncmp(l[2], tc, sizeof tc - 1) != 0 ||
        n[2] - (sizeof tc - 1) >= sizeof out->trusted_comment)
        goto bad;
    if (!b64_exact(l[3], n[3], out->global_sig, 64))
        goto bad;
    out->prehashed = raw[1] == 'D';
    memcpy(out->key_id, raw + 2, 8);
    memcpy(out->sig, raw + 10, 64);
    memcpy(out->trusted_comment, l[2] + sizeof tc - 1, n[2] - (sizeof tc - 1));
    return PT_OK;
bad:
    return pt_error_set(err, PT_ENET, where, "not a minisign signature file; the feed "
                        "must publish BUNDLE.minisig made by 'minisign -S' or "
                        "'pooltriage kb sign'");
}

static bool ed25519_verify(const uint8_t pk[32], const uint8_t sig[64], const void *msg,
                           size_t len)
{
    EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pk, 32);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = key && ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
              EVP_DigestVerify(ctx, sig, 64, msg, len) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    return ok;
}

static const pt_minisign_key *find_key(const pt_minisign_sig *sig, const pt_minisign_key *keys,
                                       size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (memcmp(keys[i].id, sig->key_id, 8) == 0)
            return &keys[i];
    return NULL;
}

/* Checks the key id, the signature over `msg` and the global signature. */
static pt_code verify_msg(const pt_minisign_sig *sig, const pt_minisign_key *keys,
                          size_t count, const void *msg, size_t len,
                          const pt_minisign_key **used, pt_error *err)
{
    char hex[17];
    pt_minisign_key_id_hex(sig->key_id, hex);
    const pt_minisign_key *k = find_key(sig, keys, count);
    if (k == NULL)
        return pt_error_set(err, PT_ENET, "", "signed with key ID %s, which is not pinned; "
                            "add its public key to the config only if you trust it", hex);
    if (!ed25519_verify(k->pk, sig->sig, msg, len))
        return pt_error_set(err, PT_ENET, "", "signature does not match the bundle (key ID %s); "
                            "the KB was not changed: check the feed's origin", hex);
    size_t tl = strlen(sig->trusted_comment);
    uint8_t g[64 + PT_MINISIGN_COMMENT_MAX];
    memcpy(g, sig->sig, 64);
    memcpy(g + 64, sig->trusted_comment, tl);
    if (!ed25519_verify(k->pk, sig->global_sig, g, 64 + tl))
        return pt_error_set(err, PT_ENET, "", "signature of the trusted comment does not "
                            "match (key ID %s); the KB was not changed: check the feed's "
                            "origin", hex);
    if (used)
        *used = k;
    return PT_OK;
}

pt_code pt_minisign_verify_buf(const pt_minisign_sig *sig, const pt_minisign_key *keys,
                               size_t key_count, const void *data, size_t len,
                               const pt_minisign_key **used, pt_error *err)
{
    if (!sig->prehashed)
        return verify_msg(sig, keys, key_count, data, len, used, err);
    uint8_t md[64];
    unsigned mdlen = 0;
    if (EVP_Digest(data, len, md, &mdlen, EVP_blake2b512(), NULL) != 1 || mdlen != 64)
        return pt_error_set(err, PT_ENET, "", "BLAKE2b-512 is not available in this OpenSSL");
    return verify_msg(sig, keys, key_count, md, sizeof md, used, err);
}

/* BLAKE2b-512 of a file, streamed. */
static pt_code blake2b_file(const char *path, uint8_t md[64], pt_error *err)
{
    FILE *f = fopen(path, "rb");
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    pt_code rc = PT_OK;
    if (f == NULL || ctx == NULL || EVP_DigestInit_ex(ctx, EVP_blake2b512(), NULL) != 1) {
        rc = pt_error_set(err, PT_EIO, path, "cannot read the file to verify it");
        goto done;
    }
    uint8_t buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    unsigned mdlen = 0;
    if (ferror(f) || EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 64)
        rc = pt_error_set(err, PT_EIO, path, "cannot read the file to verify it");
done:
    EVP_MD_CTX_free(ctx);
    if (f)
        fclose(f);
    return rc;
}

pt_code pt_minisign_verify_file(const pt_minisign_sig *sig, const pt_minisign_key *keys,
                                size_t key_count, const char *path, uint64_t max_len,
                                const pt_minisign_key **used, pt_error *err)
{
    if (sig->prehashed) {
        uint8_t md[64];
        pt_code rc = blake2b_file(path, md, err);
        return rc != PT_OK ? rc : verify_msg(sig, keys, key_count, md, sizeof md, used, err);
    }
    pt_arena *arena = pt_arena_new();
    uint8_t *data;
    size_t len;
    pt_code rc = arena ? pt_file_read(arena, path, (size_t)max_len, &data, &len, err)
                       : pt_error_set(err, PT_ENOMEM, path, "out of memory");
    if (rc == PT_OK)
        rc = verify_msg(sig, keys, key_count, data, len, used, err);
    pt_arena_free(arena);
    return rc;
}

/* ---- signing ---- */

pt_code pt_minisign_secret_parse(const char *text, const char *where,
                                 pt_minisign_secret *out, pt_error *err)
{
    const char *p = text, *end = text + strlen(text), *s;
    size_t len;
    uint8_t raw[158];
    bool found = false;
    while (!found && next_line(&p, end, &s, &len)) {
        trim(&s, &len);
        if (len && !(len >= 18 && strncmp(s, "untrusted comment:", 18) == 0))
            found = b64_exact(s, len, raw, sizeof raw);
    }
    if (!found || raw[0] != 'E' || raw[1] != 'd')
        return pt_error_set(err, PT_EUSAGE, where, "not a minisign secret key file "
                            "(make one with 'minisign -G -W')");
    if (raw[2] != 0 || raw[3] != 0)
        return pt_error_set(err, PT_EUSAGE, where, "secret key is encrypted: sign with "
                            "'minisign -S' instead, or remove the password with 'minisign -C -W'");
    memcpy(out->id, raw + 54, 8);
    memcpy(out->seed, raw + 62, 32);
    memcpy(out->pk, raw + 94, 32);
    /* the unencrypted format has no checksum to trust: derive the public
     * key from the seed and compare instead */
    uint8_t derived[32];
    size_t dl = sizeof derived;
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, out->seed, 32);
    bool ok = key && EVP_PKEY_get_raw_public_key(key, derived, &dl) == 1 && dl == 32 &&
              memcmp(derived, out->pk, 32) == 0;
    EVP_PKEY_free(key);
    if (!ok)
        return pt_error_set(err, PT_EUSAGE, where, "secret key is damaged: its public half "
                            "does not match its seed");
    return PT_OK;
}

static bool ed25519_sign(const uint8_t seed[32], const void *msg, size_t len, uint8_t sig[64])
{
    EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t sl = 64;
    bool ok = key && ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
              EVP_DigestSign(ctx, sig, &sl, msg, len) == 1 && sl == 64;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    return ok;
}

pt_code pt_minisign_sign_file(const pt_minisign_secret *sk, const char *path,
                              const char *trusted_comment, const char *untrusted_comment,
                              pt_buf *out, pt_error *err)
{
    size_t tl = strlen(trusted_comment);
    if (tl >= PT_MINISIGN_COMMENT_MAX || strchr(trusted_comment, '\n') ||
        strchr(untrusted_comment, '\n'))
        return pt_error_set(err, PT_EUSAGE, "", "comments must be one line of at most %u bytes",
                            PT_MINISIGN_COMMENT_MAX - 1);
    uint8_t md[64];
    pt_code rc = blake2b_file(path, md, err);
    if (rc != PT_OK)
        return rc;
    uint8_t raw[74] = {'E', 'D'};
    memcpy(raw + 2, sk->id, 8);
    uint8_t g[64 + PT_MINISIGN_COMMENT_MAX], global[64];
    if (!ed25519_sign(sk->seed, md, sizeof md, raw + 10))
        return pt_error_set(err, PT_EIO, path, "Ed25519 signing failed in OpenSSL");
    memcpy(g, raw + 10, 64);
    memcpy(g + 64, trusted_comment, tl);
    if (!ed25519_sign(sk->seed, g, 64 + tl, global))
        return pt_error_set(err, PT_EIO, path, "Ed25519 signing failed in OpenSSL");
    char b1[4 * 74 / 3 + 8], b2[4 * 64 / 3 + 8];
    EVP_EncodeBlock((unsigned char *)b1, raw, sizeof raw);
    EVP_EncodeBlock((unsigned char *)b2, global, sizeof global);
    pt_buf_printf(out, "untrusted comment: %s\n%s\ntrusted comment: %s\n%s\n",
                  untrusted_comment, b1, trusted_comment, b2);
    return out->failed ? pt_error_set(err, PT_ENOMEM, "", "out of memory") : PT_OK;
}
