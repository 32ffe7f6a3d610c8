/*
 * describe_int.h - describe stage, private: a file's bytes as the parsers
 * see them (the whole file in memory, or a file read by offset through a
 * bounded window), and the digests computed in one streamed pass.
 */
#ifndef PT_DESCRIBE_INT_H
#define PT_DESCRIBE_INT_H

#include "pooltriage/pooltriage.h"
#include "pooltriage/platform.h"

#include <openssl/evp.h>

/* The bytes of one file.  A memory source hands out pointers into data; a
 * file source reads into `win` and hands out pointers into it, valid until
 * the next pt_src_at on the same source. */
typedef struct pt_src {
    const uint8_t *data;     /* the whole file, or NULL for a file source */
    const pt_rfile *file;
    uint64_t len;            /* the file's size */
    uint8_t *win;            /* file sources: PT_DESCRIBE_WINDOW bytes */
    uint64_t win_off;
    size_t win_len;
    bool failed;             /* a read failed: later reads see no bytes */
} pt_src;

/* A source over bytes in memory (data may be NULL when len is 0). */
pt_src pt_src_memory(const uint8_t *data, size_t len);
/* True when n bytes at off lie inside the file. */
bool pt_src_fits(const pt_src *s, uint64_t off, uint64_t n);
/* n bytes at off (n at most PT_DESCRIBE_WINDOW / 2), or NULL when they do
 * not all lie in the file or can't be read. */
const uint8_t *pt_src_at(pt_src *s, uint64_t off, uint64_t n);
/* Copies n bytes at off into buf (any n); false as pt_src_at. */
bool pt_src_copy(pt_src *s, uint64_t off, void *buf, size_t n);

/* pt_pe_parse over a source. */
pt_code pt_pe_parse_src(pt_arena *arena, pt_src *src, pt_pe_info *out);

/* The digests of one streamed pass.  Set the want_* flags, then call
 * pt_digests_compute; *_ok says which were computed.  The image (PE)
 * digests are those of pt_authenticode_hash. */
typedef struct pt_digests {
    bool want_md5, want_sha1, want_sha256, want_pesha1, want_pesha256;
    bool md5_ok, sha1_ok, sha256_ok, pesha1_ok, pesha256_ok;
    uint8_t md5[16], sha1[20], sha256[32], pesha1[20], pesha256[32];
} pt_digests;

/* Reads the file once, in PT_DESCRIBE_WINDOW-sized blocks (through s->win
 * for a file source), feeding every wanted digest.  The image digests are
 * skipped when the file has no defined image hash.  PT_ENOMEM, or PT_EIO
 * (message in err) when the file can't be read to its end. */
pt_code pt_digests_compute(pt_src *s, const pt_pe_info *pe, pt_digests *d, pt_error *err);

/* The computed digests as pt_file_hashes hex ("" where not computed). */
void pt_digests_hex(const pt_digests *d, pt_file_hashes *out);

/* pt_authenticode_read over a source: the certificate table is read into
 * memory (at most PT_MAX_CERT_TABLE_BYTES), the image digests are taken
 * from `pre` when it holds the one a signature needs (else streamed from
 * the source).  pre may be NULL. */
pt_code pt_authenticode_read_src(pt_arena *arena, pt_src *src, const pt_pe_info *pe,
                                 const pt_digests *pre, pt_signer *out);

/* True when the file's certificate table names SHA-1 (so its image digest
 * will be needed); a hint for what to stream, never a fact. */
bool pt_authenticode_wants_sha1(pt_src *src, const pt_pe_info *pe);

/* pt_catalog_resolve with the image digests already computed (either may
 * be NULL when not computable). */
pt_code pt_catalog_resolve_digests(pt_arena *arena, const pt_catalog_index *idx,
                                   const uint8_t pesha256[32], const uint8_t pesha1[20],
                                   pt_signer *signer);


#endif /* PT_DESCRIBE_INT_H */
