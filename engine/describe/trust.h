/*
 * trust.h - describe stage, signatures: whether a signer's certificate
 * chain is trusted at its signing time by the roots Windows accepts for
 * kernel-mode code (trust.c).  Not part of the public contract.
 */
#ifndef PT_TRUST_H
#define PT_TRUST_H

#include "pooltriage/pooltriage.h"

#include <openssl/x509.h>

typedef enum pt_trust {
    PT_TRUST_NOT_CHECKED = 0, /* no certificate, no trust store, or a chain error
                                 that says nothing about trust */
    PT_TRUST_TRUSTED,         /* the chain ends at a shipped root, every
                                 certificate valid at the signing time */
    PT_TRUST_UNTRUSTED_ROOT,  /* the chain ends at a root that is not shipped,
                                 or cannot be completed */
    PT_TRUST_EXPIRED          /* trusted root, but a certificate was not valid
                                 at the signing time */
} pt_trust;

/* "not-checked", "trusted", "untrusted-root", "expired". */
const char *pt_trust_name(pt_trust trust);

/* Checks the chain of `cert`, completed from `pool` (the SignedData's
 * certificates; may be NULL), at `signing_time` ("2022-09-20T04:54:19Z"; NULL
 * or unreadable: now) against the shipped roots, plus the PEM file named by
 * the environment variable POOLTRIAGE_TEST_EXTRA_ROOTS (tests only; read once
 * per process).  *root gets the name (CN, else OU, else O) of the
 * certificate the chain ends at, in `arena`, or NULL.  Revocation is not
 * checked (no CRL or OCSP offline).  cert NULL gives PT_TRUST_NOT_CHECKED. */
pt_trust pt_trust_check(pt_arena *arena, X509 *cert, STACK_OF(X509) *pool,
                        const char *signing_time, const char **root);

#endif /* PT_TRUST_H */
