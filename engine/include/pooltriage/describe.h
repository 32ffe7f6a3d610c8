/*
 * pooltriage/describe.h - describe: a file's PE facts, version resource, Authenticode, catalogs, hashes; the host's OS.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_DESCRIBE_H
#define POOLTRIAGE_DESCRIBE_H

#include "rank.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* describe: PE facts                                                  */
/* ------------------------------------------------------------------ */

/* Parse flags: what was wrong with a file.  Facts behind a flag are missing. */
enum {
    PT_PE_NOT_PE = 1u << 0,          /* no MZ/PE signature */
    PT_PE_TRUNCATED = 1u << 1,       /* a header or table runs past the end */
    PT_PE_BAD_SECTIONS = 1u << 2,    /* section table out of bounds or odd */
    PT_PE_BAD_IMPORTS = 1u << 3,     /* import directory unreadable */
    PT_PE_BAD_RESOURCES = 1u << 4,   /* resource tree out of bounds, loops, too deep */
    PT_PE_BAD_VERSION = 1u << 5,     /* VS_VERSIONINFO malformed */
    PT_PE_BAD_SECURITY = 1u << 6,    /* security directory out of bounds */
    PT_PE_LIMIT = 1u << 7            /* a limit in pt_limits.h was hit */
};

/* Imports of the pool allocator (bit set when imported from ntoskrnl.exe). */
enum {
    PT_IMP_EXALLOCATEPOOLWITHTAG = 1u << 0,
    PT_IMP_EXALLOCATEPOOLWITHQUOTATAG = 1u << 1,
    PT_IMP_EXALLOCATEPOOL2 = 1u << 2,
    PT_IMP_EXALLOCATEPOOL3 = 1u << 3,
    PT_IMP_EXFREEPOOLWITHTAG = 1u << 4,
    PT_IMP_EXALLOCATEPOOL = 1u << 5,
    PT_IMP_EXFREEPOOL = 1u << 6
};
/* Imports that take a tag argument. */
#define PT_IMP_TAGGED                                                        \
    (PT_IMP_EXALLOCATEPOOLWITHTAG | PT_IMP_EXALLOCATEPOOLWITHQUOTATAG |      \
     PT_IMP_EXALLOCATEPOOL2 | PT_IMP_EXALLOCATEPOOL3 | PT_IMP_EXFREEPOOLWITHTAG)

typedef struct pt_section {
    char name[9];
    uint32_t virtual_address;
    uint32_t virtual_size;
    uint32_t raw_offset;
    uint32_t raw_size;
    uint32_t characteristics;
} pt_section;

#define PT_SCN_MEM_EXECUTE 0x20000000u
#define PT_SCN_CNT_CODE 0x00000020u

/* One StringFileInfo table.  Absent strings are NULL. */
typedef struct pt_string_table {
    char key[9]; /* language + code page as in the file, e.g. "040904B0" */
    const char *company_name;
    const char *file_description;
    const char *file_version;
    const char *internal_name;
    const char *legal_copyright;
    const char *original_filename;
    const char *product_name;
    const char *product_version;
} pt_string_table;

typedef struct pt_pe_info {
    unsigned flags;              /* PT_PE_* parse flags */
    uint16_t machine;            /* IMAGE_FILE_MACHINE_* */
    uint16_t subsystem;          /* IMAGE_SUBSYSTEM_* */
    uint16_t characteristics;
    bool pe32plus;
    uint32_t timestamp;
    uint32_t checksum;
    uint32_t checksum_offset;    /* file offset of OptionalHeader.CheckSum, 0 if unknown */
    uint32_t image_base_low;
    pt_section *sections;
    size_t section_count;
    unsigned pool_imports;       /* PT_IMP_* bits */
    /* RVA of the import address table slot of each pool import from
     * ntoskrnl.exe, indexed by the bit number of its PT_IMP_* flag (0 for
     * ExAllocatePoolWithTag ... 6 for ExFreePool); 0 when not imported.
     * attribute.c matches `call [slot]` after a tag immediate. */
    uint32_t pool_iat_rva[7];
    uint32_t security_offset;    /* data directory 4: a file offset */
    uint32_t security_size;
    uint32_t security_dir_offset;/* file offset of the data directory entry 4, 0 if none */
    bool has_version;            /* a VS_FIXEDFILEINFO was read */
    uint16_t file_version[4];
    uint16_t product_version[4];
    pt_string_table *string_tables;
    size_t string_table_count;
} pt_pe_info;

