/*
 * pt_sig.h - describe stage, signatures: what authenticode.c shares with
 * catalog.c (a bounded DER reader, hex, and the description of one PKCS#7
 * signer).  Not part of the public contract.
 */
#ifndef PT_SIG_H
#define PT_SIG_H

#include "pooltriage/pooltriage.h"

#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One DER element: tag byte, value bytes, and where the whole TLV starts. */
typedef struct pt_der {
    unsigned tag;
    const uint8_t *tlv;   /* first byte of the tag */
    const uint8_t *val;
    size_t len;           /* of the value */
} pt_der;

/* Reads the element at *p (never past end) and moves *p past it.  Only
 * single-byte tags and definite lengths (DER); false otherwise. */
bool pt_der_next(const uint8_t **p, const uint8_t *end, pt_der *out);

/* Lower-case hex of n bytes into the arena; NULL on out of memory. */
char *pt_sig_hex(pt_arena *arena, const uint8_t *bytes, size_t n);

/* The bytes a SignedData's signer hashed: its content (a SEQUENCE without
 * its tag and length, as PKCS#7 and Authenticode do, or the octets of a
 * CMS OCTET STRING) and the content DER itself (for parsing).  False when
 * the SignedData has no content. */
bool pt_sig_content(PKCS7 *p7, const uint8_t **signed_bytes, size_t *signed_len,
                    const uint8_t **der, size_t *der_len);

/* Describes the first signer of a SignedData into *sig: certificate names,
 * serial, thumbprint, signing time and whether the signer's signature over
 * the content verifies (sig->signature_ok; sig->problem says why not).
 * Leaves the digest fields alone.  PT_ENOMEM only. */
pt_code pt_sig_describe(pt_arena *arena, PKCS7 *p7, pt_signature *sig);

/* Reads the DigestInfo of a SpcIndirectDataContent (DER at der, n bytes):
 * its digest algorithm and digest.  False when it is not one or the
 * algorithm is unknown to OpenSSL. */
bool pt_sig_spc_digest(const uint8_t *der, size_t n, const EVP_MD **md,
                       const uint8_t **digest, size_t *digest_len);

#endif
