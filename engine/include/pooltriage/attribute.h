/*
 * pooltriage/attribute.h - attribute: tag -> driver, with ranked evidence.
 * Part of the public API; include <pooltriage/pooltriage.h> for all of it.
 */
#ifndef POOLTRIAGE_ATTRIBUTE_H
#define POOLTRIAGE_ATTRIBUTE_H

#include "scan.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* attribute: tag -> driver                                            */
/* ------------------------------------------------------------------ */

typedef enum pt_evidence_kind {
    PT_EV_IMMEDIATE = 1, /* immediate operand of the tag argument, pool API imported */
    PT_EV_CODE = 2,      /* inside an executable section */
    PT_EV_FILE = 3,      /* anywhere in the file */
    PT_EV_HINT = 4       /* pooltag.txt, localtag.txt, Mapped_Driver or KMDF default */
} pt_evidence_kind;

/* "immediate", "code", "file", "hint". */
const char *pt_evidence_kind_name(pt_evidence_kind kind);

typedef struct pt_evidence {
    pt_evidence_kind kind;
    uint64_t offset;        /* file offset, 0 for hints */
    const char *section;    /* section name, or NULL */
    const char *detail;     /* e.g. "mov r8d, imm32" or "pooltag.txt" */
} pt_evidence;



typedef struct pt_candidate {
    pt_driver *driver;
    double confidence;           /* 0..1 */
    pt_evidence_kind best;
    pt_evidence *evidence;
    size_t evidence_count;
} pt_candidate;

typedef struct pt_attribution {
    char tag[5];
    pt_candidate *candidates;    /* best first */
    size_t candidate_count;
} pt_attribution;

/* The KMDF default pool tag of a driver file name (kb-seed.md): the first
 * 4 characters of the service name (the file name without ".sys"), after a
 * leading "WDF"; "FxDr" when fewer than 4 are left.  out: 5 bytes. */
void pt_attribute_kmdf_tag(const char *file_name, char out[5]);

/* Classifies one hit of a tag at file offset `off` of a described driver,
 * from the bytes the scan kept around it (w may be NULL: no immediate
 * check).  Pure. */
pt_evidence pt_attribute_classify(const pt_driver *d, const pt_hit_window *w, uint64_t off);

/* Why attribution needs a walked file described. */
enum {
    PT_ATTR_HOLDS = 1,   /* it holds a tag of the set, or a .sys whose KMDF default tag is one */
    PT_ATTR_HINTED = 2   /* only a Mapped_Driver cell or the pooltag map names it */
};

/* Marks, in out[i] (0, PT_ATTR_HOLDS or PT_ATTR_HINTED), the files of
 * `scan` that attribution needs described.  Pure; pooltag may be NULL. */
void pt_attribute_select(const pt_suspect *suspects, size_t suspect_count,
                         const pt_tagset *set, const pt_scan_result *scan,
                         const struct pt_pooltag_map *pooltag, uint8_t *out);

/* What the attribute stage reads. */
typedef struct pt_attribute_input {
    const pt_suspect *suspects;   size_t suspect_count;
    const pt_tagset *set;         /* the tags of the scan */
    const pt_scan_result *scan;
    pt_driver *drivers;           size_t driver_count; /* the described files */
    const size_t *driver_of;      /* per scan file: its index in drivers, or SIZE_MAX */
    const struct pt_pooltag_map *pooltag; /* owners as hints, or NULL */
} pt_attribute_input;

/* The attribute stage: per distinct suspect tag, the candidate drivers
 * best first, from the scan's hits (classified on the bytes kept around
 * each), the KMDF default tag, Mapped_Driver and the pooltag map.  Pure:
 * no I/O; candidates point into in->drivers.  PT_ENOMEM only. */
pt_code pt_attribute(pt_arena *arena, const pt_attribute_input *in,
                     pt_attribution **out, size_t *out_count, pt_error *err);


#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_ATTRIBUTE_H */