/* Parses the PE facts of a file held in memory.  Malformed input never
 * fails: it leaves facts missing and sets flags.  Returns PT_ENOMEM only. */
pt_code pt_pe_parse(pt_arena *arena, const uint8_t *data, size_t len,
                    pt_pe_info *out);

/* Parses the version resource (VS_VERSIONINFO) blob `data` into `out`'s
 * version fields and string tables; sets PT_PE_BAD_VERSION on bad input.
 * Each call appends its string tables; the first fixed version read stays.
 * Returns PT_ENOMEM only. */
pt_code pt_pe_version_parse(pt_arena *arena, const uint8_t *data, size_t len,
                            pt_pe_info *out);

/* "x64", "x86", "ARM64", "ARM", or "unknown" (static strings). */
const char *pt_pe_machine_name(uint16_t machine);
/* The section holding file offset `off`, or NULL. */
const pt_section *pt_pe_section_at(const pt_pe_info *pe, uint64_t off);
/* A version string: the first non-NULL value among the 0409 (US English)
 * tables, else among all tables in file order; NULL when none has it. */
const char *pt_pe_company(const pt_pe_info *pe);
const char *pt_pe_description(const pt_pe_info *pe);
const char *pt_pe_file_version(const pt_pe_info *pe);
const char *pt_pe_product_name(const pt_pe_info *pe);
const char *pt_pe_product_version(const pt_pe_info *pe);


/* ---- describe: signatures (authenticode.c, catalog.c) ---- */

/* One SignedData signature: an entry of the certificate table, a
 * signature nested in one (unauthenticated attribute 1.3.6.1.4.1.311.2.4.1),
 * or a catalog's.  Strings are UTF-8 in the arena; NULL when unknown. */
typedef struct pt_signature {
    const char *subject;          /* signer certificate subject CN (else O, else the DN) */
    const char *subject_dn;       /* the whole subject, RFC 2253 */
    const char *issuer;           /* issuer CN (else O, else the DN) */
    const char *serial;           /* signer certificate serial, lower-case hex */
    const char *thumbprint;       /* sha1 of the DER certificate, lower-case hex (sigcheck's) */
    const char *digest_algorithm; /* of the image digest: "sha1", "sha256", ... */
    const char *image_digest;     /* the signed image digest, lower-case hex */
    const char *signing_time;     /* "2022-09-20T04:54:19Z" */
    /* "signingTime" (authenticated attribute), "rfc3161" (token in
     * 1.3.6.1.4.1.311.3.3.1) or "countersignature" (PKCS#9, 1.2.840.113549.1.9.6) */
    const char *signing_time_source;
    bool digest_ok;               /* image_digest equals the recomputed one */
    bool signature_ok;            /* the SignerInfo verifies with the signer certificate */
    /* The signer's chain at the signing time against the roots Windows
     * accepts for kernel-mode code (trust.c): "trusted", "untrusted-root",
     * "expired" or "not-checked"; trust_root names the root the chain ends
     * at (CN), or NULL.  Revocation is never checked. */
    const char *trust;
    const char *trust_root;
    const char *problem;          /* why this signature is not intact, or NULL */
    uint32_t offset;              /* file offset of its WIN_CERTIFICATE entry */
    unsigned entry;               /* 1-based certificate table entry it belongs to */
    unsigned depth;               /* 0: an entry's own signature; 1+: nested */
} pt_signature;

/* The integrity of a file's signature.  Zero is "unsigned", so a zeroed
 * pt_signer reads as one. */
typedef enum pt_sig_status {
    PT_SIG_UNSIGNED = 0,    /* no usable signature */
    PT_SIG_SIGNED = 1,      /* every signed digest matches and verifies */
    PT_SIG_INVALID = 2      /* a signature is there but broken (reason says how) */
} pt_sig_status;

/* "unsigned", "signed", "invalid": the words of the verdict JSON and the
 * reports (static strings; "unsigned" for a value out of range). */
const char *pt_sig_status_name(pt_sig_status status);
/* The status a word names; false for any other word (s may be NULL). */
bool pt_sig_status_parse(const char *s, pt_sig_status *out);

