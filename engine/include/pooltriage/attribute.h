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


#ifdef __cplusplus
}
#endif
#endif /* POOLTRIAGE_ATTRIBUTE_H */
