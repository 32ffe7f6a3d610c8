/*
 * judge_int.h - declarations shared inside the judge stage (rules.c and
 * findings.c).  Not part of the public API.
 */
#ifndef PT_JUDGE_INT_H
#define PT_JUDGE_INT_H

#include "pt_internal.h"

/* One problem is one finding: folds findings[0..*count) in place so that
 * findings about the same tag and driver become one, which keeps every tag
 * and every rule as a reason, the strongest leading; then recomputes each
 * fingerprint. */
void pt_findings_fold(pt_arena *arena, pt_finding *findings, size_t *count);

#endif