/* The signature facts of a file.  The first four fields are part of the
 * verdict JSON contract (status as its word); keep them. */
typedef struct pt_signer {
    pt_sig_status status;
    const char *subject;    /* of the first signature: signer CN */
    const char *issuer;     /* of the first signature: issuer CN */
    const char *signing_time;
    /* These describe the first signature unless said. */
    const char *serial;
    const char *thumbprint;
    const char *digest_algorithm;
    const char *signing_time_source;
    /* Why the status is "invalid" ("digest mismatch", "malformed PKCS#7 at
     * offset 0x1f0"), or why an "unsigned" file has no usable signature
     * ("security directory points outside the file"); NULL otherwise. */
    const char *reason;
    const char *catalog;    /* path of the .cat that signs the file, or NULL */
    bool digest_ok;         /* every signed image digest matches the file */
    bool chain_verified;    /* trust is "trusted" */
    /* Of the first signature (pt_signature.trust, .trust_root); NULL for
     * an unsigned file.  "Signed" means status "signed" and trust "trusted". */
    const char *trust;
    const char *trust_root;
    /* What Windows itself concludes of the file on the machine that runs
     * pooltriage (pt_platform_os_trust: "trusted", "untrusted", "unsigned";
     * its result code and text; the catalog it used).  NULL off Windows
     * and for files not on this machine's disk (an archive's). */
    const char *windows_verdict;
    const char *windows_detail;
    const char *windows_catalog;
    unsigned entry_count;   /* WIN_CERTIFICATE entries read */
    pt_signature *signatures; /* every entry's signature, each followed by its nested ones */
    size_t signature_count;
} pt_signer;

/* An identity of the trust store behind pt_signature.trust (a hash of the
 * shipped roots and of POOLTRIAGE_TEST_EXTRA_ROOTS), for caches of signer
 * facts: when it changes, cached trust is stale. */
uint32_t pt_trust_store_id(void);

/* What sigcheck's "Verified:" would say, saying no more than was checked:
 * "Signed" only for an intact signature whose chain is trusted at the
 * signing time; "Signed (untrusted root)", "Signed (certificate expired at
 * signing time)" or "Signed (intact; chain not verified)" for an intact one
 * otherwise; "Invalid" and "Unsigned" for the other statuses (callers add
 * the reason).  s NULL gives "Unsigned".  A static string. */
const char *pt_signer_verdict(const pt_signer *s);

/* Reads the embedded Authenticode signature of a PE file held in memory
 * (data, len) whose facts pt_pe_parse put in `pe`.  Walks the certificate
 * table (8-byte aligned WIN_CERTIFICATE entries, bounded by the security
 * directory and the file), decodes each PKCS#7 SignedData and its nested
 * signatures, and recomputes the image digest of each.  Broken input never
 * fails: it gives status "invalid" or "unsigned" with out->reason.  All
 * strings live in `arena`.  Returns PT_ENOMEM only (out is then partial). */
pt_code pt_authenticode_read(pt_arena *arena, const uint8_t *data, size_t len,
                             const pt_pe_info *pe, pt_signer *out);

/* The Authenticode image hash of a PE file with digest `md_name` ("sha1",
 * "sha256", ...; OpenSSL names): the file without the CheckSum field, the
 * security directory entry and the certificate table (an unsigned file is
 * not padded; the corpus README's hashes agree).  out needs EVP_MAX_MD_SIZE (64) bytes.
 * PT_EFORMAT when the file is not a PE image or its security directory
 * is unusable (clam-upack.exe); PT_EUSAGE for an unknown digest name. */
pt_code pt_authenticode_hash(const uint8_t *data, size_t len,
                             const pt_pe_info *pe, const char *md_name,
                             uint8_t out[64], size_t *out_len);

/* The hashes sigcheck prints, as lower-case hex; "" when not computable
 * (pesha1/pesha256 of a file whose image hash is undefined). */
typedef struct pt_file_hashes {
    char md5[33];
    char sha1[41];
    char sha256[65];
    char pesha1[41];
    char pesha256[65];
} pt_file_hashes;

/* Computes all five hashes of a file held in memory; pe may be NULL (no PE
 * hashes).  Returns PT_OK or PT_ENOMEM. */
pt_code pt_file_hashes_compute(const uint8_t *data, size_t len,
                               const pt_pe_info *pe, pt_file_hashes *out);

/* Catalog signatures: the .cat files of a Windows tree.  The handle owns its
 * memory; pt_catalog_close(NULL) is a no-op. */
typedef struct pt_catalog_index pt_catalog_index;

/* Finds ROOT/Windows/System32/CatRoot (names matched case-insensitively),
 * reads every .cat file below it (PKCS#7 SignedData of a CTL, OID
 * 1.3.6.1.4.1.311.10.1) and indexes the member hashes.  A tree without a
 * CatRoot gives an empty index, not an error.  Unreadable or malformed
 * .cat files are skipped and counted.  PT_ENOMEM, PT_ELIMIT (past
 * PT_MAX_CATALOG_FILES) or PT_EIO (root unreadable); *out is NULL then. */
pt_code pt_catalog_open(const char *root, pt_catalog_index **out, pt_error *err);
/* The same for the .cat entries below a CatRoot folder of a case archive
 * (as `collect` writes them), each known as "ARCHIVE:ENTRY" and kept in
 * memory; errors as pt_archive_read, and PT_ELIMIT past
 * PT_MAX_CATALOG_FILES. */
pt_code pt_catalog_open_archive(const char *archive, pt_catalog_index **out, pt_error *err);
void pt_catalog_close(pt_catalog_index *idx);
/* Catalog files indexed / skipped as unreadable or malformed / member hashes. */
size_t pt_catalog_file_count(const pt_catalog_index *idx);
size_t pt_catalog_skipped_count(const pt_catalog_index *idx);
size_t pt_catalog_member_count(const pt_catalog_index *idx);
/* What the walk of CatRoot left out (its depth and file limits, unreadable
 * folders), for the caller to say: i < pt_catalog_problem_count(idx). */
size_t pt_catalog_problem_count(const pt_catalog_index *idx);
void pt_catalog_problem(const pt_catalog_index *idx, size_t i, const char **path,
                        const char **message);
/* The path of the catalog listing an Authenticode hash (20 or 32 bytes),
 * or NULL.  idx may be NULL.  The string is owned by idx. */
const char *pt_catalog_lookup(const pt_catalog_index *idx, const uint8_t *hash,
                              size_t hash_len);

/* When `signer` (from pt_authenticode_read) has no embedded signature,
 * looks the file's PESHA1 and PESHA256 up in `idx`; on a hit, sets status
 * "signed", catalog to the .cat path and the signer fields to the
 * catalog's signer (status "invalid" with a reason when the catalog's own
 * signature does not verify).  idx may be NULL (nothing happens).  Strings
 * live in `arena`.  Returns PT_ENOMEM only. */
pt_code pt_catalog_resolve(pt_arena *arena, const pt_catalog_index *idx,
                           const uint8_t *data, size_t len, const pt_pe_info *pe,
                           pt_signer *signer);

/* ---- end of describe: signatures ---- */

/* A driver file and its facts. */
typedef struct pt_driver {
    const char *path;
    const char *name;            /* file name, as found */
    uint64_t size;
    char sha256[65];             /* "" when not computed */
    bool pe_read;                /* pe holds facts */
    pt_pe_info pe;
    const pt_signer *signer;     /* NULL when the file was not described */
    const char *error;           /* why facts are missing, or NULL */
} pt_driver;

/* ------------------------------------------------------------------ */
/* describe: one file, read once                                       */
/* ------------------------------------------------------------------ */

/* What pt_describe_file computes besides the PE facts and the signature. */
enum {
    PT_DESCRIBE_SHA256 = 1u << 0,   /* the sha256 of the whole file */
    PT_DESCRIBE_HASHES = 1u << 1,   /* md5, sha1, sha256, pesha1, pesha256 (info) */
    PT_DESCRIBE_PE_ONLY = 1u << 2   /* the PE facts alone: no signature, no digest */
};

/* Everything the describe stage knows about one file. */
typedef struct pt_description {
    const char *path;
    uint64_t size;
    const char *error;           /* why the file could not be read, or NULL */
    bool pe_read;                /* pe holds facts: the file is a PE image */
    pt_pe_info pe;
    pt_signer signer;            /* embedded Authenticode, else the catalog's */
    pt_file_hashes hashes;       /* "" where not computed */
} pt_description;

/* Describes the file at `path`: PE facts, version resource, the embedded
 * Authenticode signature (image digest recomputed, signer verified), with
 * `cats` (may be NULL) the catalog signature of a file without one, and the
 * hashes `what` asks for (PT_DESCRIBE_*).  The file is read by offset and
 * streamed through one window of PT_DESCRIBE_WINDOW bytes, so the memory
 * used does not depend on its size; every digest it needs comes from one
 * pass (a second only for a rare digest algorithm).  A malformed file is
 * facts, not an error.  Strings live in `arena`, which this call alone
 * may use meanwhile.  PT_EIO (out->error and err say why) when the file
 * can't be read; PT_ENOMEM. */
pt_code pt_describe_file(pt_arena *arena, const char *path, unsigned what,
                         const pt_catalog_index *cats, pt_description *out, pt_error *err);

/* Describes `count` files on `threads` worker threads (0: one per CPU, at
 * most 8), each worker with its own arena and window, so digests and
 * signature checks run in parallel; out[i] describes paths[i] (a file
 * that can't be read has out[i].error).  PT_ENOMEM only. */
pt_code pt_describe_files(pt_arena *arena, const char *const *paths, size_t count,
                          unsigned what, const pt_catalog_index *cats, unsigned threads,
                          pt_description *out, pt_error *err);

/* Describes `len` bytes in memory as pt_describe_file describes a file,
 * shown as `shown` (kept). */
pt_code pt_describe_memory(pt_arena *arena, const char *shown, const uint8_t *data, size_t len,
                           unsigned what, const pt_catalog_index *cats, pt_description *out,
                           pt_error *err);
/* Describes entries of a case archive as pt_describe_file does, read from
 * the archive's stream one at a time (never extracted): out[i] describes
 * entries[i] (its name inside the archive), shown as "ARCHIVE:ENTRY".  An
 * entry that can't be read (gone, too large, the archive refused) has
 * out[i].error.  PT_ENOMEM only. */
pt_code pt_describe_archive(pt_arena *arena, const char *archive, const char *const *entries,
                            size_t count, unsigned what, const pt_catalog_index *cats,
                            pt_description *out, pt_error *err);

/* Fills a driver's facts from its description (pointers into it). */
void pt_driver_set_description(pt_driver *d, const pt_description *desc);

/* ------------------------------------------------------------------ */
/* describe: host                                                      */
/* ------------------------------------------------------------------ */

typedef struct pt_os_name {
    const char *alias;   /* "2012R2" */
    const char *name;    /* "Windows Server 2012 R2" */
    uint32_t major, minor, build;
} pt_os_name;

/* The table of CONTRACT.md ("2012R2" -> 6.3.9600), ended by alias NULL. */
const pt_os_name *pt_os_names(void);

typedef struct pt_host {
    const char *name;            /* --host or the case folder's name, or NULL */
    const char *os_version;      /* "6.3.9600.19000", or NULL */
    int64_t os_build;            /* 9600, or PT_UNKNOWN */
    const char *os_names[4];     /* friendly names sharing the build */
    size_t os_name_count;
    const char *os_source;       /* "ntoskrnl.exe", "--os", or NULL */
} pt_host;

/* Fills host->os_* from an --os value ("6.3.9600", "2012R2", ...). */
pt_code pt_host_set_os(pt_arena *arena, pt_host *host, const char *os,
                       const char *source, pt_error *err);


/* The host (host.c). */

/* ROOT/Windows/System32/ntoskrnl.exe, names matched case-insensitively
 * (pt_malloc'd), or NULL when the tree has none. */
char *pt_host_kernel_path(const char *root);
/* Reads the OS version from that ntoskrnl.exe; leaves host unchanged when
 * there is none. */
pt_code pt_host_from_root(pt_arena *arena, pt_host *host, const char *root,
                          pt_error *err);
/* The same from a case archive: its ntoskrnl.exe (in a Windows/System32 folder) read
 * from the stream.  An archive without one leaves the OS unknown. */
pt_code pt_host_from_archive(pt_arena *arena, pt_host *host, const char *archive,
                             pt_error *err);


/* "18.10.0.189" from VS_FIXEDFILEINFO, or NULL. */
const char *pt_driver_numeric_version(pt_arena *arena, const pt_driver *d);

#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_DESCRIBE_H */
